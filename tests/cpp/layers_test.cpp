// Tests of the loader/validator (infogap/layers.hpp): every layer read, reprojected and checked;
// each bad input is a tiny file written here, and each assertion names the culprit.
// Reference coordinates: `echo "lat lon" | cs2cs -f %.4f EPSG:4326 EPSG:32648` (PROJ 9.1).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/wkb.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/parallel.hpp"
#include "infogap/scenario.hpp"
#include "infogap/table.hpp"
#include "support/files.hpp"
#include "support/layers_world.hpp"

namespace infogap {
namespace {

using namespace infogap::test;  // World, k_h1, k_h2, k_header, only_reject, contains

// ---------------------------------------------------------------------------------------------

TEST(LoadInputs, ValidWorldIsReprojectedToTheUtmZoneOfTheHamlets) {
  World w("h1,105.505,9.305,poor,4,1,2\nh2,105,20,near_poor,3,0,1\n");
  const Inputs in = load_inputs(w.s);
  EXPECT_EQ(in.working_crs, "EPSG:32648");
  EXPECT_EQ(in.working_epsg, 32648);
  ASSERT_EQ(in.hamlets.size(), 2u);
  EXPECT_EQ(in.hamlets.id, (std::vector<std::string>{"H1", "H2"}));
  EXPECT_EQ(in.hamlets.name[0], "Ấp Một");
  EXPECT_EQ(in.hamlets.group_names, (std::vector<std::string>{"commune"}));
  EXPECT_EQ(in.hamlets.groups[0], (std::vector<std::string>{"Vĩnh Trạch", "Vĩnh Trạch"}));
  EXPECT_NEAR(in.hamlets.area_m2[0], k_square_m2, 2000.0);  // m² (0.2 %: small-quad approximations)
  EXPECT_EQ(in.repaired_polygons, 0);

  ASSERT_EQ(in.households.size(), 2u);
  EXPECT_EQ(in.households.id, (std::vector<std::string>{"h1", "h2"}));
  EXPECT_NEAR(in.households.x_m[1], 500000.0, 1e-3);      // m
  EXPECT_NEAR(in.households.y_m[1], 2211481.3077, 1e-3);  // m
  EXPECT_EQ(in.households.status, (std::vector<Poverty>{Poverty::poor, Poverty::near_poor}));
  EXPECT_EQ(in.households.members, (std::vector<std::int32_t>{4, 3}));
  EXPECT_EQ(in.households.internet, (std::vector<std::int8_t>{1, 0}));
  EXPECT_EQ(in.households.devices, (std::vector<std::int32_t>{2, 1}));
  EXPECT_EQ(in.households.source_row, (std::vector<std::int64_t>{1, 2}));
  EXPECT_TRUE(in.rejects.empty());
  EXPECT_EQ(in.households_input, 2);
  EXPECT_EQ(in.households_rejected, 0);

  const LayerInfo& h = in.layers.at("households");
  EXPECT_EQ(h.path, w.s.households.path);
  EXPECT_EQ(h.layer, "households");
  EXPECT_EQ(h.driver, "CSV");
  EXPECT_EQ(h.source_crs, "EPSG:4326");
  EXPECT_EQ(h.features, 2);
  EXPECT_EQ(h.accepted, 2);
  EXPECT_EQ(h.sha256, detail::sha256_file(w.s.households.path));
  EXPECT_EQ(h.sha256.size(), 64u);
  EXPECT_EQ(in.layers.at("hamlets").features, 2);
  ASSERT_FALSE(in.notes.empty());
  EXPECT_TRUE(contains(in.notes.front(), "EPSG:32648"));
}

TEST(LoadInputs, PovertyIsTrimmedAndCaseInsensitiveAndOptionalCellsAreUnknown) {
  World w("h1,105.505,9.305, Near_Poor ,,,\nh2,105.505,9.305,NOT_POOR,2,,\n");
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.households.size(), 2u);
  EXPECT_EQ(in.households.status, (std::vector<Poverty>{Poverty::near_poor, Poverty::not_poor}));
  EXPECT_EQ(in.households.members, (std::vector<std::int32_t>{-1, 2}));
  EXPECT_EQ(in.households.internet, (std::vector<std::int8_t>{-1, -1}));
  EXPECT_EQ(in.households.devices, (std::vector<std::int32_t>{-1, -1}));
  EXPECT_STREQ(to_string(Poverty::near_poor), "near_poor");
}

TEST(LoadInputs, IdsAreReadAsExactText) {
  World w("00123,105.505,9.305,poor,1,1,1\n123,105.505,9.305,poor,1,1,1\n");
  const Inputs in = load_inputs(w.s);
  EXPECT_EQ(in.households.id, (std::vector<std::string>{"00123", "123"}));  // two households, not a duplicate
}

// ---------------------------------------------------------------------------------------------
// Errors that stop the load: each names file, layer and column.

TEST(LoadInputsBad, MissingFileIsAnIoErrorNamingIt) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.households.path = w.dir.path("nope.csv");
  try {
    load_inputs(w.s);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_EQ(e.context().file, w.s.households.path);
    EXPECT_TRUE(contains(e.what(), "nope.csv"));
  }
}

