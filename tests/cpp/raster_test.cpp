// Tests of infogap/raster.hpp: grid snapping, hamlet id grid, exact nearest distance, point-source
// reducers and density, each against an independent brute-force computation.
#include "infogap/raster.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>
#include <string_view>
#include <vector>

#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "raster_world.hpp"

namespace infogap {
namespace {

/// Restores the automatic thread count when a test changes it.
struct ThreadGuard {
  ~ThreadGuard() { set_threads(0); }
};

Eigen::VectorXd vec(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

TEST(Grid, CoveringSnapsOutwardToMultiplesOfTheCell) {
  const Grid g = Grid::covering(500003.0, 1000007.0, 500051.0, 1000049.0, 10.0, 32648);
  EXPECT_DOUBLE_EQ(g.origin_x, 500000.0);
  EXPECT_DOUBLE_EQ(g.origin_y, 1000050.0);
  EXPECT_EQ(g.width, 6);   // 500000 … 500060
  EXPECT_EQ(g.height, 5);  // 1000000 … 1000050
  EXPECT_EQ(g.epsg, 32648);
  EXPECT_EQ(g.size(), 30u);
  EXPECT_DOUBLE_EQ(g.max_x(), 500060.0);
  EXPECT_DOUBLE_EQ(g.min_y(), 1000000.0);
  EXPECT_DOUBLE_EQ(g.center_x(0), 500005.0);
  EXPECT_DOUBLE_EQ(g.center_y(0), 1000045.0);
  EXPECT_EQ(g.col_of(500059.9), 5);
  EXPECT_EQ(g.row_of(1000000.1), 4);
  EXPECT_EQ(g.col_of(499999.0), -1);
}

TEST(Grid, CoveringKeepsAnExtentOnCellEdgesAndGivesOneCellToAPoint) {
  const Grid g = Grid::covering(100.0, 200.0, 300.0, 400.0, 25.0);
  EXPECT_DOUBLE_EQ(g.origin_x, 100.0);
  EXPECT_DOUBLE_EQ(g.origin_y, 400.0);
  EXPECT_EQ(g.width, 8);
  EXPECT_EQ(g.height, 8);
  const Grid p = Grid::covering(105.0, 205.0, 105.0, 205.0, 10.0);
  EXPECT_EQ(p.width, 1);
  EXPECT_EQ(p.height, 1);
  EXPECT_LE(p.origin_x, 105.0);
  EXPECT_GE(p.origin_y, 205.0);
}

TEST(Grid, CoveringContainsRandomExtents) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-1e6, 1e6), len(0.0, 5e3);
  for (int k = 0; k < 1000; ++k) {
    const double x0 = u(rng), y0 = u(rng), x1 = x0 + len(rng), y1 = y0 + len(rng);
    const double cell = std::vector<double>{0.3, 1.0, 7.5, 10.0, 30.0}[static_cast<std::size_t>(k % 5)];
    const Grid g = Grid::covering(x0, y0, x1, y1, cell);
    ASSERT_LE(g.origin_x, x0);
    ASSERT_GE(g.max_x(), x1);
    ASSERT_GE(g.origin_y, y1);
    ASSERT_LE(g.min_y(), y0);
    ASSERT_LT(g.origin_x, x0 + cell);  // snapped: no extra cell on the west/north side
    ASSERT_GT(g.origin_y, y1 - cell);
    ASSERT_NEAR(std::remainder(g.origin_x, cell), 0.0, 1e-6 * cell);  // m
  }
}

TEST(Grid, CoveringRejectsBadCellSizeAndHugeGrids) {
  EXPECT_THROW(Grid::covering(0, 0, 10, 10, 0.0), InvalidInput);
  EXPECT_THROW(Grid::covering(0, 0, 10, 10, -5.0), InvalidInput);
  EXPECT_THROW(Grid::covering(0, 0, 10, 10, std::nan("")), InvalidInput);
  EXPECT_THROW(Grid::covering(10, 0, 0, 10, 1.0), InvalidInput);
  EXPECT_THROW(Grid::covering(0, 0, 1e7, 1e7, 0.1), InvalidInput);  // 1e16 cells
}

// One character = one 10 m cell; digit = index of the hamlet expected at the cell centre.
// Hamlets 0 and 1 overlap on the cells marked 0 in columns 4–5: the lowest index wins.
constexpr std::string_view k_hamlets = R"(
0000000...
0000000.22
..11111.22
..11111...
..........)";

