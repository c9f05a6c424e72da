// Real inputs: hamlets given as points split their commune (derive_hamlets.cpp); households keyed
// by hamlet or counted per hamlet are placed inside it (place_households.cpp); tolerant names.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "adapters/proj/transformer.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/parallel.hpp"
#include "infogap/scenario.hpp"
#include "io/name_match.hpp"
#include "support/files.hpp"

namespace infogap {
namespace {

using test::geojson;
using test::point_feature;
using test::polygon_feature;
using test::TempDir;
using test::write_text;

// Commune VT: a 0.02° square (lon 105.50–105.52, lat 9.30–9.32); commune VL east of it, no hamlet.
const std::string k_communes =
    geojson(polygon_feature(R"({"commune_id":"VT","name":"Xã Vĩnh Trạch"})",
                            "105.50 9.30, 105.52 9.30, 105.52 9.32, 105.50 9.32, 105.50 9.30") +
            "," +
            polygon_feature(R"({"commune_id":"VL","name":"Xã Vĩnh Lợi"})",
                            "105.52 9.30, 105.54 9.30, 105.54 9.32, 105.52 9.32, 105.52 9.30"));

const std::string k_three_points = point_feature(R"({"hamlet_id":"A","name":"Ấp Một"})", 105.505, 9.305) + "," +
                                   point_feature(R"({"hamlet_id":"B","name":"Ấp Hai"})", 105.515, 9.305) + "," +
                                   point_feature(R"({"hamlet_id":"C","name":"Ấp III"})", 105.510, 9.315);

struct World {
  TempDir dir;
  Scenario s;
  World(const std::string& hamlet_features, const std::string& households_csv) {
    s.hamlets.path = write_text(dir.path("hamlets.geojson"), geojson(hamlet_features));
    s.communes.emplace();
    s.communes->path = write_text(dir.path("communes.geojson"), k_communes);
    s.households.path = write_text(dir.path("households.csv"), households_csv);
    s.households.crs = "EPSG:4326";
  }
};

const std::string k_surveyed = "household_id,lon,lat,poverty\nh1,105.505,9.305,poor\n";

TEST(DeriveHamlets, ThreePointsPartitionTheirCommune) {
  World w(k_three_points, k_surveyed);
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.hamlets.size(), 3u);
  EXPECT_EQ(in.hamlets_derived, 3);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(in.hamlets.source_of(i), GeometrySource::derived) << i;
    EXPECT_EQ(in.hamlets.commune[i], "VT") << i;
    EXPECT_GT(in.hamlets.area_m2[i], 0.0) << i;
  }
  // Independently with GEOS: the union is the commune, the cells do not overlap, areas add up.
  const detail::Wkb u = detail::union_all(in.hamlets.wkb);
  double sum = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    sum += detail::area(in.hamlets.wkb[i]);
    for (std::size_t j = i + 1; j < 3; ++j)
      EXPECT_LT(detail::area(detail::intersection(in.hamlets.wkb[i], in.hamlets.wkb[j])), 1e-3) << i << "," << j;
  }
  const double commune_m2 = detail::area(u);
  EXPECT_NEAR(commune_m2, 4 * 1.2143e6, 0.01 * 4 * 1.2143e6);  // 0.02° square at 9.3°N in UTM 48N
  EXPECT_NEAR(sum, commune_m2, 1e-6 * commune_m2);
  // Each seed lies in its own cell; A (south-west) has the south-west corner of the commune.
  double ax = 0, ay = 0, bx = 0, by = 0;
  detail::centroid(in.hamlets.wkb[0], ax, ay);
  detail::centroid(in.hamlets.wkb[1], bx, by);
  EXPECT_LT(ax, bx);
  // A note names the commune without hamlets.
  bool noted = false;
  for (const auto& n : in.notes) noted = noted || n.find("'VL' has no hamlet") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(DeriveHamlets, CellsEqualTheCommuneExactly) {
  World w(k_three_points, k_surveyed);
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.hamlets.size(), 3u);
  // The commune in the working CRS, built here from its corners (the loader reprojects vertices).
  std::vector<double> x{105.50, 105.52, 105.52, 105.50}, y{9.30, 9.30, 9.32, 9.32};
  detail::Transformer(w.s.communes->crs.empty() ? "EPSG:4326" : w.s.communes->crs, in.working_crs)
      .transform(x.data(), y.data(), x.size());
  const detail::Wkb commune = detail::polygon_from_ring(x, y);
  const detail::Wkb u = detail::union_all(in.hamlets.wkb);
  EXPECT_LT(detail::area(detail::symmetric_difference(u, commune)), 1e-3);
  for (const auto& cell : in.hamlets.wkb) EXPECT_LT(detail::area(detail::difference(cell, commune)), 1e-6);
}

