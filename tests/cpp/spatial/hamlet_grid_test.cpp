#include "spatial/hamlet_grid.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iomanip>
#include <limits>
#include <numeric>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/geos/geometry_ops.hpp"
#include "infogap/parallel.hpp"

namespace infogap::detail {
namespace {

using Polygons = std::vector<std::vector<std::uint8_t>>;

/// Independent reference: one GEOS index, prepared Covers for every point, lowest rank wins.
struct Reference {
  std::vector<std::int32_t> polygon;
  std::int64_t overlaps = 0;
};

Reference exact_reference(const std::vector<double>& x, const std::vector<double>& y, const Polygons& polygons,
                          const std::vector<std::int32_t>& rank) {
  const PolygonIndex index(polygons);
  Reference ref;
  std::vector<std::uint32_t> hits;
  for (std::size_t i = 0; i < x.size(); ++i) {
    index.covering(x[i], y[i], hits);
    std::int32_t best = -1;
    for (auto h : hits)
      if (best < 0 || rank[h] < rank[static_cast<std::size_t>(best)]) best = static_cast<std::int32_t>(h);
    ref.polygon.push_back(best);
    if (hits.size() > 1) ++ref.overlaps;
  }
  return ref;
}

Eigen::VectorXd to_eigen(const std::vector<double>& v) {
  return Eigen::Map<const Eigen::VectorXd>(v.data(), static_cast<Eigen::Index>(v.size()));
}

/// Runs the grid join and checks every point against the reference; returns the stats.
PointJoinStats expect_same_as_exact(const std::vector<double>& x, const std::vector<double>& y,
                                    const Polygons& polygons, const std::vector<std::int32_t>& rank,
                                    const PointJoinOptions& options, const std::string& label) {
  const Reference ref = exact_reference(x, y, polygons, rank);
  const PointJoin got = join_points_grid(to_eigen(x), to_eigen(y), polygons, rank, options);
  EXPECT_EQ(got.polygon.size(), x.size()) << label;
  std::size_t mismatches = 0;
  for (std::size_t i = 0; i < x.size() && i < got.polygon.size(); ++i) {
    if (got.polygon[i] != ref.polygon[i] && ++mismatches <= 5)
      ADD_FAILURE() << label << ": point " << i << " (" << std::setprecision(17) << x[i] << ", " << y[i] << ") grid "
                    << got.polygon[i] << " exact " << ref.polygon[i];
  }
  EXPECT_EQ(mismatches, 0u) << label;
  EXPECT_EQ(got.overlaps, ref.overlaps) << label;
  EXPECT_EQ(got.stats.grid_points + got.stats.exact_points + got.stats.outside_extent,
            static_cast<std::int64_t>(x.size()))
      << label;
  // The exact method must agree with the reference as well (it is the fallback).
  const PointJoin exact = join_points_exact(to_eigen(x), to_eigen(y), polygons, rank);
  EXPECT_EQ(exact.polygon, ref.polygon) << label;
  EXPECT_EQ(exact.overlaps, ref.overlaps) << label;
  return got.stats;
}

std::string num(double v) {
  std::ostringstream s;
  s << std::setprecision(17) << v;
  return s.str();
}

std::string ring_text(const std::vector<std::pair<double, double>>& pts) {
  std::string s = "(";
  for (std::size_t i = 0; i <= pts.size(); ++i) {
    const auto& p = pts[i % pts.size()];
    s += (i ? ", " : "") + num(p.first) + " " + num(p.second);
  }
  return s + ")";
}

std::string box_ring(double x0, double y0, double x1, double y1) {
  return ring_text({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}});
}

/// Adds points exactly on every vertex, on (or within rounding of) every edge, and just off
/// each side of every edge at several distances (m).
void add_boundary_points(const std::vector<std::pair<double, double>>& ring, std::mt19937_64& rng,
                         std::vector<double>& x, std::vector<double>& y) {
  std::uniform_real_distribution<double> t01(0.0, 1.0);
  for (std::size_t k = 0; k < ring.size(); ++k) {
    const auto [ax, ay] = ring[k];
    const auto [bx, by] = ring[(k + 1) % ring.size()];
    x.push_back(ax);
    y.push_back(ay);
    const double len = std::hypot(bx - ax, by - ay);
    if (len == 0) continue;
    const double nx = -(by - ay) / len, ny = (bx - ax) / len;
    for (int j = 0; j < 3; ++j) {
      const double t = j == 0 ? 0.5 : t01(rng);
      const double px = ax + t * (bx - ax), py = ay + t * (by - ay);
      x.push_back(px);
      y.push_back(py);
      for (double off : {1e-9, 1e-6, 1e-3, 0.3, 2.0}) {
        x.push_back(px + off * nx);
        y.push_back(py + off * ny);
        x.push_back(px - off * nx);
        y.push_back(py - off * ny);
      }
    }
  }
}

/// Jittered quadrilateral "hamlets" sharing edges (exactly the same doubles), some split into two
/// triangles along a diagonal; every third row of vertices is not jittered (horizontal edges, so
/// some edge points are exactly on the edge).
struct Mosaic {
  Polygons polygons;
  std::vector<std::vector<std::pair<double, double>>> rings;
};

Mosaic jittered_mosaic(int nx, int ny, double size_m, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> jitter(-0.3 * size_m, 0.3 * size_m);
  std::vector<std::vector<std::pair<double, double>>> v(
      static_cast<std::size_t>(nx + 1), std::vector<std::pair<double, double>>(static_cast<std::size_t>(ny + 1)));
  for (int i = 0; i <= nx; ++i)
    for (int j = 0; j <= ny; ++j) {
      const bool border = i == 0 || j == 0 || i == nx || j == ny;
      const double jx = border ? 0.0 : jitter(rng), jy = (border || j % 3 == 0) ? 0.0 : jitter(rng);
      v[static_cast<std::size_t>(i)][static_cast<std::size_t>(j)] = {500000.0 + i * size_m + jx,
                                                                     1000000.0 + j * size_m + jy};
    }
  Mosaic m;
  auto add = [&](std::vector<std::pair<double, double>> ring) {
    std::vector<double> rx, ry;
    for (const auto& [px, py] : ring) {
      rx.push_back(px);
      ry.push_back(py);
    }
    m.polygons.push_back(polygon_from_ring(rx, ry));
    m.rings.push_back(std::move(ring));
  };
  for (int i = 0; i < nx; ++i)
    for (int j = 0; j < ny; ++j) {
      const auto at = [&](int a, int b) { return v[static_cast<std::size_t>(a)][static_cast<std::size_t>(b)]; };
      if ((i + 2 * j) % 5 == 0) {
        add({at(i, j), at(i + 1, j), at(i + 1, j + 1)});
        add({at(i, j), at(i + 1, j + 1), at(i, j + 1)});
      } else {
        add({at(i, j), at(i + 1, j), at(i + 1, j + 1), at(i, j + 1)});
      }
    }
  return m;
}

std::vector<std::int32_t> shuffled_ranks(std::size_t n, std::mt19937_64& rng) {
  std::vector<std::int32_t> rank(n);
  std::iota(rank.begin(), rank.end(), 0);
  std::shuffle(rank.begin(), rank.end(), rng);
  return rank;
}

TEST(HamletGrid, EqualsExactJoinOnAMosaicOfHamletsWithPointsOnEdgesAndVertices) {
  std::mt19937_64 rng(11);
  const Mosaic m = jittered_mosaic(12, 9, 700.0, rng);
  std::vector<double> x, y;
  std::uniform_real_distribution<double> ux(500000.0 - 500, 500000.0 + 12 * 700.0 + 500);
  std::uniform_real_distribution<double> uy(1000000.0 - 500, 1000000.0 + 9 * 700.0 + 500);
  for (int i = 0; i < 60000; ++i) {
    x.push_back(ux(rng));
    y.push_back(uy(rng));
  }
  for (const auto& r : m.rings) add_boundary_points(r, rng, x, y);
  const auto rank = shuffled_ranks(m.polygons.size(), rng);

  const PointJoinStats automatic = expect_same_as_exact(x, y, m.polygons, rank, {}, "automatic cells");
  EXPECT_GT(automatic.grid_points, 2 * automatic.exact_points);  // the grid answers most points
  EXPECT_GT(automatic.exact_points, 0);
  // Small tiles (polygons span many tiles), fine and coarse cells, cells not aligned with anything.
  expect_same_as_exact(x, y, m.polygons, rank, {.tile_m = 1000.0, .cell_m = 7.3}, "tile 1000 m, cell 7.3 m");
  expect_same_as_exact(x, y, m.polygons, rank, {.tile_m = 4096.0, .cell_m = 333.0}, "cell 333 m");
  expect_same_as_exact(x, y, m.polygons, rank, {.tile_m = 250.0, .cell_m = 1.0}, "tile 250 m, cell 1 m");
}

TEST(HamletGrid, OverlapsSliversHolesAndMultipolygonsAreExact) {
  // Ranks: lower wins. Holes, an island in a hole, overlaps (one complete duplicate), slivers
  // 1 cm and 5 mm wide (far thinner than any cell), a multipolygon with parts touching at a
  // vertex, a Z polygon, and an empty geometry.
  const std::vector<std::string> wkt = {
      "POLYGON (" + box_ring(0, 0, 1000, 1000) + ", " + box_ring(400, 400, 600, 600) + ")",  // 0: square with hole
      "POLYGON (" + box_ring(450, 450, 550, 550) + ")",                                      // 1: island in the hole
      "POLYGON (" + box_ring(800, 0, 1500, 1000) + ")",                                      // 2: overlaps 0
      "POLYGON ((100 700, 900 700.01, 100 700.02, 100 700))",                                // 3: sliver inside 0
      "POLYGON (" + box_ring(2000, 500, 2800, 500.005) + ")",                                // 4: sliver alone
      "MULTIPOLYGON ((" + box_ring(3000, 0, 3100, 100) + "), (" + box_ring(3100, 100, 3200, 200) + "), (" +
          box_ring(3300, 0, 3400, 100) + ", " + box_ring(3320, 20, 3380, 80) + "))",   // 5: multipolygon
      "POLYGON Z ((1600 0 5, 1900 0 5, 1750 900 7, 1600 0 5))",                        // 6: triangle with Z
      "POLYGON (" + box_ring(800, 0, 1500, 1000) + ")",                                // 7: duplicate of 2
      "POLYGON EMPTY",                                                                 // 8: empty
      "POLYGON ((2000 2000, 2600 2000, 2600 2600, 2300 2100, 2000 2600, 2000 2000))",  // 9: concave
  };
  Polygons polygons;
  for (const auto& w : wkt) polygons.push_back(from_wkt(w));
  std::vector<std::int32_t> rank = {5, 3, 9, 0, 1, 2, 4, 6, 7, 8};

  std::mt19937_64 rng(5);
  std::vector<double> x, y;
  std::uniform_real_distribution<double> ux(-200, 3600), uy(-200, 2800);
  for (int i = 0; i < 60000; ++i) {
    x.push_back(ux(rng));
    y.push_back(uy(rng));
  }
  // Along and across the slivers.
  for (int i = 0; i <= 400; ++i) {
    const double t = i / 400.0;
    x.push_back(100 + 800 * t);
    y.push_back(700.01);  // on the sliver's axis (strictly inside for 0 < t < 1)
    x.push_back(2000 + 800 * t);
    y.push_back(500.0025);
  }
  const std::vector<std::vector<std::pair<double, double>>> rings = {
      {{0, 0}, {1000, 0}, {1000, 1000}, {0, 1000}},
      {{400, 400}, {600, 400}, {600, 600}, {400, 600}},
      {{450, 450}, {550, 450}, {550, 550}, {450, 550}},
      {{800, 0}, {1500, 0}, {1500, 1000}, {800, 1000}},
      {{100, 700}, {900, 700.01}, {100, 700.02}},
      {{2000, 500}, {2800, 500}, {2800, 500.005}, {2000, 500.005}},
      {{3000, 0}, {3100, 0}, {3100, 100}, {3200, 100}, {3200, 200}, {3100, 200}, {3100, 100}, {3000, 100}},
      {{3320, 20}, {3380, 20}, {3380, 80}, {3320, 80}},
      {{1600, 0}, {1900, 0}, {1750, 900}},
      {{2000, 2000}, {2600, 2000}, {2600, 2600}, {2300, 2100}, {2000, 2600}},
  };
  for (const auto& r : rings) add_boundary_points(r, rng, x, y);
  // NaN and far-away points.
  x.insert(x.end(), {std::numeric_limits<double>::quiet_NaN(), 1e9, -3, 700});
  y.insert(y.end(), {5.0, 5.0, std::numeric_limits<double>::infinity(), 700.01});

  const auto automatic = expect_same_as_exact(x, y, polygons, rank, {}, "automatic");
  EXPECT_GT(automatic.grid_points, automatic.exact_points);
  expect_same_as_exact(x, y, polygons, rank, {.tile_m = 512.0, .cell_m = 50.0}, "cells 50 m (slivers inside cells)");
  expect_same_as_exact(x, y, polygons, rank, {.tile_m = 4096.0, .cell_m = 0.7}, "cells 0.7 m");
  // The sliver's interior points are joined to the sliver (rank 0 beats the square around it).
  const PointJoin got = join_points_grid(to_eigen(x), to_eigen(y), polygons, rank, {.tile_m = 512.0, .cell_m = 50.0});
  const std::size_t sliver_mid = 60000 + 2 * 200;  // t = 0.5 on sliver 3's axis
  EXPECT_EQ(got.polygon[sliver_mid], 3);
  EXPECT_EQ(got.polygon[sliver_mid + 1], 4);
}

TEST(HamletGrid, ResultDoesNotDependOnThreads) {
  std::mt19937_64 rng(3);
  const Mosaic m = jittered_mosaic(8, 8, 900.0, rng);
  std::vector<double> xs, ys;
  std::uniform_real_distribution<double> ux(499000, 509000), uy(999000, 1009000);
  for (int i = 0; i < 40000; ++i) {
    xs.push_back(ux(rng));
    ys.push_back(uy(rng));
  }
  const auto rank = shuffled_ranks(m.polygons.size(), rng);
  set_threads(1);
  const PointJoin one = join_points_grid(to_eigen(xs), to_eigen(ys), m.polygons, rank, {.tile_m = 1500.0});
  set_threads(3);
  const PointJoin three = join_points_grid(to_eigen(xs), to_eigen(ys), m.polygons, rank, {.tile_m = 1500.0});
  set_threads(0);
  EXPECT_EQ(one.polygon, three.polygon);
  EXPECT_EQ(one.overlaps, three.overlaps);
  const Reference ref = exact_reference(xs, ys, m.polygons, rank);
  EXPECT_EQ(one.polygon, ref.polygon);
}

TEST(HamletGrid, UnsupportedGeometryUsesTheExactMethodForEveryPoint) {
  const Polygons polygons = {from_wkt("GEOMETRYCOLLECTION (POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0)))"),
                             from_wkt("POLYGON ((5 5, 20 5, 20 20, 5 20, 5 5))")};
  std::vector<double> x, y;
  for (int i = -2; i <= 22; ++i)
    for (int j = -2; j <= 22; ++j) {
      x.push_back(i);
      y.push_back(j);
    }
  const PointJoin got = join_points_grid(to_eigen(x), to_eigen(y), polygons, {1, 0});
  EXPECT_TRUE(got.stats.exact_fallback);
  const Reference ref = exact_reference(x, y, polygons, {1, 0});
  EXPECT_EQ(got.polygon, ref.polygon);
  EXPECT_EQ(got.overlaps, ref.overlaps);
  EXPECT_EQ(got.overlaps, 36);  // [5, 10]² lattice points: 6 × 6
}

TEST(HamletGrid, HugeExtentsStayExact) {
  // Two hamlets 1e9 m apart: the tiles grow (at most 4M of them) and the cells with them; an
  // extent whose area overflows a double goes to the exact method.
  std::mt19937_64 rng(9);
  for (const double far : {1e9, 1e200}) {
    const Polygons polygons = {
        from_wkt("POLYGON ((0 0, 1000 0, 1000 1000, 0 1000, 0 0))"),
        from_wkt("POLYGON ((" + num(far) + " " + num(far) + ", " + num(far * 1.0000001) + " " + num(far) + ", " +
                 num(far) + " " + num(far * 1.0000001) + ", " + num(far) + " " + num(far) + "))")};
    std::vector<double> x, y;
    std::uniform_real_distribution<double> u(-100, 1100), v(0.0, 1.0000001);
    for (int i = 0; i < 5000; ++i) {
      x.push_back(u(rng));
      y.push_back(u(rng));
      x.push_back(far * v(rng));
      y.push_back(far * v(rng));
    }
    const auto st = expect_same_as_exact(x, y, polygons, {0, 1}, {}, "far = " + num(far));
    EXPECT_EQ(st.exact_fallback, far > 1e100);
  }
}

TEST(HamletGrid, NoPolygonsMeansEveryPointOutside) {
  const std::vector<double> x = {1, 2, 3}, y = {1, 2, 3};
  const PointJoin none = join_points_grid(to_eigen(x), to_eigen(y), {}, {});
  EXPECT_EQ(none.polygon, (std::vector<std::int32_t>{-1, -1, -1}));
  EXPECT_EQ(none.stats.outside_extent, 3);
  const PointJoin empty = join_points_grid(to_eigen(x), to_eigen(y), {Polygons::value_type{}}, {0});
  EXPECT_EQ(empty.polygon, (std::vector<std::int32_t>{-1, -1, -1}));
}

TEST(HamletGrid, NationalExtentKeepsEveryTileGridBounded) {
  // Hamlet clusters spread over a 1,650 km × 600 km country; households around them.
  std::mt19937_64 rng(17);
  Polygons polygons;
  std::vector<std::vector<std::pair<double, double>>> rings;
  std::vector<double> x, y;
  std::uniform_real_distribution<double> cx(200000, 200000 + 600000), cy(900000, 900000 + 1650000);
  std::normal_distribution<double> spread(0, 1500);
  for (int c = 0; c < 40; ++c) {
    Mosaic m = jittered_mosaic(3, 3, 1200.0, rng);
    const double dx = std::round(cx(rng)) - 500000.0, dy = std::round(cy(rng)) - 1000000.0;
    for (auto& ring : m.rings) {
      std::vector<double> rx, ry;
      for (auto& [px, py] : ring) {
        px += dx;
        py += dy;
        rx.push_back(px);
        ry.push_back(py);
      }
      polygons.push_back(polygon_from_ring(rx, ry));
      rings.push_back(ring);
    }
    for (int i = 0; i < 2000; ++i) {
      x.push_back(500000.0 + dx + 1800 + spread(rng));
      y.push_back(1000000.0 + dy + 1800 + spread(rng));
    }
  }
  for (const auto& r : rings) add_boundary_points(r, rng, x, y);
  const auto rank = shuffled_ranks(polygons.size(), rng);
  const PointJoinStats st = expect_same_as_exact(x, y, polygons, rank, {}, "national");
  // Only tiles holding households are gridded, each with at most k_max_tile_side² cells.
  EXPECT_LE(st.tiles, 40 * 16);  // ≤ 4 × 4 tiles of 4 km per cluster (±6 km), of ≈60k in the extent
  EXPECT_LE(st.cells, st.tiles * std::int64_t{k_max_tile_side} * k_max_tile_side);
  const PointJoinStats fine = expect_same_as_exact(x, y, polygons, rank, {.cell_m = 0.5}, "national, 0.5 m cells");
  EXPECT_LE(fine.cells, fine.tiles * std::int64_t{k_max_tile_side} * k_max_tile_side);  // side clamped
}

}  // namespace
}  // namespace infogap::detail
