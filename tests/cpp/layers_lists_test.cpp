// The loader on the lists a commune holds: Vietnamese labels, spreadsheets and CSV exports, and the
// loud failure when most of a layer is rejected (infogap/layers.hpp).
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

TEST(LoadInputsVietnamese, StatusLabelsInAnyCaseWithOrWithoutDiacriticsNfcOrNfd) {
  // "Hộ nghèo" decomposed (NFD): o + U+0323 (dot below), e + U+0300 (grave).
  const std::string nfd_ho_ngheo = "Ho\xcc\xa3 nghe\xcc\x80o";
  World w(
      "h1,105.505,9.305,Hộ nghèo,,,\n"
      "h2,105.505,9.305,HỘ NGHÈO,,,\n"
      "h3,105.505,9.305,ho ngheo,,,\n"
      "h4,105.505,9.305," +
      nfd_ho_ngheo +
      ",,,\n"
      "h5,105.505,9.305,Hộ cận nghèo,,,\n"
      "h6,105.505,9.305,can ngheo,,,\n"
      "h7,105.505,9.305,Không nghèo,,,\n"
      "h8,105.505,9.305,Hộ thoát nghèo,,,\n"
      "h9,105.505,9.305,thoát cận nghèo,,,\n"
      "h10,105.505,9.305,near_poor,,,\n");
  w.s.max_rejected_share = 0.1;
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 0u);
  using P = Poverty;
  EXPECT_EQ(in.households.status, (std::vector<P>{P::poor, P::poor, P::poor, P::poor, P::near_poor, P::near_poor,
                                                  P::not_poor, P::not_poor, P::not_poor, P::near_poor}));
}

TEST(LoadInputsVietnamese, StatusValuesMapOtherLabelsAndWinOverTheBuiltInOnes) {
  World w(
      "h1,105.505,9.305,Diện A,,,\nh2,105.505,9.305,dien b,,,\nh3,105.505,9.305,nghèo,,,\n"
      "h4,105.505,9.305,Diện C,,,\n");
  w.s.households.status_values = {{"diện a", "poor"}, {"DIỆN B", "near_poor"}, {"Nghèo", "near_poor"}};
  const Inputs in = load_inputs(w.s);
  EXPECT_EQ(in.households.status, (std::vector<Poverty>{Poverty::poor, Poverty::near_poor, Poverty::near_poor}));
  ASSERT_EQ(in.rejects.size(), 1u);  // Diện C: not mapped
  EXPECT_TRUE(contains(in.rejects[0].reason, "unknown poverty status 'Diện C'"));
  EXPECT_TRUE(contains(in.rejects[0].reason, "status_values"));
}

TEST(LoadInputsVietnamese, YesNoCellsInEveryUsualSpelling) {
  World w(
      "h1,105.505,9.305,poor,,Có,\nh2,105.505,9.305,poor,,KHÔNG,\nh3,105.505,9.305,poor,,yes,\n"
      "h4,105.505,9.305,poor,,False,\nh5,105.505,9.305,poor,,1,\nh6,105.505,9.305,poor,,,\n");
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 0u);
  EXPECT_EQ(in.households.internet, (std::vector<std::int8_t>{1, 0, 1, 0, 1, -1}));  // empty: unknown
  // A column of x marks: x = yes, an empty cell = no.
  World marks("h1,105.505,9.305,poor,,x,\nh2,105.505,9.305,poor,,,\nh3,105.505,9.305,poor,,X,\n");
  const Inputs m = load_inputs(marks.s);
  EXPECT_EQ(m.households.internet, (std::vector<std::int8_t>{1, 0, 1}));
}

TEST(LoadInputsVietnamese, SemicolonCsvWithBomCrlfAndDecimalCommas) {
  World w("");
  write_text(w.s.households.path,
             "\xef\xbb\xbfhousehold_id;lon;lat;poverty;members;internet;devices\r\n"
             "h1;105,505;9,305;Hộ nghèo;4;có;2\r\n"
             "h2;\"105,515\";\"9,305\";cận nghèo;3;không;1\r\n");
  w.s.max_rejected_share = 0.1;
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 0u) << in.rejects[0].reason;
  ASSERT_EQ(in.households.size(), 2u);
  EXPECT_EQ(in.households.id, (std::vector<std::string>{"h1", "h2"}));  // the BOM is not part of the first name
  EXPECT_NEAR(in.households.x_m[0], 555459.974, 0.01);  // m: 105,505 read as 105.505 (not 105); GDAL/osr
  EXPECT_NEAR(in.households.x_m[1], 556558.219, 0.01);
  EXPECT_EQ(in.households.members, (std::vector<std::int32_t>{4, 3}));
  EXPECT_EQ(in.households.internet, (std::vector<std::int8_t>{1, 0}));
}

