// The optimizer with existing sites and their echoes: existing capacitated columns (teams that
// wait), held rows (existing reach a new site takes away) and spoiled entries (a new site's reach
// another one drowns), each against enumeration and a count by hand.
#include "infogap/optimize.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <random>
#include <utility>
#include <vector>

#include "infogap/error.hpp"
#include "optimize/heuristic.hpp"
#include "optimize/instance.hpp"
#include "support/optimize_instances.hpp"

namespace infogap {
namespace {

using test::count_kind;
using test::counts;
using test::Dense;
using test::k_tol;
using test::naive_coverage;
using test::random_dense;
using test::sorted;
using test::to_problem;
using Solver = OptimizeOptions::Solver;

TEST(OptimizePlacement, ExistingTeamFreesAPlaceWhenANewSiteTakesOverItsHousehold) {
  // An existing team (capacity 1) serves household 0 (w 1.0); household 1 (w 0.5) waits for it.
  // Speaker 0 reaches household 0 only; speaker 1 reaches household 2 (w 0.4) only. Speaker 0
  // reaches nobody new, yet the team then serves household 1: +0.5 beats speaker 1's +0.4.
  CoverageProblem p;
  p.weight = Eigen::Vector3d(1.0, 0.5, 0.4);
  p.cover.resize(3, 3);
  std::vector<Eigen::Triplet<double, std::int32_t>> t{{0, 0, 1.0}, {2, 1, 1.0}, {0, 2, 1.0}, {1, 2, 1.0}};
  p.cover.setFromTriplets(t.begin(), t.end());
  p.kind = {SiteKind::speaker, SiteKind::speaker, SiteKind::team};
  p.capacity = {std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(), 1.0};
  p.existing = {0, 0, 1};
  p.base_weight = 1.0;  // household 0, served today
  p.total_weight = 1.9;
  GroupConstraint g;  // households 0 and 1 in unit 0, household 2 in unit 1
  g.name = "commune";
  g.unit = {0, 0, 1};
  g.base_weight = Eigen::Vector2d(1.0, 0.0);
  g.total_weight = Eigen::Vector2d(1.5, 0.4);
  p.groups = {g};
  EXPECT_NEAR(covered_weight(p, {}), 0.0, k_tol);  // the existing team alone: nothing new
  EXPECT_NEAR(covered_weight(p, {0}), 0.5, k_tol);
  EXPECT_NEAR(covered_weight(p, {1}), 0.4, k_tol);
  const auto cov = evaluate_placement(p, {0});
  EXPECT_NEAR(cov.group_weight[0][0], 1.5, k_tol);  // base + the household the team now serves
  EXPECT_NEAR(cov.group_weight[0][1], 0.0, k_tol);
  EXPECT_NEAR(cov.households, 1.0, k_tol);
  for (const Solver s : {Solver::exact, Solver::heuristic}) {
    // no new team allowed: the existing one works all the same, and is never proposed
    const auto r = optimize_placement(p, counts(1, 0, s));
    EXPECT_EQ(r.chosen, (std::vector<std::int32_t>{0})) << static_cast<int>(s);
    EXPECT_NEAR(r.objective, 0.5, k_tol);
    EXPECT_GE(r.bound, r.objective - k_tol);
    EXPECT_NEAR(r.reachable_weight, 0.9, k_tol);  // households 1 and 2: all that is not reached yet
    const auto both = optimize_placement(p, counts(2, 0, s));
    EXPECT_EQ(sorted(both.chosen), (std::vector<std::int32_t>{0, 1}));
    EXPECT_NEAR(both.objective, 0.9, k_tol);
    EXPECT_EQ(both.status, "optimal");
  }
}

// Columns 8..13 of a 14-column problem capacitated (capacity `cap`), 11..13 existing teams.
void add_existing_teams(CoverageProblem& p, double cap) {
  p.capacity.assign(14, std::numeric_limits<double>::infinity());
  p.existing.assign(14, 0);
  for (std::size_t c = 8; c < 14; ++c) p.capacity[c] = cap;
  for (std::size_t c = 11; c < 14; ++c) p.existing[c] = 1;
}

// The exact and heuristic placements of 2 speakers and 1 team against the best by enumeration,
// valued by evaluate_placement: (exact, heuristic).
std::pair<OptimizeResult, OptimizeResult> two_speakers_one_team(const Dense& d, const CoverageProblem& p,
                                                                std::uint64_t seed) {
  const double best = test::brute_force(
      11,
      [&](const std::vector<std::int32_t>& s) {
        return count_kind(d, s, SiteKind::speaker) <= 2 && count_kind(d, s, SiteKind::team) <= 1;
      },
      [&](const std::vector<std::int32_t>& s) { return covered_weight(p, s); });
  auto ex = optimize_placement(p, counts(2, 1, Solver::exact));
  auto he = optimize_placement(p, counts(2, 1, Solver::heuristic));
  EXPECT_EQ(ex.status, "optimal") << seed;
  EXPECT_NEAR(ex.objective, best, k_tol) << seed;
  EXPECT_LE(he.objective, best + k_tol) << seed;
  EXPECT_GE(he.bound, best - k_tol) << seed;
  return {std::move(ex), std::move(he)};
}

TEST(OptimizePlacement, ExistingColumnsMatchBruteForceOnRandomInstances) {
  // 8 candidate speakers, 3 candidate teams and 3 existing teams of capacity 5 over 120 rows; the
  // best placement of 2 speakers and 1 team by enumeration, valued by evaluate_placement.
  for (const std::uint64_t seed : {41u, 42u, 43u}) {
    const Dense d = random_dense(120, 14, 3, 8, seed);
    auto p = to_problem(d);
    add_existing_teams(p, 5.0);
    const auto [ex, he] = two_speakers_one_team(d, p, seed);
    for (const auto* r : {&ex, &he}) {
      for (const auto c : r->chosen) EXPECT_LT(c, 11) << "an existing column is never proposed";
      EXPECT_NEAR(covered_weight(p, r->chosen), r->objective, k_tol);
      EXPECT_NEAR(r->cumulative_weight.back(), r->objective, k_tol);
    }
  }
}

// A problem with held rows: `held` more rows, already reached (their weight in base_weight), each
// harmed by one or two of the speakers 0..7 and reached by a random few of the other columns.
CoverageProblem with_held_rows(const Dense& d, int held, std::uint64_t seed, std::vector<std::vector<int>>& harms,
                               std::vector<std::vector<int>>& covers) {
  std::mt19937_64 rng(seed);
  const int nr = d.rows() + held, nc = d.cols();
  std::vector<Eigen::Triplet<double, std::int32_t>> cover, harm;
  for (int r = 0; r < d.rows(); ++r)
    for (int c = 0; c < nc; ++c)
      if (d.a[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] != 0) cover.emplace_back(r, c, 1.0);
  CoverageProblem p;
  p.weight.resize(nr);
  for (int r = 0; r < d.rows(); ++r) p.weight[r] = d.w[static_cast<std::size_t>(r)];
  harms.assign(static_cast<std::size_t>(held), {});
  covers.assign(static_cast<std::size_t>(held), {});
  for (int k = 0; k < held; ++k) {
    const int r = d.rows() + k;
    p.weight[r] = 1.0 + static_cast<double>(rng() % 4);
    auto& hs = harms[static_cast<std::size_t>(k)];
    hs.push_back(static_cast<int>(rng() % 8));
    if (rng() % 3 == 0) hs.push_back(static_cast<int>(rng() % 8));
    for (int c = 0; c < nc; ++c)
      if (std::find(hs.begin(), hs.end(), c) == hs.end() && rng() % 6 == 0) covers[static_cast<std::size_t>(k)].push_back(c);
    for (const int c : covers[static_cast<std::size_t>(k)]) cover.emplace_back(r, c, 1.0);
    std::sort(hs.begin(), hs.end());
    hs.erase(std::unique(hs.begin(), hs.end()), hs.end());
    for (const int c : hs) harm.emplace_back(r, c, 1.0);
    p.base_weight += p.weight[r];
  }
  p.cover.resize(nr, nc);
  p.cover.setFromTriplets(cover.begin(), cover.end());
  p.harm.resize(nr, nc);
  p.harm.setFromTriplets(harm.begin(), harm.end());
  p.kind = d.kind;
  return p;
}

// Exact and heuristic placements of at most 3 speakers and 2 teams of the 12 columns of `d`
// against the best by enumeration of `value` (a count by hand), and each one's objective against
// that count, evaluate_placement and its ranks; returns the best.
template <class Value>
double three_speakers_two_teams(const Dense& d, const CoverageProblem& p, Value&& value, std::uint64_t seed) {
  const auto fits = [&](const std::vector<std::int32_t>& s) {
    return count_kind(d, s, SiteKind::speaker) <= 3 && count_kind(d, s, SiteKind::team) <= 2;
  };
  const double best = test::brute_force(12, fits, value);
  const auto ex = optimize_placement(p, counts(3, 2, Solver::exact));
  const auto he = optimize_placement(p, counts(3, 2, Solver::heuristic));
  EXPECT_EQ(ex.status, "optimal") << seed;
  EXPECT_NEAR(ex.objective, best, k_tol) << seed;
  EXPECT_LE(he.objective, best + k_tol) << seed;
  EXPECT_GE(he.bound, best - k_tol) << seed;
  for (const auto* r : {&ex, &he}) {
    EXPECT_NEAR(value(r->chosen), r->objective, k_tol) << seed;
    EXPECT_NEAR(covered_weight(p, r->chosen), r->objective, k_tol);
    EXPECT_NEAR(r->cumulative_weight.back(), r->objective, k_tol);
  }
  return best;
}

TEST(OptimizePlacement, HeldRowsMatchANaiveCountAndBruteForceOnRandomInstances) {
  // Speakers that take existing reach away: every solver's objective is the newly reached weight
  // minus what the chosen speakers take away and nothing else reaches, counted here by hand.
  for (const std::uint64_t seed : {51u, 52u, 53u}) {
    const Dense d = random_dense(100, 12, 3, 8, seed);
    std::vector<std::vector<int>> harms, covers;
    const CoverageProblem p = with_held_rows(d, 40, seed, harms, covers);
    const auto naive = [&](const std::vector<std::int32_t>& s) {
      double v = naive_coverage(d, s);
      for (std::size_t k = 0; k < harms.size(); ++k) {
        const auto in = [&](int c) { return std::find(s.begin(), s.end(), c) != s.end(); };
        const bool harmed = std::any_of(harms[k].begin(), harms[k].end(), in);
        const bool covered = std::any_of(covers[k].begin(), covers[k].end(), in);
        if (harmed && !covered) v -= p.weight[d.rows() + static_cast<Eigen::Index>(k)];
      }
      return v;
    };
    const double best = three_speakers_two_teams(d, p, naive, seed);
    const double best_unharmed = three_speakers_two_teams(d, to_problem(d), [&](const auto& s) { return naive_coverage(d, s); }, seed);
    EXPECT_LE(best, best_unharmed + k_tol);
    // held rows merge only with rows harmed by the same sites
    const CoverageProblem m = merge_identical_rows(p);
    EXPECT_NEAR(optimize_placement(m, counts(3, 2, Solver::exact)).objective, best, k_tol);
  }
  // with existing capacitated teams: the exact solver against enumeration over evaluate_placement
  const Dense d = random_dense(100, 14, 3, 8, 61);
  std::vector<std::vector<int>> harms, covers;
  CoverageProblem p = with_held_rows(d, 30, 61, harms, covers);
  add_existing_teams(p, 4.0);
  two_speakers_one_team(d, p, 61);
}

TEST(OptimizePlacement, SpoiledEntriesMatchANaiveCountAndBruteForceOnRandomInstances) {
  // A speaker's reach of a row that another chosen speaker spoils does not count: every solver's
  // objective is the weight of the rows some chosen site reaches unspoiled, counted here by hand.
  for (const std::uint64_t seed : {71u, 72u, 73u}) {
    const Dense d = random_dense(100, 12, 3, 8, seed);
    CoverageProblem p = to_problem(d);
    std::mt19937_64 rng(seed);
    for (int r = 0; r < d.rows(); ++r)
      for (int c = 0; c < 8; ++c)
        if (d.a[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] != 0 && rng() % 3 == 0) {
          const auto by = static_cast<std::int32_t>((c + 1 + static_cast<int>(rng() % 7)) % 8);
          p.spoiled.push_back({r, c, by});
          if (rng() % 4 == 0) p.spoiled.push_back({r, c, static_cast<std::int32_t>((by + 1) % 8 == c ? (by + 2) % 8 : (by + 1) % 8)});
        }
    const auto naive = [&](const std::vector<std::int32_t>& s) {
      const auto in = [&](int c) { return std::find(s.begin(), s.end(), c) != s.end(); };
      double v = 0;
      for (int r = 0; r < d.rows(); ++r) {
        bool hit = false;
        for (const auto c : s) {
          if (d.a[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] == 0) continue;
          bool spoiled = false;
          for (const auto& e : p.spoiled) spoiled = spoiled || (e.row == r && e.col == c && in(e.by));
          hit = hit || !spoiled;
        }
        if (hit) v += d.w[static_cast<std::size_t>(r)];
      }
      return v;
    };
    const double best = three_speakers_two_teams(d, p, naive, seed);
    const CoverageProblem m = merge_identical_rows(p);
    EXPECT_FALSE(m.spoiled.empty());
    EXPECT_NEAR(optimize_placement(m, counts(3, 2, Solver::exact)).objective, best, k_tol);
    // the heuristic's incremental view agrees with the evaluation along a greedy path
    const auto inst = detail::make_instance(m);
    detail::CoverState st(inst);
    st.track_gains();
    for (const std::int32_t c : {0, 1, 2, 3}) {
      const double g = st.gain(c), tg = st.tracked_gain(c), v0 = st.value();
      EXPECT_NEAR(g, tg, k_tol);
      st.add(c);
      EXPECT_NEAR(st.value() - v0, g, k_tol);
    }
  }
}

TEST(OptimizePlacement, HeldRowRejectsAColumnThatBothReachesAndHarmsIt) {
  CoverageProblem p;
  p.weight = Eigen::Vector2d(1.0, 1.0);
  p.cover.resize(2, 1);
  p.harm.resize(2, 1);
  std::vector<Eigen::Triplet<double, std::int32_t>> t{{0, 0, 1.0}};
  p.cover.setFromTriplets(t.begin(), t.end());
  p.harm.setFromTriplets(t.begin(), t.end());
  p.kind = {SiteKind::speaker};
  EXPECT_THROW(optimize_placement(p, counts(1, 0, Solver::exact)), InvalidInput);
}

}  // namespace
}  // namespace infogap