TEST(HamletIdGrid, MatchesHandDrawnSquareWorld) {
  // Grid: 10 × 5 cells of 10 m, top-left corner (1000, 2050).
  const Grid g = Grid::covering(1000.0, 2000.0, 1100.0, 2050.0, 10.0, 32648);
  ASSERT_EQ(g.width, 10);
  ASSERT_EQ(g.height, 5);
  // Rectangles on cell edges (cols [c0, c1), rows [r0, r1)).
  auto rect = [&g](int c0, int r0, int c1, int r1) {
    return test::rect_wkb(g.origin_x + c0 * 10.0, g.origin_y - r1 * 10.0, g.origin_x + c1 * 10.0,
                          g.origin_y - r0 * 10.0);
  };
  const std::vector<std::vector<std::uint8_t>> wkbs = {rect(0, 0, 7, 2), rect(2, 1, 7, 4), rect(8, 1, 10, 3)};
  const std::vector<std::int32_t> ids = hamlet_id_grid(g, wkbs);
  std::vector<std::int32_t> expected;
  for (const char c : k_hamlets.substr(1))
    if (c != '\n') expected.push_back(c == '.' ? -1 : c - '0');
  ASSERT_EQ(ids.size(), expected.size());
  EXPECT_EQ(ids, expected);
  const auto mask = mask_from_ids(ids);
  for (std::size_t i = 0; i < ids.size(); ++i) EXPECT_EQ(mask[i], ids[i] >= 0 ? 1 : 0);
}

TEST(HamletIdGrid, CellCentreRuleMatchesPointInPolygonOnAStar) {
  // A 12-pointed star (non-convex), cells of 3 m: a cell belongs to it iff its centre is inside.
  std::vector<std::pair<double, double>> ring;
  const double cx = 600123.4, cy = 1030456.7;
  for (int k = 0; k < 24; ++k) {
    const double a = k * 3.14159265358979 / 12.0, r = (k % 2 == 0) ? 140.0 : 60.0;
    ring.emplace_back(cx + r * std::cos(a), cy + r * std::sin(a));
  }
  const Grid g = Grid::covering(cx - 150, cy - 150, cx + 150, cy + 150, 3.0, 32648);
  set_threads(3);
  ThreadGuard restore;
  const auto ids = hamlet_id_grid(g, {{}, test::polygon_wkb(ring)});  // index 0 empty: skipped
  std::size_t inside = 0, checked = 0;
  for (int row = 0; row < g.height; ++row) {
    for (int col = 0; col < g.width; ++col) {
      const double x = g.center_x(col), y = g.center_y(row);
      double edge = 1e9;
      for (std::size_t i = 0; i < ring.size(); ++i)
        edge = std::min(edge, test::segment_distance(x, y, ring[i], ring[(i + 1) % ring.size()]));
      if (edge < 1e-6) continue;  // on the boundary: either answer is right
      ++checked;
      const bool in = test::inside_ring(ring, x, y);
      inside += in ? 1 : 0;
      ASSERT_EQ(ids[g.index(col, row)], in ? 1 : -1) << "cell " << col << "," << row;
    }
  }
  EXPECT_GT(inside, 1000u);
  EXPECT_GT(checked, 9000u);
}