TEST(LoadInputsBad, TextNotUtf8NamesFileColumnRowAndByte) {
  // Row 2's id is Latin-1 "á2" (0xE1 '2'): the UTF-8 check (GDAL's CPLIsUTF8) refuses it at offset 0.
  World w(
      "h1,105.505,9.305,poor,4,1,2\n\xE1"
      "2,105.505,9.305,poor,4,1,2\n");
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().file, w.s.households.path);
    EXPECT_EQ(e.context().column, "household_id");
    EXPECT_EQ(e.context().feature_id, 2);
    EXPECT_TRUE(contains(e.what(), "byte 0xE1 at offset 0")) << e.what();
  }
  // A valid multi-byte prefix: the offset counts bytes ("Ấ" is 3).
  World v(
      "h1,105.505,9.305,poor,4,1,2\n\xE1\xBA\xA4\xE1"
      "2,105.505,9.305,poor,4,1,2\n");
  try {
    load_inputs(v.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_TRUE(contains(e.what(), "byte 0xE1 at offset 3")) << e.what();
  }
}

TEST(LoadInputsBad, MissingLayerNamesFileAndLayer) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.hamlets.layer = "ap";
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().file, w.s.hamlets.path);
    EXPECT_EQ(e.context().layer, "ap");
    EXPECT_TRUE(contains(e.what(), "hamlets.geojson"));
  }
}

TEST(LoadInputsBad, MissingIdColumnNamesFileLayerAndColumn) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.households.id = "hh_id";
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    EXPECT_EQ(e.context().file, w.s.households.path);
    EXPECT_EQ(e.context().layer, "households");
    EXPECT_EQ(e.context().column, "hh_id");
    EXPECT_TRUE(contains(e.what(), "household_id"));  // lists the columns the layer has
  }
}

TEST(LoadInputsBad, MissingStatusColumnNamesIt) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.households.status = "ngheo";
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().column, "ngheo");
    EXPECT_EQ(e.context().file, w.s.households.path);
  }
}

TEST(LoadInputsBad, MissingGroupByColumnNamesIt) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.hamlets.group_by = {"commune", "district"};
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().column, "district");
    EXPECT_EQ(e.context().layer, "hamlets");
  }
}

TEST(LoadInputsBad, ShapefileWithoutPrjNeedsACrsKey) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  // The hamlets as a shapefile in lon/lat whose .prj went missing.
  Table t;
  t.add_text("hamlet_id", {"H1"});
  t.add_text("name", {"Ấp Một"});
  t.add_text("commune", {"Vĩnh Trạch"});
  t.geometry_kind = GeometryKind::polygon;
  detail::VectorReadOptions o;
  o.path = w.s.hamlets.path;
  t.wkb = {detail::read_vector(o).table.wkb[0]};
  detail::write_shapefile(w.dir.dir(), "ap", t, 4326);
  std::filesystem::remove(w.dir.path("ap.prj"));
  w.s.hamlets.path = w.dir.path("ap.shp");
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
    EXPECT_EQ(e.context().file, w.s.hamlets.path);
    EXPECT_EQ(e.context().layer, "ap");
    EXPECT_TRUE(contains(e.what(), "crs"));
  }
  w.s.hamlets.crs = "EPSG:4326";  // the scenario's crs: key fixes it
  const Inputs in = load_inputs(w.s);
  EXPECT_EQ(in.hamlets.size(), 1u);
  EXPECT_NEAR(in.hamlets.area_m2[0], k_square_m2, 2000.0);  // m²
}

