#include "spatial/disc_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <utility>
#include <vector>

namespace infogap::detail {
namespace {

/// Every disc containing (qx, qy) by a plain scan, ascending, with its squared distance.
std::vector<std::pair<std::uint32_t, double>> brute(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                                                    const std::vector<double>& r, double qx, double qy) {
  std::vector<std::pair<std::uint32_t, double>> out;
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    if (!std::isfinite(x[i]) || !std::isfinite(y[i]) || !(r[k] > 0) || !std::isfinite(r[k])) continue;
    const double dx = qx - x[i], dy = qy - y[i], d2 = dx * dx + dy * dy;
    if (d2 <= r[k] * r[k]) out.emplace_back(static_cast<std::uint32_t>(i), d2);
  }
  return out;
}

TEST(DiscGrid, ContainingDiscsEqualBruteForceOnEdgesAndBorders) {
  std::mt19937_64 rng(11);
  const int n = 1500;
  Eigen::VectorXd x(n), y(n);
  std::vector<double> r(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<double>(rng() % 40000) / 4.0;  // quarter-metre lattice: points exactly on edges
    y[i] = static_cast<double>(rng() % 40000) / 4.0;
    r[static_cast<std::size_t>(i)] = static_cast<double>(rng() % 1200) / 2.0;  // 0 … 600 m, some 0
  }
  x[3] = std::numeric_limits<double>::quiet_NaN();  // left out
  r[5] = std::numeric_limits<double>::quiet_NaN();  // left out
  r[7] = 5000.0;                                    // one disc wider than many cells
  const DiscGrid grid(x, y, r, 150.0);
  int hits = 0, on_edge = 0;
  for (int q = 0; q < 4000; ++q) {
    double qx, qy;
    if (q % 4 == 0) {  // exactly on a disc's edge (axis-aligned: exact in floating point)
      const auto i = static_cast<Eigen::Index>(rng() % static_cast<std::uint64_t>(n));
      qx = x[i] + r[static_cast<std::size_t>(i)];
      qy = y[i];
    } else {  // anywhere, including outside every disc's reach
      qx = static_cast<double>(rng() % 60000) / 4.0 - 2500.0;
      qy = static_cast<double>(rng() % 60000) / 4.0 - 2500.0;
    }
    std::vector<std::pair<std::uint32_t, double>> got;
    grid.for_each_containing(qx, qy, [&](std::uint32_t i, double d2) { got.emplace_back(i, d2); });
    const auto want = brute(x, y, r, qx, qy);
    ASSERT_EQ(got, want) << "query (" << qx << ", " << qy << ")";
    hits += want.empty() ? 0 : 1;
    for (const auto& [i, d2] : want) on_edge += d2 == r[i] * r[i] ? 1 : 0;
  }
  EXPECT_GT(hits, 1000);
  EXPECT_GT(on_edge, 500);  // the inclusive boundary was exercised
}

TEST(DiscGrid, NoDiscsAndNanQueriesFindNothing) {
  const Eigen::VectorXd none(0);
  const DiscGrid empty(none, none, {}, 100.0);
  int calls = 0;
  empty.for_each_containing(0.0, 0.0, [&](std::uint32_t, double) { ++calls; });
  Eigen::VectorXd x(1), y(1);
  x[0] = y[0] = 0.0;
  const DiscGrid one(x, y, {10.0}, 100.0);
  one.for_each_containing(std::nan(""), 0.0, [&](std::uint32_t, double) { ++calls; });
  one.for_each_containing(0.0, std::nan(""), [&](std::uint32_t, double) { ++calls; });
  EXPECT_EQ(calls, 0);
  one.for_each_containing(0.0, -10.0, [&](std::uint32_t i, double d2) { calls += (i == 0 && d2 == 100.0) ? 1 : 100; });
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace infogap::detail
