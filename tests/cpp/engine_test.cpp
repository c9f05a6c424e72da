// The Engine facade on a tiny world written to files: outputs, accounting, placement, safety.
#include "infogap/engine.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "infogap/error.hpp"

namespace fs = std::filesystem;

namespace infogap {
namespace {

std::string slurp(const fs::path& p) {
  std::ifstream f(p);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream f(p);
  f << text;
}

/// Two 1 km hamlets side by side in UTM 48N (metres), a radius speaker in the west one, a team
/// in the east one with capacity 1, and households: 2 reached by the speaker, 1 by the team,
/// 2 in the gap, 1 outside, 2 bad rows.
struct TinyWorld {
  fs::path dir;
  explicit TinyWorld(const std::string& name) : dir(fs::temp_directory_path() / ("infogap_engine_" + name)) {
    fs::remove_all(dir);
    fs::create_directories(dir / "in");
    spit(dir / "in/hamlets.geojson", R"({"type":"FeatureCollection",
 "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},
 "features":[
 {"type":"Feature","properties":{"hamlet_id":"1","name":"Ấp 1","commune":"A"},
  "geometry":{"type":"Polygon","coordinates":[[[500000,1000000],[501000,1000000],[501000,1001000],[500000,1001000],[500000,1000000]]]}},
 {"type":"Feature","properties":{"hamlet_id":"2","name":"Ấp 2","commune":"A"},
  "geometry":{"type":"Polygon","coordinates":[[[501000,1000000],[502000,1000000],[502000,1001000],[501000,1001000],[501000,1000000]]]}}]})");
    spit(dir / "in/households.csv",
         "household_id,x,y,poverty\n"
         "h1,500400,1000500,poor\n"       // speaker reaches
         "h2,500500,1000600,near_poor\n"  // speaker reaches
         "h3,501500,1000500,poor\n"       // team serves (capacity 1, neediest and nearest)
         "h4,501600,1000500,poor\n"       // gap: team full
         "h5,501900,1000900,near_poor\n"  // gap
         "h6,509000,1000500,poor\n"       // outside every hamlet
         "h7,,1000500,poor\n"             // rejected: no x
         "h8,500100,1000100,rich\n");     // rejected: unknown status
    spit(dir / "in/speakers.csv", "speaker_id,x,y\ns1,500450,1000550\n");
    spit(dir / "in/teams.csv", "team_id,x,y,members\nt1,501500,1000510,1\n");
    spit(dir / "scenario.yaml", R"(name: tiny
hamlets: {path: in/hamlets.geojson, group_by: [commune]}
households: {path: in/households.csv, x: x, y: y, crs: "EPSG:32648"}
speakers: {path: in/speakers.csv, x: x, y: y, crs: "EPSG:32648", model: radius, range_m: 200}
teams: {path: in/teams.csv, x: x, y: y, crs: "EPSG:32648", reach_m: 600, households_per_member: 1}
optimize: {new_speakers: 1, new_teams: 0, candidates: {grid_m: 100}, solver: exact, speaker_template: {range_m: 200}}
output: {dir: out, formats: [gpkg, csv, html], languages: [en]}
)");
  }
  ~TinyWorld() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Scenario scenario() const { return Scenario::from_yaml((dir / "scenario.yaml").string()); }
};

TEST(Engine, TinyWorldCoverageAccountingAndPlacement) {
  TinyWorld w("tiny");
  Engine engine(w.scenario());
  const std::string out = engine.run();
  EXPECT_EQ(fs::path(out), (w.dir / "out"));
  const auto& cov = engine.coverage();
  EXPECT_EQ(cov.households.reached_speaker, (std::vector<std::uint8_t>{1, 1, 0, 0, 0, 0}));
  EXPECT_EQ(cov.households.reached_team, (std::vector<std::uint8_t>{0, 0, 1, 0, 0, 0}));
  const auto summary = nlohmann::json::parse(slurp(w.dir / "out/summary.json"));
  const auto& a = summary["accounting"]["households"];
  EXPECT_EQ(a["input"], 8);
  EXPECT_EQ(a["joined"], 5);
  EXPECT_EQ(a["outside"], 1);
  EXPECT_EQ(a["rejected"], 2);
  const std::string rejects = slurp(w.dir / "out/rejects.csv");
  EXPECT_NE(rejects.find("h7"), std::string::npos);
  EXPECT_NE(rejects.find("h8"), std::string::npos);
  // Hamlet 2 has the gap: h4 (1.0) + h5 (0.5); rank 1.
  const std::string gaps = slurp(w.dir / "out/hamlet_gaps.csv");
  EXPECT_NE(gaps.find("\n2,Ấp 2,A,given,3,3,2.5,0,1,1,2,1.5,0.6,1,"), std::string::npos) << gaps;
  // One new speaker (range 200 m) on a 100 m grid reaches h4 and h5? They are 300 m apart
  // (501600 vs 501900; 400 m in y): a single site reaches at most one → objective 1.0 (h4, poor).
  const auto& p = engine.placement();
  ASSERT_EQ(p.sites.size(), 1u);
  EXPECT_NEAR(p.objective, 1.0, 1e-9);
  EXPECT_NEAR(p.weight_after - p.weight_before, p.objective, 1e-9);
  EXPECT_EQ(p.sites[0].hamlet, 1);
  EXPECT_TRUE(fs::exists(w.dir / "out/report.en.html"));
  EXPECT_FALSE(fs::exists(w.dir / "out/report.vi.html"));
  EXPECT_TRUE(fs::exists(w.dir / "out/coverage.gpkg"));
  for (const auto& e : fs::directory_iterator(w.dir / "out"))
    EXPECT_NE(e.path().filename().string().rfind(".infogap-staging-", 0), 0u) << "staging left behind";
}

TEST(Engine, NewTeamsTakeTheMedianOfTheExistingTeamsWhenTheScenarioNamesColumns) {
  TinyWorld w("team_template");
  // Three teams far from every household, each with its own reach and households per member.
  spit(w.dir / "in/teams.csv",
       "team_id,x,y,members,reach,per_member\n"
       "t1,600000,1100000,1,300,1\n"
       "t2,600100,1100000,1,900,5\n"
       "t3,600200,1100000,1,500,2\n");
  std::string yaml = slurp(w.dir / "scenario.yaml");
  yaml.replace(yaml.find("reach_m: 600, households_per_member: 1"),
               std::string("reach_m: 600, households_per_member: 1").size(),
               "reach_m: reach, households_per_member: per_member");
  yaml.replace(yaml.find("new_speakers: 1, new_teams: 0"), std::string("new_speakers: 1, new_teams: 0").size(),
               "new_speakers: 0, new_teams: 1");
  yaml.replace(yaml.find("optimize: {"), std::string("optimize: {").size(), "optimize: {team_template: {members: 1}, ");
  spit(w.dir / "scenario.yaml", yaml);
  Engine engine(w.scenario());
  RunOptions o;
  o.output_dir = (w.dir / "out").string();
  engine.run(o);
  const auto& p = engine.placement();
  ASSERT_EQ(p.sites.size(), 1u);
  EXPECT_EQ(p.sites[0].kind, "team");
  EXPECT_DOUBLE_EQ(p.sites[0].reach_m, 500.0);  // median of 300, 900, 500 (not the default 2 km)
  // h3, h4 (poor) and h5 (near-poor) are unreached and one site within 500 m reaches all three;
  // one member × the median 2 households per member serves the two poor ones only (the default
  // 40 per member would serve all three).
  EXPECT_EQ(p.households_after - p.households_before, 2);
  EXPECT_NEAR(p.objective, 2.0, 1e-9);
}

TEST(Engine, RefusesToWriteIntoAnInputFolder) {
  TinyWorld w("refuse");
  Engine engine(w.scenario());
  RunOptions o;
  o.output_dir = (w.dir / "in").string();
  try {
    engine.run(o);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("in/"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(w.dir / "in/summary.json"));
  EXPECT_FALSE(fs::exists(w.dir / "in/hamlet_gaps.csv"));
}

TEST(Engine, StaleStagingOfADeadRunIsRemoved) {
  TinyWorld w("stale");
  fs::create_directories(w.dir / "out/.infogap-staging-999999999");
  spit(w.dir / "out/.infogap-staging-999999999/hamlet_gaps.csv", "half");
  Engine engine(w.scenario());
  engine.run();
  EXPECT_FALSE(fs::exists(w.dir / "out/.infogap-staging-999999999"));
}

}  // namespace
}  // namespace infogap