TEST(LoadInputsBad, UnknownCrsStringNamesTheCrsKey) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.households.crs = "EPSG:999999";
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::crs);
    EXPECT_EQ(e.context().file, w.s.households.path);
    EXPECT_EQ(e.context().column, "crs");
    EXPECT_TRUE(contains(e.what(), "EPSG:999999"));
  }
}

TEST(LoadInputsBad, WorkingCrsMustBeProjectedInMetres) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.working_crs = "EPSG:4326";
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_scenario);
    EXPECT_EQ(e.context().column, "working_crs");
  }
}

TEST(LoadInputsBad, EmptyHamletLayerStopsTheLoad) {
  World w("h1,105.505,9.305,poor,4,1,2\n", "");
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().file, w.s.hamlets.path);
    EXPECT_TRUE(contains(e.what(), "empty"));
  }
}

TEST(LoadInputsBad, TeamsWithoutAMembersColumnNameIt) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.teams.emplace();
  w.s.teams->path = write_text(w.dir.path("teams.geojson"), geojson(point_feature(R"({"team_id":"T1"})", 105.5, 9.3)));
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().column, "members");
    EXPECT_EQ(e.context().file, w.s.teams->path);
  }
}

// ---------------------------------------------------------------------------------------------
// Rejected rows: file, layer, feature (1-based CSV data row), id, column, reason.

TEST(LoadInputsReject, NanCoordinate) {
  World w("h1,nan,9.305,poor,4,1,2\nh2,105.505,9.305,poor,4,1,2\n");
  const Inputs in = load_inputs(w.s);
  const Reject& r = only_reject(in);
  EXPECT_EQ(r.file, w.s.households.path);
  EXPECT_EQ(r.layer, "households");
  EXPECT_EQ(r.feature_id, 1);
  EXPECT_EQ(r.id, "h1");
  EXPECT_EQ(r.column, "lon,lat");
  EXPECT_TRUE(contains(r.reason, "coordinates"));
  EXPECT_EQ(in.households.id, (std::vector<std::string>{"h2"}));
}

TEST(LoadInputsReject, InfiniteCoordinate) {
  World w("h1,105.505,9.305,poor,4,1,2\nh2,1e999,9.305,poor,4,1,2\n");
  const Inputs in = load_inputs(w.s);
  const Reject& r = only_reject(in);
  EXPECT_EQ(r.feature_id, 2);
  EXPECT_TRUE(contains(r.reason, "not finite"));
}

TEST(LoadInputsReject, LatitudeOutOfRange) {
  World w("h1,105.505,9.305,poor,4,1,2\nh2,105.505,95,poor,4,1,2\n");
  const Inputs in = load_inputs(w.s);
  const Reject& r = only_reject(in);
  EXPECT_EQ(r.feature_id, 2);
  EXPECT_EQ(r.id, "h2");
  EXPECT_EQ(r.column, "lat");
  EXPECT_TRUE(contains(r.reason, "latitude 95"));
  EXPECT_EQ(in.households_input, 2);
  EXPECT_EQ(in.households_rejected, 1);
}

TEST(LoadInputsReject, ProjectedPointOutsideTheValidAreaOfItsCrs) {
  World w("");
  w.s.households.path =
      write_text(w.dir.path("utm.csv"), "household_id,x,y,poverty\na,554911.6319,1028058.334,poor\nb,5e7,1e8,poor\n");
  w.s.households.x = "x";
  w.s.households.y = "y";
  w.s.households.crs = "EPSG:32648";
  w.s.households.members = w.s.households.internet = w.s.households.devices = "";
  const Inputs in = load_inputs(w.s);
  const Reject& r = only_reject(in);
  EXPECT_EQ(r.id, "b");
  EXPECT_EQ(r.column, "x,y");
  EXPECT_TRUE(contains(r.reason, "valid area of EPSG:32648"));
}

