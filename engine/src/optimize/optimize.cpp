// optimize_placement: heuristic, bounds, CBC, rank order.

#include "infogap/optimize.hpp"

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "infogap/error.hpp"
#include "optimize/bound.hpp"
#include "optimize/coin.hpp"
#include "optimize/heuristic.hpp"
#include "optimize/instance.hpp"

namespace infogap {
namespace {

using detail::Deadline;
using detail::Instance;
using detail::Mode;

std::size_t idx(std::int32_t i) {
  return static_cast<std::size_t>(i);
}

/// Automatic mode runs CBC when the model has at most this many non-zeros per second of time
/// left. Measured: CBC 2.10.8 proves a 50k-row × 5k-site MCLP (1.5M non-zeros, p = 50) optimal in
/// about 13 s, i.e. > 100k non-zeros/s; half of that leaves room for harder instances (CBC stops at
/// the time limit anyway and the heuristic answer is kept).
constexpr double k_auto_exact_nnz_per_s = 50000.0;
/// Exact mode still runs the heuristic alone when the model exceeds this multiple of the
/// automatic threshold: CBC's first LP solve does not stop at the time limit (measured: a
/// capacitated 20k-row model spent 31 s there, with 60 s given to the whole call).
constexpr double k_exact_max_factor = 4.0;
/// Relative gap below which the bound is taken to prove optimality.
constexpr double k_gap_tol = 1e-7;
/// The heuristic path adds an LP (Clp) bound when the model is at most this big.
constexpr std::int64_t k_lp_bound_max_nnz = 100000;

[[noreturn]] void bad_option(const std::string& what) {
  throw InvalidInput(ErrorCode::invalid_input, "optimize options: " + what);
}

void validate_options(const CoverageProblem& p, const OptimizeOptions& o) {
  if (!(std::isfinite(o.time_limit_s) && o.time_limit_s > 0)) bad_option("time_limit_s must be > 0");
  if (o.max_speakers < 0 || o.max_teams < 0) bad_option("max_speakers and max_teams must be ≥ 0");
  if (o.budget && o.coverage_target) bad_option("budget and coverage_target cannot be combined");
  if (o.budget) {
    if (!(std::isfinite(*o.budget) && *o.budget >= 0)) bad_option("budget must be ≥ 0");
    if (p.cost.empty() && p.cover.cols() > 0) bad_option("a budget needs the cost of every candidate");
  }
  if (o.coverage_target) {
    if (!(*o.coverage_target > 0 && *o.coverage_target <= 1)) bad_option("coverage_target must be in (0, 1]");
    if (o.cover_objective == OptimizeOptions::CoverObjective::cost && p.cost.empty() && p.cover.cols() > 0) {
      bad_option("the cost objective needs the cost of every candidate");
    }
  }
}

struct Eval {
  std::vector<std::int32_t> chosen;
  std::vector<double> share;
  double value = 0, households = 0, cost = 0;
  double deficit = 0;  // Σ_g max(0, req_g − reached_g)
};

Eval evaluate(const Instance& in, std::vector<std::int32_t> chosen) {
  Eval e;
  e.chosen = std::move(chosen);
  e.share = detail::row_shares(in, e.chosen);
  e.value = detail::weight_of(in, e.share) - in.fixed_weight;  // newly reached
  for (std::size_t r = 0; r < e.share.size(); ++r) e.households += in.h[r] * e.share[r];
  e.households -= in.fixed_households;
  for (const auto c : e.chosen) e.cost += in.cost[idx(c)];
  std::vector<double> reached(in.group_req.size(), 0.0);
  const auto levels = idx(in.n_levels);
  for (std::size_t r = 0; r < e.share.size(); ++r) {
    for (std::size_t l = 0; l < levels; ++l) {
      const auto g = in.row_group[r * levels + l];
      if (g >= 0) reached[idx(g)] += in.w[r] * e.share[r];
    }
  }
  for (std::size_t g = 0; g < reached.size(); ++g) {
    const double d = in.group_req[g] - reached[g];
    if (d > 1e-9 * std::max(1.0, in.group_total[g])) e.deficit += d;
  }
  return e;
}

double objective_of(const Mode& mode, const Eval& e) {
  if (mode.type != Mode::Type::cover) return e.value;
  return mode.cover_cost ? e.cost : static_cast<double>(e.chosen.size());
}

std::string fmt(double v) {
  std::ostringstream s;
  s.precision(6);
  s << v;
  return s.str();
}

}  // namespace

double relative_gap(double bound, double objective) {
  const double denom = std::max({std::abs(bound), std::abs(objective), 1e-12});
  const double gap = std::abs(bound - objective) / denom;
  return gap <= k_gap_tol ? 0.0 : gap;
}

OptimizeResult optimize_placement(const CoverageProblem& p, const OptimizeOptions& o) {
  validate_options(p, o);
  detail::validate_problem(p);
  const Deadline deadline(o.time_limit_s);
  OptimizeResult res;
  res.rows = p.cover.rows();
  // Progress after each step (the share of the call it usually ends at); never backwards.
  double reported = 0.0;
  auto step = [&o, &reported](double f) {
    if (o.progress && f > reported) o.progress(reported = f);
  };
  const CoverageProblem merged = merge_identical_rows(p);
  const Instance in = detail::make_instance(merged);
  res.merged_rows = in.n_rows;
  step(0.05);

  Mode mode;
  if (o.coverage_target) {
    mode.type = Mode::Type::cover;
    mode.demand = *o.coverage_target * in.total_weight - in.base_weight;
    mode.cover_cost = o.cover_objective == OptimizeOptions::CoverObjective::cost;
  } else if (o.budget) {
    mode.type = Mode::Type::budget;
    mode.budget = *o.budget;
  } else {
    mode.type = Mode::Type::counts;
    mode.max_kind = {o.max_speakers, o.max_teams};
  }
  const bool maximise = mode.type != Mode::Type::cover;
  const double wtol = 1e-9 * std::max(1.0, in.total_weight);
  const auto eligible = detail::eligible_columns(in, mode);

  // Group units that all eligible candidates together cannot lift to their minimum (capacity and
  // limits ignored): proven infeasible before any search.
  std::vector<std::string> impossible;
  // Weight each group unit, and the whole problem, would gain with every eligible candidate built
  // (limits, budget and capacities ignored): a ceiling no placement exceeds.
  std::vector<double> reach(in.group_req.size(), 0.0);
  {
    std::vector<char> reachable(idx(in.n_rows), 0);
    for (std::size_t c = 0; c < eligible.size(); ++c) {
      if (eligible[c] == 0 && in.fixed[c] == 0) continue;
      for (auto k = in.col_ptr[c]; k < in.col_ptr[c + 1]; ++k)
        reachable[idx(in.col_rows[static_cast<std::size_t>(k)])] = 1;
    }
    const auto levels = idx(in.n_levels);
    for (std::size_t r = 0; r < reachable.size(); ++r) {
      if (reachable[r] == 0 && (!in.any_held || in.held[r] == 0)) continue;  // (a held row: unharmed at best)
      res.reachable_weight += in.w[r];
      for (std::size_t l = 0; l < levels; ++l) {
        const auto g = in.row_group[r * levels + l];
        if (g >= 0) reach[idx(g)] += in.w[r];
      }
    }
    res.reachable_weight -= in.fixed_weight;  // what the existing columns reach is not new
    for (std::size_t g = 0; g < reach.size(); ++g) {
      if (in.group_share[g] > 0 && in.group_req[g] > reach[g] + 1e-9 * std::max(1.0, in.group_total[g])) {
        impossible.push_back(in.level_name[idx(in.group_level[g])] + " unit " + std::to_string(in.group_unit[g]) +
                             " needs " + fmt(in.group_req[g]) + " more weight, candidates reach " + fmt(reach[g]));
      }
    }
  }

  Eval best;
  std::string solver = "none";
  std::string status;
  std::string message;
  double bound = 0;
  bool proven_infeasible = !impossible.empty();
  if (proven_infeasible) {
    message = "min group coverage cannot be met: " + impossible.front();
    if (impossible.size() > 1) message += " (and " + std::to_string(impossible.size() - 1) + " more units)";
  }

  if (mode.type == Mode::Type::cover && mode.demand <= wtol && !in.groups_active) {
    best = evaluate(in, {});
    status = "optimal";
  } else {
    // 1. heuristic (fast): the incumbent, and the MIP start for CBC
    const bool may_exact = o.solver != OptimizeOptions::Solver::heuristic && !proven_infeasible;
    const Deadline heur_deadline(o.time_limit_s * (may_exact ? 0.3 : 0.7));
    const auto h = detail::run_heuristic(in, mode, heur_deadline);
    step(0.3);
    best = evaluate(in, h.chosen);
    solver = mode.type == Mode::Type::cover ? "greedy" : "greedy+swap";
    bool heur_feasible = best.deficit <= wtol && (mode.type != Mode::Type::cover || best.value >= mode.demand - wtol);

    // cover target beyond reach of all candidates together
    if (mode.type == Mode::Type::cover && best.value < mode.demand - wtol) {
      std::vector<std::int32_t> all;
      for (std::size_t c = 0; c < eligible.size(); ++c) {
        if (eligible[c] != 0) all.push_back(static_cast<std::int32_t>(c));
      }
      const Eval every = evaluate(in, all);
      // (with harm, building every candidate is not the most: the ceiling without capacities then)
      const double most = in.any_held ? res.reachable_weight : every.value;
      if (most < mode.demand - wtol) {
        proven_infeasible = true;
        message = "coverage target needs " + fmt(mode.demand) + " more weight, all " + std::to_string(all.size()) +
                  " candidates together reach " + fmt(most);
      }
    }

    // 2. bound (ignores the group minimums: a relaxation)
    const std::int64_t size = detail::model_size(in);
    const double scale = detail::cost_scale(in, eligible);
    bool exact = o.solver == OptimizeOptions::Solver::exact ||
                 (o.solver == OptimizeOptions::Solver::automatic &&
                  static_cast<double>(size) <= k_auto_exact_nnz_per_s * deadline.remaining());
    if (proven_infeasible) exact = false;
    if (exact && static_cast<double>(size) > k_exact_max_factor * k_auto_exact_nnz_per_s * deadline.remaining()) {
      // CBC's root LP alone would overrun the time limit (and it does not stop inside it)
      exact = false;
      message = "model too large for CBC within time_limit_s (size estimate " + std::to_string(size) +
                "): heuristic answer with its bound";
    }
    const double lag_seconds = std::min(deadline.remaining() * (exact ? 0.1 : 0.5), 0.15 * o.time_limit_s + 1.0);
    if (maximise) {
      detail::Limits lim;
      if (mode.type == Mode::Type::budget) {
        lim.type = detail::Limits::Type::budget;
        lim.budget = mode.budget;
      } else {
        lim.per_kind = mode.max_kind;
      }
      detail::Primal primal;
      bound = detail::lagrangian_bound(in, eligible, lim, best.value, best.value + wtol, lag_seconds, &primal);
      step(0.5);
      // Lagrangian heuristic: local search from the best subproblem placement too
      if (!primal.chosen.empty() && bound > best.value + wtol) {
        const Deadline ls_deadline(std::max(0.05, 0.5 * deadline.remaining()) * (exact ? 0.2 : 1.0));
        Eval alt = evaluate(in, detail::improve_placement(in, mode, primal.chosen, ls_deadline));
        if (alt.deficit <= best.deficit + wtol && alt.value > best.value + wtol) {
          best = std::move(alt);
          solver = "lagrangian+swap";
          heur_feasible = best.deficit <= wtol;
        }
      }
      step(0.6);
      if (!exact && size <= k_lp_bound_max_nnz && bound > best.value + wtol) {
        const auto lp = detail::solve_lp(detail::build_model(in, mode, eligible, false).lp, deadline.remaining() * 0.5);
        if (lp.optimal) bound = std::min(bound, lp.objective - in.fixed_weight);
      }
    } else if (heur_feasible) {
      // fewest sites: the largest resource level whose maximal-covering bound stays below the
      // demand is infeasible, so the optimum needs more
      const double have = mode.cover_cost ? best.cost : static_cast<double>(best.chosen.size());
      const Deadline bisect(lag_seconds);
      detail::Limits lim;
      lim.type = mode.cover_cost ? detail::Limits::Type::budget : detail::Limits::Type::total;
      double lo = 0, hi = have;  // lo: proven infeasible, hi: feasible
      for (int it = 0; it < 40 && hi - lo > (mode.cover_cost ? 1e-6 * std::max(1.0, hi) : 1.0) && !bisect.expired();
           ++it) {
        const double mid = mode.cover_cost ? 0.5 * (lo + hi) : std::floor(0.5 * (lo + hi));
        if (mode.cover_cost)
          lim.budget = mid;
        else
          lim.total = static_cast<int>(mid);
        const double ub = detail::lagrangian_bound(in, eligible, lim, mode.demand, mode.demand - wtol,
                                                   std::max(0.01, bisect.remaining() / 4));
        if (ub < mode.demand - wtol)
          lo = mid;
        else
          hi = mid;
      }
      bound = mode.cover_cost ? lo : lo + 1;
      if (!exact && size <= k_lp_bound_max_nnz && bound < have) {
        const auto lp = detail::solve_lp(detail::build_model(in, mode, eligible, false).lp, deadline.remaining() * 0.5);
        if (lp.optimal) {
          const double lb = mode.cover_cost ? lp.objective * scale : std::ceil(lp.objective - 1e-6);
          bound = std::max(bound, lb);
        }
      }
    }
    const double obj0 = objective_of(mode, best);
    const bool closed = heur_feasible && (maximise ? bound <= obj0 + wtol : bound >= obj0 - 1e-9 * std::max(1.0, obj0));
    status = heur_feasible ? (closed ? "optimal" : "feasible") : (proven_infeasible ? "infeasible" : "groups_unmet");
    if (mode.type == Mode::Type::cover && best.value < mode.demand - wtol && !proven_infeasible)
      status = "target_unmet";

    step(0.7);
    // 3. CBC
    const bool run_cbc = exact && !(closed && o.solver == OptimizeOptions::Solver::automatic);
    std::optional<detail::PlacementModel> model;
    if (run_cbc) model = detail::build_model(in, mode, eligible, in.groups_active);
    if (run_cbc) {
      std::vector<double> start;
      if (heur_feasible) start = detail::model_solution(in, *model, best.chosen);
      const auto mip = detail::solve_mip(model->lp, std::max(0.05, 0.95 * deadline.remaining()), start,
                                         o.progress ? std::function<void(double)>([&step](double f) {
                                           step(0.7 + 0.28 * f);
                                         })
                                                    : std::function<void(double)>{});
      const double mip_scale = (mode.type == Mode::Type::cover && mode.cover_cost) ? scale : 1.0;
      const double mip_offset = maximise ? in.fixed_weight : 0.0;  // the existing columns' part of Σ w z
      if (mip.infeasible) {
        proven_infeasible = true;
        status = "infeasible";
        message = mode.type == Mode::Type::cover
                      ? "no placement reaches the coverage target and the group minimums"
                      : "no placement within the limits meets every group minimum; best effort shown";
      } else {
        if (mip.has_solution) {
          std::vector<std::int32_t> chosen;
          for (std::int32_t c = 0; c < in.n_cols; ++c) {
            if (mip.x[idx(c)] > 0.5 && in.fixed[idx(c)] == 0) chosen.push_back(c);
          }
          Eval cand = evaluate(in, chosen);
          const bool cand_ok =
              cand.deficit <= wtol && (mode.type != Mode::Type::cover || cand.value >= mode.demand - wtol);
          const double oc = objective_of(mode, cand), ob = objective_of(mode, best);
          const bool better =
              cand_ok && (!heur_feasible || (maximise ? oc >= ob - wtol : oc <= ob + 1e-9 * std::max(1.0, ob)));
          if (better) {
            best = std::move(cand);
            solver = "cbc";
          }
        }
        const bool feasible =
            best.deficit <= wtol && (mode.type != Mode::Type::cover || best.value >= mode.demand - wtol);
        // CBC's best possible value (its optimum when proven); ignored when inconsistent with a
        // known solution, e.g. when CBC stopped before its root LP
        const double cbc_bound = (mip.optimal ? mip.objective : mip.bound) * mip_scale - mip_offset;
        const double ob = objective_of(mode, best);
        const double slack = 1e-6 * std::max(1.0, std::abs(ob));
        if (std::isfinite(cbc_bound) && (!feasible || (maximise ? cbc_bound >= ob - slack : cbc_bound <= ob + slack))) {
          bound = maximise ? std::min(bound, cbc_bound) : std::max(bound, cbc_bound);
        }
        if (feasible) status = mip.optimal ? "optimal" : "time_limit";
      }
    }
  }

  // rank order and marginals
  const bool per_cost = mode.type == Mode::Type::budget || (mode.type == Mode::Type::cover && mode.cover_cost);
  step(0.98);  // the ranking (national, 600 sites with the existing teams' refill: ≈ 45 s), then the marginals
  std::vector<std::int32_t> order =
      detail::rank_order(in, best.chosen, per_cost, [&step](double f) { step(0.98 + 0.01 * f); });
  step(0.99);
  bool any_capped = false;  // (existing columns are capacitated: their freed capacity needs the LP)
  for (const auto c : order) any_capped = any_capped || in.capped[idx(c)] != 0;
  for (const auto c : in.fixed_cols) any_capped = any_capped || in.capped[idx(c)] != 0;
  if (!any_capped) {
    detail::CoverState s(in);
    for (const auto c : order) {
      const double v0 = s.value(), h0 = s.households();
      s.add(c);
      res.marginal_weight.push_back(s.value() - v0);
      res.marginal_households.push_back(s.households() - h0);
    }
    // sites that add nothing at the end of the ranking are dropped (maximal covering only)
    while (maximise && !order.empty() && res.marginal_weight.back() <= 1e-12 * std::max(1.0, in.total_weight)) {
      order.pop_back();
      res.marginal_weight.pop_back();
      res.marginal_households.pop_back();
    }
    if (order.size() != best.chosen.size()) best = evaluate(in, order);
  } else {
    double v0 = 0, h0 = 0;
    for (std::size_t k = 1; k <= order.size(); ++k) {
      const Eval e =
          evaluate(in, std::vector<std::int32_t>(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k)));
      res.marginal_weight.push_back(e.value - v0);
      res.marginal_households.push_back(e.households - h0);
      v0 = e.value;
      h0 = e.households;
      // one capacity assignment per prefix (national: 600 of them): the last hundredth of the call
      step(0.99 + 0.01 * static_cast<double>(k) / static_cast<double>(order.size()));
    }
  }
  double cum = 0;
  for (const double m : res.marginal_weight) res.cumulative_weight.push_back(cum += m);
  res.chosen = order;
  for (const auto c : order) (in.kind[idx(c)] == SiteKind::speaker ? res.speakers : res.teams) += 1;
  res.cost = best.cost;
  res.reached_weight = best.value;
  res.reached_households = best.households;
  res.objective = objective_of(mode, best);
  if (mode.type == Mode::Type::cover && proven_infeasible) bound = res.objective;
  if (solver == "none") bound = res.objective;
  bound = maximise ? std::max(bound, res.objective) : std::min(bound, res.objective);
  res.bound = bound;
  res.gap = relative_gap(res.bound, res.objective);
  if (res.gap == 0) res.bound = res.objective;  // numerical noise of the bound (sums of weights)
  if (status == "feasible" && res.gap == 0) status = "optimal";
  if (status == "optimal" && res.gap > 0) status = "feasible";  // the recomputed objective disagrees
  res.solver = solver;
  res.status = status;
  res.message = message;
  // unmet group units, from the merged problem's units
  {
    std::vector<double> reached(in.group_req.size(), 0.0);
    const auto levels = idx(in.n_levels);
    for (std::size_t r = 0; r < best.share.size(); ++r) {
      for (std::size_t l = 0; l < levels; ++l) {
        const auto g = in.row_group[r * levels + l];
        if (g >= 0) reached[idx(g)] += in.w[r] * best.share[r];
      }
    }
    for (std::size_t g = 0; g < reached.size(); ++g) {
      if (in.group_share[g] <= 0) continue;
      UnmetGroup u;
      u.group = in.level_name[idx(in.group_level[g])];
      u.unit = in.group_unit[g];
      u.share = in.group_total[g] > 0 ? (in.group_base[g] + reached[g]) / in.group_total[g] : 0.0;
      u.required = in.group_share[g];
      u.reachable = in.group_total[g] > 0 ? std::min(1.0, (in.group_base[g] + reach[g]) / in.group_total[g]) : 0.0;
      res.group_units.push_back(u);
      const double need = in.group_req[g] - reached[g];
      if (need > 1e-9 * std::max(1.0, in.group_total[g])) res.unmet_groups.push_back(std::move(u));
    }
    if (!res.unmet_groups.empty() && res.message.empty()) {
      res.message = std::to_string(res.unmet_groups.size()) + " group units below their minimum share (best effort)";
    }
  }
  res.seconds = deadline.elapsed();
  step(1.0);
  return res;
}

}  // namespace infogap