TEST(DeriveHamlets, MixedPolygonsKeptPointsSplitTheRest) {
  // Hamlet G given: the west quarter of VT. Points B and C split the rest.
  const std::string g = polygon_feature(R"({"hamlet_id":"G","name":"Ấp Giữa"})",
                                        "105.50 9.30, 105.505 9.30, 105.505 9.32, 105.50 9.32, 105.50 9.30");
  World w(g + "," + point_feature(R"({"hamlet_id":"B","name":"Ấp Hai"})", 105.515, 9.305) + "," +
              point_feature(R"({"hamlet_id":"C","name":"Ấp Ba"})", 105.510, 9.315),
          k_surveyed);
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.hamlets.size(), 3u);
  EXPECT_EQ(in.hamlets.source_of(0), GeometrySource::given);
  EXPECT_EQ(in.hamlets.source_of(1), GeometrySource::derived);
  EXPECT_EQ(in.hamlets.source_of(2), GeometrySource::derived);
  const double total = detail::area(detail::union_all(in.hamlets.wkb));
  double sum = 0;
  for (const auto& h : in.hamlets.wkb) sum += detail::area(h);
  EXPECT_NEAR(sum, total, 1e-6 * total);  // no overlap with the given polygon
  EXPECT_NEAR(in.hamlets.area_m2[0], 0.25 * total, 0.01 * total);
}

TEST(DeriveHamlets, PointOutsideEveryCommuneAndUnknownCommuneAreRejected) {
  World w(k_three_points + "," + point_feature(R"({"hamlet_id":"X","name":"Ấp Xa"})", 105.60, 9.305), k_surveyed);
  const Inputs in = load_inputs(w.s);
  EXPECT_EQ(in.hamlets.size(), 3u);
  ASSERT_EQ(in.rejects.size(), 1u);
  EXPECT_EQ(in.rejects[0].id, "X");
  EXPECT_NE(in.rejects[0].reason.find("outside every commune"), std::string::npos) << in.rejects[0].reason;

  // By column: tolerant names; an unknown commune suggests the closest.
  World c(point_feature(R"({"hamlet_id":"A","name":"Ấp Một","xa":"xa vinh  trach"})", 105.505, 9.305) + "," +
              point_feature(R"({"hamlet_id":"B","name":"Ấp Hai","xa":"VT"})", 105.515, 9.305) + "," +
              point_feature(R"({"hamlet_id":"Z","name":"Ấp Hai","xa":"Vĩnh Trach x"})", 105.515, 9.315),
          k_surveyed);
  c.s.hamlets.commune = "xa";
  const Inputs ci = load_inputs(c.s);
  ASSERT_EQ(ci.hamlets.size(), 2u);
  EXPECT_EQ(ci.hamlets.commune[0], "VT");
  ASSERT_EQ(ci.rejects.size(), 1u);
  EXPECT_NE(ci.rejects[0].reason.find("closest: 'Xã Vĩnh Trạch'"), std::string::npos) << ci.rejects[0].reason;
}

TEST(NameMatch, FoldsCaseDiacriticsPrefixesAndRomanNumbers) {
  using load_detail::name_key;
  EXPECT_EQ(name_key("Ấp III"), name_key("ấp 3"));
  EXPECT_EQ(name_key("Ấp III"), "3");
  EXPECT_EQ(name_key("Khóm 03"), name_key("khom3"));
  EXPECT_EQ(name_key("  Ấp   Phước  Thạnh "), "phuoc thanh");
  EXPECT_EQ(name_key("Xã Vĩnh Trạch Đông"), "vinh trach dong");
  EXPECT_EQ(name_key("Ấp"), "ap");  // a bare prefix stays
  EXPECT_NE(name_key("Ấp 1"), name_key("Ấp 11"));
  load_detail::NameIndex idx;
  idx.add("Ấp Một", 0);
  idx.add("Ấp Hai", 1);
  EXPECT_EQ(idx.find("ap mot"), 0u);
  EXPECT_EQ(idx.find("Ap Ba"), load_detail::NameIndex::none);
  EXPECT_EQ(idx.suggest("Ap Moi", 1), "'Ấp Một' (distance 1)");
  // The prefix decides between communes whose names differ only by it.
  load_detail::NameIndex communes;
  communes.add("Xã Phước Long", 0);
  communes.add("Thị trấn Phước Long", 1);
  EXPECT_EQ(communes.find("xa phuoc long"), 0u);
  EXPECT_EQ(communes.find("THI TRAN  Phước Long"), 1u);
  EXPECT_EQ(communes.find("Phước Long"), load_detail::NameIndex::ambiguous);
}

