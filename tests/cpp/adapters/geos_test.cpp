// Tests of the GEOS adapter (adapters/geos/geometry_ops.hpp): repair, overlay, Voronoi partition,
// the PolygonIndex and per-thread contexts. Geometry from WKT; expected values computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "adapters/geos/geometry_ops.hpp"
#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

TEST(GeosRepair, ValidPolygonIsReturnedUnchanged) {
  const Wkb square = from_wkt("POLYGON((0 0, 10 0, 10 10, 0 10, 0 0))");
  const RepairResult r = repair_polygon(square);
  EXPECT_FALSE(r.was_invalid);
  EXPECT_EQ(r.dropped_parts, 0);
  EXPECT_EQ(r.wkb, square);
}

TEST(GeosRepair, BowTieBecomesTwoTriangles) {
  // Self-crossing at (1, 1): two triangles (0,0)-(1,1)-(0,2) and (2,0)-(2,2)-(1,1),
  // each base 2 × height 1 / 2 = 1 m², total 2 m².
  const Wkb bowtie = from_wkt("POLYGON((0 0, 2 2, 2 0, 0 2, 0 0))");
  EXPECT_FALSE(is_valid(bowtie));
  const RepairResult r = repair_polygon(bowtie);
  EXPECT_TRUE(r.was_invalid);
  EXPECT_NE(r.reason.find("Self-intersection"), std::string::npos) << r.reason;
  EXPECT_EQ(r.dropped_parts, 0);
  ASSERT_FALSE(r.wkb.empty());
  EXPECT_TRUE(is_valid(r.wkb));
  EXPECT_EQ(geometry_type(r.wkb), "MultiPolygon");
  EXPECT_NEAR(area(r.wkb), 2.0, 1e-9);  // m²
  // Each triangle on its own: the left one covers (0.3, 1), the right one (1.7, 1); (1, 0.3) is outside both.
  EXPECT_TRUE(covers_point(r.wkb, 0.3, 1.0));
  EXPECT_TRUE(covers_point(r.wkb, 1.7, 1.0));
  EXPECT_FALSE(covers_point(r.wkb, 1.0, 0.3));
}

TEST(GeosRepair, SpikeIsDroppedAndCounted) {
  // A 10 × 10 square with a zero-width spike from (10, 5) out to (15, 5) and back.
  const Wkb spiked = from_wkt("POLYGON((0 0, 10 0, 10 5, 15 5, 10 5, 10 10, 0 10, 0 0))");
  const RepairResult r = repair_polygon(spiked);
  EXPECT_TRUE(r.was_invalid);
  EXPECT_EQ(r.dropped_parts, 1);  // the spike, a line
  ASSERT_FALSE(r.wkb.empty());
  EXPECT_TRUE(is_valid(r.wkb));
  const std::string type = geometry_type(r.wkb);
  EXPECT_TRUE(type == "MultiPolygon" || type == "Polygon") << type;
  EXPECT_NEAR(area(r.wkb), 100.0, 1e-9);  // m²
  EXPECT_FALSE(covers_point(r.wkb, 12.0, 5.0));
}

TEST(GeosRepair, NonPolygonIsInvalidInput) {
  EXPECT_THROW(repair_polygon(from_wkt("LINESTRING(0 0, 1 1)")), InvalidInput);
  EXPECT_THROW(repair_polygon(Wkb{1, 2, 3}), InvalidInput);
}

TEST(GeosRepair, NothingPolygonalLeftGivesEmptyWkb) {
  // Fully collapsed: every vertex on one line.
  const RepairResult r = repair_polygon(from_wkt("POLYGON((0 0, 5 0, 10 0, 0 0))"));
  EXPECT_TRUE(r.was_invalid);
  EXPECT_TRUE(r.wkb.empty());
  EXPECT_GE(r.dropped_parts, 1);
}