TEST(LoadInputsReject, UnknownPovertyValue) {
  World w("h1,105.505,9.305,rich,4,1,2\nh2,105.505,9.305,poor,4,1,2\nh3,105.505,9.305,,4,1,2\n");
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 2u);
  EXPECT_EQ(in.rejects[0].feature_id, 1);
  EXPECT_EQ(in.rejects[0].column, "poverty");
  EXPECT_TRUE(contains(in.rejects[0].reason, "'rich'"));
  EXPECT_EQ(in.rejects[1].feature_id, 3);
  EXPECT_TRUE(contains(in.rejects[1].reason, "missing poverty"));
}

TEST(LoadInputsReject, DuplicateHouseholdIdRejectsTheLaterRow) {
  World w("a,105.505,9.305,poor,4,1,2\nb,105.505,9.305,poor,4,1,2\na,105.506,9.306,near_poor,1,1,1\n");
  const Inputs in = load_inputs(w.s);
  const Reject& r = only_reject(in);
  EXPECT_EQ(r.feature_id, 3);
  EXPECT_EQ(r.id, "a");
  EXPECT_EQ(r.column, "household_id");
  EXPECT_TRUE(contains(r.reason, "duplicate"));
  EXPECT_TRUE(contains(r.reason, "feature 1"));
  EXPECT_EQ(in.households.id, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(in.households.status[0], Poverty::poor);  // the first row kept
}

TEST(LoadInputsReject, MissingIdValue) {
  World w(",105.505,9.305,poor,4,1,2\nb,105.505,9.305,poor,4,1,2\n");
  const Inputs in = load_inputs(w.s);
  const Reject& r = only_reject(in);
  EXPECT_EQ(r.feature_id, 1);
  EXPECT_EQ(r.reason, "missing id");
}

TEST(LoadInputsReject, NegativeMembers) {
  World w("h1,105.505,9.305,poor,-2,1,2\n");
  const Inputs in = load_inputs(w.s);
  const Reject& r = only_reject(in);
  EXPECT_EQ(r.column, "members");
  EXPECT_TRUE(contains(r.reason, "negative"));
  EXPECT_EQ(in.households.size(), 0u);
}

TEST(LoadInputsReject, NonNumericAndNegativeDevicesAndBadInternetFlag) {
  World w("h1,105.505,9.305,poor,abc,1,2\nh2,105.505,9.305,poor,1,1,-1\nh3,105.505,9.305,poor,1,maybe,1\n");
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 3u);
  EXPECT_EQ(in.rejects[0].column, "members");
  EXPECT_TRUE(contains(in.rejects[0].reason, "'abc' is not a number"));
  EXPECT_EQ(in.rejects[1].column, "devices");
  EXPECT_TRUE(contains(in.rejects[1].reason, "negative"));
  EXPECT_EQ(in.rejects[2].column, "internet");
}

TEST(LoadInputsReject, OnlyTheFirstProblemOfARowIsReported) {
  World w("h1,105.505,95,rich,-1,1,2\n");
  const Inputs in = load_inputs(w.s);
  EXPECT_EQ(only_reject(in).column, "lat");  // coordinates are checked before attributes
}

// ---------------------------------------------------------------------------------------------
// Hamlets

TEST(LoadInputsHamlets, BowTieIsRepairedAndCounted) {
  // Self-crossing ring: two triangles, each a quarter of the 0.01° square.
  const std::string bowtie = polygon_feature(R"({"hamlet_id":"B","name":"Nơ","commune":"X"})",
                                             "105.50 9.30, 105.51 9.31, 105.51 9.30, 105.50 9.31, 105.50 9.30");
  World w("h1,105.505,9.305,poor,4,1,2\n", bowtie + "," + k_h2);
  const Inputs in = load_inputs(w.s);
  EXPECT_EQ(in.repaired_polygons, 1);
  EXPECT_EQ(in.dropped_parts, 0);
  ASSERT_EQ(in.hamlets.size(), 2u);
  EXPECT_TRUE(in.rejects.empty());
  EXPECT_NEAR(in.hamlets.area_m2[0], k_square_m2 / 2.0, 1500.0);  // m²
  EXPECT_EQ(in.hamlets.wkb[0][1], 6);                             // a MultiPolygon of the two triangles
}

