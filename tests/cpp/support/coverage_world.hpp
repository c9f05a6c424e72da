#pragma once
// The small coverage worlds shared by the coverage tests (coverage_test.cpp,
// coverage_teams_test.cpp): hamlets from squares, households, horns and teams set one by one.
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "adapters/geos/geometry_ops.hpp"
#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"

namespace infogap::test {

inline std::vector<std::uint8_t> square(double x0, double y0, double size) {
  return detail::from_wkt("POLYGON((" + std::to_string(x0) + " " + std::to_string(y0) + "," +
                          std::to_string(x0 + size) + " " + std::to_string(y0) + "," + std::to_string(x0 + size) + " " +
                          std::to_string(y0 + size) + "," + std::to_string(x0) + " " + std::to_string(y0 + size) + "," +
                          std::to_string(x0) + " " + std::to_string(y0) + "))");
}

/// A small world: hamlets from squares, households from points.
struct World {
  Scenario scenario;
  Inputs inputs;
  World() {
    scenario.speakers = SpeakersSource{};
    scenario.speakers->model = SpeakerModel::radius;
    scenario.teams = TeamsSource{};
    inputs.working_epsg = 32648;
  }
  void hamlet(const std::string& id, std::vector<std::uint8_t> wkb, const std::string& commune = "C") {
    auto& h = inputs.hamlets;
    if (h.group_names.empty()) {
      h.group_names = {"commune"};
      h.groups.resize(1);
    }
    h.id.push_back(id);
    h.name.push_back("Ấp " + id);
    h.groups[0].push_back(commune);
    h.wkb.push_back(std::move(wkb));
    h.area_m2.push_back(0);
  }
  void household(const std::string& id, double x, double y, Poverty p = Poverty::poor) {
    auto& hh = inputs.households;
    const auto n = static_cast<Eigen::Index>(hh.id.size());
    hh.id.push_back(id);
    hh.x_m.conservativeResize(n + 1);
    hh.y_m.conservativeResize(n + 1);
    hh.x_m[n] = x;
    hh.y_m[n] = y;
    hh.status.push_back(p);
    hh.members.push_back(4);
    hh.internet.push_back(-1);
    hh.devices.push_back(-1);
    hh.source_row.push_back(n + 1);
  }
  void speaker(const std::string& id, double x, double y, double range_m, const std::string& cluster = "",
               double azimuth = std::nan("")) {
    auto& s = inputs.speakers;
    const auto n = static_cast<Eigen::Index>(s.id.size());
    s.id.push_back(id);
    s.cluster.push_back(cluster);
    for (auto* v :
         {&s.x_m, &s.y_m, &s.power_w, &s.sensitivity_db, &s.height_m, &s.azimuth_deg, &s.beamwidth_deg, &s.range_m})
      v->conservativeResize(n + 1);
    s.x_m[n] = x;
    s.y_m[n] = y;
    s.power_w[n] = 30;
    s.sensitivity_db[n] = 110;
    s.height_m[n] = 8;
    s.azimuth_deg[n] = azimuth;
    s.beamwidth_deg[n] = 90;
    s.range_m[n] = range_m;
  }
  void team(const std::string& id, double x, double y, double members, double reach_m, double per_member) {
    auto& t = inputs.teams;
    const auto n = static_cast<Eigen::Index>(t.id.size());
    t.id.push_back(id);
    for (auto* v : {&t.x_m, &t.y_m, &t.members, &t.reach_m, &t.households_per_member}) v->conservativeResize(n + 1);
    t.x_m[n] = x;
    t.y_m[n] = y;
    t.members[n] = members;
    t.reach_m[n] = reach_m;
    t.households_per_member[n] = per_member;
  }
  CoverageResult run() const { return compute_coverage(scenario, inputs); }
};

}  // namespace infogap::test
