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

/// A fresh folder under the system temp folder, removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    m_path =
        fs::temp_directory_path() / ("infogap_scenario_" + std::string(info->name()) + "_" + std::to_string(counter++));
    fs::remove_all(m_path);
    fs::create_directories(m_path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(m_path, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return m_path; }
  fs::path write(const std::string& relative, const std::string& text) const {
    const fs::path p = m_path / relative;
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }

 private:
  fs::path m_path;
};

// ---------------------------------------------------------------- defaults and blocks

TEST(Scenario, MinimalScenarioGetsTheDesignDefaults) {
  const Scenario s = parse(k_minimal);
  EXPECT_EQ(s.hamlets.path, "/data/base/h.gpkg");
  EXPECT_EQ(s.households.path, "/data/base/hh.gpkg");
  EXPECT_EQ(s.source_path, "");
  // values written in DESIGN.md §3
  EXPECT_EQ(s.working_crs, "auto");
  EXPECT_EQ(s.on_bad_rows, OnBadRows::reject);
  EXPECT_EQ(s.hamlets.id, "hamlet_id");
  EXPECT_EQ(s.hamlets.name, "name");
  EXPECT_TRUE(s.hamlets.group_by.empty());
  EXPECT_EQ(s.hamlets.crs, "");  // a GeoPackage keeps its own CRS
  EXPECT_EQ(s.households.id, "household_id");
  EXPECT_EQ(s.households.status, "poverty");
  EXPECT_EQ(s.households.x, "lon");
  EXPECT_EQ(s.households.y, "lat");
  EXPECT_FALSE(s.speakers.has_value());
  EXPECT_FALSE(s.teams.has_value());
  EXPECT_DOUBLE_EQ(s.acoustics.ambient_dba, 45.0);      // dB(A)
  EXPECT_DOUBLE_EQ(s.acoustics.required_snr_db, 10.0);  // dB
  EXPECT_DOUBLE_EQ(s.acoustics.temperature_c, 28.0);
  EXPECT_DOUBLE_EQ(s.acoustics.humidity_pct, 80.0);
  EXPECT_DOUBLE_EQ(s.acoustics.pressure_kpa, 101.325);
  EXPECT_DOUBLE_EQ(s.acoustics.ground_g, 0.7);
  EXPECT_DOUBLE_EQ(s.acoustics.receiver_height_m, 1.5);
  EXPECT_DOUBLE_EQ(s.acoustics.facade_loss_db, 0.0);
  EXPECT_DOUBLE_EQ(s.target.weight_poor, 1.0);
  EXPECT_DOUBLE_EQ(s.target.weight_near_poor, 0.5);
  EXPECT_DOUBLE_EQ(s.target.weight_not_poor, 0.0);
  EXPECT_FALSE(s.target.info_deprived_only);
  EXPECT_FALSE(s.optimize.enabled);
  EXPECT_EQ(s.optimize.new_speakers, 20);
  EXPECT_EQ(s.optimize.new_teams, 5);
  EXPECT_FALSE(s.optimize.budget_vnd.has_value());
  EXPECT_DOUBLE_EQ(s.optimize.cost_speaker_vnd, 36000000.0);
  EXPECT_DOUBLE_EQ(s.optimize.cost_team_vnd, 20000000.0);
  EXPECT_EQ(s.optimize.solver, SolverChoice::automatic);
  EXPECT_DOUBLE_EQ(s.optimize.time_limit_s, 60.0);
  EXPECT_EQ(s.output.dir, "/data/base/out");
  EXPECT_DOUBLE_EQ(s.output.raster_cell_m, 10.0);  // m
  EXPECT_EQ(s.output.languages, (std::vector<std::string>{"vi", "en"}));
  EXPECT_EQ(s.output.formats, (std::vector<std::string>{"gpkg", "shp", "tif", "csv", "html", "qgis"}));

  // and nothing else differs from the struct initialisers
  Scenario expected;
  expected.hamlets.path = "/data/base/h.gpkg";
  expected.households.path = "/data/base/hh.gpkg";
  expected.output.dir = "/data/base/out";
  EXPECT_EQ(s, expected);
}

