// The Engine facade on a tiny world written to files: outputs, accounting, placement, safety.
#include "infogap/engine.hpp"
#include "support/files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "infogap/error.hpp"
#include "infogap/validate.hpp"

namespace fs = std::filesystem;

namespace infogap {
namespace {

/// Two 1 km hamlets side by side in UTM 48N (metres), a radius speaker in the west one, a team
/// in the east one with capacity 1, and households: 2 reached by the speaker, 1 by the team,
/// 2 in the gap, 1 outside, 2 bad rows.
struct TinyWorld {
  fs::path dir;
  explicit TinyWorld(const std::string& name) : dir(fs::temp_directory_path() / ("infogap_engine_" + name)) {
    fs::remove_all(dir);
    fs::create_directories(dir / "in");
    test::write_text(dir / "in/hamlets.geojson", R"({"type":"FeatureCollection",
 "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},
 "features":[
 {"type":"Feature","properties":{"hamlet_id":"1","name":"Ấp 1","commune":"A"},
  "geometry":{"type":"Polygon","coordinates":[[[500000,1000000],[501000,1000000],[501000,1001000],[500000,1001000],[500000,1000000]]]}},
 {"type":"Feature","properties":{"hamlet_id":"2","name":"Ấp 2","commune":"A"},
  "geometry":{"type":"Polygon","coordinates":[[[501000,1000000],[502000,1000000],[502000,1001000],[501000,1001000],[501000,1000000]]]}}]})");
    test::write_text(dir / "in/households.csv",
         "household_id,x,y,poverty\n"
         "h1,500400,1000500,poor\n"       // speaker reaches
         "h2,500500,1000600,near_poor\n"  // speaker reaches
         "h3,501500,1000500,poor\n"       // team serves (capacity 1, neediest and nearest)
         "h4,501600,1000500,poor\n"       // gap: team full
         "h5,501900,1000900,near_poor\n"  // gap
         "h6,509000,1000500,poor\n"       // outside every hamlet
         "h7,,1000500,poor\n"             // rejected: no x
         "h8,500100,1000100,rich\n");     // rejected: unknown status
    test::write_text(dir / "in/speakers.csv", "speaker_id,x,y\ns1,500450,1000550\n");
    test::write_text(dir / "in/teams.csv", "team_id,x,y,members\nt1,501500,1000510,1\n");
    test::write_text(dir / "scenario.yaml", R"(name: tiny
max_rejected_share: 0.3   # 2 of the 8 households are rejected on purpose
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
  const auto summary = nlohmann::json::parse(test::read_text(w.dir / "out/summary.json"));
  const auto& a = summary["accounting"]["households"];
  EXPECT_EQ(a["input"], 8);
  EXPECT_EQ(a["joined"], 5);
  EXPECT_EQ(a["outside"], 1);
  EXPECT_EQ(a["rejected"], 2);
  const std::string rejects = test::read_text(w.dir / "out/rejects.csv");
  EXPECT_NE(rejects.find("h7"), std::string::npos);
  EXPECT_NE(rejects.find("h8"), std::string::npos);
  // Hamlet 2 has the gap: h4 (1.0) + h5 (0.5); rank 1.
  const std::string gaps = test::read_text(w.dir / "out/hamlet_gaps.csv");
  EXPECT_NE(gaps.find("\n2,Ấp 2,A,given,3,3,2.5,0,1,1,2,1.5,0.6,1,"), std::string::npos) << gaps;
  // One new speaker (range 200 m) on a 100 m grid reaches h4 and h5? They are 500 m apart: a
  // single site reaches at most one. Near h3 and h4 it reaches both, and the team — serving first
  // whom no loudspeaker reaches — turns from h3 to h5 (near-poor): +1.5. The optimizer models the
  // existing team (it has a waiting list), so it claims that, and the recomputation agrees.
  const auto& p = engine.placement();
  ASSERT_EQ(p.sites.size(), 1u);
  EXPECT_NEAR(p.objective, 1.5, 1e-9);
  EXPECT_NEAR(p.claimed_weight_after - p.weight_before, p.objective, 1e-9);  // the optimizer's claim
  EXPECT_NEAR(p.weight_after - p.weight_before, 1.5, 1e-9);                  // recomputed
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
  test::write_text(w.dir / "in/teams.csv",
       "team_id,x,y,members,reach,per_member\n"
       "t1,600000,1100000,1,300,1\n"
       "t2,600100,1100000,1,900,5\n"
       "t3,600200,1100000,1,500,2\n");
  std::string yaml = test::read_text(w.dir / "scenario.yaml");
  yaml.replace(yaml.find("reach_m: 600, households_per_member: 1"),
               std::string("reach_m: 600, households_per_member: 1").size(),
               "reach_m: reach, households_per_member: per_member");
  yaml.replace(yaml.find("new_speakers: 1, new_teams: 0"), std::string("new_speakers: 1, new_teams: 0").size(),
               "new_speakers: 0, new_teams: 1");
  yaml.replace(yaml.find("optimize: {"), std::string("optimize: {").size(), "optimize: {team_template: {members: 1}, ");
  test::write_text(w.dir / "scenario.yaml", yaml);
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

// Budget rules (README "Commands"): with a budget the counts stop being limits, but a count of 0
// still leaves that kind out. Unreached: h4 (poor) and h5 (near-poor), 500 m apart; a new team
// (20 M VND, reach 600 m, 7 members × 1) reaches both, a new loudspeaker (36 M, 200 m) one.
TEST(Engine, BudgetBuysOnlyTheKindsWhoseCountIsNotZero) {
  TinyWorld w("budget_kinds");
  for (const auto& [speakers, teams] : std::vector<std::pair<int, int>>{{1, 0}, {0, 1}, {1, 1}}) {
    Engine engine(w.scenario());
    RunOptions o;
    o.output_dir = (w.dir / "out").string();
    o.force_optimize = true;
    o.budget = 80e6;
    o.new_speakers = speakers;
    o.new_teams = teams;
    engine.run(o);
    const auto& p = engine.placement();
    SCOPED_TRACE("new_speakers " + std::to_string(speakers) + ", new_teams " + std::to_string(teams));
    ASSERT_FALSE(p.sites.empty());
    double cost = 0;
    for (const auto& s : p.sites) {
      if (teams == 0) {
        EXPECT_EQ(s.kind, "speaker");
      }
      if (speakers == 0) {
        EXPECT_EQ(s.kind, "team");
      }
      cost += s.cost_vnd;
    }
    EXPECT_LE(cost, 80e6);
    EXPECT_EQ(p.mode, "budget");
    const auto summary = nlohmann::json::parse(test::read_text(w.dir / "out/summary.json"));
    const auto& opt = summary["optimizer"];
    EXPECT_EQ(opt["mode"], "budget");
    EXPECT_EQ(opt["budget_vnd"], 80e6);
    EXPECT_EQ(opt["new_teams"], teams);
    EXPECT_EQ(opt["rank_order"], "gain_per_vnd");
    EXPECT_EQ(opt["met"], true);
    const std::string html = test::read_text(w.dir / "out/report.en.html");
    EXPECT_NE(html.find("listed by gain per VND"), std::string::npos);
    const char* kinds = teams == 0      ? "buys loudspeakers only"
                        : speakers == 0 ? "buys teams only"
                                        : "buys loudspeakers and teams alike";
    EXPECT_NE(html.find(kinds), std::string::npos) << kinds;
  }
}

// A group minimum no placement within the counts meets: summary.json and the report say so and
// name the unit, with the share reached and the most every candidate together could reach.
TEST(Engine, UnmetGroupMinimumIsNamedWithTheShareItCanReach) {
  TinyWorld w("unmet_group");
  std::string yaml = test::read_text(w.dir / "scenario.yaml");
  yaml.replace(yaml.find("optimize: {"), std::string("optimize: {").size(),
               "optimize: {min_group_coverage: {commune: 1.0}, ");
  // The team reaches nobody (one speaker near h3 and h4 would otherwise free it for h5: 100 %).
  yaml.replace(yaml.find("reach_m: 600"), std::string("reach_m: 600").size(), "reach_m: 5");
  test::write_text(w.dir / "scenario.yaml", yaml);
  Engine engine(w.scenario());
  engine.run();
  const auto& p = engine.placement();
  EXPECT_FALSE(p.met());
  ASSERT_EQ(p.shortfalls.size(), 1u);
  // Commune A: target weight 4.0, reached 1.5 (h1, h2) + one new loudspeaker's 2.0 (h3, h4) = 87.5 %;
  // two loudspeakers would reach h5 too: 100 % is within reach of the candidates, not of one site.
  EXPECT_EQ(p.shortfalls[0].group, "commune");
  EXPECT_EQ(p.shortfalls[0].unit, "A");
  EXPECT_DOUBLE_EQ(p.shortfalls[0].required, 1.0);
  EXPECT_NEAR(p.shortfalls[0].share_after, 3.5 / 4.0, 1e-9);
  EXPECT_NEAR(p.shortfalls[0].reachable, 1.0, 1e-9);
  const auto summary = nlohmann::json::parse(test::read_text(w.dir / "out/summary.json"));
  const auto& opt = summary["optimizer"];
  EXPECT_EQ(opt["met"], false);
  ASSERT_EQ(opt["shortfall"]["groups"].size(), 1u);
  EXPECT_EQ(opt["shortfall"]["groups"][0]["unit"], "A");
  EXPECT_NEAR(opt["shortfall"]["groups"][0]["share_after"].get<double>(), 0.875, 1e-9);
  EXPECT_NEAR(opt["shortfall"]["groups"][0]["reachable"].get<double>(), 1.0, 1e-9);
  const std::string html = test::read_text(w.dir / "out/report.en.html");
  EXPECT_NE(html.find("id=\"unmet\""), std::string::npos);
  EXPECT_NE(html.find("does not meet what the scenario asks"), std::string::npos);
  EXPECT_NE(html.find("<td data-sort=\"A\">A</td>"), std::string::npos);
  EXPECT_NE(html.find("87.5%"), std::string::npos);
}

// The report names the folder the run actually wrote, as summary.json does.
TEST(Engine, ReportShowsTheOutputFolder) {
  TinyWorld w("output_dir");
  Engine engine(w.scenario());
  engine.run();
  const auto summary = nlohmann::json::parse(test::read_text(w.dir / "out/summary.json"));
  const std::string dir = summary["output_dir"];
  EXPECT_EQ(fs::path(dir), fs::weakly_canonical(w.dir / "out"));
  const std::string html = test::read_text(w.dir / "out/report.en.html");
  EXPECT_NE(html.find("<dd class=\"output-dir\">" + dir + "</dd>"), std::string::npos);
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
  test::write_text(w.dir / "out/.infogap-staging-999999999/hamlet_gaps.csv", "half");
  Engine engine(w.scenario());
  engine.run();
  EXPECT_FALSE(fs::exists(w.dir / "out/.infogap-staging-999999999"));
}

TEST(Engine, OneRunPerFolderRemovesOutputsTheNewRunDoesNotWrite) {
  TinyWorld w("one_run");
  {
    Engine engine(w.scenario());
    engine.run();  // optimize block: writes proposed_sites
  }
  const fs::path out = w.dir / "out";
  ASSERT_TRUE(fs::exists(out / "proposed_sites.csv"));
  ASSERT_TRUE(fs::exists(out / "A_gaps.csv") || fs::exists(out / "commune_gaps.csv"));
  test::write_text(out / "notes.txt", "a planner's own file");  // not infogap's: must stay
  // Coverage only, without the group and without csv: the previous run's proposed sites and group
  // table are not this run's and go.
  std::string yaml = test::read_text(w.dir / "scenario.yaml");
  yaml.replace(yaml.find("group_by: [commune]"), std::string("group_by: [commune]").size(), "group_by: []");
  yaml.replace(yaml.find("formats: [gpkg, csv, html]"), std::string("formats: [gpkg, csv, html]").size(),
               "formats: [gpkg, html]");
  test::write_text(w.dir / "scenario.yaml", yaml);
  Engine engine(w.scenario());
  RunOptions o;
  o.optimize = false;
  engine.run(o);
  EXPECT_FALSE(fs::exists(out / "proposed_sites.csv"));
  EXPECT_FALSE(fs::exists(out / "commune_gaps.csv"));
  EXPECT_FALSE(fs::exists(out / "hamlet_gaps.csv"));
  EXPECT_TRUE(fs::exists(out / "coverage.gpkg"));
  EXPECT_TRUE(fs::exists(out / "notes.txt"));
  // summary.json lists exactly the files of this run (and nothing else of infogap's is there).
  const auto summary = nlohmann::json::parse(test::read_text(out / "summary.json"));
  std::vector<std::string> listed = summary["outputs"].get<std::vector<std::string>>();
  std::vector<std::string> present;
  for (const auto& e : fs::directory_iterator(out))
    if (e.path().filename() != "notes.txt") present.push_back(e.path().filename().string());
  std::sort(listed.begin(), listed.end());
  std::sort(present.begin(), present.end());
  EXPECT_EQ(listed, present);
  EXPECT_EQ(fs::path(summary["output_dir"].get<std::string>()), fs::weakly_canonical(out));
}

// --- the fronts' one home: tables, progress, validation, messages ---------------------------------

/// (stage, fraction) calls in order.
using Calls = std::vector<std::pair<std::string, double>>;

std::vector<double> fractions_of(const Calls& calls, const std::string& stage) {
  std::vector<double> out;
  for (const auto& [s, f] : calls)
    if (s == stage) out.push_back(f);
  return out;
}

/// A stage's fractions start at 0, end at 1, never shrink, and at least `inside` lie strictly between.
void expect_progress_within(const Calls& calls, const std::string& stage, std::size_t inside) {
  const auto f = fractions_of(calls, stage);
  ASSERT_FALSE(f.empty()) << stage;
  EXPECT_EQ(f.front(), 0.0) << stage;
  EXPECT_EQ(f.back(), 1.0) << stage;
  EXPECT_TRUE(std::is_sorted(f.begin(), f.end())) << stage;
  const auto between = std::count_if(f.begin(), f.end(), [](double x) { return x > 0.0 && x < 1.0; });
  EXPECT_GE(static_cast<std::size_t>(between), inside) << stage;
}

TEST(Engine, CoverageAndOptimizeReportProgressWithinTheirStages) {
  TinyWorld w("progress");
  Engine engine(w.scenario());
  Calls calls;
  RunOptions o;
  o.progress = [&calls](const std::string& stage, double f) { calls.emplace_back(stage, f); };
  engine.coverage(o.progress);
  expect_progress_within(calls, "load", 1);
  expect_progress_within(calls, "coverage", 3);  // join, speakers, teams
  calls.clear();
  engine.coverage(o.progress);  // computed once: nothing more to report
  EXPECT_TRUE(calls.empty());
  engine.optimize(o);
  expect_progress_within(calls, "optimize", 3);  // candidates, matrix, solve
  EXPECT_TRUE(fractions_of(calls, "coverage").empty());
}

TEST(Engine, RunReportsEveryStageOnceInOrder) {
  TinyWorld w("progress_run");
  Engine engine(w.scenario());
  Calls calls;
  RunOptions o;
  o.progress = [&calls](const std::string& stage, double f) { calls.emplace_back(stage, f); };
  engine.run(o);
  std::vector<std::string> order;
  for (const auto& [s, f] : calls)
    if (order.empty() || order.back() != s) order.push_back(s);
  EXPECT_EQ(order, (std::vector<std::string>{"load", "coverage", "optimize", "write"}));
  expect_progress_within(calls, "coverage", 3);
  expect_progress_within(calls, "optimize", 3);
}

TEST(Engine, OutputTablesAreTheGeoPackageLayers) {
  TinyWorld w("tables");
  Engine engine(w.scenario());
  EXPECT_EQ(engine.table_names(), (std::vector<std::string>{"hamlets", "households", "speakers", "teams", "commune"}));
  const Table hh = engine.table("households");
  EXPECT_EQ(hh.rows(), 6u);
  EXPECT_EQ(hh.geometry_kind, GeometryKind::point);
  EXPECT_EQ(hh.column("poverty").as_text(0), "poor");
  EXPECT_EQ(hh.column("best_speaker_id").as_text(0), "s1");
  EXPECT_TRUE(hh.column("hamlet_id").is_null(5));  // outside every hamlet
  EXPECT_TRUE(hh.column("reached").flag);
  EXPECT_EQ(hh.column("reached").ints, (std::vector<std::int64_t>{1, 1, 1, 0, 0, 0}));
  EXPECT_FALSE(hh.column("speakers_audible").flag);
  const Table sp = engine.table("speakers");
  EXPECT_EQ(sp.column("speaker_id").as_text(0), "s1");
  EXPECT_EQ(engine.table("commune").geometry_kind, GeometryKind::multipolygon);
  try {
    engine.table("proposed_sites");
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("needs a placement"), std::string::npos) << e.what();
  }
  engine.optimize();
  EXPECT_EQ(engine.table_names().back(), "proposed_sites");
  const Table sites = engine.table("proposed_sites");
  EXPECT_EQ(sites.rows(), engine.placement().sites.size());
  EXPECT_NO_THROW((void)engine.table("hamlets").column("gap_weight_after"));
  try {
    engine.table("speaker");
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("households, speakers, teams"), std::string::npos) << e.what();
  }
}

TEST(Validate, ReportsProblemsPerLayerAndTheVerdictOfThePolicy) {
  TinyWorld w("validate");
  Scenario sc = w.scenario();
  const ValidationReport ok = validate(sc);
  EXPECT_TRUE(ok.ok);
  EXPECT_EQ(ok.rejects.size(), 2u);
  EXPECT_EQ(ok.households_input, 8);
  EXPECT_EQ(ok.households_accepted, 6);
  EXPECT_EQ(ok.households_rejected, 2);
  ASSERT_EQ(ok.layers.size(), 4u);
  EXPECT_EQ(ok.layers[1].name, "households");
  EXPECT_EQ(ok.layers[1].problems.size(), 2u);
  EXPECT_TRUE(ok.layers[0].problems.empty());
  std::int64_t summarised = 0;
  for (const auto& g : ok.reject_summary) {
    EXPECT_EQ(g.layer, "households");
    summarised += g.rows;
  }
  EXPECT_EQ(summarised, 2);
  EXPECT_NE(ok.verdict.find("usable"), std::string::npos);
  const std::string text = format_report(ok);
  EXPECT_NE(text.find("households: input 8 = accepted 6 + rejected 2"), std::string::npos) << text;
  EXPECT_NE(text.find("result: inputs are usable"), std::string::npos) << text;

  sc.on_bad_rows = OnBadRows::fail;
  const ValidationReport bad = validate(sc);  // every problem is still listed
  EXPECT_FALSE(bad.ok);
  EXPECT_EQ(bad.rejects.size(), 2u);
  EXPECT_NE(bad.verdict.find("NOT usable"), std::string::npos);
}

TEST(Messages, AMissingFileNamesItsKeyAndTheScenarioFolder) {
  TinyWorld w("missing");
  fs::remove(w.dir / "in/teams.csv");
  const Scenario sc = w.scenario();
  auto expect_named = [&](const std::string& what) {
    EXPECT_NE(what.find("file not found"), std::string::npos) << what;
    EXPECT_NE(what.find("teams.path"), std::string::npos) << what;
    EXPECT_NE(what.find("resolve against its folder " + w.dir.string()), std::string::npos) << what;
  };
  try {  // a run stops at once
    Engine engine(sc);
    engine.coverage();
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    expect_named(e.what());
  }
  // validate lists it as the teams layer's problem, beside every other layer, and says NOT usable
  const ValidationReport r = validate(sc);
  EXPECT_FALSE(r.ok);
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].layer, "teams");
  expect_named(r.problems[0].message);
  EXPECT_TRUE(std::any_of(r.layers.begin(), r.layers.end(), [](const auto& l) { return l.name == "households"; }));
}

TEST(Messages, PlacementOptionsUseTheUsersNames) {
  TinyWorld w("names");
  Engine engine(w.scenario());
  RunOptions o;
  o.new_speakers = -1;
  try {
    engine.optimize(o);
    FAIL() << "expected InvalidInput";
  } catch (const InvalidInput& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("new_speakers"), std::string::npos) << what;
    EXPECT_EQ(what.find("max_speakers"), std::string::npos) << what;
  }
}

}  // namespace
}  // namespace infogap
