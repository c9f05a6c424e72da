// load_inputs: reads every layer of a scenario (GDAL), picks the working CRS, reprojects (PROJ),
// repairs hamlet polygons (GEOS) and turns unusable rows into rejects (DESIGN.md §3). The parts
// are in fields.cpp, layer.cpp, points.cpp, working_crs.cpp and load_<layer>.cpp.
#include <algorithm>

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

using namespace load_detail;

namespace {

/// Loads layer by layer. keep_going: a problem that makes one layer unusable is recorded in
/// in.problems and the next layer is still checked; without it, the first problem is thrown.
Inputs load(const Scenario& scenario, const std::function<void(double)>& progress, bool keep_going) {
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
  layer("households", [&] { load_households(scenario, working, in); });
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
