#pragma once
// Small coverage instances for the optimizer tests: dense 0/1 matrices, seeded random builders,
// and brute-force reference solvers that share no code with the engine.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "infogap/optimize.hpp"

namespace infogap::test {

/// Tolerance of the optimizer tests, in weight units (1 = one poor household).
inline constexpr double k_tol = 1e-6;

/// Options of a count-limited placement (30 s).
inline OptimizeOptions counts(int speakers, int teams, OptimizeOptions::Solver s) {
  OptimizeOptions o;
  o.max_speakers = speakers;
  o.max_teams = teams;
  o.solver = s;
  o.time_limit_s = 30;
  return o;
}

/// Dense instance: a[r][c] = 1 if site c reaches row r.
struct Dense {
  std::vector<std::vector<char>> a;
  std::vector<double> w;
  std::vector<SiteKind> kind;
  std::vector<double> cost;
  std::vector<double> x, y;  // household positions (random_dense only)
  int rows() const { return static_cast<int>(a.size()); }
  int cols() const { return a.empty() ? 0 : static_cast<int>(a[0].size()); }
};

/// Households and candidate sites at random points of the unit square; a site reaches the
/// households within a radius chosen so that a household is reached by `per_row` sites on average
/// (like speakers reaching the houses within their range). Weights 1 (poor) or 0.5 (near-poor);
/// kinds: the first `speakers` columns are speakers, the rest teams; costs 36 or 20 (million VND).
inline Dense random_dense(int rows, int cols, double per_row, int speakers, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  std::vector<double> sx, sy;
  for (int c = 0; c < cols; ++c) {
    sx.push_back(uniform());
    sy.push_back(uniform());
  }
  const double radius2 = per_row / (3.141592653589793 * cols);
  Dense d;
  d.a.assign(static_cast<std::size_t>(rows), std::vector<char>(static_cast<std::size_t>(cols), 0));
  for (auto& row : d.a) {
    const double x = uniform(), y = uniform();
    d.x.push_back(x);
    d.y.push_back(y);
    for (std::size_t c = 0; c < static_cast<std::size_t>(cols); ++c) {
      row[c] = (x - sx[c]) * (x - sx[c]) + (y - sy[c]) * (y - sy[c]) <= radius2 ? 1 : 0;
    }
    d.w.push_back(rng() % 3 == 0 ? 0.5 : 1.0);
  }
  for (int c = 0; c < cols; ++c) {
    d.kind.push_back(c < speakers ? SiteKind::speaker : SiteKind::team);
    d.cost.push_back(c < speakers ? 36.0 : 20.0);
  }
  return d;
}

/// The engine's problem for a dense instance.
inline CoverageProblem to_problem(const Dense& d) {
  CoverageProblem p;
  p.weight = Eigen::Map<const Eigen::VectorXd>(d.w.data(), static_cast<Eigen::Index>(d.w.size()));
  std::vector<Eigen::Triplet<double, std::int32_t>> t;
  for (int r = 0; r < d.rows(); ++r) {
    for (int c = 0; c < d.cols(); ++c) {
      if (d.a[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] != 0) t.emplace_back(r, c, 1.0);
    }
  }
  p.cover.resize(d.rows(), d.cols());
  p.cover.setFromTriplets(t.begin(), t.end());
  p.kind = d.kind;
  p.cost = d.cost;
  return p;
}

/// Σ w over rows reached by any chosen site (no capacities).
inline double naive_coverage(const Dense& d, const std::vector<std::int32_t>& chosen) {
  double s = 0;
  for (int r = 0; r < d.rows(); ++r) {
    bool hit = false;
    for (const auto c : chosen) hit = hit || d.a[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] != 0;
    if (hit) s += d.w[static_cast<std::size_t>(r)];
  }
  return s;
}

/// Best value of `value(subset)` over all subsets accepted by `ok(subset)` (2^cols subsets).
inline double brute_force(int cols, const std::function<bool(const std::vector<std::int32_t>&)>& ok,
                          const std::function<double(const std::vector<std::int32_t>&)>& value) {
  double best = -std::numeric_limits<double>::infinity();  // no feasible subset
  std::vector<std::int32_t> s;
  for (std::uint32_t mask = 0; mask < (1u << cols); ++mask) {
    s.clear();
    for (int c = 0; c < cols; ++c) {
      if ((mask >> c) & 1u) s.push_back(c);
    }
    if (ok(s)) best = std::max(best, value(s));
  }
  return best;
}

/// The columns in ascending order.
inline std::vector<std::int32_t> sorted(std::vector<std::int32_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

/// Chosen columns of kind k.
inline int count_kind(const Dense& d, const std::vector<std::int32_t>& s, SiteKind k) {
  return static_cast<int>(
      std::count_if(s.begin(), s.end(), [&](std::int32_t c) { return d.kind[static_cast<std::size_t>(c)] == k; }));
}

}  // namespace infogap::test
