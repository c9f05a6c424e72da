// Fills the planner report's model from a run (coordinates to WGS 84 for the web map).
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <functional>
#include <nlohmann/json.hpp>

#include "adapters/geos/geojson.hpp"
#include "adapters/proj/transformer.hpp"
#include "infogap/report.hpp"
#include "infogap/version.hpp"
#include "output/products.hpp"
#include "report/format.hpp"

namespace infogap::detail {
namespace {

void flatten(const nlohmann::json& j, const std::string& prefix, std::map<std::string, std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      flatten(it.value(), prefix.empty() ? it.key() : prefix + "." + it.key(), out);
  } else if (j.is_string()) {
    out[prefix] = j.get<std::string>();
  } else {
    out[prefix] = j.dump();
  }
}

}  // namespace

ReportArea report_area(const AreaGap& a) {
  ReportArea r;
  r.id = a.id;
  r.name = a.name;
  r.groups = a.groups;
  r.households = static_cast<double>(a.households);
  r.target_households = static_cast<double>(a.target_households);
  r.target_weight = a.target_weight;
  r.reached_speaker = static_cast<double>(a.reached_speaker);
  r.reached_team = static_cast<double>(a.reached_team);
  r.reached_any = static_cast<double>(a.reached_any);
  r.gap_households = static_cast<double>(a.gap_households);
  r.gap_weight = a.gap_weight;
  r.gap_rate = a.target_weight > 0 ? a.gap_rate : std::nan("");  // NaN already; kept explicit
  r.rank = a.rank;
  return r;
}

std::map<std::string, std::string> report_parameters(const Scenario& sc) {
  std::map<std::string, std::string> out;
  flatten(nlohmann::json::parse(sc.to_json()), "", out);
  return out;
}

