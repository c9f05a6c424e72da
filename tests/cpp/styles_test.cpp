// Tests of infogap/styles.hpp: QML documents (well-formed per Python's XML parser, escaped,
// Vietnamese intact), the QGIS project file, shapefile field names and fields.csv. Loading in
// real QGIS is tests/e2e/qgis_test.py.
#include "infogap/styles.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "infogap/error.hpp"
#include "support/files.hpp"

namespace infogap {
namespace {

/// Parses an XML file with Python's expat-based minidom (an independent parser).
bool is_well_formed_xml(const std::string& path) {
  const std::string cmd =
      "/usr/bin/python3 -c \"import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])\" '" + path + "'";
  return std::system(cmd.c_str()) == 0;
}

std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

TEST(Styles, EveryGeneratedQmlIsWellFormedXml) {
  test::TempDir dir;
  const std::vector<std::pair<std::string, std::string>> docs = {
      {"speech_vi", speech_level_qml(Language::vi, 55.0)},
      {"speech_en", speech_level_qml(Language::en, 57.5, 20.0, 100.0)},
      {"audible", speakers_audible_qml(Language::vi, 6)},
      {"team", team_distance_qml(Language::en, 1500.0)},
      {"density", gap_density_qml(Language::vi, 800.0)},
      {"gap_rate", gap_rate_qml(Language::vi)},
      {"sites", proposed_sites_qml(Language::en)},
      {"speakers", speakers_qml()},
      {"teams", teams_qml()},
      {"households", households_qml()},
      {"fill", simple_fill_qml("#ff0000", 100)},
      {"odd", pseudocolor_raster_qml(0, 1, "a<b & \"c\"", {})},
  };
  for (const auto& [name, qml] : docs) {
    const std::string path = dir.path(name + ".qml");
    write_qml(path, qml);
    EXPECT_EQ(test::read_text(path), qml);
    EXPECT_TRUE(is_well_formed_xml(path)) << name;
    EXPECT_EQ(qml.rfind("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis ", 0), 0u) << name;
  }
}

TEST(Styles, RasterRenderersHaveTheRightTypeAndItems) {
  const std::string speech = speech_level_qml(Language::en, 55.0, 30.0, 90.0);
  EXPECT_NE(speech.find("type=\"singlebandpseudocolor\""), std::string::npos);
  EXPECT_NE(speech.find("classificationMin=\"30\" classificationMax=\"90\""), std::string::npos);
  EXPECT_EQ(count(speech, "<item "), 3u);
  EXPECT_NE(speech.find("label=\"55 dB(A) — audibility threshold\""), std::string::npos);
  // Items are sorted by value even when given out of order.
  const std::string ramp = pseudocolor_raster_qml(0, 10, "m", {{10, "#000000", "", 255}, {0, "#ffffff", "", 255}});
  EXPECT_LT(ramp.find("value=\"0\""), ramp.find("value=\"10\""));
  EXPECT_NE(ramp.find("label=\"10 m\""), std::string::npos);

  const std::string audible = speakers_audible_qml(Language::vi, 4);
  EXPECT_NE(audible.find("type=\"paletted\""), std::string::npos);
  EXPECT_EQ(count(audible, "<paletteEntry "), 5u);  // 0 … 4
  EXPECT_NE(audible.find("value=\"0\" color=\"#d7191c\" alpha=\"255\" label=\"Không loa nào nghe được\""),
            std::string::npos);
  EXPECT_NE(audible.find("label=\"3 loa\""), std::string::npos);
  EXPECT_NE(speakers_audible_qml(Language::en, 2).find("label=\"2 speakers\""), std::string::npos);
  EXPECT_EQ(count(speakers_audible_qml(Language::en, 1000), "<paletteEntry "), 255u);  // clamped to 254

  const std::string density = gap_density_qml(Language::vi, 400.0);
  EXPECT_NE(density.find("alpha=\"0\" label=\"0\""), std::string::npos);  // transparent where no gap
  EXPECT_NE(density.find("trọng số/km²"), std::string::npos);
  EXPECT_NE(team_distance_qml(Language::vi, 1500.0).find("1,5 km — tầm với của tổ"), std::string::npos);
}

TEST(Styles, VectorRenderersHaveOneSymbolPerClass) {
  const std::string gap = gap_rate_qml(Language::vi);
  EXPECT_NE(gap.find("type=\"graduatedSymbol\" attr=\"coalesce(&quot;gap_rate&quot;, -1)\""), std::string::npos);
  EXPECT_EQ(count(gap, "<range "), 7u);
  EXPECT_EQ(count(gap, "<symbol "), 7u);
  EXPECT_NE(gap.find("lower=\"-1\" upper=\"-1\" label=\"Không có hộ mục tiêu\""), std::string::npos);
  EXPECT_NE(gap.find("Không có khoảng trống (0 %)"), std::string::npos);
  EXPECT_EQ(gap.find("<pipe>"), std::string::npos);  // vector: renderer directly under <qgis>

  const std::string sites = proposed_sites_qml(Language::vi);
  EXPECT_NE(sites.find("type=\"categorizedSymbol\" attr=\"kind\""), std::string::npos);
  EXPECT_NE(sites.find("value=\"speaker\" label=\"Cụm loa đề xuất\""), std::string::npos);
  EXPECT_NE(sites.find("value=\"team\" label=\"Tổ công nghệ số đề xuất\""), std::string::npos);
  EXPECT_EQ(count(sites, "class=\"SimpleMarker\""), 2u);

  const std::string classes =
      graduated_fill_qml("x", {{0, 0.5, "#1a9641", "< 50 %"}, {0.5, 1, "#d7191c", "≥ 50 % & more"}});
  EXPECT_NE(classes.find("label=\"&lt; 50 %\""), std::string::npos);
  EXPECT_NE(classes.find("label=\"≥ 50 % &amp; more\""), std::string::npos);
  EXPECT_NE(classes.find("value=\"26,150,65,255\""), std::string::npos);  // #1a9641 as r,g,b,a
  EXPECT_NE(simple_fill_qml("#102030", 128).find("value=\"16,32,48,128\""), std::string::npos);
}

// reached_share (acoustics.conditions): graduated points from "no condition" (0) to "every
// condition" (1); a share a rounding error under 1 still counts as every condition.
TEST(Styles, ReachedShareIsGraduatedPointsFromNoneToEveryCondition) {
  const std::string qml = reached_share_qml(Language::en);
  EXPECT_NE(qml.find("type=\"graduatedSymbol\" attr=\"reached_share\""), std::string::npos);
  EXPECT_EQ(count(qml, "<range "), 6u);
  EXPECT_EQ(count(qml, "<symbol type=\"marker\""), 6u);
  EXPECT_EQ(count(qml, "class=\"SimpleFill\""), 0u);  // households are points
  EXPECT_NE(qml.find("lower=\"0\" upper=\"0\" label=\"Reached under no condition (0 %)\""), std::string::npos);
  EXPECT_NE(reached_share_qml(Language::vi).find("Được tiếp cận trong mọi điều kiện nghe"), std::string::npos);
  // The classes cover 0 … 1 without a hole, first match wins (QGIS: lower ≤ v ≤ upper).
  const auto classes = reached_share_classes(Language::en);
  auto class_of = [&](double v) {
    for (std::size_t k = 0; k < classes.size(); ++k)
      if (classes[k].lower <= v && v <= classes[k].upper) return static_cast<int>(k);
    return -1;
  };
  EXPECT_EQ(class_of(0.0), 0);
  EXPECT_EQ(class_of(0.1), 1);
  EXPECT_EQ(class_of(0.5), 2);
  EXPECT_EQ(class_of(0.75), 3);
  EXPECT_EQ(class_of(0.9), 4);
  EXPECT_EQ(class_of(1.0), 5);
  EXPECT_EQ(class_of(1.0 / 3.0 + 1.0 / 3.0 + 1.0 / 3.0 - 1e-12), 5);
  for (double v = 0.0; v <= 1.0; v += 0.01) EXPECT_GE(class_of(v), 0) << v;
  EXPECT_EQ(layer_title("reached_share", Language::en), "Households: share of listening conditions reached");
}

TEST(Styles, BadColoursAndLanguagesAreRejected) {
  EXPECT_THROW(simple_marker_qml("red", 2.0), InvalidInput);
  EXPECT_THROW(paletted_raster_qml({{0, "#12345", "x", 255}}), InvalidInput);
  EXPECT_THROW(pseudocolor_raster_qml(5, 5, "m"), InvalidInput);
  EXPECT_EQ(language_from_code("vi"), Language::vi);
  EXPECT_EQ(language_from_code("en"), Language::en);
  EXPECT_THROW(language_from_code("fr"), InvalidInput);
  EXPECT_STREQ(to_code(Language::vi), "vi");
}

TEST(Styles, LayerTitlesInBothLanguages) {
  EXPECT_EQ(layer_title("gap_rate", Language::vi), "Tỷ lệ khoảng trống");
  EXPECT_EQ(layer_title("coverage", Language::vi), "Độ phủ");
  EXPECT_EQ(layer_title("infrastructure", Language::en), "Infrastructure");
  EXPECT_EQ(layer_title("teams", Language::vi), "Tổ công nghệ số cộng đồng");
  EXPECT_THROW(layer_title("no_speaker", Language::en), InvalidInput);  // a legend text, not a title
  EXPECT_THROW(layer_title("unknown", Language::en), InvalidInput);
}

TEST(QgisProject, WritesRelativePathsCrsGroupsAndEmbeddedStyles) {
  test::TempDir dir;
  ProjectSpec spec;
  spec.title = "Bạc Liêu — <thử>";
  spec.epsg = 32648;
  spec.extent = std::array<double, 4>{575000, 1020000, 600000, 1040000};
  spec.groups = {
      {"Đề xuất",
       {{"Vị trí đề xuất", "coverage.gpkg|layername=proposed_sites", "ogr", proposed_sites_qml(Language::vi), true}}},
      {"Độ phủ", {{"Mức âm", "speech_level.tif", "gdal", speech_level_qml(Language::vi), false}}},
  };
  const std::string path = dir.path("infogap.qgs");
  write_qgis_project(path, spec);
  EXPECT_TRUE(is_well_formed_xml(path));
  const std::string qgs = test::read_text(path);
  EXPECT_NE(qgs.find("<Paths><Absolute type=\"bool\">false</Absolute></Paths>"), std::string::npos);
  EXPECT_NE(qgs.find("<ProjectionsEnabled type=\"int\">1</ProjectionsEnabled>"), std::string::npos);
  EXPECT_NE(qgs.find("<datasource>./speech_level.tif</datasource>"), std::string::npos);
  EXPECT_NE(qgs.find("<datasource>./coverage.gpkg|layername=proposed_sites</datasource>"), std::string::npos);
  EXPECT_NE(qgs.find("<authid>EPSG:32648</authid>"), std::string::npos);
  EXPECT_NE(qgs.find("UTM zone 48N"), std::string::npos);  // WKT from PROJ
  EXPECT_NE(qgs.find("<title>Bạc Liêu — &lt;thử&gt;</title>"), std::string::npos);
  EXPECT_NE(qgs.find("<layer-tree-group name=\"Đề xuất\""), std::string::npos);
  EXPECT_NE(qgs.find("checked=\"Qt::Unchecked\""), std::string::npos);
  EXPECT_NE(qgs.find("type=\"categorizedSymbol\""), std::string::npos);
  EXPECT_NE(qgs.find("type=\"singlebandpseudocolor\""), std::string::npos);
  EXPECT_NE(qgs.find("<DefaultViewExtent xmin=\"575000\""), std::string::npos);
  EXPECT_EQ(qgs.find("/tmp"), std::string::npos);  // nothing absolute

  spec.groups[0].layers[0].provider = "wms";
  EXPECT_THROW(write_qgis_project(dir.path("bad.qgs"), spec), InvalidInput);
  spec.groups[0].layers[0].provider = "ogr";
  spec.epsg = 0;
  EXPECT_THROW(write_qgis_project(dir.path("bad.qgs"), spec), InvalidInput);
}

bool is_dbf_name(const std::string& s) {
  if (s.empty() || s.size() > 10 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

TEST(ShapefileFields, HamletColumnsBecomeUniqueShortAsciiNames) {
  const std::vector<std::string> longs = {
      "hamlet_id",         "name",          "commune",         "district",     "households",
      "target_households", "target_weight", "reached_speaker", "reached_team", "reached_any",
      "gap_households",    "gap_weight",    "gap_rate",        "rank",         "commune_2025"};
  const auto shorts = shapefile_fields(longs);
  ASSERT_EQ(shorts.size(), longs.size());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < shorts.size(); ++i) {
    EXPECT_TRUE(is_dbf_name(shorts[i])) << shorts[i];
    std::string up = shorts[i];
    for (char& c : up) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_TRUE(seen.insert(up).second) << shorts[i];
    if (longs[i].size() <= 10) {
      EXPECT_EQ(shorts[i], longs[i]);  // short names are kept
    }
  }
  EXPECT_EQ(shorts[7], "reac_speak");
  EXPECT_EQ(shorts[8], "reach_team");
}

TEST(ShapefileFields, VietnameseCollisionsDigitsAndCase) {
  const auto s = shapefile_fields(
      {"tên_ấp", "Đơn_vị", "population_2025", "population_2024", "2025_group", "NAME", "name", "a b-c", "____"});
  EXPECT_EQ(s[0], "ten_ap");
  EXPECT_EQ(s[1], "Don_vi");
  EXPECT_NE(s[2], s[3]);
  EXPECT_TRUE(is_dbf_name(s[2]) && is_dbf_name(s[3]));
  EXPECT_EQ(s[4].front(), 'f');
  EXPECT_EQ(s[5], "NAME");
  EXPECT_NE(s[6], "name");  // same as NAME ignoring case
  EXPECT_TRUE(is_dbf_name(s[6]));
  EXPECT_EQ(s[7], "a_b_c");
  EXPECT_EQ(s[8], "field");
}

TEST(ShapefileFields, FieldsCsvMapsShortToLong) {
  test::TempDir dir;
  const std::string path = dir.path("fields.csv");
  write_fields_csv(path, {"gap_rate", "ten_ap", "a_b"}, {"gap_rate", "tên ấp", "a, \"b\""});
  EXPECT_EQ(test::read_text(path), "short,long\ngap_rate,gap_rate\nten_ap,tên ấp\na_b,\"a, \"\"b\"\"\"\n");
  EXPECT_THROW(write_fields_csv(path, {"a"}, {}), InvalidInput);
}

}  // namespace
}  // namespace infogap