TEST(LoadInputsHamlets, DuplicateAndNonPolygonHamletsAreRejected) {
  const std::string dup = polygon_feature(R"({"hamlet_id":"H1","name":"again","commune":"X"})",
                                          "105.52 9.30, 105.53 9.30, 105.53 9.31, 105.52 9.30");
  const std::string point = point_feature(R"({"hamlet_id":"P","name":"point","commune":"X"})", 105.5, 9.3);
  World w("h1,105.505,9.305,poor,4,1,2\n", k_h1 + "," + dup + "," + point);
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 2u);
  EXPECT_EQ(in.rejects[0].id, "H1");
  EXPECT_EQ(in.rejects[0].feature_id, 1);  // GeoJSON features count from 0
  EXPECT_TRUE(contains(in.rejects[0].reason, "duplicate"));
  EXPECT_EQ(in.rejects[1].id, "P");
  EXPECT_EQ(in.rejects[1].column, "geometry");
  EXPECT_TRUE(contains(in.rejects[1].reason, "not a polygon"));
  EXPECT_EQ(in.layers.at("hamlets").accepted, 1);
  EXPECT_EQ(in.layers.at("hamlets").rejected, 2);
}

TEST(LoadInputsHamlets, NoUsableHamletStopsTheLoad) {
  const std::string point = point_feature(R"({"hamlet_id":"P","name":"point","commune":"X"})", 105.5, 9.3);
  World w("h1,105.505,9.305,poor,4,1,2\n", point);
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().file, w.s.hamlets.path);
    EXPECT_TRUE(contains(e.what(), "no usable hamlet"));
    EXPECT_TRUE(contains(e.what(), "not a polygon"));
  }
}

// ---------------------------------------------------------------------------------------------
// Speakers and teams

TEST(LoadInputsSpeakers, ZeroPowerIsRejectedMissingValuesTakeDefaults) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.speakers.emplace();
  w.s.speakers->path = write_text(
      w.dir.path("speakers.geojson"),
      geojson(point_feature(R"({"speaker_id":"S1","power_w":0,"sensitivity_db":110,"height_m":8})", 105.5, 9.3) + "," +
              point_feature(R"({"speaker_id":"S2","power_w":null,"sensitivity_db":112,"height_m":10})", 105.5, 9.3) +
              "," +
              point_feature(R"({"speaker_id":"S3","power_w":25,"sensitivity_db":200,"height_m":10})", 105.5, 9.3)));
  w.s.acoustics.default_power_w = 33.0;
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 2u);
  EXPECT_EQ(in.rejects[0].file, w.s.speakers->path);
  EXPECT_EQ(in.rejects[0].id, "S1");
  EXPECT_EQ(in.rejects[0].feature_id, 0);
  EXPECT_EQ(in.rejects[0].column, "power_w");
  EXPECT_TRUE(contains(in.rejects[0].reason, "not positive"));
  EXPECT_EQ(in.rejects[1].id, "S3");
  EXPECT_EQ(in.rejects[1].column, "sensitivity_db");
  ASSERT_EQ(in.speakers.size(), 1u);
  EXPECT_EQ(in.speakers.id[0], "S2");
  EXPECT_EQ(in.speakers.power_w[0], 33.0);  // W: NULL cell → acoustics.default_power_w
  EXPECT_EQ(in.speakers.sensitivity_db[0], 112.0);
  EXPECT_EQ(in.speakers.height_m[0], 10.0);
  EXPECT_TRUE(std::isnan(in.speakers.azimuth_deg[0]));  // no azimuth column → omnidirectional
  EXPECT_EQ(in.speakers.beamwidth_deg[0], 90.0);        // default beamwidth
  EXPECT_EQ(in.speakers.range_m[0], 300.0);             // radius default
  EXPECT_NEAR(in.speakers.x_m[0], 554911.6319, 1e-3);   // m, (105.5, 9.3) in UTM 48N
  EXPECT_EQ(in.speakers.cluster[0], "");
  bool noted = false;
  for (const auto& n : in.notes) noted = noted || contains(n, "azimuth_deg");
  EXPECT_TRUE(noted);
}