TEST(Scenario, EveryBlockIsParsed) {
  const Scenario s = parse(k_full);
  EXPECT_EQ(s.name, "Bạc Liêu — test");
  EXPECT_EQ(s.working_crs, "EPSG:32648");
  EXPECT_EQ(s.on_bad_rows, OnBadRows::fail);
  EXPECT_EQ(s.seed, 7u);

  EXPECT_EQ(s.hamlets.path, "/data/base/in/hamlets.gpkg");
  EXPECT_EQ(s.hamlets.layer, "ham");
  EXPECT_EQ(s.hamlets.crs, "EPSG:3405");
  EXPECT_EQ(s.hamlets.x, "east");
  EXPECT_EQ(s.hamlets.y, "north");
  EXPECT_EQ(s.hamlets.id, "hid");
  EXPECT_EQ(s.hamlets.name, "ten_ap");
  EXPECT_EQ(s.hamlets.group_by, (std::vector<std::string>{"commune", "district"}));

  EXPECT_EQ(s.households.path, "/data/base/in/hh.csv");
  EXPECT_EQ(s.households.crs, "EPSG:4326");  // CSV default
  EXPECT_EQ(s.households.id, "hhid");
  EXPECT_EQ(s.households.x, "longitude");
  EXPECT_EQ(s.households.y, "latitude");
  EXPECT_EQ(s.households.status, "ngheo");
  EXPECT_EQ(s.households.members, "nk");
  EXPECT_EQ(s.households.internet, "uses_internet");
  EXPECT_EQ(s.households.devices, "info_devices");

  ASSERT_TRUE(s.speakers.has_value());
  const SpeakersSource& sp = *s.speakers;
  EXPECT_EQ(sp.path, "/abs/speakers.gpkg");
  EXPECT_EQ(sp.layer, "loa");
  EXPECT_EQ(sp.id, "sid");
  EXPECT_EQ(sp.model, SpeakerModel::radius);
  EXPECT_EQ(sp.range_m, (ColumnOrNumber{"", 250.0}));
  EXPECT_EQ(sp.power_w, (ColumnOrNumber{"", 45.0}));
  EXPECT_EQ(sp.sensitivity_db, (ColumnOrNumber{"sens", std::nullopt}));
  EXPECT_EQ(sp.height_m, (ColumnOrNumber{"", 9.5}));
  EXPECT_EQ(sp.azimuth_deg, (ColumnOrNumber{"az", std::nullopt}));
  EXPECT_EQ(sp.beamwidth_deg, (ColumnOrNumber{"", 120.0}));
  EXPECT_EQ(sp.cluster, "cum");

  ASSERT_TRUE(s.teams.has_value());
  EXPECT_EQ(s.teams->path, "/data/base/teams.shp");
  EXPECT_EQ(s.teams->id, "tid");
  EXPECT_EQ(s.teams->members, (ColumnOrNumber{"", 6.0}));
  EXPECT_EQ(s.teams->reach_m, (ColumnOrNumber{"reach", std::nullopt}));
  EXPECT_EQ(s.teams->households_per_member, (ColumnOrNumber{"", 35.5}));

  EXPECT_DOUBLE_EQ(s.acoustics.ambient_dba, 50.0);
  EXPECT_DOUBLE_EQ(s.acoustics.required_snr_db, 12.5);
  EXPECT_DOUBLE_EQ(s.acoustics.temperature_c, -5.0);
  EXPECT_DOUBLE_EQ(s.acoustics.humidity_pct, 65.0);
  EXPECT_DOUBLE_EQ(s.acoustics.pressure_kpa, 99.5);
  EXPECT_DOUBLE_EQ(s.acoustics.ground_g, 0.25);
  EXPECT_DOUBLE_EQ(s.acoustics.receiver_height_m, 1.2);
  EXPECT_DOUBLE_EQ(s.acoustics.facade_loss_db, 3.0);
  EXPECT_DOUBLE_EQ(s.acoustics.default_power_w, 25.0);
  EXPECT_DOUBLE_EQ(s.acoustics.default_sensitivity_db, 105.0);
  EXPECT_DOUBLE_EQ(s.acoustics.default_height_m, 10.0);
  EXPECT_DOUBLE_EQ(s.acoustics.default_beamwidth_deg, 75.0);

  EXPECT_DOUBLE_EQ(s.target.weight_poor, 2.0);
  EXPECT_DOUBLE_EQ(s.target.weight_near_poor, 0.75);
  EXPECT_DOUBLE_EQ(s.target.weight_not_poor, 0.1);
  EXPECT_TRUE(s.target.info_deprived_only);

  const OptimizeParams& o = s.optimize;
  EXPECT_TRUE(o.enabled);
  EXPECT_EQ(o.new_speakers, 12);
  EXPECT_EQ(o.new_teams, 0);
  EXPECT_EQ(o.candidates.path, "/data/base/cand.gpkg");
  EXPECT_EQ(o.candidates.layer, "c");
  EXPECT_EQ(o.candidates.id, "cid");
  EXPECT_EQ(o.candidates.kind, "loai");
  EXPECT_EQ(o.candidates.grid_m, 250.0);
  EXPECT_TRUE(o.candidates.hamlet_centroids);
  EXPECT_DOUBLE_EQ(o.template_power_w, 60.0);
  EXPECT_DOUBLE_EQ(o.template_sensitivity_db, 112.0);
  EXPECT_DOUBLE_EQ(o.template_height_m, 12.0);
  EXPECT_DOUBLE_EQ(o.template_range_m, 400.0);
  EXPECT_DOUBLE_EQ(o.template_team_members, 9.0);
  EXPECT_EQ(o.budget_vnd, 500000000.0);
  EXPECT_DOUBLE_EQ(o.cost_speaker_vnd, 40000000.0);
  EXPECT_DOUBLE_EQ(o.cost_team_vnd, 25000000.0);
  EXPECT_EQ(o.coverage_target, 0.9);
  EXPECT_EQ(o.min_group_coverage, (std::map<std::string, double>{{"commune", 0.5}, {"district", 0.25}}));
  EXPECT_EQ(o.solver, SolverChoice::exact);
  EXPECT_DOUBLE_EQ(o.time_limit_s, 12.5);

  EXPECT_EQ(s.output.dir, "/data/results");
  EXPECT_DOUBLE_EQ(s.output.raster_cell_m, 25.0);
  EXPECT_EQ(s.output.languages, (std::vector<std::string>{"en"}));
  EXPECT_EQ(s.output.formats, (std::vector<std::string>{"gpkg", "html"}));
}