TEST(HamletIdGrid, RejectsUnreadableWkb) {
  const Grid g = Grid::covering(0, 0, 100, 100, 10.0);
  EXPECT_THROW(hamlet_id_grid(g, {{1, 3, 0, 0}}), InvalidInput);
}

/// Brute-force nearest distance from every cell centre, in double.
std::vector<double> brute_nearest(const Grid& g, const std::vector<double>& xs, const std::vector<double>& ys) {
  std::vector<double> out(g.size(), std::numeric_limits<double>::infinity());
  for (int row = 0; row < g.height; ++row)
    for (int col = 0; col < g.width; ++col)
      for (std::size_t i = 0; i < xs.size(); ++i)
        out[g.index(col, row)] =
            std::min(out[g.index(col, row)], std::hypot(g.center_x(col) - xs[i], g.center_y(row) - ys[i]));
  return out;
}

TEST(NearestDistanceGrid, IsExactAgainstBruteForceOnRandomPoints) {
  std::mt19937_64 rng(42);
  const Grid g = Grid::covering(580000.0, 1020000.0, 581370.0, 1020910.0, 7.5, 32648);
  for (const int n : {1, 2, 7, 40, 300}) {
    std::uniform_real_distribution<double> ux(579500.0, 581900.0), uy(1019500.0, 1021400.0);  // some outside
    std::vector<double> xs, ys;
    for (int i = 0; i < n; ++i) {
      xs.push_back(ux(rng));
      ys.push_back(uy(rng));
    }
    if (n == 40) {  // equal x coordinates and an exact duplicate
      xs[1] = xs[0];
      xs[2] = xs[0];
      ys[2] = ys[0];
    }
    const auto got = nearest_distance_grid(g, vec(xs), vec(ys));
    const auto want = brute_nearest(g, xs, ys);
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t k = 0; k < got.size(); ++k)
      ASSERT_NEAR(got[k], want[k], 1e-6 * want[k] + 1e-4) << "n=" << n << " cell " << k;  // m (float rounding)
  }
}

TEST(NearestDistanceGrid, ClusteredPointsFarApartNeedTheWindowToGrow) {
  // Two tight clusters at opposite corners: rows in the middle find their nearest point far away.
  const Grid g = Grid::covering(0.0, 0.0, 2000.0, 3000.0, 10.0);
  std::vector<double> xs = {5.0, 7.0, 9.0, 1995.0, 1990.0}, ys = {2995.0, 2990.0, 2999.0, 3.0, 8.0};
  set_threads(4);
  ThreadGuard restore;
  const auto got = nearest_distance_grid(g, vec(xs), vec(ys));
  const auto want = brute_nearest(g, xs, ys);
  for (std::size_t k = 0; k < got.size(); ++k) ASSERT_NEAR(got[k], want[k], 1e-6 * want[k] + 1e-4);  // m
}

TEST(NearestDistanceGrid, MaskLeavesNaNAndDoesNotChangeOtherCells) {
  std::mt19937_64 rng(3);
  const Grid g = Grid::covering(0.0, 0.0, 640.0, 480.0, 10.0);
  std::uniform_real_distribution<double> ux(0, 640), uy(0, 480);
  std::vector<double> xs, ys;
  for (int i = 0; i < 12; ++i) {
    xs.push_back(ux(rng));
    ys.push_back(uy(rng));
  }
  std::vector<std::uint8_t> mask(g.size(), 0);
  for (std::size_t k = 0; k < mask.size(); ++k) mask[k] = (k % 7 == 0 || (k / 64) % 5 == 2) ? 1 : 0;
  for (int row = 10; row < 20; ++row)
    for (int col = 0; col < g.width; ++col) mask[g.index(col, row)] = 0;  // whole rows masked out
  const auto got = nearest_distance_grid(g, vec(xs), vec(ys), mask);
  const auto want = brute_nearest(g, xs, ys);
  for (std::size_t k = 0; k < got.size(); ++k) {
    if (mask[k] == 0) {
      ASSERT_TRUE(std::isnan(got[k]));
    } else {
      ASSERT_NEAR(got[k], want[k], 1e-6 * want[k] + 1e-4);  // m
    }
  }
}