TEST(LoadInputsSpeakers, BeamwidthAndHeightOutOfRangeAreRejected) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.speakers.emplace();
  w.s.speakers->path =
      write_text(w.dir.path("speakers.geojson"),
                 geojson(point_feature(R"({"speaker_id":"S1","beamwidth_deg":0,"azimuth_deg":-90})", 105.5, 9.3) + "," +
                         point_feature(R"({"speaker_id":"S2","height_m":-1})", 105.5, 9.3) + "," +
                         point_feature(R"({"speaker_id":"S3","beamwidth_deg":360,"azimuth_deg":-90})", 105.5, 9.3)));
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 2u);
  EXPECT_EQ(in.rejects[0].column, "beamwidth_deg");
  EXPECT_EQ(in.rejects[1].column, "height_m");
  ASSERT_EQ(in.speakers.size(), 1u);
  EXPECT_EQ(in.speakers.azimuth_deg[0], 270.0);  // degrees, normalised to [0, 360)
}

TEST(LoadInputsTeams, NegativeReachAndMembersAreRejected) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.teams.emplace();
  w.s.teams->reach_m = ColumnOrNumber{"reach", std::nullopt};
  w.s.teams->path =
      write_text(w.dir.path("teams.geojson"),
                 geojson(point_feature(R"({"team_id":"T1","members":5,"reach":-5})", 105.5, 9.3) + "," +
                         point_feature(R"({"team_id":"T2","members":-1,"reach":1500})", 105.5, 9.3) + "," +
                         point_feature(R"({"team_id":"T3","members":6,"reach":1500})", 105.5, 9.3)));
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 2u);
  EXPECT_EQ(in.rejects[0].id, "T1");
  EXPECT_EQ(in.rejects[0].column, "reach");
  EXPECT_TRUE(contains(in.rejects[0].reason, "not positive"));
  EXPECT_EQ(in.rejects[1].id, "T2");
  EXPECT_EQ(in.rejects[1].column, "members");
  ASSERT_EQ(in.teams.size(), 1u);
  EXPECT_EQ(in.teams.members[0], 6.0);
  EXPECT_EQ(in.teams.reach_m[0], 1500.0);              // m
  EXPECT_EQ(in.teams.households_per_member[0], 40.0);  // scenario default
  EXPECT_EQ(in.layers.at("teams").rejected, 2);
}

TEST(LoadInputsCandidates, UnknownKindIsRejected) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.optimize.candidates.path = write_text(
      w.dir.path("cand.geojson"), geojson(point_feature(R"({"candidate_id":"C1","kind":"Speaker"})", 105.5, 9.3) + "," +
                                          point_feature(R"({"candidate_id":"C2","kind":"tower"})", 105.5, 9.3)));
  w.s.optimize.candidates.kind = "kind";
  const Inputs in = load_inputs(w.s);
  const Reject& r = only_reject(in);
  EXPECT_EQ(r.id, "C2");
  EXPECT_EQ(r.column, "kind");
  EXPECT_EQ(in.candidates.kind, (std::vector<std::string>{"speaker"}));
}

// ---------------------------------------------------------------------------------------------
// Formats and CRSs

TEST(LoadInputsFormats, GzipCsvIsReadThroughVsigzip) {
  World w("");
  Table t;
  t.add_text("household_id", {"g1", "g2"});
  t.add_text("poverty", {"poor", "near_poor"});
  t.geometry_kind = GeometryKind::point;
  t.wkb = {detail::point_wkb(105.0, 20.0), detail::point_wkb(105.5, 9.3)};
  w.s.households.path = w.dir.path("households.csv.gz");
  detail::write_vector(w.s.households.path, "CSV", "households", t, 4326);
  w.s.households.members = w.s.households.internet = w.s.households.devices = "";
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.households.size(), 2u);
  EXPECT_NEAR(in.households.x_m[0], 500000.0, 1e-3);                                       // m
  EXPECT_NEAR(in.households.y_m[0], 2211481.3077, 1e-3);                                   // m
  EXPECT_NEAR(in.households.x_m[1], 554911.6319, 1e-3);                                    // m
  EXPECT_NEAR(in.households.y_m[1], 1028058.3340, 1e-3);                                   // m
  EXPECT_EQ(in.layers.at("households").sha256, detail::sha256_file(w.s.households.path));  // of the .gz bytes
}

