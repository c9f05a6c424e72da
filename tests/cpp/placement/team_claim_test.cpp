// The optimizer's team claim against the coverage recomputed after placement (issue 16 item 4:
// "the claim must be what coverage then computes"). Coverage serves the optimal set under the one
// team rule, so the recomputation equals an independent optimum — the optimizer's own
// transportation LP (evaluate_placement) over every team, existing and proposed, on the target
// households no loudspeaker reaches — and the claim (new teams on the households nothing reaches,
// the existing teams' households left where they are) is never more than it.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <vector>

#include "infogap/engine.hpp"
#include "support/files.hpp"
#include "infogap/optimize.hpp"
#include "support/test_config.hpp"

namespace fs = std::filesystem;

namespace infogap {
namespace {

/// A team with its position, reach and capacity.
struct TeamSite {
  double x_m, y_m, reach_m, capacity;
};

/// The most target weight teams can serve among the target households no loudspeaker reaches
/// (each household by one team within its reach, each team up to its capacity), by the
/// optimizer's transportation LP with every team chosen.
double best_team_weight(const Inputs& in, const CoverageResult& cov, const std::vector<TeamSite>& teams) {
  const auto& hc = cov.households;
  std::vector<Eigen::Triplet<double, std::int32_t>> entries;
  std::vector<double> weight;
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    const auto ei = static_cast<Eigen::Index>(i);
    if (!(hc.weight[ei] > 0) || hc.reached_speaker[i]) continue;
    const auto row = static_cast<std::int32_t>(weight.size());
    bool any = false;
    for (std::size_t t = 0; t < teams.size(); ++t)
      if (std::hypot(in.households.x_m[ei] - teams[t].x_m, in.households.y_m[ei] - teams[t].y_m) <= teams[t].reach_m) {
        entries.emplace_back(row, static_cast<std::int32_t>(t), 1.0);
        any = true;
      }
    if (any) weight.push_back(hc.weight[ei]);
  }
  CoverageProblem p;
  p.weight = Eigen::Map<const Eigen::VectorXd>(weight.data(), static_cast<Eigen::Index>(weight.size()));
  p.cover.resize(static_cast<Eigen::Index>(weight.size()), static_cast<Eigen::Index>(teams.size()));
  p.cover.setFromTriplets(entries.begin(), entries.end());
  std::vector<std::int32_t> all;
  for (std::size_t t = 0; t < teams.size(); ++t) {
    p.kind.push_back(SiteKind::team);
    p.capacity.push_back(teams[t].capacity);
    all.push_back(static_cast<std::int32_t>(t));
  }
  return evaluate_placement(p, all).weight;
}

/// Target weight a loudspeaker reaches.
double speaker_weight(const CoverageResult& cov) {
  double w = 0.0;
  for (std::size_t i = 0; i < cov.households.reached_speaker.size(); ++i)
    if (cov.households.reached_speaker[i]) w += cov.households.weight[static_cast<Eigen::Index>(i)];
  return w;
}

std::vector<TeamSite> existing_teams(const Inputs& in, const CoverageResult& cov) {
  std::vector<TeamSite> out;
  for (std::size_t t = 0; t < in.teams.size(); ++t) {
    const auto et = static_cast<Eigen::Index>(t);
    out.push_back(
        {in.teams.x_m[et], in.teams.y_m[et], in.teams.reach_m[et], static_cast<double>(cov.teams[t].capacity)});
  }
  return out;
}

// Team e (capacity 1) serves h1; h2 is unreached. The one candidate n reaches h1 (nearer than e)
// and h2. The optimizer claims h2 for n (+1). Coverage recomputed must give the same: n serves h2
// and h1 stays with e — serving pair by pair, nearest first, gave h1 to n and left h2 unserved.
TEST(TeamClaim, ClaimEqualsTheRecomputationOnAHandMadeCase) {
  const fs::path dir = fs::temp_directory_path() / "infogap_team_claim";
  fs::remove_all(dir);
  fs::create_directories(dir);
  test::write_text(dir / "hamlets.geojson", R"({"type":"FeatureCollection",
 "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},
 "features":[{"type":"Feature","properties":{"hamlet_id":"1","name":"Ấp 1","commune":"A"},
  "geometry":{"type":"Polygon","coordinates":[[[499000,1000000],[502500,1000000],[502500,1001000],[499000,1001000],[499000,1000000]]]}}]})");
  test::write_text(dir / "households.csv",
       "household_id,x,y,poverty\n"
       "h1,500600,1000500,poor\n"                                     // e 400 m, n 200 m
       "h2,501200,1000500,poor\n");                                   // e 1000 m (out of reach), n 400 m
  test::write_text(dir / "speakers.csv", "speaker_id,x,y\ns1,502400,1000900\n");  // reaches nobody
  test::write_text(dir / "teams.csv", "team_id,x,y,members\ne,500200,1000500,1\n");
  test::write_text(dir / "candidates.csv", "candidate_id,x,y,kind\nn,500800,1000500,team\n");
  test::write_text(dir / "scenario.yaml", R"(name: team claim
hamlets: {path: hamlets.geojson, group_by: [commune]}
households: {path: households.csv, x: x, y: y, crs: "EPSG:32648"}
speakers: {path: speakers.csv, x: x, y: y, crs: "EPSG:32648", model: radius, range_m: 50}
teams: {path: teams.csv, x: x, y: y, crs: "EPSG:32648", reach_m: 600, households_per_member: 1}
optimize: {new_speakers: 0, new_teams: 1, team_template: {members: 1}, solver: exact,
           candidates: {path: candidates.csv, x: x, y: y, crs: "EPSG:32648", kind: kind}}
output: {dir: out, formats: [csv], languages: [en]}
)");
  Engine engine(Scenario::from_yaml((dir / "scenario.yaml").string()));
  const auto& cov = engine.coverage();
  EXPECT_EQ(cov.households.team, (std::vector<std::int32_t>{0, -1}));
  const auto& p = engine.optimize();
  ASSERT_EQ(p.sites.size(), 1u);
  EXPECT_NEAR(p.objective, 1.0, 1e-9);                               // target weight
  EXPECT_NEAR(p.claimed_weight_after - p.weight_before, 1.0, 1e-9);  // target weight
  EXPECT_NEAR(p.weight_after, p.claimed_weight_after, 1e-9);         // target weight
  EXPECT_EQ(p.households_after, p.claimed_households_after);
  EXPECT_EQ(p.reached_after, (std::vector<std::uint8_t>{1, 1}));
  fs::remove_all(dir);
}

