#pragma once
// Small coverage instances for the optimizer tests: dense 0/1 matrices, seeded random builders,
// and brute-force reference solvers that share no code with the engine.

#include <cstdint>
#include <functional>
#include <limits>
#include <random>
#include <vector>

#include "infogap/optimize.hpp"

namespace infogap::test {

/// Dense instance: a[r][c] = 1 if site c reaches row r.
struct Dense {
  std::vector<std::vector<char>> a;
  std::vector<double> w;
  std::vector<SiteKind> kind;
  std::vector<double> cost;
  std::vector<double> x, y;  // household positions (random_dense only)
  // harm rows: weight, and per harm row the columns that take it away / rescue it
  std::vector<double> hw;
  std::vector<std::vector<char>> h_by, h_rescue;
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
  if (!d.hw.empty()) {
    const auto nh = static_cast<Eigen::Index>(d.hw.size());
    p.harm_weight = Eigen::Map<const Eigen::VectorXd>(d.hw.data(), nh);
    std::vector<Eigen::Triplet<double, std::int32_t>> by, res;
    for (std::size_t h = 0; h < d.hw.size(); ++h)
      for (int c = 0; c < d.cols(); ++c) {
        if (d.h_by[h][static_cast<std::size_t>(c)] != 0) by.emplace_back(static_cast<std::int32_t>(h), c, 1.0);
        if (d.h_rescue[h][static_cast<std::size_t>(c)] != 0) res.emplace_back(static_cast<std::int32_t>(h), c, 1.0);
      }
    p.harm_by.resize(nh, d.cols());
    p.harm_by.setFromTriplets(by.begin(), by.end());
    p.harm_rescue.resize(nh, d.cols());
    p.harm_rescue.setFromTriplets(res.begin(), res.end());
  }
  return p;
}

/// Adds `n` harm rows (households existing sites reach today) at random points of the unit square,
/// weight 1 or 0.5: a speaker column takes one away within `harm_radius` (its echo), a team
/// column rescues it within the coverage radius of random_dense. Positions are redrawn from `seed`.
inline void add_random_harm(Dense& d, int n, double harm_radius, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
  // site positions: recovered as the centre of the rows each column covers is not possible, so
  // harm rows pick columns by a second random layout of the sites
  std::vector<double> sx, sy;
  for (int c = 0; c < d.cols(); ++c) {
    sx.push_back(uniform());
    sy.push_back(uniform());
  }
  for (int k = 0; k < n; ++k) {
    const double x = uniform(), y = uniform();
    std::vector<char> by(static_cast<std::size_t>(d.cols()), 0), res(by.size(), 0);
    for (std::size_t c = 0; c < by.size(); ++c) {
      const double d2 = (x - sx[c]) * (x - sx[c]) + (y - sy[c]) * (y - sy[c]);
      if (d.kind[c] == SiteKind::speaker)
        by[c] = d2 <= harm_radius * harm_radius ? 1 : 0;
      else
        res[c] = d2 <= 0.6 * harm_radius * harm_radius ? 1 : 0;
    }
    d.hw.push_back(rng() % 3 == 0 ? 0.5 : 1.0);
    d.h_by.push_back(std::move(by));
    d.h_rescue.push_back(std::move(res));
  }
}

/// Σ w over rows reached by any chosen site (no capacities), less the weight of the harm rows some
/// chosen site takes away and none rescues.
inline double naive_coverage(const Dense& d, const std::vector<std::int32_t>& chosen) {
  double s = 0;
  for (int r = 0; r < d.rows(); ++r) {
    bool hit = false;
    for (const auto c : chosen) hit = hit || d.a[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)] != 0;
    if (hit) s += d.w[static_cast<std::size_t>(r)];
  }
  for (std::size_t h = 0; h < d.hw.size(); ++h) {
    bool taken = false, rescued = false;
    for (const auto c : chosen) {
      taken = taken || d.h_by[h][static_cast<std::size_t>(c)] != 0;
      rescued = rescued || d.h_rescue[h][static_cast<std::size_t>(c)] != 0;
    }
    if (taken && !rescued) s -= d.hw[h];
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

}  // namespace infogap::test