TEST(NearestDistanceGrid, NoFinitePointGivesNaNAndThreadCountDoesNotMatter) {
  const Grid g = Grid::covering(0.0, 0.0, 500.0, 500.0, 10.0);
  const auto none = nearest_distance_grid(g, vec({std::nan("")}), vec({1.0}));
  for (const float v : none) ASSERT_TRUE(std::isnan(v));
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-100, 600);
  std::vector<double> xs, ys;
  for (int i = 0; i < 25; ++i) {
    xs.push_back(u(rng));
    ys.push_back(u(rng));
  }
  ThreadGuard restore;
  set_threads(1);
  const auto one = nearest_distance_grid(g, vec(xs), vec(ys));
  set_threads(5);
  const auto five = nearest_distance_grid(g, vec(xs), vec(ys));
  EXPECT_EQ(one, five);
}

/// A kernel for the reducer tests: a level falling with distance, different per source.
float test_kernel(std::size_t i, double dx, double dy) {
  const double d = std::hypot(dx, dy);
  return static_cast<float>(90.0 - 20.0 * std::log10(std::max(d, 1.0)) - 0.5 * static_cast<double>(i));
}

struct Sources {
  std::vector<double> xs, ys, rs;
};

Sources random_sources(unsigned seed, int n, const Grid& g) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> ux(g.origin_x - 50, g.max_x() + 50), uy(g.min_y() - 50, g.origin_y + 50),
      ur(5.0, 180.0);
  Sources s;
  for (int i = 0; i < n; ++i) {
    s.xs.push_back(ux(rng));
    s.ys.push_back(uy(rng));
    s.rs.push_back(ur(rng));
  }
  s.rs[0] = 0.0;  // skipped
  return s;
}

TEST(AccumulatePointSources, SeveralReducersInOnePassEqualSeparatePasses) {
  const Grid g = Grid::covering(1000.0, 1000.0, 1600.0, 1450.0, 5.0);
  const Sources s = random_sources(7, 40, g);
  const std::vector<Reducer> reducers{{Reduce::max, 0}, {Reduce::count_at_least, 55.0}, {Reduce::energy_sum, 0}};
  ThreadGuard restore;
  set_threads(2);
  const auto together = accumulate_point_sources(g, vec(s.xs), vec(s.ys), vec(s.rs), test_kernel, reducers);
  ASSERT_EQ(together.size(), reducers.size());
  for (std::size_t k = 0; k < reducers.size(); ++k) {
    const auto alone = accumulate_point_sources(g, vec(s.xs), vec(s.ys), vec(s.rs), test_kernel, reducers[k]);
    ASSERT_EQ(alone.size(), together[k].size());
    for (std::size_t c = 0; c < alone.size(); ++c) {
      if (std::isnan(alone[c])) {
        ASSERT_TRUE(std::isnan(together[k][c])) << k << " " << c;
      } else {
        ASSERT_EQ(alone[c], together[k][c]) << k << " " << c;  // bit-identical
      }
    }
  }
}