// The bundled province, five new teams and no loudspeaker: coverage before and after placement
// serve exactly the LP optimum of their teams, and the claim is never above the recomputation.
// (It may be below: a new team can take an existing team's household and free that team for one
// the claim's model, which leaves served households where they are, cannot give it.)
TEST(TeamClaim, BundledNewTeamsClaimAtMostTheRecomputedOptimum) {
  Engine engine(Scenario::from_yaml(std::string(test::k_source_dir) + "/data/bac_lieu/scenario.yaml"));
  const Inputs& in = engine.inputs();
  const CoverageResult& cov = engine.coverage();
  std::vector<TeamSite> teams = existing_teams(in, cov);
  // Before placement: the served set is the optimum of the existing teams.
  EXPECT_NEAR(cov.reached_weight, speaker_weight(cov) + best_team_weight(in, cov, teams), 1e-6);  // target weight
  RunOptions o;
  o.new_speakers = 0;
  o.new_teams = 5;
  const PlacementResult& p = engine.optimize(o);
  ASSERT_EQ(p.sites.size(), 5u);
  const double capacity =
      std::floor(engine.scenario().optimize.template_team_members * in.teams.typical_households_per_member);
  for (const auto& s : p.sites) {
    ASSERT_EQ(s.kind, "team");
    teams.push_back({s.x_m, s.y_m, in.teams.typical_reach_m, capacity});
  }
  // After: no loudspeaker was added, so reached = heard or served, and served = the LP optimum.
  EXPECT_NEAR(p.weight_after, speaker_weight(cov) + best_team_weight(in, cov, teams), 1e-6);  // target weight
  EXPECT_NEAR(p.claimed_weight_after - p.weight_before, p.objective, 1e-6);                   // target weight
  EXPECT_LE(p.claimed_weight_after, p.weight_after + 1e-6);                                   // target weight
  EXPECT_GT(p.weight_after, p.weight_before + 50.0);  // five teams close a real part of the gap
}

}  // namespace
}  // namespace infogap