TEST(GeosOps, MeasuresAndRoundTrips) {
  const Wkb tri = polygon_from_ring({0, 6, 0}, {0, 0, 3});  // closed automatically
  EXPECT_NEAR(area(tri), 9.0, 1e-12);                       // m²: 6 × 3 / 2
  double x = 0, y = 0;
  centroid(tri, x, y);
  EXPECT_NEAR(x, 2.0, 1e-12);  // m: (0 + 6 + 0) / 3
  EXPECT_NEAR(y, 1.0, 1e-12);  // m
  point_on_surface(tri, x, y);
  EXPECT_TRUE(covers_point(tri, x, y));
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  envelope(tri, minx, miny, maxx, maxy);
  EXPECT_EQ(minx, 0.0);
  EXPECT_EQ(maxx, 6.0);
  EXPECT_EQ(maxy, 3.0);
  EXPECT_EQ(to_wkt(linestring({0, 1.5}, {2, 3})), "LINESTRING (0 2, 1.5 3)");
  // ISO WKB, little-endian, 2-D: byte order 1, type 3 (polygon).
  ASSERT_GE(tri.size(), 5u);
  EXPECT_EQ(tri[0], 1);
  EXPECT_EQ(tri[1], 3);
}

TEST(GeosOps, OverlayAreas) {
  const Wkb a = from_wkt("POLYGON((0 0, 4 0, 4 4, 0 4, 0 0))");
  const Wkb b = from_wkt("POLYGON((2 2, 6 2, 6 6, 2 6, 2 2))");
  EXPECT_NEAR(area(intersection(a, b)), 4.0, 1e-12);           // m²: 2 × 2
  EXPECT_NEAR(area(union_all({a, b})), 28.0, 1e-12);           // m²: 16 + 16 − 4
  EXPECT_NEAR(area(difference(a, b)), 12.0, 1e-12);            // m²
  EXPECT_NEAR(area(symmetric_difference(a, b)), 24.0, 1e-12);  // m²
}

TEST(GeosIndex, PointOnSharedEdgeIsCoveredByBothNeighbours) {
  // Two unit squares sharing the edge x = 1; a third far away; index 3 is a NULL geometry.
  const std::vector<Wkb> polys = {from_wkt("POLYGON((1 0, 2 0, 2 1, 1 1, 1 0))"),
                                  from_wkt("POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))"),
                                  from_wkt("POLYGON((10 10, 11 10, 11 11, 10 11, 10 10))"), Wkb{}};
  const PolygonIndex index(polys);
  std::vector<std::uint32_t> hits;
  index.covering(1.0, 0.5, hits);  // on the shared edge
  EXPECT_EQ(hits, (std::vector<std::uint32_t>{0, 1}));
  index.covering(1.0, 1.0, hits);  // shared corner
  EXPECT_EQ(hits, (std::vector<std::uint32_t>{0, 1}));
  index.covering(0.5, 0.5, hits);
  EXPECT_EQ(hits, (std::vector<std::uint32_t>{1}));
  index.covering(10.0, 10.5, hits);  // on an outer edge
  EXPECT_EQ(hits, (std::vector<std::uint32_t>{2}));
  index.covering(5.0, 5.0, hits);  // inside the envelope of nothing
  EXPECT_TRUE(hits.empty());
  index.covering(1.5, 1.0 + 1e-9, hits);  // just above the top edge
  EXPECT_TRUE(hits.empty());
}

TEST(GeosIndex, MovedIndexStillAnswers) {
  PolygonIndex a({from_wkt("POLYGON((0 0, 1 0, 1 1, 0 1, 0 0))")});
  PolygonIndex b(std::move(a));
  std::vector<std::uint32_t> hits;
  b.covering(0.5, 0.5, hits);
  EXPECT_EQ(hits, (std::vector<std::uint32_t>{0}));
}

// Polygon with a concave notch, seeds on a small irregular grid (independent of GEOS output order).
Wkb notched_polygon() {
  return from_wkt("POLYGON((0 0, 1000 0, 1000 600, 600 600, 600 300, 300 300, 300 800, 0 800, 0 0))");
}