/// Households per hamlet and status.
std::map<std::string, std::map<Poverty, int>> tally(const Inputs& in) {
  std::map<std::string, std::map<Poverty, int>> out;
  std::vector<std::uint32_t> hits;
  const detail::PolygonIndex index(in.hamlets.wkb);
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    index.covering(in.households.x_m[static_cast<Eigen::Index>(i)], in.households.y_m[static_cast<Eigen::Index>(i)],
                   hits);
    EXPECT_EQ(hits.size(), 1u) << in.households.id[i];
    if (!hits.empty()) ++out[in.hamlets.id[hits.front()]][in.households.status[i]];
  }
  return out;
}

TEST(PlaceHouseholds, CountsPerHamletAreKeptExactly) {
  World w(k_three_points, "hamlet,total,poor,near_poor\nA,50,7,3\nc,20,0,20\nB,0,0,0\nQ,5,1,1\nB,9,10,0\n");
  w.s.households.hamlet = "hamlet";
  w.s.households.counts = {"total", "poor", "near_poor"};
  set_threads(1);
  const Inputs one = load_inputs(w.s);
  set_threads(2);
  const Inputs two = load_inputs(w.s);
  ASSERT_EQ(one.households.size(), 70u);
  EXPECT_EQ(one.households.id.front(), "A-1");
  EXPECT_EQ(one.households.id[50], "C-1");
  EXPECT_EQ(one.households_placed, 70);
  const auto t = tally(one);
  EXPECT_EQ(t.at("A").at(Poverty::poor), 7);
  EXPECT_EQ(t.at("A").at(Poverty::near_poor), 3);
  EXPECT_EQ(t.at("A").at(Poverty::not_poor), 40);
  EXPECT_EQ(t.at("C").at(Poverty::near_poor), 20);
  EXPECT_EQ(t.count("B"), 0u);
  // Q is unknown (closest suggested); the second B row exceeds its total.
  ASSERT_EQ(one.rejects.size(), 2u);
  EXPECT_NE(one.rejects[0].reason.find("no hamlet 'Q'; closest:"), std::string::npos) << one.rejects[0].reason;
  EXPECT_NE(one.rejects[1].reason.find("exceed"), std::string::npos) << one.rejects[1].reason;
  // Deterministic whatever the thread count.
  EXPECT_EQ(one.households.x_m, two.households.x_m);
  EXPECT_EQ(one.households.y_m, two.households.y_m);
  for (std::size_t i = 0; i < one.households.size(); ++i) EXPECT_EQ(one.households.location_of(i), Location::placed);
}

TEST(PlaceHouseholds, ListedByCommuneAndHamletNameWithSurveyedRows) {
  World w(k_three_points,
          "household_id,xa,ap,poverty,lon,lat\n"
          "1,Vĩnh Trạch,ấp 3,poor,,\n"
          "2,VT,Ap Mot,near_poor,,\n"
          "3,vinh trach,AP HAI,not_poor,105.515,9.306\n"
          "4,Vĩnh Trạch,Ấp Mới,poor,,\n");
  w.s.households.commune = "xa";
  w.s.households.hamlet_name = "ap";
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.households.size(), 3u);
  EXPECT_EQ(in.households.location_of(0), Location::placed);
  EXPECT_EQ(in.households.location_of(2), Location::surveyed);
  EXPECT_EQ(in.households_placed, 2);
  const auto t = tally(in);
  EXPECT_EQ(t.at("C").at(Poverty::poor), 1);
  EXPECT_EQ(t.at("A").at(Poverty::near_poor), 1);
  EXPECT_EQ(t.at("B").at(Poverty::not_poor), 1);
  ASSERT_EQ(in.rejects.size(), 1u);
  EXPECT_EQ(in.rejects[0].id, "4");
  EXPECT_NE(in.rejects[0].reason.find("closest: 'Ấp Một' (distance 1)"), std::string::npos) << in.rejects[0].reason;
}

