// The scenario written back (to_yaml, to_json), its defaults table, and the real-input keys.
#include "infogap/scenario.hpp"

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "infogap/error.hpp"
#include "support/scenario_texts.hpp"

namespace infogap {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

using namespace infogap::test;  // k_minimal, k_full, parse, scenario_error

TEST(Scenario, ToYamlParsesBackToAnEqualScenario) {
  for (const std::string& text : {std::string(k_minimal), std::string(k_full)}) {
    const Scenario s = parse(text);
    const std::string yaml = s.to_yaml();
    const Scenario back = Scenario::from_yaml_string(yaml, "/somewhere/else");  // every path is absolute now
    EXPECT_EQ(back, s) << yaml;
    EXPECT_EQ(back.to_yaml(), yaml);
  }
}

TEST(Scenario, ToYamlQuotesWhatWouldReadBackAsSomethingElse) {
  Scenario s;
  s.name = "quote \" backslash \\ newline \n tab \t ctl \x01 nel \xC2\x85 ls \xE2\x80\xA8 # : end ";
  s.working_crs = "EPSG:32648";
  s.seed = std::numeric_limits<std::uint64_t>::max();
  s.hamlets.path = "/tmp/a b/c#d: e.gpkg";
  s.hamlets.id = "300";
  s.hamlets.name = "";
  s.hamlets.group_by = {"no", "a: b", "x,y", "[z]", "xã/phường", "Null"};
  s.households.path = "/h.gpkg";
  s.households.status = "true";
  s.households.members = "~";
  s.households.x = "-x";
  s.speakers.emplace();
  s.speakers->path = "/s.gpkg";
  s.speakers->range_m = {"", 0.1};
  s.speakers->power_w = {"30", std::nullopt};
  s.speakers->sensitivity_db = {"null", std::nullopt};
  s.speakers->height_m = {"", std::nullopt};
  s.speakers->azimuth_deg = {"", -0.0};
  s.optimize.enabled = true;
  s.optimize.min_group_coverage = {{"district name", 0.3}, {"yes", 1.0}};
  s.optimize.budget_vnd = 123456789.125;
  s.optimize.coverage_target = 1.0 / 3.0;
  s.optimize.candidates.grid_m = 1e-7;
  s.acoustics.pressure_kpa = 101.325;
  s.acoustics.ambient_dba = 1e15 + 0.5;
  s.output.dir = "/out dir";
  s.output.languages = {"en"};
  const Scenario back = Scenario::from_yaml_string(s.to_yaml(), "/");
  EXPECT_EQ(back, s) << s.to_yaml();
  EXPECT_EQ(back.name, s.name);
  EXPECT_EQ(back.hamlets.group_by, s.hamlets.group_by);
}

TEST(Scenario, ToJsonHasTheSameKeysInTheSameOrderAsToYaml) {
  const Scenario s = parse(k_full);
  const auto json = nlohmann::ordered_json::parse(s.to_json());
  const YAML::Node yaml = YAML::Load(s.to_yaml());
  // walk both trees: same keys, same order, same kind of value
  std::function<void(const nlohmann::ordered_json&, const YAML::Node&, const std::string&)> same =
      [&](const nlohmann::ordered_json& j, const YAML::Node& y, const std::string& where) {
        ASSERT_TRUE(j.is_object()) << where;
        ASSERT_TRUE(y.IsMap()) << where;
        ASSERT_EQ(j.size(), y.size()) << where;
        auto yit = y.begin();
        for (const auto& [key, value] : j.items()) {
          const std::string path = where + "." + key;
          EXPECT_EQ(yit->first.Scalar(), key) << path;
          if (value.is_object() && !value.empty()) {
            same(value, yit->second, path);
          } else if (value.is_null()) {
            EXPECT_TRUE(yit->second.IsNull()) << path;
          } else if (value.is_array()) {
            EXPECT_TRUE(yit->second.IsSequence()) << path;
            EXPECT_EQ(value.size(), yit->second.size()) << path;
          } else if (value.is_string()) {
            EXPECT_EQ(yit->second.Scalar(), value.get<std::string>()) << path;
          } else if (value.is_number()) {
            EXPECT_DOUBLE_EQ(yit->second.as<double>(), value.get<double>()) << path;
          }
          ++yit;
        }
      };
  same(json, yaml, "");
  EXPECT_EQ(json.begin().key(), "name");
  EXPECT_EQ(json["optimize"]["budget"], 500000000.0);
  EXPECT_EQ(json["speakers"]["sensitivity_db"], "sens");
  EXPECT_EQ(json["speakers"]["range_m"], 250.0);
  EXPECT_EQ(json["target"]["weights"]["near_poor"], 0.75);

  const auto defaults = nlohmann::json::parse(parse(k_minimal).to_json());
  EXPECT_TRUE(defaults["speakers"].is_null());
  EXPECT_TRUE(defaults["teams"].is_null());
  EXPECT_TRUE(defaults["optimize"]["budget"].is_null());
  EXPECT_TRUE(defaults["optimize"]["coverage_target"].is_null());
  EXPECT_TRUE(defaults["households"]["members"].is_null());
  EXPECT_EQ(defaults["seed"], 42u);
  EXPECT_EQ(defaults["optimize"]["enabled"], false);
}

TEST(Scenario, DefaultsTableMatchesTheDesign) {
  const auto table = scenario_defaults();
  std::map<std::string, std::string> by_key;
  for (const auto& [key, value] : table) EXPECT_TRUE(by_key.emplace(key, value).second) << "repeated " << key;
  // values written in DESIGN.md §3
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"working_crs", "auto"},
      {"on_bad_rows", "reject"},
      {"seed", "42"},
      {"hamlets.path", "null"},
      {"hamlets.id", "hamlet_id"},
      {"hamlets.group_by", "[]"},
      {"households.status", "poverty"},
      {"households.x", "lon"},
      {"households.members", "null"},
      {"speakers.model", "iso9613"},
      {"speakers.range_m", "300"},
      {"speakers.power_w", "power_w"},
      {"speakers.azimuth_deg", "azimuth_deg"},
      {"teams.reach_m", "2000"},
      {"teams.households_per_member", "40"},
      {"acoustics.ambient_dba", "45"},
      {"acoustics.pressure_kpa", "101.325"},
      {"acoustics.ground_g", "0.7"},
      {"acoustics.conditions", "[]"},
      {"target.weights.near_poor", "0.5"},
      {"target.info_deprived_only", "false"},
      {"optimize.new_speakers", "20"},
      {"optimize.speaker_template.power_w", "30"},
      {"optimize.budget", "null"},
      {"optimize.costs.speaker", "36000000"},
      {"optimize.min_group_coverage", "{}"},
      {"optimize.solver", "auto"},
      {"optimize.objective", "expected"},
      {"optimize.time_limit_s", "60"},
      {"output.dir", "out"},
      {"output.raster_cell_m", "10"},
      {"output.languages", "[vi, en]"},
      {"output.formats", "[gpkg, shp, tif, csv, html, qgis]"},
  };
  for (const auto& [key, value] : expected) EXPECT_EQ(by_key[key], value) << key;
  EXPECT_EQ(table.front().first, "name");
}