TEST(Scenario, ColumnOrNumberTakesAColumnNameOrAConstant) {
  const Scenario s = parse(std::string(k_minimal) + R"(speakers:
  path: s.gpkg
  range_m: 250
  power_w: watts
  sensitivity_db: "110"
  height_m: null
  azimuth_deg: -45
teams:
  path: t.gpkg
  members: 4
  reach_m: reach_col
)");
  EXPECT_EQ(s.speakers->range_m.column, "");
  EXPECT_EQ(s.speakers->range_m.value, 250.0);
  EXPECT_EQ(s.speakers->power_w.column, "watts");
  EXPECT_FALSE(s.speakers->power_w.value.has_value());
  EXPECT_EQ(s.speakers->sensitivity_db.column, "110");  // quoted: a column named "110"
  EXPECT_FALSE(s.speakers->sensitivity_db.value.has_value());
  EXPECT_TRUE(s.speakers->height_m.empty());  // null: fall back to acoustics.default_height_m
  EXPECT_EQ(s.speakers->azimuth_deg.value, -45.0);
  EXPECT_EQ(s.teams->members.value, 4.0);
  EXPECT_EQ(s.teams->members.column, "");
  EXPECT_EQ(s.teams->reach_m.column, "reach_col");
  EXPECT_FALSE(s.teams->reach_m.value.has_value());
}

TEST(Scenario, NamedColumnsAreMarkedDefaultOnesAreNot) {
  const Scenario s = parse(std::string(k_minimal) + "speakers: {path: s.gpkg, power_w: powr_w, height_m: 8}\n");
  EXPECT_TRUE(s.speakers->power_w.named);          // the file names it: a missing column is an error
  EXPECT_FALSE(s.speakers->sensitivity_db.named);  // the default column name: may fall back
  EXPECT_FALSE(s.speakers->height_m.named);        // a number
  EXPECT_EQ(s.speakers->power_w, (ColumnOrNumber{"powr_w", std::nullopt}));  // equality ignores `named`
}

TEST(Scenario, StatusValuesAndRejectLimits) {
  const Scenario s = parse(
      "hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv, status_values: {\"Diện A\": poor, diện b: near_poor}}\n"
      "max_rejected_share: 0.25\nmax_outside_share: 0.5\n");
  EXPECT_EQ(s.households.status_values,
            (std::map<std::string, std::string>{{"Diện A", "poor"}, {"diện b", "near_poor"}}));
  EXPECT_EQ(s.max_rejected_share, 0.25);
  EXPECT_EQ(s.max_outside_share, 0.5);
  EXPECT_EQ(Scenario::from_yaml_string(s.to_yaml(), "/"), s);  // written back and read again
  EXPECT_THAT(scenario_error("hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv, status_values: {x: pore}}\n"),
              HasSubstr("did you mean 'poor'"));
  EXPECT_THAT(scenario_error(std::string(k_minimal) + "max_rejected_share: 1.5\n"), HasSubstr("max_rejected_share"));
  const Scenario d = parse(k_minimal);
  EXPECT_EQ(d.max_rejected_share, 0.1);
  EXPECT_EQ(d.max_outside_share, 0.2);
  EXPECT_TRUE(d.households.status_values.empty());
}