TEST(AccumulatePointSources, EveryReducerMatchesBruteForce) {
  const Grid g = Grid::covering(1000.0, 1000.0, 1600.0, 1450.0, 5.0);
  const Sources s = random_sources(5, 60, g);
  const Reducer reducers[] = {
      {Reduce::max, 0}, {Reduce::energy_sum, 0}, {Reduce::sum, 0}, {Reduce::count_at_least, 55.0}};
  ThreadGuard restore;
  set_threads(3);
  for (const Reducer red : reducers) {
    const auto got = accumulate_point_sources(g, vec(s.xs), vec(s.ys), vec(s.rs), test_kernel, red);
    std::size_t contributed = 0;
    for (int row = 0; row < g.height; ++row) {
      for (int col = 0; col < g.width; ++col) {
        double mx = -std::numeric_limits<double>::infinity(), energy = 0, sum = 0, count = 0;
        int hits = 0;
        for (std::size_t i = 1; i < s.xs.size(); ++i) {
          const double dx = g.center_x(col) - s.xs[i], dy = g.center_y(row) - s.ys[i];
          if (std::hypot(dx, dy) > s.rs[i]) continue;
          const double v = test_kernel(i, dx, dy);
          ++hits;
          mx = std::max(mx, v);
          energy += std::pow(10.0, v / 10.0);
          sum += v;
          count += v >= 55.0 ? 1 : 0;
        }
        contributed += hits > 0 ? 1 : 0;
        const float v = got[g.index(col, row)];
        switch (red.op) {
          case Reduce::max:
            if (hits == 0) {
              ASSERT_TRUE(std::isnan(v));
            } else {
              ASSERT_NEAR(v, mx, 1e-5);  // dB
            }
            break;
          case Reduce::energy_sum:
            if (hits == 0) {
              ASSERT_TRUE(std::isnan(v));
            } else {
              ASSERT_NEAR(v, 10.0 * std::log10(energy), 1e-4);  // dB (float accumulation)
            }
            break;
          case Reduce::sum:
            ASSERT_NEAR(v, sum, 1e-5 * std::abs(sum) + 1e-4);
            break;
          case Reduce::count_at_least:
            ASSERT_EQ(v, static_cast<float>(count));
            break;
        }
      }
    }
    EXPECT_GT(contributed, g.size() / 2);  // the world is not empty
  }
}

TEST(AccumulatePointSources, IsDeterministicAcrossThreadCountsAndRespectsTheMask) {
  const Grid g = Grid::covering(0.0, 0.0, 800.0, 700.0, 10.0);
  const Sources s = random_sources(9, 80, g);
  std::vector<std::uint8_t> mask(g.size(), 1);
  for (std::size_t k = 0; k < mask.size(); k += 3) mask[k] = 0;
  ThreadGuard restore;
  set_threads(1);
  const auto one =
      accumulate_point_sources(g, vec(s.xs), vec(s.ys), vec(s.rs), test_kernel, {Reduce::energy_sum, 0}, mask);
  set_threads(4);
  const auto four =
      accumulate_point_sources(g, vec(s.xs), vec(s.ys), vec(s.rs), test_kernel, {Reduce::energy_sum, 0}, mask);
  ASSERT_EQ(one.size(), four.size());
  for (std::size_t k = 0; k < one.size(); ++k) {
    if (mask[k] == 0) {
      ASSERT_TRUE(std::isnan(one[k]) && std::isnan(four[k]));
    } else if (std::isnan(one[k])) {
      ASSERT_TRUE(std::isnan(four[k]));
    } else {
      ASSERT_EQ(one[k], four[k]);  // bitwise
    }
  }
}

TEST(AccumulatePointSources, RadiusIsInclusiveAndOneRadiusOverloadMatches) {
  // Source at a cell centre, radius exactly two cells: the cell two to the east is included.
  const Grid g = Grid::covering(0.0, 0.0, 100.0, 100.0, 10.0);
  const auto got = accumulate_point_sources(g, vec({55.0}), vec({55.0}), 20.0,
                                            [](std::size_t, double, double) { return 1.0f; }, {Reduce::sum, 0});
  EXPECT_EQ(got[g.index(7, 4)], 1.0f);  // centre (75, 55): 20 m east
  EXPECT_EQ(got[g.index(8, 4)], 0.0f);  // 30 m
  EXPECT_EQ(got[g.index(6, 3)], 1.0f);  // √200 ≈ 14.1 m
  EXPECT_EQ(got[g.index(7, 3)], 0.0f);  // √500 ≈ 22.4 m
  float total = 0;
  for (const float v : got) total += v;
  EXPECT_EQ(total, 13.0f);  // lattice points with i² + j² ≤ 4
}

