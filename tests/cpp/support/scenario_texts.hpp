#pragma once
// Scenario texts and helpers shared by the scenario tests (scenario_test.cpp, scenario_write_test.cpp).
#include <gtest/gtest.h>

#include <string>

#include "infogap/error.hpp"
#include "infogap/scenario.hpp"

namespace infogap::test {

/// The two required keys; two lines, so an appended block starts on line 3.
inline constexpr const char* k_minimal = "hamlets: {path: h.gpkg}\nhouseholds: {path: hh.gpkg}\n";
inline constexpr const char* k_base = "/data/base";

inline Scenario parse(const std::string& text, const std::string& base = k_base) {
  return Scenario::from_yaml_string(text, base, "test.yaml");
}

/// The message of the invalid_scenario error that parsing text must raise ("" and a failure if none).
inline std::string scenario_error(const std::string& text) {
  try {
    parse(text);
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_scenario) << e.what();
    EXPECT_EQ(e.context().file, "test.yaml");
    return e.what();
  }
  ADD_FAILURE() << "no error for:\n" << text;
  return {};
}

/// Every key set to something other than its default.
inline constexpr const char* k_full = R"(name: "Bạc Liêu — test"
working_crs: epsg:32648
on_bad_rows: fail
seed: 7
hamlets:
  path: in/hamlets.gpkg
  layer: ham
  crs: "EPSG:3405"
  x: east
  y: north
  id: hid
  name: ten_ap
  group_by: [commune, district]
households:
  path: in/hh.csv
  id: hhid
  x: longitude
  y: latitude
  status: ngheo
  members: nk
  internet: uses_internet
  devices: info_devices
speakers:
  path: /abs/speakers.gpkg
  layer: loa
  id: sid
  model: radius
  range_m: 250
  power_w: 45
  sensitivity_db: sens
  height_m: 9.5
  azimuth_deg: az
  beamwidth_deg: 120
  cluster: cum
teams:
  path: teams.shp
  id: tid
  members: 6
  reach_m: reach
  households_per_member: 35.5
acoustics:
  ambient_dba: 50
  required_snr_db: 12.5
  temperature_c: -5
  humidity_pct: 65
  pressure_kpa: 99.5
  ground_g: 0.25
  receiver_height_m: 1.2
  facade_loss_db: 3
  default_power_w: 25
  default_sensitivity_db: 105
  default_height_m: 10
  default_beamwidth_deg: 75
target:
  weights: {poor: 2, near_poor: 0.75, not_poor: 0.1}
  info_deprived_only: true
optimize:
  new_speakers: 12
  new_teams: 0
  candidates: {path: cand.gpkg, layer: c, id: cid, kind: loai, grid_m: 250, hamlet_centroids: true}
  speaker_template: {power_w: 60, sensitivity_db: 112, height_m: 12, range_m: 400}
  team_template: {members: 9}
  budget: 500000000
  costs: {speaker: 40000000, team: 25000000}
  coverage_target: 0.9
  min_group_coverage: {commune: 0.5, district: 0.25}
  solver: exact
  time_limit_s: 12.5
output:
  dir: ../results
  raster_cell_m: 25
  languages: [en]
  formats: [gpkg, html]
)";

}  // namespace infogap::test
