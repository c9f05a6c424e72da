// The staging folder of a run: outputs are written into a hidden folder inside the output folder
// and moved into place when complete (summary.json last), so a folder holds one complete run.
#include "output/staging.hpp"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>

#include "infogap/error.hpp"
#include "infogap/scenario.hpp"

namespace fs = std::filesystem;

namespace infogap::detail {
namespace {

constexpr const char* k_staging_prefix = ".infogap-staging-";

/// infogap's own output names that do not depend on the scenario (group tables are listed in the
/// previous run's summary.json).
const std::set<std::string>& own_names() {
  static const std::set<std::string> names = [] {
    std::set<std::string> n{"coverage.gpkg",  "fields.csv",   "hamlet_gaps.csv", "proposed_sites.csv",
                            "infogap.qgs",    "summary.json", "rejects.csv",     "report.vi.html",
                            "report.en.html", "outputs.xlsx", "gaps.xlsx"};
    for (const char* base : {"hamlets", "proposed_sites"})
      for (const char* ext : {".shp", ".shx", ".dbf", ".prj", ".cpg", ".qml"}) n.insert(std::string(base) + ext);
    for (const char* base : {"speech_level", "speakers_audible", "team_distance", "gap_density"})
      for (const char* ext : {".tif", ".qml", ".tif.aux.xml"}) n.insert(std::string(base) + ext);
    return n;
  }();
  return names;
}

/// The files the previous run in dir listed in its summary.json (or listing) ("outputs"), if any.
std::vector<std::string> previous_outputs(const fs::path& dir, const std::string& listing) {
  std::ifstream f(dir / listing);
  if (!f) return {};
  try {
    const auto j = nlohmann::json::parse(f);
    if (j.contains("outputs") && j["outputs"].is_array()) return j["outputs"].get<std::vector<std::string>>();
  } catch (const std::exception&) {
  }
  return {};
}

}  // namespace

fs::path normal_path(const std::string& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  fs::path canon = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal() : canon;
}

namespace {
/// Removes staging folders left by runs that were killed (their process is gone).
void remove_stale_staging(const fs::path& dir) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(k_staging_prefix, 0) != 0) continue;
    const long pid = std::strtol(name.c_str() + std::char_traits<char>::length(k_staging_prefix), nullptr, 10);
    if (pid > 0 && pid != static_cast<long>(getpid()) && kill(static_cast<pid_t>(pid), 0) == 0) continue;
    fs::remove_all(entry.path(), ec);
  }
}
}  // namespace

Staging::Staging(const std::string& dir) : m_final(dir) {
  std::error_code ec;
  fs::create_directories(m_final, ec);
  if (ec || !fs::is_directory(m_final))
    throw IoError(ErrorCode::io, "cannot create the output folder: " + ec.message(), {dir, "", "", {}});
  remove_stale_staging(m_final);
  m_dir = m_final / (std::string(k_staging_prefix) + std::to_string(getpid()));
  fs::create_directories(m_dir, ec);
  if (ec) throw IoError(ErrorCode::io, "cannot write in the output folder: " + ec.message(), {dir, "", "", {}});
}

Staging::Staging(const std::string& dir, std::set<std::string> own, std::string listing) : Staging(dir) {
  m_own = std::move(own);
  m_listing = std::move(listing);
}

Staging::~Staging() {
  if (!m_committed) {
    std::error_code ec;
    fs::remove_all(m_dir, ec);
  }
}

std::vector<std::string> Staging::files() const {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(m_dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

void Staging::commit(const std::vector<std::string>& last) {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(m_dir)) files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::stable_partition(files.begin(), files.end(), [&](const fs::path& p) {
    return std::find(last.begin(), last.end(), p.filename().string()) == last.end();
  });
  std::set<std::string> written;
  for (const auto& f : files) written.insert(f.filename().string());
  // Files of the previous run that this run does not write go first (infogap's own names, and
  // whatever the previous summary.json listed), so the folder never mixes two runs.
  std::set<std::string> stale;
  for (const auto& name : m_own ? *m_own : own_names())
    if (!written.count(name)) stale.insert(name);
  for (const auto& name : previous_outputs(m_final, m_listing))
    if (!written.count(name) && name.find('/') == std::string::npos && name.rfind('.', 0) != 0) stale.insert(name);
  // The files move one by one: drop the previous run's `last` files (summary.json) first, so an
  // interrupted commit never leaves an old summary beside new files (summary.json marks a complete set).
  for (const auto& name : last) {
    std::error_code ec;
    fs::remove(m_final / name, ec);
  }
  for (const auto& name : stale) {
    std::error_code ec;
    if (fs::is_regular_file(m_final / name, ec)) fs::remove(m_final / name, ec);
  }
  for (const auto& f : files) {
    std::error_code ec;
    const fs::path target = m_final / f.filename();
    if (fs::is_directory(target, ec)) fs::remove_all(target, ec);
    fs::rename(f, target, ec);
    if (ec)
      throw IoError(ErrorCode::io, "cannot move output into place: " + ec.message(), {target.string(), "", "", {}});
  }
  m_committed = true;
  std::error_code ec;
  fs::remove_all(m_dir, ec);
}

void check_output_dir(const Scenario& sc, const std::string& dir) {
  const fs::path out = normal_path(dir);
  std::vector<std::string> inputs{sc.hamlets.path, sc.households.path};
  if (sc.speakers) inputs.push_back(sc.speakers->path);
  if (sc.teams) inputs.push_back(sc.teams->path);
  if (!sc.optimize.candidates.path.empty()) inputs.push_back(sc.optimize.candidates.path);
  if (!sc.source_path.empty()) inputs.push_back(sc.source_path);
  for (const auto& p : inputs) {
    if (p.empty()) continue;
    const fs::path in = normal_path(p);
    if (in.parent_path() == out || in == out) {
      throw InvalidInput(
          ErrorCode::invalid_input,
          "the output folder '" + out.string() + "' holds this input; choose another output folder (-o DIR)",
          {p, "", "", {}});
    }
  }
  // Writable: created if missing, and a file can be made in it (checked before any row is read).
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec) throw IoError(ErrorCode::io, "cannot create the output folder: " + ec.message(), {out.string(), "", "", {}});
  const fs::path probe = out / (".infogap-write-check-" + std::to_string(::getpid()));
  {
    std::ofstream f(probe, std::ios::binary);
    if (!f || !(f << "ok") || !(f.flush()))
      throw IoError(ErrorCode::io, "the output folder is not writable (choose another with -o DIR)",
                    {out.string(), "", "", {}});
  }
  fs::remove(probe, ec);
}

}  // namespace infogap::detail