TEST(Scenario, OptionalBlocksAreSetOnlyWhenPresent) {
  EXPECT_FALSE(parse(std::string(k_minimal) + "speakers: null\nteams:\n").speakers.has_value());
  const Scenario with = parse(std::string(k_minimal) + "speakers: {path: s.gpkg}\nteams: {path: t.gpkg}\n");
  ASSERT_TRUE(with.speakers.has_value());
  ASSERT_TRUE(with.teams.has_value());
  SpeakersSource sp;
  sp.path = "/data/base/s.gpkg";
  EXPECT_EQ(*with.speakers, sp);  // every other speaker key at its default
  TeamsSource tm;
  tm.path = "/data/base/t.gpkg";
  EXPECT_EQ(*with.teams, tm);

  EXPECT_FALSE(parse(k_minimal).optimize.enabled);
  const Scenario empty_block = parse(std::string(k_minimal) + "optimize:\n");
  EXPECT_TRUE(empty_block.optimize.enabled);
  OptimizeParams defaults;
  defaults.enabled = true;
  EXPECT_EQ(empty_block.optimize, defaults);
  EXPECT_EQ(parse(std::string(k_minimal) + "optimize: {new_teams: 2}\n").optimize.new_teams, 2);
  EXPECT_TRUE(parse(std::string(k_minimal) + "optimize: {new_teams: 2}\n").optimize.enabled);
  EXPECT_FALSE(parse(std::string(k_minimal) + "optimize: {enabled: false, new_teams: 2}\n").optimize.enabled);
}

TEST(Scenario, SmallConveniences) {
  // CSV layers default to EPSG:4326 (any case of the extension); other formats keep their CRS
  EXPECT_EQ(parse("hamlets: {path: h.gpkg}\nhouseholds: {path: hh.CSV}\n").households.crs, "EPSG:4326");
  EXPECT_EQ(parse("hamlets: {path: h.gpkg}\nhouseholds: {path: hh.csv, crs: 'EPSG:3405'}\n").households.crs,
            "EPSG:3405");
  // a single group column may be written without brackets
  EXPECT_EQ(parse("hamlets: {path: h.gpkg, group_by: commune}\nhouseholds: {path: hh.gpkg}\n").hamlets.group_by,
            (std::vector<std::string>{"commune"}));
  EXPECT_TRUE(parse(std::string(k_minimal) + "target: {info_deprived_only: yes}\n").target.info_deprived_only);
  EXPECT_EQ(parse(std::string(k_minimal) + "seed: 18446744073709551615\n").seed,
            std::numeric_limits<std::uint64_t>::max());
  EXPECT_EQ(parse(std::string(k_minimal) + "output: {languages: [], formats: []}\n").output.formats.size(), 0u);
  // a UTF-8 byte order mark is fine
  EXPECT_EQ(parse("\xEF\xBB\xBFname: Bạc Liêu\n" + std::string(k_minimal)).name, "Bạc Liêu");
}

TEST(Scenario, WantsReportsRequestedFormats) {
  OutputParams o;
  for (const char* f : {"gpkg", "shp", "tif", "csv", "html", "qgis"}) EXPECT_TRUE(o.wants(f)) << f;
  EXPECT_FALSE(o.wants("pdf"));
  const Scenario s = parse(std::string(k_minimal) + "output: {formats: [csv, tif]}\n");
  EXPECT_TRUE(s.output.wants("csv"));
  EXPECT_TRUE(s.output.wants("tif"));
  EXPECT_FALSE(s.output.wants("gpkg"));
  EXPECT_FALSE(s.output.wants("html"));
  EXPECT_FALSE(s.output.wants("qgis"));
}

// ---------------------------------------------------------------- unknown keys

TEST(Scenario, UnknownTopLevelKeyIsRefusedWithASuggestion) {
  const std::string msg = scenario_error(std::string(k_minimal) + "seeed: 5\n");
  EXPECT_THAT(msg, HasSubstr("test.yaml"));
  EXPECT_THAT(msg, HasSubstr("'seeed' is not a valid key"));
  EXPECT_THAT(msg, HasSubstr("line 3, column 1"));
  EXPECT_THAT(msg, HasSubstr("did you mean 'seed'?"));
}

