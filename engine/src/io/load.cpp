// load_inputs: reads every layer of a scenario (GDAL), picks the working CRS, reprojects (PROJ),
// repairs hamlet polygons (GEOS) and turns unusable rows into rejects (DESIGN.md §3). The parts
// are in fields.cpp, layer.cpp, points.cpp, working_crs.cpp and load_<layer>.cpp.
#include <algorithm>
#include <filesystem>
#include <map>
#include <system_error>
#include <utility>
#include <vector>

#include "io/load_detail.hpp"

namespace infogap {

const char* to_string(Poverty p) noexcept {
  switch (p) {
    case Poverty::poor:
      return "poor";
    case Poverty::near_poor:
      return "near_poor";
    case Poverty::not_poor:
      return "not_poor";
  }
  return "unknown";
}

const char* to_string(GeometrySource g) noexcept {
  return g == GeometrySource::derived ? "derived" : "given";
}

const char* to_string(Location l) noexcept {
  return l == Location::placed ? "placed" : "surveyed";
}

using namespace load_detail;

namespace {

/// A layer file that does not exist: the error names the key it comes from and the folder
/// relative paths resolve against. Throws IoError.
void require_file(const Scenario& s, const std::string& key, const LayerSource& src) {
  const std::string& path = src.path;
  if (path.empty() || path.rfind("/vsi", 0) == 0) return;
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return;
  std::string why = "file not found (the scenario's " + key + ".path";
  if (!s.base_dir.path.empty()) why += "; relative paths in the scenario resolve against its folder " + s.base_dir.path;
  throw IoError(ErrorCode::io, why + ")", {path, "", "", {}});
}

/// The layers of a scenario with their keys, in load order.
std::vector<std::pair<std::string, const LayerSource*>> layer_sources(const Scenario& s) {
  std::vector<std::pair<std::string, const LayerSource*>> layers{{"hamlets", &s.hamlets},
                                                                 {"households", &s.households}};
  if (s.speakers) layers.emplace_back("speakers", &*s.speakers);
  if (s.teams) layers.emplace_back("teams", &*s.teams);
  layers.emplace_back("optimize.candidates", &s.optimize.candidates);
  return layers;
}

/// Loads layer by layer. keep_going: a problem that makes one layer unusable is recorded in
/// in.problems and the next layer is still checked; without it, the first problem is thrown.
Inputs load(const Scenario& scenario, const std::function<void(double)>& progress, bool keep_going) {
  // Every file must exist before anything is read (a run fails at once; validate lists each).
  std::map<std::string, std::string> missing;
  for (const auto& [key, src] : layer_sources(scenario)) {
    try {
      require_file(scenario, key, *src);
    } catch (const IoError& e) {
      if (!keep_going) throw;
      missing.emplace(key == "optimize.candidates" ? "candidates" : key, e.what());
    }
  }
  // Then every layer's header (CRS, named columns): no row is read before they all pass.
  for (auto& p : check_headers(scenario, keep_going)) {
    const std::string key = p.layer == "communes" ? "hamlets" : p.layer;
    if (!missing.count(key)) missing.emplace(key, p.message);
  }
  Inputs in;
  std::string working;
  const bool speakers = scenario.speakers && !scenario.speakers->path.empty();
  const bool teams = scenario.teams && !scenario.teams->path.empty();
  const bool candidates = !scenario.optimize.candidates.path.empty();
  // Shares of the time on the bundled province: households dominate.
  const double total = 0.1 + 0.8 + (speakers ? 0.05 : 0.0) + (teams ? 0.02 : 0.0) + (candidates ? 0.03 : 0.0);
  double done = 0.0;
  auto step = [&](double share) {
    done += share;
    if (progress) progress(std::min(1.0, done / total));
  };
  // One layer: its loader, then the on_bad_rows policy. True when the layer could be used.
  auto layer = [&](const char* key, auto&& fn) {
    if (const auto m = missing.find(key); m != missing.end()) {
      in.problems.push_back({key, m->second});
      return false;
    }
    if (!keep_going) {
      fn();
      fail_on_rejects(scenario, in);
      return true;
    }
    try {
      fn();
      fail_on_rejects(scenario, in);
      return true;
    } catch (const Error& e) {
      in.problems.push_back({key, e.what()});
      return false;
    }
  };
  // Without hamlets there is no working CRS (auto) and nothing to join: stop there.
  if (!layer("hamlets", [&] { load_hamlets(scenario, in, working); })) return in;
  step(0.1);
  layer("households", [&] {
    const double before = done;
    load_households(scenario, working, in, [&](double f) {
      if (progress) progress(std::min(1.0, (before + 0.8 * f) / total));
    });
  });
  step(0.8);
  if (speakers) {
    layer("speakers", [&] { load_speakers(scenario, working, in); });
    step(0.05);
  }
  if (teams) {
    layer("teams", [&] { load_teams(scenario, working, in); });
    step(0.02);
  }
  resolve_team_template(scenario, in.teams);
  if (candidates) {
    layer("candidates", [&] { load_candidates(scenario, working, in); });
    step(0.03);
  }
  return in;
}

}  // namespace

Inputs load_inputs(const Scenario& scenario, const std::function<void(double)>& progress) {
  return load(scenario, progress, false);
}

Inputs check_inputs(const Scenario& scenario, const std::function<void(double)>& progress) {
  return load(scenario, progress, true);
}

std::string describe_layer_rejects(const Inputs& in, const std::string& key, std::size_t top) {
  const auto it = in.layers.find(key);
  if (it == in.layers.end()) return {};
  std::vector<Reject> mine;
  for (const Reject& r : in.rejects)
    if (r.file == it->second.path && r.layer == it->second.layer) mine.push_back(r);
  if (mine.empty()) return {};
  return describe_rejects(mine, it->second.features, top);
}

}  // namespace infogap
