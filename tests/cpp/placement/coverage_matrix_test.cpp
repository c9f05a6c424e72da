// The placement's coverage matrix aggregates households with identical covering sets (one row per
// coverage pattern): the aggregated problem is the merge of the per-household one, and solving it
// gives the same objective and bound; on a tiny case CBC's optimum equals an enumeration.
#include "placement/coverage_matrix.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <set>
#include <sstream>

#include "infogap/engine.hpp"
#include "support/files.hpp"
#include "placement/candidates.hpp"

namespace fs = std::filesystem;

namespace infogap::detail {
namespace {

/// Two 1 km hamlets (communes A and B) in UTM 48N; 600 households on a 20 × 15 lattice, two per
/// point (so identical covering sets are certain), mixed poverty; one radius speaker, one team of
/// capacity 20; candidates on a `grid_m` grid.
struct LatticeWorld {
  fs::path dir;
  LatticeWorld(const std::string& name, int grid_m, const std::string& optimize_extra)
      : dir(fs::temp_directory_path() / ("infogap_matrix_" + name)) {
    fs::remove_all(dir);
    fs::create_directories(dir);
    test::write_text(dir / "hamlets.geojson", R"({"type":"FeatureCollection",
 "crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32648"}},
 "features":[
 {"type":"Feature","properties":{"hamlet_id":"1","name":"Ấp 1","commune":"A"},
  "geometry":{"type":"Polygon","coordinates":[[[500000,1000000],[501000,1000000],[501000,1001000],[500000,1001000],[500000,1000000]]]}},
 {"type":"Feature","properties":{"hamlet_id":"2","name":"Ấp 2","commune":"B"},
  "geometry":{"type":"Polygon","coordinates":[[[501000,1000000],[502000,1000000],[502000,1001000],[501000,1001000],[501000,1000000]]]}}]})");
    std::ostringstream hh;
    hh << "household_id,x,y,poverty\n";
    const char* status[] = {"poor", "near_poor", "poor", "not_poor", "near_poor"};
    int id = 0;
    for (int i = 0; i < 20; ++i)
      for (int j = 0; j < 15; ++j)
        for (int twin = 0; twin < 2; ++twin) {
          const double x = 500050.0 + i * 97.0, y = 1000040.0 + j * 63.0;
          hh << "h" << ++id << "," << x << "," << y << "," << status[(i * 7 + j * 3) % 5] << "\n";
        }
    test::write_text(dir / "households.csv", hh.str());
    test::write_text(dir / "speakers.csv", "speaker_id,x,y\ns1,500300,1000300\n");
    test::write_text(dir / "teams.csv", "team_id,x,y,members\nt1,501700,1000700,1\n");
    test::write_text(dir / "scenario.yaml",
         "name: lattice\nhamlets: {path: hamlets.geojson, group_by: [commune]}\n"
         "households: {path: households.csv, x: x, y: y, crs: \"EPSG:32648\"}\n"
         "speakers: {path: speakers.csv, x: x, y: y, crs: \"EPSG:32648\", model: radius, "
         "range_m: 250}\n"
         "teams: {path: teams.csv, x: x, y: y, crs: \"EPSG:32648\", reach_m: 400, "
         "households_per_member: 20}\n"
         "optimize: {new_speakers: 3, new_teams: 2, candidates: {grid_m: " +
             std::to_string(grid_m) + "}, speaker_template: {range_m: 300}" + optimize_extra +
             "}\noutput: {dir: out, formats: [csv]}\n");
  }
  ~LatticeWorld() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

/// Both matrices of a world (aggregated and per household) on the same candidates.
struct Matrices {
  CoverageMatrix aggregated, per_household;
};

Matrices build(const LatticeWorld& w) {
  Engine engine(Scenario::from_yaml((w.dir / "scenario.yaml").string()));
  const Inputs& in = engine.inputs();
  const CoverageResult& cov = engine.coverage();
  const SpeakerField field(engine.scenario(), in.speakers);
  const auto sites = build_candidates(engine.scenario(), in, true, true);
  const NewSiteTemplate site = new_site_template(engine.scenario(), in, field);
  return {build_coverage_matrix(engine.scenario(), in, cov, field, site, sites, true),
          build_coverage_matrix(engine.scenario(), in, cov, field, site, sites, false)};
}