TEST(PlaceHouseholds, AnUnknownHamletIsOfferedNamesNotIds) {
  // Hamlet ids (A, B, C) are as close to "D" as can be, but a planner wrote a name: suggest names.
  World w(k_three_points,
          "household_id,xa,ap,poverty,lon,lat\n"
          "1,Vĩnh Trạch,ấp 3,poor,,\n"
          "2,Vĩnh Trạch,D,poor,,\n");
  w.s.households.commune = "xa";
  w.s.households.hamlet_name = "ap";
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 1u);
  const std::string& why = in.rejects[0].reason;
  EXPECT_NE(why.find("no hamlet 'D' in commune"), std::string::npos) << why;
  EXPECT_NE(why.find("'Ấp "), std::string::npos) << why;
  for (const char* id : {"'A'", "'B'", "'C'"}) EXPECT_EQ(why.find(id), std::string::npos) << why;
}

TEST(PlaceHouseholds, FootprintsReceiveTheHouseholds) {
  // Two footprints in hamlet A (one four times the area of the other), none elsewhere.
  const std::string fps = geojson(
      polygon_feature("{}", "105.5040 9.3040, 105.5042 9.3040, 105.5042 9.3042, 105.5040 9.3042, 105.5040 9.3040") +
      "," +
      polygon_feature("{}", "105.5050 9.3050, 105.5054 9.3050, 105.5054 9.3054, 105.5050 9.3054, 105.5050 9.3050") +
      "," + polygon_feature("{}", "105.60 9.30, 105.601 9.30, 105.601 9.301, 105.60 9.301, 105.60 9.30"));
  World w(k_three_points, "hamlet,total,poor\nA,200,20\nB,3,0\n");
  w.s.households.hamlet = "hamlet";
  w.s.households.counts.total = "total";
  w.s.households.counts.poor = "poor";
  w.s.demand.footprints.path = write_text(w.dir.path("footprints.geojson"), fps);
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.households.size(), 203u);
  // Back to lon/lat: every household of A is inside one of its two footprints, most in the large one.
  const detail::Transformer to_lonlat(in.working_crs, "EPSG:4326");
  int small = 0, large = 0;
  for (std::size_t i = 0; i < 200; ++i) {
    double x = in.households.x_m[static_cast<Eigen::Index>(i)];
    double y = in.households.y_m[static_cast<Eigen::Index>(i)];
    to_lonlat.transform(&x, &y, 1);
    const double e = 1e-7;
    if (x >= 105.5040 - e && x <= 105.5042 + e && y >= 9.3040 - e && y <= 9.3042 + e) ++small;
    if (x >= 105.5050 - e && x <= 105.5054 + e && y >= 9.3050 - e && y <= 9.3054 + e) ++large;
  }
  EXPECT_EQ(small + large, 200);
  EXPECT_GT(large, 3 * small);
  EXPECT_GE(small, 1);  // one household per footprint first
  bool noted = false;
  for (const auto& n : in.notes) noted = noted || n.find("no footprint") != std::string::npos;
  EXPECT_TRUE(noted);
  EXPECT_EQ(in.layers.at("footprints").accepted, 2);
}

TEST(PlaceHouseholds, PopulationRasterCellsWeightTheDraw) {
  World w(k_three_points, "hamlet,total\nA,100\n");
  w.s.households.hamlet = "hamlet";
  w.s.households.counts.total = "total";
  // A 2 × 2 raster of 10 m cells in EPSG:32648 at hamlet A's point: population 1 north-west, 3
  // south-east, none elsewhere.
  double ax = 105.505, ay = 9.305;
  detail::Transformer("EPSG:4326", "EPSG:32648").transform(&ax, &ay, 1);
  detail::RasterOut r;
  r.path = w.dir.path("population.tif");
  r.width = 2;
  r.height = 2;
  r.origin_x = std::round(ax) - 10;
  r.origin_y = std::round(ay) + 10;
  r.cell = 10;
  r.epsg = 32648;
  r.floats = {1.0f, -9999.0f, 0.0f, 3.0f};
  detail::write_cog(r);
  w.s.demand.raster = r.path;
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.households.size(), 100u);
  int nw = 0, se = 0;
  for (std::size_t i = 0; i < 100; ++i) {
    const double x = in.households.x_m[static_cast<Eigen::Index>(i)] - r.origin_x;
    const double y = r.origin_y - in.households.y_m[static_cast<Eigen::Index>(i)];
    ASSERT_TRUE(x >= 0 && x <= 20 && y >= 0 && y <= 20) << i << ": " << x << ", " << y;
    if (x <= 10 && y <= 10) ++nw;
    if (x >= 10 && y >= 10) ++se;
  }
  EXPECT_EQ(nw + se, 100);  // nothing in the empty and nodata cells
  EXPECT_GT(se, 2 * nw);
  EXPECT_GT(nw, 5);
}

}  // namespace
}  // namespace infogap
