// Placement: candidate sites → sparse coverage matrix (target households not yet reached ×
// candidate columns per kind) → optimizer → proposed sites and coverage after.
//
// A new loudspeaker is a cluster of the speaker template (omnidirectional) placed at the site;
// it reaches an unreached household when the energy sum of the existing level and its own level
// passes the run's reach rule (pairs of new speakers that only together reach a household are
// not counted: the objective is a lower bound of the true gain). A new team reaches target
// households within the template reach and serves at most members × households_per_member, where
// reach and households per member are those the loader resolved (Teams::typical_*).
#include "placement/placement.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "infogap/error.hpp"
#include "infogap/optimize.hpp"
#include "infogap/parallel.hpp"
#include "placement/candidates.hpp"
#include "placement/coverage_matrix.hpp"

namespace infogap::detail {

PlacementResult run_placement(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                              const SpeakerField& field, const RunOptions& options) {
  const auto& op = sc.optimize;
  const auto& hc = cov.households;
  const int n_speakers = options.new_speakers.value_or(op.new_speakers);
  const int n_teams = options.new_teams.value_or(op.new_teams);
  const std::optional<double> budget = options.budget ? options.budget : op.budget_vnd;
  // The options under the names the user gave them (scenario keys, CLI options, Python keywords).
  auto bad = [](const std::string& what) { throw InvalidInput(ErrorCode::invalid_input, what); };
  if (n_speakers < 0) bad("new_speakers must be >= 0, got " + std::to_string(n_speakers));
  if (n_teams < 0) bad("new_teams must be >= 0, got " + std::to_string(n_teams));
  if (budget && !(std::isfinite(*budget) && *budget >= 0)) bad("budget must be >= 0 VND");
  // Progress of the stage: candidates, coverage matrix, solve, coverage after (usual shares).
  auto report = [&options](double f) {
    if (options.progress) options.progress("optimize", f);
  };
  report(0.0);
  // A kind whose count is 0 is left out in every mode: with a budget the counts stop being limits,
  // but `--new-teams 0` still means "no team" (the budget then buys loudspeakers only).
  const bool want_speakers = n_speakers > 0;
  const bool want_teams = n_teams > 0;
  const std::vector<CandidateSite> sites = build_candidates(sc, in, want_speakers, want_teams);
  report(0.1);
  const NewSiteTemplate site = new_site_template(sc, in, field);
  CoverageMatrix matrix = [&] {
    const ParallelProgress within([&report](double f) { report(0.1 + 0.3 * f); });
    return build_coverage_matrix(sc, in, cov, field, site, sites);
  }();
  report(0.4);
  const auto& rows = matrix.rows;
  const CoverageProblem& p = matrix.problem;

  OptimizeOptions o;
  o.max_speakers = n_speakers;
  o.max_teams = n_teams;
  o.budget = budget;
  o.coverage_target = op.coverage_target;
  o.time_limit_s = op.time_limit_s;
  o.progress = [&report](double f) { report(0.4 + 0.5 * f); };
  o.solver = options.exact                          ? OptimizeOptions::Solver::exact
             : op.solver == SolverChoice::exact     ? OptimizeOptions::Solver::exact
             : op.solver == SolverChoice::heuristic ? OptimizeOptions::Solver::heuristic
                                                    : OptimizeOptions::Solver::automatic;
  const OptimizeResult res = optimize_placement(p, o);
  report(0.9);

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
  out.mode = op.coverage_target ? "coverage_target" : budget ? "budget" : "counts";
  out.max_speakers = n_speakers;
  out.max_teams = n_teams;
  if (!op.coverage_target) out.budget_vnd = budget;
  out.coverage_target = op.coverage_target;
  out.target_reachable_share =
      cov.target_weight > 0 ? std::min(1.0, (cov.reached_weight + res.reachable_weight) / cov.target_weight) : 0.0;
  // Group units that fall short, named by their value in the group column.
  for (const auto& u : res.unmet_groups) {
    GroupShortfall f;
    f.group = u.group;
    const auto it = std::find(in.hamlets.group_names.begin(), in.hamlets.group_names.end(), u.group);
    const auto g = static_cast<std::size_t>(it - in.hamlets.group_names.begin());
    if (it != in.hamlets.group_names.end() && u.unit >= 0 && static_cast<std::size_t>(u.unit) < cov.groups[g].size())
      f.unit = cov.groups[g][static_cast<std::size_t>(u.unit)].id;
    else
      f.unit = std::to_string(u.unit);
    f.required = u.required;
    f.share_after = u.share;
    f.reachable = u.reachable;
    out.shortfalls.push_back(std::move(f));
    // The optimizer names units by index ("commune unit 17 needs …"): say their names instead.
    const std::string by_index = u.group + " unit " + std::to_string(u.unit) + " ";
    for (auto pos = out.message.find(by_index); pos != std::string::npos; pos = out.message.find(by_index, pos))
      out.message.replace(pos, by_index.size(), u.group + " " + out.shortfalls.back().unit + " ");
  }
  // Largest shortfall first (then by name), in every output.
  std::stable_sort(out.shortfalls.begin(), out.shortfalls.end(), [](const GroupShortfall& a, const GroupShortfall& b) {
    const double da = a.required - a.share_after, db = b.required - b.share_after;
    if (da != db) return da > db;
    return std::tie(a.group, a.unit) < std::tie(b.group, b.unit);
  });
  out.households_before = cov.reached_any;

  // Proposed sites in rank order.
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
    ps.reach_m = s.kind == SiteKind::speaker ? site.speaker_range_m : site.team_reach_m;
    ps.hamlet = site_hamlet[k];
    out.sites.push_back(ps);
  }
  // Coverage after placement, re-evaluated from the chosen columns (team capacity honoured). A
  // row stands for the households of one coverage pattern: a share s of it reached marks the first
  // round(s × households) of them (in household order) — shares are 0 or 1 unless a team's
  // capacity splits the row. Only the reached flags are new: the gaps are re-aggregated from the
  // run's household arrays, which are not copied.
  const PlacementCoverage after_eval = evaluate_placement(p, res.chosen);
  out.reached_after = hc.reached;
  std::vector<double> left(static_cast<std::size_t>(p.cover.rows()));
  for (Eigen::Index r = 0; r < p.cover.rows(); ++r)
    left[static_cast<std::size_t>(r)] =
        std::round(after_eval.row_share[r] * (p.households.size() != 0 ? p.households[r] : 1.0));
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::int32_t r = matrix.row_of[k];
    if (r < 0 || left[static_cast<std::size_t>(r)] < 1.0) continue;
    left[static_cast<std::size_t>(r)] -= 1.0;
    out.reached_after[static_cast<std::size_t>(rows[k])] = 1;
  }
  CoverageResult after;
  aggregate_gaps(in, hc, out.reached_after, after);
  out.hamlets_after = std::move(after.hamlets);
  out.weight_after = cov.reached_weight + after_eval.weight;
  out.households_after = after.reached_any;
  report(1.0);
  return out;
}

}  // namespace infogap::detail
