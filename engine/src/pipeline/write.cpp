#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <system_error>

#include "adapters/gdal/gdal_io.hpp"
#include "infogap/error.hpp"
#include "pipeline/outputs.hpp"
#include "pipeline/stages.hpp"

namespace fs = std::filesystem;

namespace infogap::detail {
namespace {

constexpr const char* k_staging_prefix = ".infogap-staging-";

fs::path normal(const std::string& p) {
  std::error_code ec;
  fs::path abs = fs::absolute(p, ec);
  fs::path canon = fs::weakly_canonical(abs, ec);
  return ec ? abs.lexically_normal() : canon;
}

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

struct Staging {
  fs::path final_dir, dir;
  bool committed = false;
  ~Staging() {
    if (!committed) {
      std::error_code ec;
      fs::remove_all(dir, ec);
    }
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }
  /// Moves every staged file into the final folder (rename within one file system).
  void commit(const std::vector<std::string>& last) {
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    std::stable_partition(files.begin(), files.end(), [&](const fs::path& p) {
      return std::find(last.begin(), last.end(), p.filename().string()) == last.end();
    });
    // The files move one by one: drop the previous run's `last` files (summary.json) first, so an
    // interrupted commit never leaves an old summary beside new files (summary.json marks a complete set).
    for (const auto& name : last) {
      std::error_code ec;
      fs::remove(final_dir / name, ec);
    }
    for (const auto& f : files) {
      std::error_code ec;
      const fs::path target = final_dir / f.filename();
      if (fs::is_directory(target, ec)) fs::remove_all(target, ec);
      fs::rename(f, target, ec);
      if (ec)
        throw IoError(ErrorCode::io, "cannot move output into place: " + ec.message(), {target.string(), "", "", {}});
    }
    committed = true;
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

}  // namespace

void check_output_dir(const Scenario& sc, const std::string& dir) {
  const fs::path out = normal(dir);
  std::vector<std::string> inputs{sc.hamlets.path, sc.households.path};
  if (sc.speakers) inputs.push_back(sc.speakers->path);
  if (sc.teams) inputs.push_back(sc.teams->path);
  if (!sc.optimize.candidates.path.empty()) inputs.push_back(sc.optimize.candidates.path);
  if (!sc.source_path.empty()) inputs.push_back(sc.source_path);
  for (const auto& p : inputs) {
    if (p.empty()) continue;
    const fs::path in = normal(p);
    if (in.parent_path() == out || in == out) {
      throw InvalidInput(
          ErrorCode::invalid_input,
          "the output folder '" + out.string() + "' holds this input; choose another output folder (-o DIR)",
          {p, "", "", {}});
    }
  }
}

WriteProgress::WriteProgress(ProgressFn fn, std::vector<std::pair<std::string, double>> steps)
    : m_fn(std::move(fn)), m_steps(std::move(steps)) {
  for (const auto& [name, weight] : m_steps) m_total += weight;
}

void WriteProgress::at(const std::string& name, double f) {
  if (!m_fn || !(m_total > 0.0)) return;
  double before = 0.0;
  for (const auto& [step, weight] : m_steps) {
    if (step == name) {
      const double fraction = (before + weight * std::clamp(f, 0.0, 1.0)) / m_total;
      if (fraction > m_last) {
        m_last = fraction;
        m_fn("write", fraction);
      }
      return;
    }
    before += weight;
  }
}

std::function<void(double)> WriteProgress::within(const std::string& name) {
  return [this, name](double f) { at(name, f); };
}

void write_outputs(const Scenario& sc, const Inputs& in, const CoverageResult& cov, const PlacementResult* placement,
                   const std::string& dir, const RunOptions& options, const std::function<std::string()>& summary,
                   std::map<std::string, double>& timings) {
  check_output_dir(sc, dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir))
    throw IoError(ErrorCode::io, "cannot create the output folder: " + ec.message(), {dir, "", "", {}});
  remove_stale_staging(dir);
  Staging st;
  st.final_dir = fs::path(dir);
  st.dir = st.final_dir / (std::string(k_staging_prefix) + std::to_string(getpid()));
  fs::create_directories(st.dir, ec);
  if (ec) throw IoError(ErrorCode::io, "cannot write in the output folder: " + ec.message(), {dir, "", "", {}});