TEST(Scenario, UnknownNestedKeyNamesItsPathAndSuggests) {
  const std::string msg = scenario_error("hamlets: {path: h.gpkg}\nhouseholds:\n  path: hh.gpkg\n  stauts: poverty\n");
  EXPECT_THAT(msg, HasSubstr("'households.stauts' is not a valid key"));
  EXPECT_THAT(msg, HasSubstr("line 4, column 3"));
  EXPECT_THAT(msg, HasSubstr("did you mean 'status'?"));

  const std::string deep = scenario_error(std::string(k_minimal) + "optimize:\n  candidates:\n    gird_m: 250\n");
  EXPECT_THAT(deep, HasSubstr("'optimize.candidates.gird_m'"));
  EXPECT_THAT(deep, HasSubstr("line 5"));
  EXPECT_THAT(deep, HasSubstr("did you mean 'grid_m'?"));

  const std::string weights = scenario_error(std::string(k_minimal) + "target:\n  weights: {por: 1}\n");
  EXPECT_THAT(weights, HasSubstr("'target.weights.por'"));
  EXPECT_THAT(weights, HasSubstr("did you mean 'poor'?"));

  // a prefix of a long key is close enough; a different short word is not
  EXPECT_THAT(scenario_error(std::string(k_minimal) + "acoustics: {humidity: 50}\n"),
              HasSubstr("did you mean 'humidity_pct'?"));
  EXPECT_THAT(scenario_error(std::string(k_minimal) + "output: {formats: [pdf]}\n"), Not(HasSubstr("did you mean")));
}

TEST(Scenario, UnknownKeyFarFromEveryValidKeyListsTheValidKeys) {
  const std::string msg = scenario_error(std::string(k_minimal) + "output:\n  zzzzzzzzzz: 1\n");
  EXPECT_THAT(msg, HasSubstr("'output.zzzzzzzzzz' is not a valid key"));
  EXPECT_THAT(msg, Not(HasSubstr("did you mean")));
  EXPECT_THAT(msg, HasSubstr("dir, raster_cell_m, languages, formats"));
  EXPECT_THAT(msg, HasSubstr("line 4"));
}

// ---------------------------------------------------------------- bad values

struct BadCase {
  const char* label;
  std::string yaml;
  const char* key;     // the dotted key the message must name
  int line;            // 1-based line the message must name
  const char* reason;  // a fragment of the reason
};

