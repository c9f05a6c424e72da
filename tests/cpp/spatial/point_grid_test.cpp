#include "spatial/point_grid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

namespace infogap::detail {
namespace {

TEST(PointGrid, RadiusQueryEqualsBruteForceIncludingTheBoundary) {
  std::mt19937_64 rng(7);
  const int n = 3000;
  Eigen::VectorXd x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<double>(rng() % 20000) / 2.0;  // half-metre lattice: exact ties happen
    y[i] = static_cast<double>(rng() % 20000) / 2.0;
  }
  const PointGrid grid(x, y, 300.0);
  for (int q = 0; q < 200; ++q) {
    const double qx = static_cast<double>(rng() % 10000), qy = static_cast<double>(rng() % 10000);
    const double r = static_cast<double>(rng() % 800);
    std::vector<std::uint32_t> got, want;
    grid.for_each_within(qx, qy, r, [&](std::uint32_t i, double) { got.push_back(i); });
    for (int i = 0; i < n; ++i) {
      const double dx = x[i] - qx, dy = y[i] - qy;
      if (dx * dx + dy * dy <= r * r) want.push_back(static_cast<std::uint32_t>(i));
    }
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want) << "query " << q;
  }
}

TEST(PointGrid, NearestEqualsBruteForceAlsoFarOutside) {
  std::mt19937_64 rng(11);
  const int n = 500;
  Eigen::VectorXd x(n), y(n);
  for (int i = 0; i < n; ++i) {
    x[i] = static_cast<double>(rng() % 100000) / 10.0;
    y[i] = static_cast<double>(rng() % 100000) / 10.0;
  }
  const PointGrid grid(x, y, 100.0);
  for (int q = 0; q < 300; ++q) {
    const double qx = static_cast<double>(rng() % 30000) - 10000.0, qy = static_cast<double>(rng() % 30000) - 10000.0;
    double best = 1e300;
    for (int i = 0; i < n; ++i) best = std::min(best, std::hypot(x[i] - qx, y[i] - qy));
    double d = 0;
    const auto idx = grid.nearest(qx, qy, &d);
    ASSERT_GE(idx, 0);
    EXPECT_NEAR(d, best, 1e-9);  // m
  }
}

TEST(PointGrid, EmptyGridAnswersNothing) {
  const Eigen::VectorXd none(0);
  const PointGrid grid(none, none, 10.0);
  double d = 0;
  EXPECT_EQ(grid.nearest(1, 2, &d), -1);
  EXPECT_TRUE(std::isinf(d));
}

}  // namespace
}  // namespace infogap::detail
