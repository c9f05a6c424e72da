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

const char* to_string(GeometrySource g) noexcept {
  return g == GeometrySource::derived ? "derived" : "given";
}

const char* to_string(Location l) noexcept {
  return l == Location::placed ? "placed" : "surveyed";
}

using namespace load_detail;

Inputs load_inputs(const Scenario& scenario, const std::function<void(double)>& progress) {
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
  load_hamlets(scenario, in, working);
  fail_on_rejects(scenario, in);
  step(0.1);
  load_households(scenario, working, in);
  fail_on_rejects(scenario, in);
  step(0.8);
  if (speakers) {
    load_speakers(scenario, working, in);
    fail_on_rejects(scenario, in);
    step(0.05);
  }
  if (teams) {
    load_teams(scenario, working, in);
    fail_on_rejects(scenario, in);
    step(0.02);
  }
  resolve_team_template(scenario, in.teams);
  if (candidates) {
    load_candidates(scenario, working, in);
    fail_on_rejects(scenario, in);
    step(0.03);
  }
  return in;
}

}  // namespace infogap
