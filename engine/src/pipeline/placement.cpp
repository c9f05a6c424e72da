// Placement glue: candidate sites → sparse coverage matrix (target households not yet reached ×
// candidate columns per kind) → optimizer → proposed sites and coverage after.
//
// A new loudspeaker is a cluster of the speaker template (omnidirectional) placed at the site;
// it reaches an unreached household when the energy sum of the existing level and its own level
// clears ambient + required SNR (pairs of new speakers that only together reach a household are
// not counted: the objective is a lower bound of the true gain). A new team reaches target
// households within the template reach and serves at most members × households_per_member, where
// reach and households per member are the scenario's numbers or, when the scenario names columns,
// the median of the existing teams.
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <vector>

#include "adapters/geos/geometry_ops.hpp"
#include "coverage/speaker_field.hpp"
#include "infogap/acoustics.hpp"
#include "infogap/error.hpp"
#include "infogap/optimize.hpp"
#include "infogap/parallel.hpp"
#include "pipeline/outputs.hpp"
#include "pipeline/stages.hpp"
#include "spatial/point_grid.hpp"

namespace infogap::detail {
namespace {

constexpr double k_default_team_reach_m = 2000.0;         // DESIGN defaults of teams.reach_m
constexpr double k_default_households_per_member = 40.0;  // and teams.households_per_member

/// The value a new team takes: the scenario's number when it gives one, else the median of the
/// existing teams' (finite, positive) values of the column, else the default.
double typical_team_value(const Eigen::VectorXd& per_team, std::optional<double> scenario_number, double fallback) {
  if (scenario_number) return *scenario_number;
  std::vector<double> v;
  for (Eigen::Index i = 0; i < per_team.size(); ++i)
    if (std::isfinite(per_team[i]) && per_team[i] > 0) v.push_back(per_team[i]);
  if (v.empty()) return fallback;
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 == 1 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

struct CandidateSite {
  std::string id;
  SiteKind kind;
  double x, y;
};

std::vector<CandidateSite> build_candidates(const Scenario& sc, const Inputs& in, bool want_speakers, bool want_teams) {
  std::vector<CandidateSite> out;
  auto add = [&](const std::string& id, const std::string& kind, double x, double y) {
    if ((kind == "speaker" || kind == "any" || kind.empty()) && want_speakers)
      out.push_back({id, SiteKind::speaker, x, y});
    if ((kind == "team" || kind == "any" || kind.empty()) && want_teams) out.push_back({id, SiteKind::team, x, y});
  };
  const auto& c = sc.optimize.candidates;
  if (!c.path.empty()) {
    for (std::size_t i = 0; i < in.candidates.size(); ++i)
      add(in.candidates.id[i], in.candidates.kind[i], in.candidates.x_m[static_cast<Eigen::Index>(i)],
          in.candidates.y_m[static_cast<Eigen::Index>(i)]);
  } else if (c.grid_m) {
    const double g = *c.grid_m;
    double minx, miny, maxx, maxy;
    hamlets_extent(in.hamlets, minx, miny, maxx, maxy);
    Households grid;
    const auto nx = static_cast<std::int64_t>(std::floor((maxx - minx) / g)) + 1;
    const auto ny = static_cast<std::int64_t>(std::floor((maxy - miny) / g)) + 1;
    grid.x_m.resize(nx * ny);
    grid.y_m.resize(nx * ny);
    for (std::int64_t r = 0; r < ny; ++r)
      for (std::int64_t k = 0; k < nx; ++k) {
        grid.x_m[r * nx + k] = minx + (static_cast<double>(k) + 0.5) * g;
        grid.y_m[r * nx + k] = miny + (static_cast<double>(r) + 0.5) * g;
      }
    grid.id.resize(static_cast<std::size_t>(nx * ny));
    const auto hamlet = join_households(grid, in.hamlets, nullptr);
    for (std::size_t i = 0; i < hamlet.size(); ++i) {
      if (hamlet[i] < 0) continue;
      add("grid_" + std::to_string(i), "any", grid.x_m[static_cast<Eigen::Index>(i)],
          grid.y_m[static_cast<Eigen::Index>(i)]);
    }
  } else {
    for (std::size_t h = 0; h < in.hamlets.size(); ++h) {
      double x, y;
      point_on_surface(in.hamlets.wkb[h], x, y);
      add("centre_" + in.hamlets.id[h], "any", x, y);
    }
  }
  return out;
}

}  // namespace

PlacementResult run_placement(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                              const RunOptions& options) {
  const auto& op = sc.optimize;
  const auto& hc = cov.households;
  const int n_speakers = options.new_speakers.value_or(op.new_speakers);
  const int n_teams = options.new_teams.value_or(op.new_teams);
  const std::optional<double> budget = options.budget ? options.budget : op.budget_vnd;
  const bool want_speakers = budget || n_speakers > 0;
  const bool want_teams = budget || n_teams > 0;
  std::vector<CandidateSite> sites = build_candidates(sc, in, want_speakers, want_teams);

  // Rows: target households not reached by any existing channel.
  std::vector<std::int32_t> rows;
  for (std::size_t i = 0; i < in.households.size(); ++i)
    if (hc.weight[static_cast<Eigen::Index>(i)] > 0 && !hc.reached[i]) rows.push_back(static_cast<std::int32_t>(i));
  Eigen::VectorXd rx(static_cast<Eigen::Index>(rows.size())), ry(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rx[static_cast<Eigen::Index>(r)] = in.households.x_m[rows[r]];
    ry[static_cast<Eigen::Index>(r)] = in.households.y_m[rows[r]];
  }

  // Reach of the templates.
  const auto& ac = sc.acoustics;
  const bool radius = sc.speakers && sc.speakers->model == SpeakerModel::radius;
  Horn horn;
  horn.power_w = op.template_power_w;
  horn.sensitivity_db = op.template_sensitivity_db;
  horn.height_m = op.template_height_m;
  const Listening listening = listening_of(ac);
  const Air air = air_of(ac);
  const double threshold = ac.ambient_dba + ac.required_snr_db;
  std::optional<LevelTable> table;
  double speaker_reach = op.template_range_m;
  if (!radius) {
    table.emplace(horn, listening, air, 5000.0, 1.0);
    // A household with existing energy needs less: search to where the template alone is 20 dB short.
    speaker_reach = table->reach_m(threshold - 20.0);
  }
  // A new team is like the existing ones: the scenario's number, or the median of its column.
  const double team_reach =
      typical_team_value(in.teams.reach_m, sc.teams ? sc.teams->reach_m.value : std::nullopt, k_default_team_reach_m);
  const double per_member = typical_team_value(in.teams.households_per_member,
                                               sc.teams ? sc.teams->households_per_member.value : std::nullopt,
                                               k_default_households_per_member);
  const double team_capacity = std::floor(op.template_team_members * per_member);
  const double threshold_energy = std::pow(10.0, threshold / 10.0);

  const PointGrid grid(rx, ry, std::max(100.0, std::max(speaker_reach, team_reach) / 2.0));
  std::vector<std::vector<std::int32_t>> col_rows(sites.size());
  parallel_for(
      sites.size(),
      [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t c = b; c < e; ++c) {
          const auto& s = sites[c];
          auto& list = col_rows[c];
          if (s.kind == SiteKind::team) {
            grid.for_each_within(s.x, s.y, team_reach,
                                 [&](std::uint32_t r, double) { list.push_back(static_cast<std::int32_t>(r)); });
          } else if (radius) {
            grid.for_each_within(s.x, s.y, speaker_reach,
                                 [&](std::uint32_t r, double) { list.push_back(static_cast<std::int32_t>(r)); });
          } else {
            grid.for_each_within(s.x, s.y, speaker_reach, [&](std::uint32_t r, double d2) {
              const double existing = hc.speech_dba[rows[r]];
              const double e_old = std::isfinite(existing) ? std::pow(10.0, existing / 10.0) : 0.0;
              const double e_new = std::pow(10.0, table->level_dba(std::sqrt(d2)) / 10.0);
              if (e_old + e_new >= threshold_energy) list.push_back(static_cast<std::int32_t>(r));
            });
          }
          std::sort(list.begin(), list.end());
        }
      },
      16);