TEST(LoadInputsFormats, CsvWithXyColumnsInUtmIsTakenAsIs) {
  World w("");
  w.s.households.path = write_text(w.dir.path("utm.csv"),
                                   "household_id,x,y,poverty\na,554911.5,1028058.25,poor\nb,549427.125,1022522.5,"
                                   "not_poor\n");
  w.s.households.x = "x";
  w.s.households.y = "y";
  w.s.households.crs = "EPSG:32648";
  w.s.households.members = w.s.households.internet = w.s.households.devices = "";
  const Inputs in = load_inputs(w.s);  // working CRS auto → EPSG:32648 from the lon/lat hamlets
  EXPECT_EQ(in.working_crs, "EPSG:32648");
  ASSERT_EQ(in.households.size(), 2u);
  EXPECT_EQ(in.households.x_m[0], 554911.5);  // m, unchanged (same CRS)
  EXPECT_EQ(in.households.y_m[1], 1022522.5);
  EXPECT_EQ(in.layers.at("households").source_crs, "EPSG:32648");
}

TEST(LoadInputsFormats, GeoPackageInVn2000IsReprojected) {
  // VN-2000 / UTM zone 48N (EPSG:3405) to WGS 84 / UTM zone 48N differs by the datum shift.
  World w("");
  Table t;
  t.add_integer("household_id", {7});
  t.add_text("poverty", {"poor"});
  t.geometry_kind = GeometryKind::point;
  t.wkb = {detail::point_wkb(554911.6319, 1028058.334)};
  w.s.households.path = w.dir.path("hh.gpkg");
  detail::write_vector(w.s.households.path, "GPKG", "hh", t, 3405);
  w.s.households.members = w.s.households.internet = w.s.households.devices = "";
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.households.size(), 1u);
  EXPECT_EQ(in.households.id[0], "7");
  EXPECT_EQ(in.layers.at("households").source_crs, "EPSG:3405");
  // The VN-2000 → WGS 84 shift in the south is a few hundred metres, never zero.
  const double shift = std::hypot(in.households.x_m[0] - 554911.6319, in.households.y_m[0] - 1028058.334);
  EXPECT_GT(shift, 50.0);    // m
  EXPECT_LT(shift, 1000.0);  // m
}

TEST(LoadInputsFormats, AutoWorkingCrsFromProjectedHamlets) {
  // A 1 km square hamlet given in UTM 48N: the centroid in lon/lat (≈105.5°E, 9.3°N) picks
  // EPSG:32648 again, so the polygon is not transformed and its area is exact.
  World w("h1,105.505,9.305,poor,4,1,2\n");
  Table t;
  t.add_text("hamlet_id", {"U1"});
  t.add_text("name", {"Ấp UTM"});
  t.add_text("commune", {"X"});
  t.geometry_kind = GeometryKind::polygon;
  t.wkb = {
      detail::from_wkt("POLYGON((554000 1028000, 555000 1028000, 555000 1029000, 554000 1029000, 554000 1028000))")};
  w.s.hamlets.path = w.dir.path("hamlets_utm.gpkg");
  detail::write_vector(w.s.hamlets.path, "GPKG", "ap", t, 32648);
  const Inputs in = load_inputs(w.s);
  EXPECT_EQ(in.working_crs, "EPSG:32648");
  EXPECT_EQ(in.layers.at("hamlets").source_crs, "EPSG:32648");
  ASSERT_EQ(in.hamlets.size(), 1u);
  EXPECT_DOUBLE_EQ(in.hamlets.area_m2[0], 1e6);  // m²
  // Explicitly in VN-2000 / UTM 48N instead: the hamlet moves by the datum shift, its area stays.
  w.s.working_crs = "EPSG:3405";
  const Inputs vn = load_inputs(w.s);
  EXPECT_EQ(vn.working_epsg, 3405);
  EXPECT_NEAR(vn.hamlets.area_m2[0], 1e6, 10.0);  // m² (the Helmert scale is a few ppm)
  double cx = 0, cy = 0;
  detail::centroid(vn.hamlets.wkb[0], cx, cy);
  const double shift = std::hypot(cx - 554500.0, cy - 1028500.0);
  EXPECT_GT(shift, 50.0);    // m: VN-2000 and WGS 84 differ by a few hundred metres here
  EXPECT_LT(shift, 1000.0);  // m
}