TEST(PointDensityGrid, BinningGivesWeightPerSquareKilometre) {
  const Grid g = Grid::covering(0.0, 0.0, 100.0, 100.0, 10.0);
  const auto d = point_density_grid(g, vec({15.0, 12.0, 95.0, 500.0}), vec({85.0, 88.0, 5.0, 5.0}),
                                    vec({1.0, 0.5, 2.0, 9.0}), 0.0);
  // A 10 m cell is 1e-4 km²: 1.5 weight → 15 000 per km².
  EXPECT_NEAR(d[g.index(1, 1)], 15000.0, 1e-2);  // 1/km²
  EXPECT_NEAR(d[g.index(9, 9)], 20000.0, 1e-2);  // 1/km²
  double total = 0;
  for (const float v : d) total += v;
  EXPECT_NEAR(total, 35000.0, 1e-2);  // the point outside the grid is ignored
}

TEST(PointDensityGrid, KernelConservesMassAndMatchesTheQuarticFormula) {
  std::mt19937_64 rng(21);
  const Grid g = Grid::covering(0.0, 0.0, 2000.0, 1500.0, 10.0);
  std::uniform_real_distribution<double> ux(300, 1700), uy(300, 1200), uw(0.5, 1.0);
  std::vector<double> xs, ys, ws;
  double total_w = 0;
  for (int i = 0; i < 200; ++i) {
    xs.push_back(ux(rng));
    ys.push_back(uy(rng));
    ws.push_back(uw(rng));
    total_w += ws.back();
  }
  const double radius = 150.0;
  ThreadGuard restore;
  set_threads(3);
  const auto d = point_density_grid(g, vec(xs), vec(ys), vec(ws), radius);
  const double cell_km2 = 1e-4;
  double mass = 0;
  for (const float v : d) mass += static_cast<double>(v) * cell_km2;
  EXPECT_NEAR(mass, total_w, 1e-4 * total_w);  // weight: every kernel lies inside the grid

  // Independent evaluation at a few cells: Σ w · K(d) / (Σ_lattice K · cell area), K = (1 − d²/r²)².
  double norm = 0;
  for (int i = -15; i <= 15; ++i)
    for (int j = -15; j <= 15; ++j) {
      const double u = 1.0 - (i * i + j * j) * 100.0 / (radius * radius);
      if (u > 0) norm += u * u;
    }
  for (const auto& [col, row] : std::vector<std::pair<int, int>>{{60, 70}, {100, 75}, {45, 40}, {150, 110}}) {
    double want = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double pcx = g.center_x(static_cast<int>(g.col_of(xs[i]))),
                   pcy = g.center_y(static_cast<int>(g.row_of(ys[i])));
      const double dist2 = std::pow(g.center_x(col) - pcx, 2) + std::pow(g.center_y(row) - pcy, 2);
      const double u = 1.0 - dist2 / (radius * radius);
      if (u > 0) want += ws[i] * u * u / (norm * cell_km2);
    }
    EXPECT_NEAR(d[g.index(col, row)], want, 1e-5 * want + 1e-6) << col << "," << row;  // 1/km²
  }
}

TEST(WriteRaster, RejectsMismatchedValuesAndGridWithoutCrs) {
  const Grid g = Grid::covering(0.0, 0.0, 100.0, 100.0, 10.0);  // epsg 0
  EXPECT_THROW(write_raster(g, std::vector<float>(g.size()), {}, "/tmp/never.tif"), InvalidInput);
  Grid h = g;
  h.epsg = 32648;
  EXPECT_THROW(write_raster(h, std::vector<float>(3), {}, "/tmp/never.tif"), InvalidInput);
}

}  // namespace
}  // namespace infogap
