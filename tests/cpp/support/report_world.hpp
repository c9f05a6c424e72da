#pragma once
// A small synthetic ReportModel for the report tests and the infogap_report_sample helper:
// a grid of square hamlets (0.01° ≈ 1.1 km) near 105.7 E, 9.3 N (Bạc Liêu), two communes (left and
// right half of the grid), one district, loudspeakers, teams and proposed sites with costs.
// Figures are consistent: reached_any ≤ target, gap = target − reached_any, gap_rate = gap_weight / target_weight,
// headline = sum over hamlets (+ households outside), input = joined + outside + rejected.

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "infogap/report.hpp"

namespace infogap::test {

inline constexpr double k_report_lon0 = 105.70;  // degrees
inline constexpr double k_report_lat0 = 9.30;    // degrees
inline constexpr double k_report_cell_deg = 0.01;

/// GeoJSON polygon text of the lon/lat rectangle [lon0, lon1] × [lat0, lat1].
inline std::string report_rectangle(double lon0, double lat0, double lon1, double lat1) {
  char buffer[400];
  std::snprintf(
      buffer, sizeof buffer,
      "{\"type\":\"Polygon\",\"coordinates\":[[[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f],[%.6f,%.6f]]]}", lon0,
      lat0, lon1, lat0, lon1, lat1, lon0, lat1, lon0, lat0);
  return buffer;
}

/// A model with columns × rows hamlets. Hamlet (c, r) has id "H<r><c>" (two digits each) and name
/// "Ấp <n>" (left half, commune "Vĩnh Trạch") or "Khóm <n>" (right half, commune "Phường 1").
/// The last hamlet has no target households (gap_rate NaN).
inline ReportModel make_report_model(int columns = 4, int rows = 3) {
  ReportModel m;
  m.scenario_name = "Bạc Liêu — synthetic test";
  m.generated_at = "2025-05-01 10:00 +07:00";
  m.engine_version = "0.1.0-test";
  m.synthetic_data = true;
  m.languages = {Language::vi, Language::en};
  m.group_names = {"commune", "district"};
  m.speaker_model = "iso9613";
  m.ambient_dba = 45;
  m.required_snr_db = 10;
  m.facade_loss_db = 0;

  const int n = columns * rows;
  ReportArea commune_left;
  commune_left.id = commune_left.name = "Vĩnh Trạch";
  ReportArea commune_right;
  commune_right.id = commune_right.name = "Phường 1";
  ReportArea district;
  district.id = district.name = "TP Bạc Liêu";
  const int half = (columns + 1) / 2;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < columns; ++c) {
      const int k = r * columns + c;
      const bool left = c < half;
      ReportArea a;
      a.id = std::string("H") + (r < 10 ? "0" : "") + std::to_string(r) + (c < 10 ? "0" : "") + std::to_string(c);
      a.name = (left ? "Ấp " : "Khóm ") + std::to_string(k + 1);
      a.groups = {left ? commune_left.id : commune_right.id, district.id};
      a.households = 300.0 + 37.0 * k;
      const double poor = (k == n - 1) ? 0.0 : 10.0 + (k * 7) % 23;
      const double near_poor = (k == n - 1) ? 0.0 : 8.0 + (k * 5) % 17;
      a.target_households = poor + near_poor;
      a.target_weight = poor * 1.0 + near_poor * 0.5;
      // reached: a share that varies across hamlets (some almost none, some nearly all)
      const double share = (k % 5) / 4.0 * 0.9;
      const double reached_poor = std::floor(poor * share);
      const double reached_near = std::floor(near_poor * share);
      a.reached_any = reached_poor + reached_near;
      a.reached_speaker = std::floor(a.reached_any * 0.7);
      a.reached_team = a.reached_any - std::floor(a.reached_any * 0.2);
      a.gap_households = a.target_households - a.reached_any;
      a.gap_weight = (poor - reached_poor) * 1.0 + (near_poor - reached_near) * 0.5;
      a.gap_rate = a.target_weight > 0 ? a.gap_weight / a.target_weight : std::numeric_limits<double>::quiet_NaN();
      const double lon0 = k_report_lon0 + c * k_report_cell_deg;
      const double lat0 = k_report_lat0 + r * k_report_cell_deg;
      a.geojson_geometry = report_rectangle(lon0, lat0, lon0 + k_report_cell_deg, lat0 + k_report_cell_deg);
      m.hamlets.push_back(a);
      for (ReportArea* g : {left ? &commune_left : &commune_right, &district}) {
        g->households += a.households;
        g->target_households += a.target_households;
        g->target_weight += a.target_weight;
        g->reached_speaker += a.reached_speaker;
        g->reached_team += a.reached_team;
        g->reached_any += a.reached_any;
        g->gap_households += a.gap_households;
        g->gap_weight += a.gap_weight;
      }
      m.households_joined += a.households;
      m.target_households += a.target_households;
      m.target_weight += a.target_weight;
      m.reached_speaker += a.reached_speaker;
      m.reached_team += a.reached_team;
      m.reached_any += a.reached_any;
      m.gap_households += a.gap_households;
      m.gap_weight += a.gap_weight;
      m.by_status["poor"][0] += poor;
      m.by_status["poor"][1] += reached_poor;
      m.by_status["poor"][2] += poor - reached_poor;
      m.by_status["near_poor"][0] += near_poor;
      m.by_status["near_poor"][1] += reached_near;
      m.by_status["near_poor"][2] += near_poor - reached_near;
      m.by_status["not_poor"][0] += a.households - poor - near_poor;
    }
  }
  // rank: 1 = largest gap weight (ties by id), as the pipeline does
  std::vector<ReportArea*> order;
  for (auto& a : m.hamlets) order.push_back(&a);
  std::stable_sort(order.begin(), order.end(), [](const ReportArea* a, const ReportArea* b) {
    return a->gap_weight != b->gap_weight ? a->gap_weight > b->gap_weight : a->id < b->id;
  });
  for (std::size_t i = 0; i < order.size(); ++i) order[i]->rank = static_cast<int>(i + 1);

  for (ReportArea* g : {&commune_left, &commune_right, &district}) {
    g->gap_rate = g->target_weight > 0 ? g->gap_weight / g->target_weight : std::numeric_limits<double>::quiet_NaN();
  }
  const double lon_mid = k_report_lon0 + half * k_report_cell_deg;
  const double lon_end = k_report_lon0 + columns * k_report_cell_deg;
  const double lat_end = k_report_lat0 + rows * k_report_cell_deg;
  commune_left.geojson_geometry = report_rectangle(k_report_lon0, k_report_lat0, lon_mid, lat_end);
  commune_right.geojson_geometry = report_rectangle(lon_mid, k_report_lat0, lon_end, lat_end);
  commune_left.rank = commune_left.gap_weight >= commune_right.gap_weight ? 1 : 2;
  commune_right.rank = 3 - commune_left.rank;
  district.rank = 1;
  m.groups["commune"] = {commune_left, commune_right};
  m.groups["district"] = {district};

  m.households_outside = 17;
  m.households_rejected = 3;
  m.households_input = m.households_joined + m.households_outside + m.households_rejected;

  for (int i = 0; i < 4; ++i) {
    m.speakers.push_back(ReportPoint{.id = "S" + std::to_string(i + 1),
                                     .kind = "speaker",
                                     .lon = k_report_lon0 + (0.5 + 1.1 * i) * k_report_cell_deg,
                                     .lat = k_report_lat0 + (0.5 + (i % 2)) * k_report_cell_deg,
                                     .reach_m = 350.0 + 60.0 * i,
                                     .label = "2 × 30 W"});
  }
  for (int i = 0; i < 2; ++i) {
    m.teams.push_back(ReportPoint{.id = "T" + std::to_string(i + 1),
                                  .kind = "team",
                                  .lon = k_report_lon0 + (1.0 + 2.0 * i) * k_report_cell_deg,
                                  .lat = k_report_lat0 + 1.5 * k_report_cell_deg,
                                  .reach_m = 800,
                                  .label = "7"});
  }
  const double marginal[] = {14.5, 9.0, 6.5, 3.0, 1.5};
  double cumulative = 0;
  for (int i = 0; i < 5; ++i) {
    cumulative += marginal[i];
    m.proposed.push_back(ReportSite{.id = "C" + std::to_string(i + 1),
                                    .kind = i == 2 ? "team" : "speaker",
                                    .rank = i + 1,
                                    .lon = k_report_lon0 + (0.3 + 0.7 * i) * k_report_cell_deg,
                                    .lat = k_report_lat0 + (2.5 - 0.4 * i) * k_report_cell_deg,
                                    .marginal_weight = marginal[i],
                                    .marginal_households = std::round(marginal[i] * 1.4),
                                    .cumulative_weight = cumulative,
                                    .cost_vnd = i == 2 ? 20'000'000.0 : 36'000'000.0,
                                    .reach_m = i == 2 ? 800.0 : 420.0,
                                    .hamlet_id = m.hamlets[static_cast<std::size_t>(i) % m.hamlets.size()].id,
                                    .name = "Nhà văn hóa " + std::to_string(i + 1),
                                    .candidate_id = "D-" + std::to_string(i + 1),
                                    .type = i == 2 ? "school" : "cultural_house",
                                    .hamlet_name = m.hamlets[static_cast<std::size_t>(i) % m.hamlets.size()].name,
                                    .commune_name = "Xã Mẫu"});
  }
  m.optimizer_solver = "cbc";
  m.optimizer_status = "optimal";
  m.optimizer_objective = cumulative;
  m.optimizer_bound = cumulative;
  m.optimizer_gap = 0;

  m.parameters = {{"acoustics.ambient_dba", "45"}, {"acoustics.required_snr_db", "10"},
                  {"target.weights.poor", "1"},    {"target.weights.near_poor", "0.5"},
                  {"optimize.new_speakers", "4"},  {"optimize.new_teams", "1"}};
  m.sources = {{"hamlets", "hamlets.gpkg (sha256 0123abcd…, 12 features)"},
               {"households", "households.gpkg (sha256 4567ef01…, 5000 features)"}};
  return m;
}

}  // namespace infogap::test