ReportModel build_report_model(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                               const PlacementResult* placement) {
  ReportModel m;
  m.scenario_name = sc.name;
  m.generated_at = generated_at_text();
  m.engine_version = INFOGAP_VERSION_STRING;
  m.synthetic_data = sc.synthetic;
  m.households_input = static_cast<double>(in.households_input);
  m.households_joined = static_cast<double>(cov.joined);
  m.households_outside = static_cast<double>(cov.outside);
  m.households_rejected = static_cast<double>(in.households_rejected);
  m.households_placed = static_cast<double>(in.households_placed);
  m.households_total = static_cast<double>(in.households.size());
  m.hamlets_derived = static_cast<double>(in.hamlets_derived);
  m.hamlets_total = static_cast<double>(in.hamlets.size());
  m.target_households = static_cast<double>(cov.target_households);
  m.target_weight = cov.target_weight;
  m.reached_speaker = static_cast<double>(cov.reached_speaker);
  m.reached_team = static_cast<double>(cov.reached_team);
  m.reached_any = static_cast<double>(cov.reached_any);
  m.gap_households = static_cast<double>(cov.target_households - cov.reached_any);
  m.gap_weight = cov.gap_weight;
  m.reached_beyond_validity = static_cast<double>(cov.paths_beyond_validity);
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    auto& s = m.by_status[to_string(in.households.status[i])];
    s[0] += 1;
    if (cov.households.reached[i])
      s[1] += 1;
    else
      s[2] += 1;
  }

  Transformer to_lonlat(in.working_crs, "EPSG:4326");
  auto lonlat = [&to_lonlat](double& x, double& y) {
    to_lonlat.transform(&x, &y, 1);
    return std::isfinite(x) && std::isfinite(y);
  };
  for (std::size_t k = 0; k < in.hamlets.size(); ++k) {
    ReportArea a = report_area(cov.hamlets[k]);
    a.geojson_geometry = to_geojson(transform_xy(simplify(in.hamlets.wkb[k], 5.0), lonlat), 5);
    m.hamlets.push_back(std::move(a));
  }
  m.group_names = in.hamlets.group_names;
  for (std::size_t g = 0; g < in.hamlets.group_names.size(); ++g) {
    auto& list = m.groups[in.hamlets.group_names[g]];
    for (const auto& u : cov.groups[g]) list.push_back(report_area(u));
  }
  // One map point per cluster (its first horn; clusters as the loader assigned them), with the
  // cluster's longest on-axis range.
  std::vector<std::size_t> cluster_point(in.speakers.clusters, static_cast<std::size_t>(-1));
  std::vector<int> horns_of(in.speakers.clusters, 0);
  for (std::size_t h = 0; h < in.speakers.size(); ++h) {
    const auto c = static_cast<std::size_t>(in.speakers.cluster_index[h]);
    const double range = cov.speaker_range_m.empty() ? 0.0 : cov.speaker_range_m[h];
    ++horns_of[c];
    if (cluster_point[c] == static_cast<std::size_t>(-1)) {
      ReportPoint p;
      p.id = in.speakers.cluster[h].empty() ? in.speakers.id[h] : in.speakers.cluster[h];
      p.kind = "speaker";
      double x = in.speakers.x_m[static_cast<Eigen::Index>(h)], y = in.speakers.y_m[static_cast<Eigen::Index>(h)];
      lonlat(x, y);
      p.lon = x;
      p.lat = y;
      p.reach_m = range;
      cluster_point[c] = m.speakers.size();
      m.speakers.push_back(p);
    } else {
      auto& p = m.speakers[cluster_point[c]];
      p.reach_m = std::max(p.reach_m, range);
    }
  }
  for (std::size_t c = 0; c < cluster_point.size(); ++c)
    if (cluster_point[c] != static_cast<std::size_t>(-1))
      m.speakers[cluster_point[c]].label = std::to_string(horns_of[c]);
  for (auto& p : m.speakers) p.label = p.label + " × " + "horn";
  for (std::size_t t = 0; t < in.teams.size(); ++t) {
    ReportPoint p;
    p.id = in.teams.id[t];
    p.kind = "team";
    double x = in.teams.x_m[static_cast<Eigen::Index>(t)], y = in.teams.y_m[static_cast<Eigen::Index>(t)];
    lonlat(x, y);
    p.lon = x;
    p.lat = y;
    p.reach_m = in.teams.reach_m[static_cast<Eigen::Index>(t)];
    p.label = std::to_string(static_cast<long>(in.teams.members[static_cast<Eigen::Index>(t)]));
    m.teams.push_back(p);
  }
  if (placement) {
    for (const auto& s : placement->sites) {
      ReportSite r;
      r.id = s.site_id;
      r.kind = s.kind;
      r.rank = s.rank;
      double x = s.x_m, y = s.y_m;
      lonlat(x, y);
      r.lon = x;
      r.lat = y;
      r.marginal_weight = s.marginal_weight;
      r.marginal_households = s.marginal_households;
      r.cumulative_weight = s.cumulative_weight;
      r.cost_vnd = s.cost_vnd;
      r.hamlet_id = s.hamlet >= 0 ? in.hamlets.id[static_cast<std::size_t>(s.hamlet)] : "";
      r.reach_m = s.reach_m;
      r.name = s.candidate_name;
      r.candidate_id = s.candidate_id;
      r.type = s.candidate_type;
      r.hamlet_name = s.hamlet_name;
      r.commune_name = s.commune_name;
      m.proposed.push_back(r);
    }
    m.optimizer_solver = placement->solver;
    m.optimizer_status = placement->status;
    m.optimizer_objective = placement->objective;
    m.optimizer_bound = placement->bound;
    m.optimizer_gap = placement->gap;
    m.optimizer_mode = placement->mode;
    m.optimizer_budget_vnd = placement->budget_vnd.value_or(0.0);
    m.optimizer_speakers = placement->max_speakers > 0;
    m.optimizer_teams = placement->max_teams > 0;
    m.optimizer_met = placement->met();
    m.optimizer_message = placement->message;
    m.coverage_target = placement->coverage_target.value_or(0.0);
    m.target_share_after = cov.target_weight > 0 ? placement->weight_after / cov.target_weight : 0.0;
    m.target_reachable_share = placement->target_reachable_share;
    m.gap_weight_closed = placement->weight_after - placement->weight_before;
    m.claimed_gap_weight_closed = placement->claimed_weight_after - placement->objective_weight_before;
    m.after_heard = placement->changes.heard.weight;
    m.after_new_teams = placement->changes.new_teams.weight;
    m.after_existing_teams = placement->changes.existing_teams.weight;
    m.after_lost_to_echo = placement->changes.lost_to_echo.weight;
    m.after_left_by_teams = placement->changes.left_by_teams.weight;
    for (const auto& f : placement->shortfalls)
      m.shortfalls.push_back({f.group, f.unit, f.required, f.share_after, f.reachable});
  }
  for (std::size_t k = 0; k < cov.households.condition_name.size(); ++k)
    m.conditions.push_back({cov.households.condition_name[k], cov.households.condition_share[k],
                            cov.gap_households_in[k], cov.gap_weight_in[k]});
  m.expected_gap_weight = cov.expected_gap_weight;
  m.parameters = report_parameters(sc);
  for (const auto& [name, info] : in.layers)
    m.sources.emplace_back(name, info.path + " (sha256 " + info.sha256.substr(0, 12) + "…, " +
                                     std::to_string(info.features) + " features)");
  m.speaker_model = sc.speakers && sc.speakers->model == SpeakerModel::radius ? "radius" : "iso9613";
  m.ambient_dba = sc.acoustics.ambient_dba;
  m.required_snr_db = sc.acoustics.required_snr_db;
  m.facade_loss_db = sc.acoustics.facade_loss_db;
  return m;
}

}  // namespace infogap::detail