TEST(LoadInputsVietnamese, XlsxSheetNamedByTheLayerKey) {
  World w("");
  Table t;
  t.add_text("household_id", {"h1", "h2"});
  t.add_text("Kinh độ", {"105,505", "105.515"});
  t.add_real("Vĩ độ", {9.305, 9.305});  // a number cell
  t.add_text("Phân loại", {"Hộ nghèo", "Không nghèo"});
  Table other;
  other.add_text("note", {"not this sheet"});
  const std::string path = w.dir.path("danh_sach.xlsx");
  detail::write_xlsx(path, {{"Ghi chú", &other, ""}, {"Ấp 3", &t, ""}});
  w.s.households = HouseholdsSource{};
  w.s.households.path = path;
  w.s.households.layer = "Ấp 3";
  w.s.households.x = "Kinh độ";
  w.s.households.y = "Vĩ độ";
  w.s.households.status = "Phân loại";
  const Inputs in = load_inputs(w.s);
  ASSERT_EQ(in.rejects.size(), 0u) << in.rejects[0].reason;
  EXPECT_EQ(in.households.status, (std::vector<Poverty>{Poverty::poor, Poverty::not_poor}));
  EXPECT_NEAR(in.households.x_m[0], 555459.974, 0.01);  // m: the text "105,505"
  EXPECT_NEAR(in.households.x_m[1], 556558.219, 0.01);  // m: 105.515 as text, 9.305 as a number cell
  EXPECT_EQ(in.layers.at("households").driver, "XLSX");
  EXPECT_EQ(in.layers.at("households").source_crs, "EPSG:4326");
}

// ---------------------------------------------------------------------------------------------
// Loud failure: too many rejects, swapped axes, misspelled columns, every problem of every layer

TEST(LoadInputsShare, MostRowsRejectedStopsTheLoadWithCountedReasons) {
  std::string rows;
  for (int i = 1; i <= 20; ++i)
    rows += "h" + std::to_string(i) + ",105.505,9.305," + (i <= 18 ? "Diện 3" : i == 19 ? "rich" : "poor") + ",,,\n";
  World w(rows);
  w.s.max_rejected_share = 0.1;
  try {
    (void)load_inputs(w.s);
    FAIL() << "19 of 20 rows rejected must stop the load";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().file, w.s.households.path);
    EXPECT_TRUE(contains(e.reason(), "19 of 20 rows rejected: 18 × unknown poverty status 'Diện 3'")) << e.reason();
    EXPECT_TRUE(contains(e.reason(), "(e.g. feature 1, id 'h1')")) << e.reason();
    EXPECT_TRUE(contains(e.reason(), "; 1 × unknown poverty status 'rich'")) << e.reason();
    EXPECT_TRUE(contains(e.reason(), "max_rejected_share")) << e.reason();
    EXPECT_FALSE(contains(e.reason(), "swapped")) << e.reason();
  }
  w.s.max_rejected_share = 0.95;  // 19/20 = 0.95: not more than the limit
  EXPECT_EQ(load_inputs(w.s).households.size(), 1u);
}

TEST(LoadInputsShare, SwappedLonLatColumnsAreNamed) {
  World w("h1,9.305,105.505,poor,,,\nh2,9.306,105.506,poor,,,\nh3,105.505,9.305,poor,,,\n");
  w.s.max_rejected_share = 0.1;
  try {
    (void)load_inputs(w.s);
    FAIL() << "2 of 3 rows off the globe must stop the load";
  } catch (const InvalidInput& e) {
    EXPECT_TRUE(contains(e.reason(), "2 of 3 rows rejected: 2 × latitude 105.505 outside")) << e.reason();
    EXPECT_TRUE(contains(e.reason(), "x and y look swapped: set households.x: lat and households.y: lon"))
        << e.reason();
  }
}

TEST(LoadInputsShare, AMisspelledColumnIsAnErrorWithTheClosestNamesInEveryBlock) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.households.devices = "device";
  try {
    (void)load_inputs(w.s);
    FAIL() << "households.devices names a column the layer lacks";
  } catch (const InvalidInput& e) {
    EXPECT_TRUE(contains(e.reason(), "no devices column 'device' — did you mean 'devices'?")) << e.reason();
  }
  World s("h1,105.505,9.305,poor,4,1,2\n");
  s.s.speakers.emplace();
  s.s.speakers->path = write_text(
      s.dir.path("speakers.geojson"),
      geojson(point_feature(R"({"speaker_id":"S1","power_w":50,"sensitivity_db":110,"height_m":8})", 105.5, 9.3)));
  s.s.speakers->power_w = ColumnOrNumber{"powr_w", std::nullopt, true};  // as the parser sets a named column
  try {
    (void)load_inputs(s.s);
    FAIL() << "power_w: powr_w must not quietly become the 30 W default";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.context().column, "powr_w");
    EXPECT_TRUE(contains(e.reason(), "did you mean 'power_w'?")) << e.reason();
  }
  s.s.speakers->power_w = SpeakersSource{}.power_w;  // the default name, absent → the default, noted
  s.s.speakers->power_w.column = "watts";
  EXPECT_EQ(load_inputs(s.s).speakers.power_w[0], 30.0);
}

TEST(LoadInputsShare, CheckInputsListsTheProblemsOfEveryLayer) {
  World w("h1,105.505,9.305,poor,4,1,2\n");
  w.s.households.status = "povrty";
  w.s.teams.emplace();
  w.s.teams->path =
      write_text(w.dir.path("teams.geojson"), geojson(point_feature(R"({"team_id":"T1","members":3})", 105.5, 9.3)));
  w.s.teams->members = ColumnOrNumber{"membres", std::nullopt, true};
  EXPECT_THROW((void)load_inputs(w.s), InvalidInput);  // the first problem
  const Inputs in = check_inputs(w.s);
  ASSERT_EQ(in.problems.size(), 2u);
  EXPECT_EQ(in.problems[0].layer, "households");
  EXPECT_TRUE(contains(in.problems[0].message, "'povrty'"));
  EXPECT_EQ(in.problems[1].layer, "teams");
  EXPECT_TRUE(contains(in.problems[1].message, "did you mean 'members'?"));
  EXPECT_EQ(in.hamlets.size(), 2u);
}


}  // namespace
}  // namespace infogap