/// The rows of a problem as comparable tuples: (covering set, group units, weight, households).
std::multiset<std::tuple<std::vector<std::int32_t>, std::vector<std::int32_t>, double, double>> row_keys(
    const CoverageProblem& p) {
  std::vector<std::vector<std::int32_t>> cols(static_cast<std::size_t>(p.cover.rows()));
  for (Eigen::Index c = 0; c < p.cover.outerSize(); ++c)
    for (CoverMatrix::InnerIterator it(p.cover, c); it; ++it)
      if (it.value() != 0) cols[static_cast<std::size_t>(it.row())].push_back(static_cast<std::int32_t>(c));
  std::multiset<std::tuple<std::vector<std::int32_t>, std::vector<std::int32_t>, double, double>> keys;
  for (Eigen::Index r = 0; r < p.cover.rows(); ++r) {
    std::vector<std::int32_t> units;
    for (const auto& g : p.groups) units.push_back(g.unit[static_cast<std::size_t>(r)]);
    keys.emplace(cols[static_cast<std::size_t>(r)], units, std::round(p.weight[r] * 1e9) / 1e9,
                 p.households.size() != 0 ? p.households[r] : 1.0);
  }
  return keys;
}

TEST(CoverageMatrix, HouseholdsWithTheSameCoveringSetAreOneRowWithSummedWeight) {
  LatticeWorld w("merge", 200, ", min_group_coverage: {commune: 0.5}");
  const Matrices m = build(w);
  const CoverageProblem& agg = m.aggregated.problem;
  const CoverageProblem& raw = m.per_household.problem;
  ASSERT_GT(raw.cover.rows(), 100);
  // Twins share every covering set: at most half as many rows.
  EXPECT_LE(agg.cover.rows() * 2, raw.cover.rows());
  EXPECT_EQ(m.aggregated.rows, m.per_household.rows);
  // The same problem as merging the per-household one (computed by the optimizer's own merge).
  EXPECT_EQ(row_keys(agg), row_keys(merge_identical_rows(raw)));
  EXPECT_NEAR(agg.weight.sum(), raw.weight.sum(), 1e-9);
  EXPECT_DOUBLE_EQ(agg.households.sum(), static_cast<double>(raw.cover.rows()));
  // Every household maps to a row with its covering set.
  for (std::size_t k = 0; k < m.aggregated.rows.size(); ++k) {
    const auto r = m.aggregated.row_of[k];
    ASSERT_GE(r, 0);
    EXPECT_EQ(agg.groups[0].unit[static_cast<std::size_t>(r)], raw.groups[0].unit[k]);
    EXPECT_EQ(agg.cover.col(0).coeff(r), raw.cover.col(0).coeff(static_cast<Eigen::Index>(k)));
  }
  // Solving either gives the same objective and bound.
  for (const auto solver : {OptimizeOptions::Solver::heuristic, OptimizeOptions::Solver::exact}) {
    OptimizeOptions o;
    o.max_speakers = 3;
    o.max_teams = 2;
    o.solver = solver;
    const OptimizeResult a = optimize_placement(agg, o), b = optimize_placement(raw, o);
    EXPECT_NEAR(a.objective, b.objective, 1e-6);
    EXPECT_NEAR(a.bound, b.bound, 1e-6);
    EXPECT_EQ(a.merged_rows, agg.cover.rows());
  }
}

TEST(CoverageMatrix, AggregatedOptimumEqualsEnumerationOnATinyCase) {
  LatticeWorld w("tiny", 500, "");
  const Matrices m = build(w);
  const CoverageProblem& agg = m.aggregated.problem;
  const CoverageProblem& raw = m.per_household.problem;
  OptimizeOptions o;
  o.max_speakers = 1;
  o.max_teams = 1;
  o.solver = OptimizeOptions::Solver::exact;
  const OptimizeResult a = optimize_placement(agg, o);
  ASSERT_EQ(a.status, "optimal");
  // Every pair (one speaker column, one team column), evaluated on the per-household problem.
  double best = 0;
  for (Eigen::Index s = 0; s < raw.cover.cols(); ++s) {
    if (raw.kind[static_cast<std::size_t>(s)] != SiteKind::speaker) continue;
    for (Eigen::Index t = 0; t < raw.cover.cols(); ++t) {
      if (raw.kind[static_cast<std::size_t>(t)] != SiteKind::team) continue;
      best = std::max(best, covered_weight(raw, {static_cast<std::int32_t>(s), static_cast<std::int32_t>(t)}));
    }
  }
  ASSERT_GT(best, 0);
  EXPECT_NEAR(a.objective, best, 1e-6);
  EXPECT_NEAR(covered_weight(raw, a.chosen), best, 1e-6);
}

}  // namespace
}  // namespace infogap::detail
