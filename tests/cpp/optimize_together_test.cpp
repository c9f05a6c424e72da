// Sets of rows a capacitated site serves whole (CoverageProblem::together): under listening
// conditions a household's rows, one per condition, are served by one team taking one place. The
// evaluation, the LP and CBC serve sets whole; the heuristic and the Lagrangian bound take rows on
// their own (a relaxation). Checked against a count by hand and against an enumeration of every
// team assignment (a dynamic programme over the households that shares no code with the engine).
#include "infogap/optimize.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <random>
#include <vector>

#include "infogap/error.hpp"
#include "optimize/bound.hpp"
#include "optimize/heuristic.hpp"
#include "optimize/instance.hpp"
#include "support/optimize_instances.hpp"

namespace infogap {
namespace {

using test::counts;
using test::k_tol;
using Solver = OptimizeOptions::Solver;
constexpr double k_inf = std::numeric_limits<double>::infinity();

TEST(Together, AHouseholdServedWholeTakesOnePlaceWhereRowByRowItWouldTakeHalf) {
  // An existing team (capacity 1) serves household A today (weight 1, unreached under two
  // conditions of share 1/2: rows A1 and A2 of weight 0.5, half a place each); household B
  // (weight 1.5, unreached under one of them: row B1 of weight 0.75, a whole place) waits. Speaker 0
  // reaches A1. Served whole, the team then adds 0.5 at A or 0.75 at B: it moves to B, and the
  // newly reached weight is 0.25 (A1 by the speaker and B1, against A1 and A2 today). Row by row
  // it would keep A2 for half a place and serve half of B1 with the other half: 0.375.
  CoverageProblem p;
  p.weight = Eigen::Vector3d(0.5, 0.5, 0.75);  // A1, A2, B1
  p.households = Eigen::Vector3d(0.5, 0.5, 1.0);
  p.cover.resize(3, 2);
  std::vector<Eigen::Triplet<double, std::int32_t>> t{{0, 0, 1.0}, {0, 1, 1.0}, {1, 1, 1.0}, {2, 1, 1.0}};
  p.cover.setFromTriplets(t.begin(), t.end());
  p.kind = {SiteKind::speaker, SiteKind::team};
  p.capacity = {k_inf, 1.0};
  p.existing = {0, 1};
  p.base_weight = 1.0;
  p.total_weight = 1.75;
  EXPECT_NEAR(covered_weight(p, {0}), 0.375, k_tol);  // row by row
  p.together = {0, 0, 2};
  EXPECT_NEAR(covered_weight(p, {}), 0.0, k_tol);
  EXPECT_NEAR(covered_weight(p, {0}), 0.25, k_tol);
  const auto cov = evaluate_placement(p, {0});
  EXPECT_NEAR(cov.row_share[0], 1.0, k_tol);  // the speaker
  EXPECT_NEAR(cov.row_share[1], 0.0, k_tol);  // the team left
  EXPECT_NEAR(cov.row_share[2], 1.0, k_tol);
  EXPECT_NEAR(cov.households, 0.5, k_tol);  // half of A (A1) and all of B, against all of A
  for (const Solver s : {Solver::exact, Solver::heuristic}) {
    const auto r = optimize_placement(p, counts(1, 0, s));
    EXPECT_NEAR(r.objective, 0.25, k_tol) << static_cast<int>(s);
    EXPECT_GE(r.bound, r.objective - k_tol);
  }
  EXPECT_EQ(optimize_placement(p, counts(1, 0, Solver::exact)).status, "optimal");
}

TEST(Together, ACapacitatedSiteReachingPartOfASetIsRejected) {
  CoverageProblem p;
  p.weight = Eigen::Vector2d(1.0, 1.0);
  p.cover.resize(2, 2);
  std::vector<Eigen::Triplet<double, std::int32_t>> t{{0, 0, 1.0}, {1, 0, 1.0}, {0, 1, 1.0}};
  p.cover.setFromTriplets(t.begin(), t.end());
  p.kind = {SiteKind::speaker, SiteKind::team};
  p.capacity = {k_inf, 2.0};
  p.together = {0, 0};
  EXPECT_THROW(covered_weight(p, {1}), InvalidInput);  // the team reaches one row of the two
  p.capacity = {k_inf, k_inf};  // a site of no limit reaches rows one by one: fine
  EXPECT_NEAR(covered_weight(p, {1}), 1.0, k_tol);
  p.together = {0, 2};
  EXPECT_THROW(covered_weight(p, {0}), InvalidInput);  // a set index out of [0, rows)
}

/// A household of the random instances: its rows (condition, weight), and who reaches what.
struct Household {
  std::vector<std::pair<int, double>> rows;
  std::vector<int> teams;  // team columns reaching it (whole)
};

/// Households over three conditions (shares 1/2, 1/4, 1/4) with the conditions they are unreached
/// under as rows (weight × share, each taking its share over the household's of a place); 6
/// candidate speakers reaching single rows, 3 candidate teams and 1 existing team reaching whole
/// households, capacity 2. The last two households copy the first two (rows that merge); the first
/// has a row of weight 0 besides.
struct Instance {
  std::vector<Household> households;
  std::vector<std::vector<char>> speaker_reach;  // per household row (flattened), per speaker
  CoverageProblem p;
};

Instance random_instance(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const double share[3] = {0.5, 0.25, 0.25};
  Instance in;
  for (int i = 0; i < 10; ++i) {
    Household h;
    const double w = rng() % 3 == 0 ? 0.5 : 1.0;
    for (int k = 0; k < 3; ++k)
      if (rng() % 3 != 0) h.rows.emplace_back(k, w * share[k]);
    if (h.rows.empty()) h.rows.emplace_back(0, w * share[0]);
    if (i == 0) h.rows.emplace_back(2, 0.0);  // a row of no weight (it merges away; its place stays)
    for (int c = 6; c < 10; ++c)
      if (rng() % 5 < 2) h.teams.push_back(c);
    in.households.push_back(h);
  }
  std::vector<std::vector<char>> reach;
  for (const auto& h : in.households)
    for (std::size_t r = 0; r < h.rows.size(); ++r) {
      std::vector<char> s(6, 0);
      for (auto& v : s) v = rng() % 10 < 3 ? 1 : 0;
      reach.push_back(s);
    }
  // the copies: the same rows, reached by the same sites
  std::size_t row0 = 0;
  for (int i = 0; i < 2; ++i) {
    in.households.push_back(in.households[static_cast<std::size_t>(i)]);
    for (std::size_t r = 0; r < in.households[static_cast<std::size_t>(i)].rows.size(); ++r) reach.push_back(reach[row0 + r]);
    row0 += in.households[static_cast<std::size_t>(i)].rows.size();
  }
  in.speaker_reach = reach;
  CoverageProblem& p = in.p;
  const auto nr = static_cast<Eigen::Index>(reach.size());
  p.weight.resize(nr);
  p.households.resize(nr);
  std::vector<Eigen::Triplet<double, std::int32_t>> t;
  Eigen::Index r = 0;
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    const auto& h = in.households[i];
    double of = 0;
    for (const auto& [k, w] : h.rows) of += share[k];
    const auto first = static_cast<std::int32_t>(r);
    for (const auto& [k, w] : h.rows) {
      p.weight[r] = w;
      p.households[r] = share[k] / of;
      p.together.push_back(first);
      for (int c = 0; c < 6; ++c)
        if (reach[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] != 0) t.emplace_back(r, c, 1.0);
      for (const int c : h.teams) t.emplace_back(r, c, 1.0);
      ++r;
    }
  }
  p.cover.resize(nr, 10);
  p.cover.setFromTriplets(t.begin(), t.end());
  p.kind = {SiteKind::speaker, SiteKind::speaker, SiteKind::speaker, SiteKind::speaker, SiteKind::speaker,
            SiteKind::speaker, SiteKind::team,    SiteKind::team,    SiteKind::team,    SiteKind::team};
  p.capacity = {k_inf, k_inf, k_inf, k_inf, k_inf, k_inf, 2.0, 2.0, 2.0, 2.0};
  p.existing = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return in;
}

/// The most weight `chosen` (with the existing team) reaches: each household served whole by one
/// team reaching it with a place left, or by none, over every such assignment.
double most_reached(const Instance& in, const std::vector<std::int32_t>& chosen) {
  std::vector<char> built(10, 0);
  for (const auto c : chosen) built[static_cast<std::size_t>(c)] = 1;
  built[9] = 1;
  double by_speakers = 0;
  std::vector<double> gain;  // per household: what a team adds there
  std::size_t row = 0;
  for (const auto& h : in.households) {
    double g = 0;
    for (const auto& [k, w] : h.rows) {
      bool heard = false;
      for (int c = 0; c < 6; ++c) heard = heard || (built[static_cast<std::size_t>(c)] && in.speaker_reach[row][static_cast<std::size_t>(c)]);
      (heard ? by_speakers : g) += w;
      ++row;
    }
    gain.push_back(g);
  }
  std::map<std::pair<std::size_t, std::vector<int>>, double> memo;
  const std::function<double(std::size_t, std::vector<int>)> best = [&](std::size_t i, std::vector<int> left) {
    if (i == in.households.size()) return 0.0;
    const auto key = std::make_pair(i, left);
    if (const auto it = memo.find(key); it != memo.end()) return it->second;
    double b = best(i + 1, left);
    for (const int c : in.households[i].teams) {
      const auto t = static_cast<std::size_t>(c - 6);
      if (!built[static_cast<std::size_t>(c)] || left[t] == 0) continue;
      --left[t];
      b = std::max(b, gain[i] + best(i + 1, left));
      ++left[t];
    }
    return memo[key] = b;
  };
  return by_speakers + best(0, {2, 2, 2, 2});
}

TEST(Together, SetsServedWholeMatchAnEnumerationOfTeamAssignmentsOnRandomInstances) {
  int tighter = 0;  // instances where taking sets whole tightens the Lagrangian bound
  double total[2] = {0, 0};  // the bounds (sets, rows alone) summed over the instances
  for (const std::uint64_t seed : {61u, 62u, 63u, 64u}) {
    const Instance in = random_instance(seed);
    const double today = most_reached(in, {});
    const auto fits = [](const std::vector<std::int32_t>& s) {
      const auto teams = std::count_if(s.begin(), s.end(), [](std::int32_t c) { return c >= 6; });
      return std::find(s.begin(), s.end(), 9) == s.end() && s.size() - static_cast<std::size_t>(teams) <= 2 && teams <= 1;
    };
    const CoverageProblem merged = merge_identical_rows(in.p);
    EXPECT_LT(merged.cover.rows(), in.p.cover.rows()) << "the copied households merge";
    int plans = 0;
    const double best = test::brute_force(10, fits, [&](const std::vector<std::int32_t>& s) {
      const double want = most_reached(in, s) - today;
      EXPECT_NEAR(covered_weight(in.p, s), want, k_tol) << seed << " plan of " << s.size();
      EXPECT_NEAR(covered_weight(merged, s), want, k_tol) << seed << " merged, plan of " << s.size();
      ++plans;
      return want;
    });
    EXPECT_GT(plans, 40);
    // The Lagrangian bound takes a set whole in a team's subproblem: still a bound, and tighter
    // than taking its rows one by one (the problem without `together`) over the instances (each
    // subproblem is; the subgradient steps may stop a little apart on one instance).
    CoverageProblem rows_alone = in.p;
    rows_alone.together.clear();
    double lagrangian[2];
    for (const int k : {0, 1}) {
      const detail::Instance inst = detail::make_instance(k == 0 ? in.p : rows_alone);
      detail::Mode mode;
      mode.max_kind = {2, 1};
      detail::Limits lim;
      lim.per_kind = {2, 1};
      lagrangian[k] = detail::lagrangian_bound(inst, detail::eligible_columns(inst, mode), lim, best, 0.0, 10.0);
    }
    EXPECT_GE(lagrangian[0], best - k_tol) << seed;
    tighter += lagrangian[0] < lagrangian[1] - 1e-3 ? 1 : 0;
    total[0] += lagrangian[0];
    total[1] += lagrangian[1];
    const auto ex = optimize_placement(in.p, counts(2, 1, Solver::exact));
    EXPECT_EQ(ex.status, "optimal") << seed;
    EXPECT_NEAR(ex.objective, best, k_tol) << seed;
    const auto he = optimize_placement(in.p, counts(2, 1, Solver::heuristic));
    EXPECT_LE(he.objective, best + k_tol) << seed;
    EXPECT_GE(he.bound, best - k_tol) << seed;  // the rows-alone relaxation is a bound
    for (const auto* r : {&ex, &he}) {
      EXPECT_NEAR(covered_weight(in.p, r->chosen), r->objective, k_tol) << seed;
      EXPECT_NEAR(r->cumulative_weight.back(), r->objective, k_tol) << seed;
    }
  }
  EXPECT_GT(tighter, 0);
  EXPECT_LT(total[0], total[1]);
}

}  // namespace
}  // namespace infogap