  auto timed = [&timings](const std::string& stage, auto&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    fn();
    timings["write_" + stage] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  const auto& out = sc.output;
  // Weights: seconds each step took on the bundled province at 10 m (summary.json timings_s).
  std::vector<std::pair<std::string, double>> steps;
  if (out.wants("gpkg")) steps.emplace_back("gpkg", 2.6);
  if (out.wants("csv")) steps.emplace_back("csv", 0.05);
  if (out.wants("tif")) {
    steps.emplace_back("rasterize", 2.9);
    for (const char* r : {"speech_level", "speakers_audible", "team_distance", "gap_density"})
      steps.emplace_back(r, r == std::string("speakers_audible") ? 0.2 : 1.3);
  }
  if (out.wants("shp")) steps.emplace_back("shp", 0.05);
  if (options.write_report && out.wants("html")) steps.emplace_back("html", 0.1);
  if (options.write_report && out.wants("qgis")) steps.emplace_back("qgis", 0.02);
  steps.emplace_back("summary", 0.02);
  WriteProgress progress(options.progress, std::move(steps));
  const Table hamlets = hamlets_table(in, cov, placement);
  std::optional<Table> sites;
  if (placement) sites = proposed_sites_table(in, *placement);

  if (out.wants("gpkg")) {
    timed("gpkg", [&] {
      std::vector<Table> tables;
      std::vector<std::string> names;
      tables.push_back(hamlets);
      names.emplace_back("hamlets");
      tables.push_back(households_table(in, cov));
      names.emplace_back("households");
      if (sc.speakers) {
        tables.push_back(speakers_table(in, cov));
        names.emplace_back("speakers");
      }
      if (sc.teams) {
        tables.push_back(teams_table(in, cov));
        names.emplace_back("teams");
      }
      for (std::size_t g = 0; g < in.hamlets.group_names.size(); ++g) {
        tables.push_back(group_table(in, cov, g, true));
        names.push_back(in.hamlets.group_names[g]);
      }
      if (sites) {
        tables.push_back(*sites);
        names.emplace_back("proposed_sites");
      }
      std::vector<VectorLayerOut> layers;
      for (std::size_t k = 0; k < tables.size(); ++k)
        layers.push_back({names[k], &tables[k], style_for_layer(sc, names[k])});
      write_gpkg(st.path("coverage.gpkg"), layers, in.working_epsg);
    });
    progress.done("gpkg");
  }
  if (out.wants("csv")) {
    timed("csv", [&] {
      Table csv = hamlets;
      csv.geometry_kind = GeometryKind::none;
      csv.wkb.clear();
      write_csv(csv, st.path("hamlet_gaps.csv"));
      for (std::size_t g = 0; g < in.hamlets.group_names.size(); ++g)
        write_csv(group_table(in, cov, g, false), st.path(in.hamlets.group_names[g] + "_gaps.csv"));
      if (sites) {
        Table s = *sites;
        s.geometry_kind = GeometryKind::none;
        s.wkb.clear();
        write_csv(s, st.path("proposed_sites.csv"));
      }
    });
    progress.done("csv");
  }
  write_extra_outputs(sc, in, cov, placement, hamlets, sites ? &*sites : nullptr, st.dir.string(), options.write_report,
                      timings, progress);
  write_rejects_csv(in.rejects, st.path("rejects.csv"));
  write_text_file(st.path("summary.json"), summary());
  st.commit({"summary.json"});
  progress.done("summary");
}

}  // namespace infogap::detail