TEST(Scenario, BadValuesNameTheKeyAndTheLine) {
  const std::string m = k_minimal;  // two lines
  const std::vector<BadCase> cases = {
      {"negative cell", m + "output: {raster_cell_m: -10}\n", "output.raster_cell_m", 3, "must be > 0"},
      {"humidity", m + "acoustics:\n  humidity_pct: 120\n", "acoustics.humidity_pct", 4, "between 0 and 100"},
      {"pressure", m + "acoustics:\n  pressure_kpa: 30\n", "acoustics.pressure_kpa", 4, "between 50 and 110"},
      {"temperature", m + "acoustics:\n  temperature_c: 75\n", "acoustics.temperature_c", 4, "between -40 and 60"},
      {"text for number", m + "acoustics:\n  ambient_dba: abc\n", "acoustics.ambient_dba", 4,
       "must be a number, got 'abc'"},
      {"map for number", m + "acoustics:\n  ambient_dba: {a: 1}\n", "acoustics.ambient_dba", 4, "not a mapping"},
      {"null for number", m + "acoustics:\n  ambient_dba:\n", "acoustics.ambient_dba", 4, "needs a value"},
      {"ground factor", m + "acoustics:\n  ground_g: 1.5\n", "acoustics.ground_g", 4, "between 0 and 1"},
      {"negative weight", m + "target:\n  weights:\n    near_poor: -0.5\n", "target.weights.near_poor", 5, ">= 0"},
      {"negative count", m + "optimize:\n  new_speakers: -1\n", "optimize.new_speakers", 4, "between 0 and"},
      {"fractional count", m + "optimize:\n  new_teams: 2.5\n", "optimize.new_teams", 4, "whole number"},
      {"share above 1", m + "optimize:\n  coverage_target: 1.5\n", "optimize.coverage_target", 4, "in (0, 1]"},
      {"share of 0", m + "optimize:\n  coverage_target: 0\n", "optimize.coverage_target", 4, "in (0, 1]"},
      {"group share", m + "optimize:\n  min_group_coverage:\n    commune: 1.2\n", "optimize.min_group_coverage.commune",
       5, "between 0 and 1"},
      {"zero time limit", m + "optimize:\n  time_limit_s: 0\n", "optimize.time_limit_s", 4, "> 0"},
      {"negative budget", m + "optimize:\n  budget: -5\n", "optimize.budget", 4, ">= 0"},
      {"model", m + "speakers:\n  path: s.gpkg\n  model: laser\n", "speakers.model", 5,
       "unknown value 'laser'; allowed: iso9613, radius"},
      {"model typo", m + "speakers:\n  path: s.gpkg\n  model: raidus\n", "speakers.model", 5, "did you mean 'radius'?"},
      {"solver", m + "optimize:\n  solver: magic\n", "optimize.solver", 4, "allowed: auto, exact, heuristic"},
      {"on_bad_rows", m + "on_bad_rows: skip\n", "on_bad_rows", 3, "allowed: reject, fail"},
      {"language", m + "output:\n  languages: [vi, fr]\n", "output.languages[1]", 4, "unknown value 'fr'"},
      {"format", m + "output:\n  formats:\n    - gpkg\n    - pdf\n", "output.formats[1]", 6, "unknown value 'pdf'"},
      {"repeated format", m + "output:\n  formats: [csv, csv]\n", "output.formats[1]", 4, "repeats 'csv'"},
      {"negative seed", m + "seed: -3\n", "seed", 3, "whole number"},
      {"working crs", m + "working_crs: UTM48\n", "working_crs", 3, "auto or EPSG:<code>"},
      {"block is a list", m + "acoustics: [1, 2]\n", "acoustics", 3, "must be a mapping"},
      {"boolean", m + "target:\n  info_deprived_only: maybe\n", "target.info_deprived_only", 4, "true or false"},
      {"negative range", m + "speakers:\n  path: s.gpkg\n  range_m: -5\n", "speakers.range_m", 5, "> 0"},
      {"overflowing number", m + "speakers:\n  path: s.gpkg\n  power_w: 1e999\n", "speakers.power_w", 5,
       "finite number"},
      {"beamwidth", m + "speakers:\n  path: s.gpkg\n  beamwidth_deg: 400\n", "speakers.beamwidth_deg", 5,
       "in (0, 360]"},
      {"team reach null", m + "teams:\n  path: t.gpkg\n  reach_m:\n", "teams.reach_m", 5, "column name or a number"},
      {"radius without range", m + "speakers:\n  path: s.gpkg\n  model: radius\n  range_m: ~\n", "speakers.range_m", 3,
       "required by model: radius"},
      {"speakers without path", m + "speakers:\n  id: sid\n", "speakers.path", 3, "is required"},
      {"repeated group", "hamlets: {path: h.gpkg, group_by: [a, a]}\nhouseholds: {path: hh.gpkg}\n",
       "hamlets.group_by[1]", 1, "repeats 'a'"},
      {"duplicate key", m + "seed: 1\nseed: 2\n", "seed", 4, "given twice (first on line 3)"},
      {"missing households path", "hamlets: {path: h.gpkg}\nhouseholds:\n  id: hid\n", "households.path", 2,
       "is required"},
      {"grid", m + "optimize:\n  candidates: {grid_m: 0}\n", "optimize.candidates.grid_m", 4, "> 0"},
  };
  ASSERT_GE(cases.size(), 12u);
  for (const BadCase& c : cases) {
    SCOPED_TRACE(c.label);
    const std::string msg = scenario_error(c.yaml);
    EXPECT_THAT(msg, HasSubstr(std::string("'") + c.key + "'"));
    EXPECT_THAT(msg, HasSubstr("line " + std::to_string(c.line) + ","));
    EXPECT_THAT(msg, HasSubstr(c.reason));
    EXPECT_THAT(msg, HasSubstr("test.yaml"));
  }
}

TEST(Scenario, MissingRequiredLayersAreRefused) {
  EXPECT_THAT(scenario_error("households: {path: hh.gpkg}\n"), HasSubstr("'hamlets' is required"));
  EXPECT_THAT(scenario_error("hamlets: {path: h.gpkg}\n"), HasSubstr("'households' is required"));
  EXPECT_THAT(scenario_error("hamlets: {layer: x}\nhouseholds: {path: hh.gpkg}\n"),
              HasSubstr("'hamlets.path' is required"));
  EXPECT_THAT(scenario_error(""), HasSubstr("the scenario is empty"));
  EXPECT_THAT(scenario_error("- a\n- b\n"), HasSubstr("must be a mapping"));
  EXPECT_THAT(scenario_error(std::string(k_minimal) + "---\nname: x\n"), HasSubstr("more than one YAML document"));
}