  CoverageProblem p;
  const auto n_rows = static_cast<Eigen::Index>(rows.size());
  p.weight.resize(n_rows);
  p.households = Eigen::VectorXd::Ones(n_rows);
  for (Eigen::Index r = 0; r < n_rows; ++r) p.weight[r] = hc.weight[rows[static_cast<std::size_t>(r)]];
  std::vector<Eigen::Triplet<double, std::int32_t>> trip;
  for (std::size_t c = 0; c < sites.size(); ++c)
    for (auto r : col_rows[c]) trip.emplace_back(r, static_cast<std::int32_t>(c), 1.0);
  p.cover.resize(n_rows, static_cast<Eigen::Index>(sites.size()));
  p.cover.setFromTriplets(trip.begin(), trip.end());
  for (const auto& s : sites) {
    p.kind.push_back(s.kind);
    p.cost.push_back(s.kind == SiteKind::speaker ? op.cost_speaker_vnd : op.cost_team_vnd);
    p.capacity.push_back(s.kind == SiteKind::team ? team_capacity : std::numeric_limits<double>::infinity());
  }
  // Per-group minimum coverage: one constraint per configured group column.
  p.base_weight = cov.reached_weight;
  p.total_weight = cov.target_weight;
  for (const auto& [group, share] : op.min_group_coverage) {
    if (share <= 0) continue;
    const auto it = std::find(in.hamlets.group_names.begin(), in.hamlets.group_names.end(), group);
    if (it == in.hamlets.group_names.end())
      throw InvalidInput(ErrorCode::invalid_scenario,
                         "optimize.min_group_coverage names '" + group + "', which is not a hamlets.group_by column");
    const auto g = static_cast<std::size_t>(it - in.hamlets.group_names.begin());
    GroupConstraint gc;
    gc.name = group;
    gc.min_share = share;
    std::map<std::string, std::int32_t> unit_index;
    for (const auto& u : cov.groups[g]) unit_index.emplace(u.id, static_cast<std::int32_t>(unit_index.size()));
    gc.base_weight = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(unit_index.size()));
    gc.total_weight = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(unit_index.size()));
    for (const auto& u : cov.groups[g]) {
      gc.base_weight[unit_index[u.id]] = u.reached_weight;
      gc.total_weight[unit_index[u.id]] = u.target_weight;
    }
    gc.unit.assign(rows.size(), -1);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const std::int32_t h = hc.hamlet[static_cast<std::size_t>(rows[r])];
      if (h >= 0) gc.unit[r] = unit_index[in.hamlets.groups[g][static_cast<std::size_t>(h)]];
    }
    p.groups.push_back(std::move(gc));
  }
  OptimizeOptions o;
  o.max_speakers = n_speakers;
  o.max_teams = n_teams;
  o.budget = budget;
  o.coverage_target = op.coverage_target;
  o.time_limit_s = op.time_limit_s;
  o.solver = options.exact                          ? OptimizeOptions::Solver::exact
             : op.solver == SolverChoice::exact     ? OptimizeOptions::Solver::exact
             : op.solver == SolverChoice::heuristic ? OptimizeOptions::Solver::heuristic
                                                    : OptimizeOptions::Solver::automatic;
  const OptimizeResult res = optimize_placement(p, o);

  PlacementResult out;
  out.objective = res.objective;
  out.bound = res.bound;
  out.gap = res.gap;
  out.solver = res.solver;
  out.status = res.status;
  out.seconds = res.seconds;
  out.candidates = static_cast<std::int64_t>(sites.size());
  out.rows = static_cast<std::int64_t>(rows.size());
  out.merged_rows = res.merged_rows;
  out.reached_weight = res.reached_weight;
  out.message = res.message;
  out.weight_before = cov.reached_weight;
  out.households_before = cov.reached_any;

  // Proposed sites in rank order; coverage after, recomputed from the chosen columns.
  Households site_points;
  site_points.x_m.resize(static_cast<Eigen::Index>(res.chosen.size()));
  site_points.y_m.resize(static_cast<Eigen::Index>(res.chosen.size()));
  site_points.id.resize(res.chosen.size());
  for (std::size_t k = 0; k < res.chosen.size(); ++k) {
    site_points.x_m[static_cast<Eigen::Index>(k)] = sites[static_cast<std::size_t>(res.chosen[k])].x;
    site_points.y_m[static_cast<Eigen::Index>(k)] = sites[static_cast<std::size_t>(res.chosen[k])].y;
  }
  const auto site_hamlet = join_households(site_points, in.hamlets, nullptr);
  for (std::size_t k = 0; k < res.chosen.size(); ++k) {
    const auto c = static_cast<std::size_t>(res.chosen[k]);
    const auto& s = sites[c];
    ProposedSite ps;
    ps.kind = s.kind == SiteKind::speaker ? "speaker" : "team";
    ps.site_id = "new_" + ps.kind + "_" + std::to_string(k + 1);
    ps.rank = static_cast<std::int32_t>(k + 1);
    ps.x_m = s.x;
    ps.y_m = s.y;
    ps.marginal_weight = k < res.marginal_weight.size() ? res.marginal_weight[k] : 0.0;
    ps.marginal_households = k < res.marginal_households.size() ? res.marginal_households[k] : 0.0;
    ps.cumulative_weight = k < res.cumulative_weight.size() ? res.cumulative_weight[k] : 0.0;
    ps.cost_vnd = p.cost[c];
    ps.reach_m = s.kind == SiteKind::speaker ? (table ? table->reach_m(threshold) : speaker_reach) : team_reach;
    ps.hamlet = site_hamlet[k];
    out.sites.push_back(ps);
  }
  // Coverage after placement, re-evaluated from the chosen columns (team capacity honoured; a
  // household counts as reached when at least half of it is served — shares are 0 or 1 unless a
  // team's capacity splits a merged row).
  const PlacementCoverage after_eval = evaluate_placement(p, res.chosen);
  std::vector<std::uint8_t> newly(rows.size(), 0);
  for (std::size_t r = 0; r < rows.size(); ++r)
    newly[r] = after_eval.row_share[static_cast<Eigen::Index>(r)] >= 0.5 ? 1 : 0;
  out.reached_after = hc.reached;
  for (std::size_t r = 0; r < rows.size(); ++r)
    if (newly[r]) out.reached_after[static_cast<std::size_t>(rows[r])] = 1;
  CoverageResult after = cov;
  after.households.reached = out.reached_after;
  aggregate_gaps(in, after);
  out.hamlets_after = after.hamlets;
  out.weight_after = cov.reached_weight + after_eval.weight;
  out.households_after = after.reached_any;
  return out;
}

}  // namespace infogap::detail