TEST(Scenario, EveryDefaultsKeyIsAcceptedAndGivesTheDefault) {
  // Rebuild a nested YAML file from the dotted keys (the required paths filled in) and parse it.
  const std::map<std::string, std::string> paths = {{"hamlets.path", "/h.gpkg"},
                                                    {"households.path", "/hh.gpkg"},
                                                    {"speakers.path", "/s.gpkg"},
                                                    {"teams.path", "/t.gpkg"},
                                                    {"communes.path", "/c.gpkg"}};
  std::string yaml;
  std::vector<std::string> open;  // the mapping keys of the previous line
  for (const auto& [key, default_text] : scenario_defaults()) {
    std::vector<std::string> parts;
    for (std::size_t start = 0;;) {
      const std::size_t dot = key.find('.', start);
      parts.push_back(key.substr(start, dot - start));
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
    std::size_t common = 0;
    while (common < open.size() && common + 1 < parts.size() && open[common] == parts[common]) ++common;
    for (std::size_t i = common; i + 1 < parts.size(); ++i) yaml += std::string(2 * i, ' ') + parts[i] + ":\n";
    const auto path = paths.find(key);
    yaml += std::string(2 * (parts.size() - 1), ' ') + parts.back() + ": " +
            (path != paths.end() ? path->second : default_text) + "\n";
    open.assign(parts.begin(), parts.end() - 1);
  }
  const Scenario s = Scenario::from_yaml_string(yaml, "/base");
  Scenario expected;
  expected.hamlets.path = "/h.gpkg";
  expected.households.path = "/hh.gpkg";
  expected.speakers.emplace().path = "/s.gpkg";
  expected.teams.emplace().path = "/t.gpkg";
  expected.communes.emplace().path = "/c.gpkg";
  expected.output.dir = "/base/out";
  EXPECT_EQ(s, expected) << yaml;
}

TEST(Scenario, RealInputKeysCommunesHouseholdsByHamletAndDemand) {
  const Scenario s = parse(
      "hamlets: {path: h.gpkg, commune: xa}\n"
      "communes: {path: c.gpkg, layer: communes, id: commune_code, name: commune}\n"
      "households: {path: hh.csv, hamlet: hamlet_id, counts: {total: n, poor: p}}\n"
      "demand: {footprints: {path: b.gpkg, layer: buildings}}\n");
  EXPECT_EQ(s.hamlets.commune, "xa");
  ASSERT_TRUE(s.communes.has_value());
  EXPECT_EQ(s.communes->path, std::string(k_base) + "/c.gpkg");
  EXPECT_EQ(s.communes->id, "commune_code");
  EXPECT_EQ(s.households.hamlet, "hamlet_id");
  EXPECT_EQ(s.households.counts, (HouseholdCounts{"n", "p", ""}));
  EXPECT_TRUE(s.households.keyed_by_hamlet());
  EXPECT_EQ(s.demand.footprints.path, std::string(k_base) + "/b.gpkg");
  EXPECT_EQ(s.demand.footprints.layer, "buildings");
  EXPECT_EQ(parse(std::string(k_minimal) + "demand: {raster: pop.tif}\n").demand.raster,
            std::string(k_base) + "/pop.tif");
  // Round trip through to_yaml.
  EXPECT_EQ(Scenario::from_yaml_string(s.to_yaml(), k_base), s);
  // Defaults: no communes block, nothing keyed by hamlet, no footprints.
  const Scenario d = parse(k_minimal);
  EXPECT_FALSE(d.communes.has_value());
  EXPECT_FALSE(d.households.keyed_by_hamlet());
  EXPECT_TRUE(d.demand.footprints.path.empty());
}

TEST(Scenario, RealInputKeysAreChecked) {
  EXPECT_THAT(scenario_error(
                  "hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv, hamlet: h, counts: {total: n, nearpoor: q}}\n"),
              ::testing::HasSubstr("did you mean 'near_poor'"));
  EXPECT_THAT(scenario_error("hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv, hamlet_name: ap}\n"),
              ::testing::HasSubstr("'households.hamlet_name' needs 'households.commune' too"));
  EXPECT_THAT(scenario_error("hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv, counts: {total: n}}\n"),
              ::testing::HasSubstr("'households.counts' needs 'households.hamlet'"));
  EXPECT_THAT(scenario_error("hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv}\ncommunes: {id: c}\n"),
              ::testing::HasSubstr("'communes.path' is required"));
  EXPECT_THAT(scenario_error("hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv}\ndemand: {footprint: {path: b}}\n"),
              ::testing::HasSubstr("did you mean 'footprints'"));
  EXPECT_THAT(scenario_error("hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv}\n"
                             "demand: {footprints: {path: b.gpkg}, raster: p.tif}\n"),
              ::testing::HasSubstr("give 'demand.footprints' or 'demand.raster', not both"));
}

}  // namespace
}  // namespace infogap