TEST(Scenario, YamlSyntaxErrorNamesLineAndColumn) {
  const std::string msg = scenario_error("hamlets:\n  path: h.gpkg\n bad: 1\nhouseholds: {path: hh.gpkg}\n");
  EXPECT_THAT(msg, HasSubstr("YAML syntax error"));
  EXPECT_THAT(msg, HasSubstr("line 3, column"));
  const std::string flow = scenario_error("hamlets: {path: h.gpkg\n");
  EXPECT_THAT(flow, HasSubstr("YAML syntax error"));
  EXPECT_THAT(flow, HasSubstr("line 2, column"));
}

TEST(Scenario, NonUtf8BytesAreRefusedWithTheirLine) {
  // "name: Bạc " is 10 characters (ạ is 3 bytes): the bad byte is character 11 of line 3
  const std::string latin1 = std::string(k_minimal) +
                             "name: B\xE1\xBA\xA1"
                             "c \xE9t\xE9\n";
  const std::string msg = scenario_error(latin1);
  EXPECT_THAT(msg, HasSubstr("line 3, column 11"));
  EXPECT_THAT(msg, HasSubstr("0xE9"));
  EXPECT_THAT(msg, HasSubstr("UTF-8"));
  // an overlong '/', a UTF-16 surrogate and a truncated sequence at the end are invalid too
  EXPECT_THAT(scenario_error("name: a\xC0\xAF\n" + std::string(k_minimal)), HasSubstr("line 1, column 8"));
  EXPECT_THAT(scenario_error("name: \xED\xA0\x80\n" + std::string(k_minimal)), HasSubstr("line 1, column 7"));
  EXPECT_THAT(scenario_error(std::string(k_minimal) + "name: x\xE1\xBA"), HasSubstr("line 3, column 8"));
}

// ---------------------------------------------------------------- files and paths

TEST(Scenario, RelativePathsResolveAgainstTheFileFolder) {
  const TempDir tmp;
  const fs::path file = tmp.write("project/conf/scenario.yaml", R"(hamlets:
  path: ../data/hamlets.gpkg
households:
  path: households.csv
speakers:
  path: /srv/gis/speakers.gpkg
optimize:
  candidates: {path: ./cand/../cand/sites.gpkg}
output:
  dir: runs/2024
)");
  const Scenario s = Scenario::from_yaml((tmp.path() / "project/conf/../conf/scenario.yaml").string());
  const fs::path root = tmp.path().lexically_normal();
  EXPECT_EQ(s.source_path, (root / "project/conf/scenario.yaml").string());
  EXPECT_EQ(fs::path(s.source_path), file.lexically_normal());
  EXPECT_EQ(s.hamlets.path, (root / "project/data/hamlets.gpkg").string());
  EXPECT_EQ(s.households.path, (root / "project/conf/households.csv").string());
  EXPECT_EQ(s.households.crs, "EPSG:4326");
  EXPECT_EQ(s.speakers->path, "/srv/gis/speakers.gpkg");  // absolute stays
  EXPECT_EQ(s.optimize.candidates.path, (root / "project/conf/cand/sites.gpkg").string());
  EXPECT_EQ(s.output.dir, (root / "project/conf/runs/2024").string());

  // without output.dir, the default "out" sits beside the file too
  const fs::path plain = tmp.write("other/s.yaml", k_minimal);
  EXPECT_EQ(Scenario::from_yaml(plain.string()).output.dir, (root / "other/out").string());
}

TEST(Scenario, ErrorsFromAFileNameTheFile) {
  const TempDir tmp;
  const fs::path file = tmp.write("bad.yaml", std::string(k_minimal) + "acoustics:\n  humidity_pct: 101\n");
  try {
    Scenario::from_yaml(file.string());
    FAIL() << "no error";
  } catch (const InvalidInput& e) {
    EXPECT_EQ(e.code(), ErrorCode::invalid_scenario);
    EXPECT_EQ(e.context().file, file.string());
    EXPECT_THAT(e.what(), HasSubstr(file.string()));
    EXPECT_THAT(e.what(), HasSubstr("line 4"));
  }
}