// ---------------------------------------------------------------------------------------------
// Policy, determinism, rejects.csv

TEST(LoadInputsPolicy, OnBadRowsFailAbortsWithTheFirstRejectsContext) {
  World w("h1,105.505,9.305,poor,4,1,2\nh2,105.505,95,poor,4,1,2\nh3,105.505,9.305,rich,4,1,2\n");
  w.s.on_bad_rows = OnBadRows::fail;
  try {
    load_inputs(w.s);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_input);
    EXPECT_EQ(e.context().file, w.s.households.path);
    EXPECT_EQ(e.context().layer, "households");
    EXPECT_EQ(e.context().feature_id, 2);
    EXPECT_EQ(e.context().column, "lat");
    EXPECT_TRUE(contains(e.what(), "latitude 95"));
    EXPECT_TRUE(contains(e.what(), "h2"));
    EXPECT_TRUE(contains(e.what(), "2 row(s)"));
  }
}

TEST(LoadInputsPolicy, ResultsDoNotDependOnTheThreadCount) {
  // 40 000 households (several parallel chunks), every 997th with a latitude out of range and
  // every 1009th with an unknown status.
  std::string rows;
  for (int i = 0; i < 40000; ++i) {
    const double lon = 105.23 + 0.63 * (i % 1000) / 1000.0;
    const double lat = i % 997 == 5 ? 91.0 : 9.02 + 0.62 * (i / 1000) / 40.0;
    const char* status = i % 1009 == 7 ? "rich" : (i % 3 == 0 ? "poor" : "not_poor");
    rows += "h" + std::to_string(i) + "," + std::to_string(lon) + "," + std::to_string(lat) + "," + status + "," +
            std::to_string(i % 7) + ",1,1\n";
  }
  World w(rows);
  set_threads(1);
  const Inputs one = load_inputs(w.s);
  set_threads(3);
  const Inputs three = load_inputs(w.s);
  set_threads(0);
  std::size_t expected_rejects = 0;  // a row with both problems is one reject
  for (int i = 0; i < 40000; ++i)
    if (i % 997 == 5 || i % 1009 == 7) ++expected_rejects;
  EXPECT_EQ(one.rejects.size(), expected_rejects);
  EXPECT_EQ(one.households.size() + one.rejects.size(), 40000u);
  EXPECT_EQ(one.households.id, three.households.id);
  EXPECT_TRUE(one.households.x_m == three.households.x_m);
  EXPECT_TRUE(one.households.y_m == three.households.y_m);
  ASSERT_EQ(one.rejects.size(), three.rejects.size());
  for (std::size_t i = 0; i < one.rejects.size(); ++i) {
    EXPECT_EQ(one.rejects[i].feature_id, three.rejects[i].feature_id);
    EXPECT_EQ(one.rejects[i].reason, three.rejects[i].reason);
  }
  for (std::size_t i = 1; i < one.rejects.size(); ++i)
    EXPECT_LT(one.rejects[i - 1].feature_id, one.rejects[i].feature_id);  // file order
}

// ---------------------------------------------------------------------------------------------
// Vietnamese lists and spreadsheet exports

TEST(WriteRejectsCsv, QuotesFieldsAndReplacesTheFileAtomically) {
  TempDir dir;
  const std::string path = dir.path("rejects.csv");
  write_text(path, "old content\n");
  const std::vector<Reject> rejects{{"/d/hh.csv", "hh", 3, "a,1", "lat", "latitude 95 outside [-90, 90]"},
                                    {"/d/hh.csv", "hh", 4, "b", "poverty", "unknown poverty status 'say \"hi\"'"}};
  write_rejects_csv(rejects, path);
  EXPECT_EQ(test::read_text(path),
            "file,layer,feature_id,id,column,reason\n"
            "/d/hh.csv,hh,3,\"a,1\",lat,\"latitude 95 outside [-90, 90]\"\n"
            "/d/hh.csv,hh,4,b,poverty,\"unknown poverty status 'say \"\"hi\"\"'\"\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path(".rejects.csv.tmp")));
  EXPECT_THROW(write_rejects_csv(rejects, dir.path("no/such/dir/rejects.csv")), IoError);
}

}  // namespace
}  // namespace infogap