TEST(GeosVoronoi, PartitionCoversPolygonWithoutOverlap) {
  const Wkb poly = notched_polygon();
  // By hand, in vertical strips: x 0–300 × y 0–800 (240,000) + x 300–600 × y 0–300 (90,000)
  // + x 600–1000 × y 0–600 (240,000) = 570,000 m².
  constexpr double k_area_m2 = 570000.0;
  ASSERT_NEAR(area(poly), k_area_m2, 1e-6);  // m²
  const std::vector<double> xs = {100, 450, 800, 150, 900, 700, 200, 50, 500};
  const std::vector<double> ys = {100, 120, 90, 500, 450, 550, 700, 300, 200};
  const std::vector<Wkb> cells = voronoi_partition(poly, xs, ys);
  ASSERT_EQ(cells.size(), xs.size());
  double sum = 0;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    ASSERT_TRUE(is_valid(cells[i])) << i;
    EXPECT_TRUE(covers_point(cells[i], xs[i], ys[i])) << "cell " << i << " is not its seed's";
    sum += area(cells[i]);
  }
  EXPECT_NEAR(sum, k_area_m2, 1e-3);                                    // m²
  EXPECT_NEAR(area(union_all(cells)), k_area_m2, 1e-3);                 // m²
  EXPECT_LT(area(symmetric_difference(union_all(cells), poly)), 1e-3);  // m²
  for (std::size_t i = 0; i < cells.size(); ++i)
    for (std::size_t j = i + 1; j < cells.size(); ++j)
      EXPECT_LT(area(intersection(cells[i], cells[j])), 1e-6) << i << "," << j;  // m²
  // Each cell holds exactly the points nearer its seed than any other: check a few probes.
  const std::vector<std::pair<double, double>> probes = {{10, 10}, {990, 10}, {620, 580}, {290, 790}, {450, 250}};
  for (auto [px, py] : probes) {
    std::size_t nearest = 0;
    double best = 1e300;
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double d = std::hypot(px - xs[i], py - ys[i]);
      if (d < best) {
        best = d;
        nearest = i;
      }
    }
    EXPECT_TRUE(covers_point(cells[nearest], px, py)) << px << "," << py;
  }
}

TEST(GeosVoronoi, SingleSeedAndDuplicates) {
  const Wkb poly = notched_polygon();
  const auto one = voronoi_partition(poly, {100}, {100});
  ASSERT_EQ(one.size(), 1u);
  EXPECT_NEAR(area(one[0]), 570000.0, 1e-6);  // m²
  EXPECT_THROW(voronoi_partition(poly, {100, 100}, {100, 100}), InvalidInput);
  EXPECT_TRUE(voronoi_partition(poly, {}, {}).empty());
}

TEST(GeosThreads, TwoThreadsWithTheirOwnIndexesAgreeWithOneThread) {
  // 20 × 20 grid of 10 m squares; query a lattice of points (some on edges and corners).
  std::vector<Wkb> squares;
  for (int r = 0; r < 20; ++r)
    for (int c = 0; c < 20; ++c) {
      const double x0 = c * 10.0, y0 = r * 10.0;
      squares.push_back(polygon_from_ring({x0, x0 + 10, x0 + 10, x0}, {y0, y0, y0 + 10, y0 + 10}));
    }
  auto run = [&squares](std::vector<std::size_t>& counts, std::vector<std::uint32_t>& firsts) {
    const PolygonIndex index(squares);  // per-thread index, per-instance GEOS context
    std::vector<std::uint32_t> hits;
    for (int i = 0; i <= 400; ++i)
      for (int j = 0; j <= 40; ++j) {
        index.covering(i * 0.5, j * 5.0, hits);
        counts.push_back(hits.size());
        firsts.push_back(hits.empty() ? 9999u : hits.front());
        // also use the thread-local context of the free functions at the same time
        if (j == 0 && i % 50 == 0) (void)area(squares[static_cast<std::size_t>(i / 50)]);
      }
  };
  std::vector<std::size_t> c1, c2, c0;
  std::vector<std::uint32_t> f1, f2, f0;
  std::thread t1(run, std::ref(c1), std::ref(f1));
  std::thread t2(run, std::ref(c2), std::ref(f2));
  t1.join();
  t2.join();
  run(c0, f0);
  EXPECT_EQ(c1, c0);
  EXPECT_EQ(c2, c0);
  EXPECT_EQ(f1, f0);
  EXPECT_EQ(f2, f0);
  // Independent check of one answer: (10, 10) is the shared corner of 4 squares; (5, 5) is inside 1.
  ASSERT_EQ(c0.size(), 401u * 41u);
  EXPECT_EQ(c0[20 * 41 + 2], 4u);  // i = 20 (x = 10), j = 2 (y = 10)
  EXPECT_EQ(c0[10 * 41 + 1], 1u);  // x = 5, y = 5
  EXPECT_EQ(c0[0], 1u);            // (0, 0): outer corner of square 0 only
}

}  // namespace
}  // namespace infogap::detail