TEST(Scenario, UnreadableFileIsAnIoError) {
  const TempDir tmp;
  try {
    Scenario::from_yaml((tmp.path() / "missing.yaml").string());
    FAIL() << "no error";
  } catch (const IoError& e) {
    EXPECT_EQ(e.code(), ErrorCode::io);
    EXPECT_THAT(e.what(), HasSubstr("missing.yaml"));
  }
  EXPECT_THROW(Scenario::from_yaml(tmp.path().string()), IoError);  // a folder
}

// ---------------------------------------------------------------- writing back

}  // namespace
}  // namespace infogap

namespace infogap {
namespace {

using ::testing::HasSubstr;
using namespace infogap::test;

constexpr const char* k_conditions =
    "acoustics:\n"
    "  ambient_dba: 45\n"
    "  conditions:\n"
    "    - {name: morning, ambient_dba: 40, weight: 2}\n"
    "    - {name: market, ambient_dba: 60}\n"
    "    - {name: indoors, facade_loss_db: 10, receiver_height_m: 1.2, temperature_c: 31, humidity_pct: 70,\n"
    "       required_snr_db: 12}\n";

TEST(Scenario, ListeningConditionsOverrideTheAcousticsKeysTheyName) {
  const Scenario s = parse(std::string(k_minimal) + k_conditions);
  const auto& c = s.acoustics.conditions;
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].name, "morning");
  EXPECT_DOUBLE_EQ(c[0].weight, 2.0);
  EXPECT_DOUBLE_EQ(c[1].weight, 1.0);  // default: equal
  EXPECT_DOUBLE_EQ(s.acoustics.condition_share(0), 0.5);
  EXPECT_DOUBLE_EQ(s.acoustics.condition_share(1), 0.25);
  const AcousticsParams market = s.acoustics.under(c[1]);
  EXPECT_DOUBLE_EQ(market.ambient_dba, 60.0);                             // dB(A)
  EXPECT_DOUBLE_EQ(market.required_snr_db, s.acoustics.required_snr_db);  // not overridden
  const AcousticsParams indoors = s.acoustics.under(c[2]);
  EXPECT_DOUBLE_EQ(indoors.ambient_dba, 45.0);
  EXPECT_DOUBLE_EQ(indoors.facade_loss_db, 10.0);
  EXPECT_DOUBLE_EQ(indoors.receiver_height_m, 1.2);
  EXPECT_DOUBLE_EQ(indoors.temperature_c, 31.0);
  EXPECT_DOUBLE_EQ(indoors.humidity_pct, 70.0);
  EXPECT_DOUBLE_EQ(indoors.required_snr_db, 12.0);
  EXPECT_TRUE(indoors.conditions.empty());
  // Written back and read again: the same scenario; without the block an empty list.
  EXPECT_EQ(parse(s.to_yaml()), s) << s.to_yaml();
  EXPECT_NE(parse(k_minimal).to_yaml().find("  conditions: []\n"), std::string::npos);
  EXPECT_EQ(parse(parse(k_minimal).to_yaml()), parse(k_minimal));
}

TEST(Scenario, BadListeningConditionsAreNamed) {
  const std::string base = std::string(k_minimal) + "acoustics:\n  conditions:\n";
  EXPECT_THAT(scenario_error(base + "    - {name: market, ambiant_dba: 60}\n"),
              HasSubstr("did you mean 'ambient_dba'?"));
  EXPECT_THAT(scenario_error(base + "    - {name: market}\n    - {name: market, ambient_dba: 60}\n"),
              HasSubstr("repeats the condition name 'market'"));
  EXPECT_THAT(scenario_error(base + "    - {name: market, weight: 0}\n"), HasSubstr("conditions[0].weight"));
  EXPECT_THAT(scenario_error(base + "    - {name: market, weight: -1}\n"), HasSubstr("must be"));
  EXPECT_THAT(scenario_error(base + "    - {ambient_dba: 60}\n"), HasSubstr("needs a name"));
  EXPECT_THAT(scenario_error(base + "    - {name: Noon Market}\n"), HasSubstr("lower-case name"));
  EXPECT_THAT(scenario_error(base + "    - market\n"), HasSubstr("must be a mapping"));
  EXPECT_THAT(scenario_error(std::string(k_minimal) + "acoustics:\n  conditions: {name: market}\n"),
              HasSubstr("must be a list of conditions"));
  EXPECT_THAT(scenario_error(base + "    - {name: market, humidity_pct: 120}\n"), HasSubstr("humidity_pct"));
}

}  // namespace
}  // namespace infogap
