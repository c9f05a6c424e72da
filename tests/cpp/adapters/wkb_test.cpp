// The one WKB codec (adapters/gdal/wkb.hpp, on OGR): points, envelopes, bulk coordinate
// transforms, lines and rings, multipolygons; malformed input is InvalidInput.
#include "adapters/gdal/wkb.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "adapters/geos/geometry_ops.hpp"
#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

TEST(Wkb, PointIsIsoLittleEndianAndReadsBack) {
  const Wkb w = point_wkb(500000.0, 1030000.5);
  ASSERT_EQ(w.size(), 21u);
  EXPECT_EQ(w[0], 1);  // little-endian
  std::uint32_t type = 0;
  std::memcpy(&type, w.data() + 1, 4);
  EXPECT_EQ(type, 1u);
  double y = 0;
  std::memcpy(&y, w.data() + 13, 8);
  EXPECT_DOUBLE_EQ(y, 1030000.5);  // m
  double px = 0, py = 0;
  ASSERT_TRUE(wkb_point(w, px, py));
  EXPECT_DOUBLE_EQ(px, 500000.0);
  EXPECT_DOUBLE_EQ(py, 1030000.5);
  EXPECT_EQ(wkb_type(w), 1u);
}

TEST(Wkb, PointReadsZBigEndianOneMemberMultipointAndEmpty) {
  double x = 0, y = 0;
  EXPECT_TRUE(wkb_point(from_wkt("POINT Z (1 2 3)"), x, y));  // from_wkt: GEOS writes ISO 2-D … or Z
  EXPECT_DOUBLE_EQ(x, 1.0);
  EXPECT_DOUBLE_EQ(y, 2.0);
  // big-endian POINT(3 4), written by hand
  Wkb be{0, 0, 0, 0, 1};
  for (double v : {3.0, 4.0}) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, 8);
    for (int k = 7; k >= 0; --k) be.push_back(static_cast<std::uint8_t>(bits >> (8 * k)));
  }
  EXPECT_TRUE(wkb_point(be, x, y));
  EXPECT_DOUBLE_EQ(x, 3.0);
  EXPECT_DOUBLE_EQ(y, 4.0);
  EXPECT_TRUE(wkb_point(from_wkt("MULTIPOINT ((5 6))"), x, y));
  EXPECT_DOUBLE_EQ(x, 5.0);
  EXPECT_FALSE(wkb_point(from_wkt("MULTIPOINT ((5 6), (7 8))"), x, y));
  EXPECT_FALSE(wkb_point(from_wkt("LINESTRING (0 0, 1 1)"), x, y));
  EXPECT_TRUE(std::isnan(x));
  EXPECT_TRUE(wkb_point(point_wkb(k_nan, k_nan), x, y));  // POINT EMPTY: a point, no coordinates
  EXPECT_TRUE(std::isnan(x) && std::isnan(y));
  Wkb cut = point_wkb(1, 2);
  cut.resize(15);
  EXPECT_FALSE(wkb_point(cut, x, y));
  EXPECT_FALSE(wkb_point({}, x, y));
  EXPECT_EQ(wkb_type({}), 0u);
}

TEST(Wkb, EnvelopeAndTransformVisitEveryRing) {
  Wkb poly = from_wkt("POLYGON ((0 0, 10 0, 10 5, 0 5, 0 0), (1 1, 2 1, 2 2, 1 1))");
  EXPECT_EQ(wkb_type(poly), 3u);
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  ASSERT_TRUE(wkb_envelope(poly, minx, miny, maxx, maxy));
  EXPECT_DOUBLE_EQ(maxx, 10.0);
  EXPECT_DOUBLE_EQ(maxy, 5.0);
  std::size_t calls = 0;
  ASSERT_TRUE(transform_wkb(poly, [&calls](double* x, double* y, std::size_t n) {
    ++calls;
    for (std::size_t i = 0; i < n; ++i) {
      x[i] += 100.0;
      y[i] *= 2.0;
    }
    return true;
  }));
  EXPECT_EQ(calls, 2u);  // one bulk call per ring
  EXPECT_EQ(to_wkt(poly, 0), "POLYGON ((100 0, 110 0, 110 10, 100 10, 100 0), (101 2, 102 2, 102 4, 101 2))");
  const Wkb before = poly;
  EXPECT_FALSE(transform_wkb(poly, [](double*, double*, std::size_t) { return false; }));
  EXPECT_EQ(poly, before);  // unchanged on failure
  EXPECT_FALSE(wkb_envelope(from_wkt("POLYGON EMPTY"), minx, miny, maxx, maxy));
  Wkb bad = poly;
  bad.resize(bad.size() - 3);
  EXPECT_THROW(wkb_envelope(bad, minx, miny, maxx, maxy), InvalidInput);
  bad = poly;
  bad.push_back(0);
  EXPECT_THROW(wkb_envelope(bad, minx, miny, maxx, maxy), InvalidInput);  // trailing bytes
}

TEST(Wkb, LinesRingsAndMultipolygons) {
  std::vector<XyPath> lines;
  collect_lines(from_wkt("GEOMETRYCOLLECTION (LINESTRING (0 0, 1 1), POINT (3 3), "
                         "MULTILINESTRING ((2 2, 3 3, 4 4)), POLYGON ((0 0, 1 0, 1 1, 0 0)))"),
                lines);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1].size(), 3u);
  EXPECT_DOUBLE_EQ(lines[1].x[2], 4.0);
  std::vector<XyPath> rings;
  const Wkb two =
      from_wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5), (5.2 5.1, 5.8 5.1, 5.8 5.7, 5.2 5.1)))");
  collect_rings(two, rings);
  EXPECT_EQ(rings.size(), 3u);
  EXPECT_EQ(count_polygons(two), 2u);
  const Wkb mls = multilinestring({XyPath{{0, 1}, {0, 1}}, XyPath{{9}, {9}}, XyPath{{2, 3, 4}, {2, 3, 4}}});
  EXPECT_EQ(to_wkt(mls, 0), "MULTILINESTRING ((0 0, 1 1), (2 2, 3 3, 4 4))");  // the 1-point path is skipped
  const Wkb one = from_wkt("POLYGON ((0 0, 1 0, 1 1, 0 0))");
  const Wkb as_multi = as_multipolygon(one);
  EXPECT_EQ(wkb_type(as_multi), 6u);
  EXPECT_EQ(Wkb(as_multi.begin() + 9, as_multi.end()), one);  // header + count + the polygon's own bytes
  EXPECT_EQ(as_multipolygon(two), two);
  EXPECT_EQ(to_wkt(as_multipolygon(from_wkt("POLYGON EMPTY"))), "MULTIPOLYGON EMPTY");
  EXPECT_THROW(as_multipolygon(from_wkt("LINESTRING (0 0, 1 1)")), InvalidInput);
  EXPECT_THROW(collect_rings(Wkb{1, 2, 0}, rings), InvalidInput);
}

}  // namespace
}  // namespace infogap::detail
