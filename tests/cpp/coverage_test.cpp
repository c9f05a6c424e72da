// Coverage on tiny worlds built inline (metres, a local projected CRS).
#include "infogap/coverage.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <random>
#include <set>

#include "acoustics/speaker_field.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "infogap/acoustics.hpp"
#include "infogap/parallel.hpp"
#include "support/coverage_world.hpp"

namespace infogap {
namespace {

using test::square;
using test::World;

TEST(Join, SharedEdgeOverlapAndOutside) {
  World w;
  w.hamlet("10", square(0, 0, 100));    // left
  w.hamlet("2", square(100, 0, 100));   // right: shares the edge x = 100
  w.hamlet("7", square(150, 50, 100));  // overlaps "2" on [150,200]x[50,100]
  w.household("edge", 100, 50);         // on the shared edge: covered by 10 and 2 → lowest id "2"
  w.household("overlap", 175, 75);      // in 2 and 7 → "2"
  w.household("only7", 240, 140);
  w.household("corner", 0, 0);  // a vertex counts (covers)
  w.household("outside", 500, 500);
  std::int64_t overlaps = 0;
  const auto hamlet = join_households(w.inputs.households, w.inputs.hamlets, &overlaps);
  EXPECT_EQ(hamlet, (std::vector<std::int32_t>{1, 1, 2, 0, -1}));
  EXPECT_EQ(overlaps, 2);
}

TEST(Join, LowestIdIsByteOrderWhenIdsAreNotNumbers) {
  World w;
  w.hamlet("b", square(0, 0, 100));
  w.hamlet("a", square(0, 0, 100));
  w.household("x", 50, 50);
  EXPECT_EQ(join_households(w.inputs.households, w.inputs.hamlets)[0], 1);
}

TEST(Join, SameResultWithOneAndManyThreads) {
  World w;
  for (int i = 0; i < 6; ++i) w.hamlet(std::to_string(i), square(i * 100.0, 0, 100));
  std::mt19937_64 rng(3);
  for (int i = 0; i < 50000; ++i)
    w.household(std::to_string(i), static_cast<double>(rng() % 7000) / 10.0, static_cast<double>(rng() % 1200) / 10.0);
  set_threads(1);
  const auto one = join_households(w.inputs.households, w.inputs.hamlets);
  set_threads(4);
  const auto many = join_households(w.inputs.households, w.inputs.hamlets);
  set_threads(0);
  EXPECT_EQ(one, many);
  // Independent check: squares on a 100 m lattice; edge points go to the left square (lower id).
  for (std::size_t i = 0; i < one.size(); ++i) {
    const double x = w.inputs.households.x_m[static_cast<Eigen::Index>(i)];
    const double y = w.inputs.households.y_m[static_cast<Eigen::Index>(i)];
    int want = (y > 100 || x > 600) ? -1 : static_cast<int>(std::ceil(x / 100.0)) - 1;
    if (want < 0 && x == 0 && y <= 100) want = 0;
    ASSERT_EQ(one[i], want) << x << "," << y;
  }
}

TEST(RadiusModel, ReachIsInclusiveAtExactlyRangeM) {
  World w;
  w.hamlet("1", square(-1000, -1000, 2000));
  w.speaker("s", 0, 0, 150);
  w.household("at", 90, 120);  // distance exactly 150 m
  w.household("beyond", 90, 120.001);
  w.household("near", 10, 0);
  const auto r = w.run();
  EXPECT_EQ(r.households.reached_speaker, (std::vector<std::uint8_t>{1, 0, 1}));
  EXPECT_EQ(r.households.best_speaker[0], 0);
  EXPECT_EQ(r.households.best_speaker[1], -1);
  EXPECT_TRUE(std::isnan(r.households.speech_dba[0]));
}

TEST(RadiusModel, EqualsBruteForceDistanceScan) {
  World w;
  w.hamlet("1", square(0, 0, 10000));
  std::mt19937_64 rng(5);
  for (int s = 0; s < 200; ++s)
    w.speaker("s" + std::to_string(s), static_cast<double>(rng() % 10000), static_cast<double>(rng() % 10000),
              100.0 + static_cast<double>(rng() % 400), "c" + std::to_string(s / 2));
  for (int i = 0; i < 20000; ++i)
    w.household(std::to_string(i), static_cast<double>(rng() % 10000), static_cast<double>(rng() % 10000));
  const auto r = w.run();
  const auto& sp = w.inputs.speakers;
  for (std::size_t i = 0; i < w.inputs.households.size(); ++i) {
    const double x = w.inputs.households.x_m[static_cast<Eigen::Index>(i)];
    const double y = w.inputs.households.y_m[static_cast<Eigen::Index>(i)];
    std::set<std::string> clusters;
    for (Eigen::Index s = 0; s < static_cast<Eigen::Index>(sp.size()); ++s)
      if (std::hypot(sp.x_m[s] - x, sp.y_m[s] - y) <= sp.range_m[s])
        clusters.insert(sp.cluster[static_cast<std::size_t>(s)]);
    ASSERT_EQ(r.households.reached_speaker[i], clusters.empty() ? 0 : 1) << i;
    ASSERT_EQ(r.households.speakers_audible[i], static_cast<std::int32_t>(clusters.size())) << i;
  }
}

TEST(Iso9613, HouseholdLevelIsTheEnergySumOfHorns) {
  World w;
  w.scenario.speakers->model = SpeakerModel::iso9613;
  w.hamlet("1", square(-2000, -2000, 4000));
  w.speaker("a", 0, 0, 0, "pole", 0.0);   // facing north
  w.speaker("b", 0, 0, 0, "pole", 90.0);  // same pole, facing east
  w.household("east", 300, 0);
  w.household("north", 0, 300);
  w.household("far", 1900, 1900);
  const auto r = w.run();
  Listening l;
  l.ambient_dba = w.scenario.acoustics.ambient_dba;
  l.required_snr_db = w.scenario.acoustics.required_snr_db;
  l.ground = GroundG{0.7, 0.7, 0.7};
  const Air air{28, 80, 101.325};
  Horn north;
  north.azimuth_deg = 0;
  Horn east;
  east.azimuth_deg = 90;
  const double a = horn_level_dba(north, 300, 90, l, air), b = horn_level_dba(east, 300, 90, l, air);
  EXPECT_NEAR(r.households.speech_dba[0], 10 * std::log10(std::pow(10, a / 10) + std::pow(10, b / 10)), 0.05);  // dB
  const double c = horn_level_dba(north, 300, 0, l, air), d = horn_level_dba(east, 300, 0, l, air);
  EXPECT_NEAR(r.households.speech_dba[1], 10 * std::log10(std::pow(10, c / 10) + std::pow(10, d / 10)), 0.05);  // dB
  EXPECT_NEAR(r.households.speech_dba[0], r.households.speech_dba[1], 0.05);  // symmetric: one horn on axis each
  EXPECT_GT(b, a + 5.0);                                                      // off axis by 90° is well below on axis
  EXPECT_NEAR(r.households.snr_db[0], r.households.speech_dba[0] - 45.0, 1e-9);  // dB
  EXPECT_EQ(r.households.best_speaker[0], 1);                                    // the east horn is the loudest there
  EXPECT_EQ(r.households.best_speaker[1], 0);                                    // the north horn there
  EXPECT_EQ(r.households.speakers_audible[0], 1);                                // one pole, however many horns
  EXPECT_EQ(r.households.reached_speaker[2], 0);
}

// reached_beyond_model_validity counts target households only, like every figure beside it in
// summary.json's coverage block: a non-target household heard beyond ~1 km is not counted.
TEST(Iso9613, BeyondValidityCountsOnlyTargetHouseholds) {
  World w;
  w.scenario.speakers->model = SpeakerModel::iso9613;
  w.scenario.acoustics.ambient_dba = 25;  // quiet: the omnidirectional 30 W horn is heard past 1 km
  w.hamlet("1", square(-3000, -3000, 6000));
  w.speaker("a", 0, 0, 0);
  w.household("near", 300, 0, Poverty::poor);
  w.household("far_poor", 1200, 0, Poverty::poor);
  w.household("far_rich", 0, 1250, Poverty::not_poor);
  w.household("far_rich2", -1300, 0, Poverty::not_poor);
  const auto r = w.run();
  ASSERT_EQ(r.households.reached_speaker, (std::vector<std::uint8_t>{1, 1, 1, 1}));  // all heard
  EXPECT_EQ(r.paths_beyond_validity, 1);                                             // far_poor only
  EXPECT_EQ(r.reached_speaker, 2);                                                   // target households, the same base
}

// The field's fast level (axis as a vector, no atan2 past the back-radiation floor, float energy
// sums per cluster) against the public pieces: the horn's LevelTable plus directivity_db at the
// bearing atan2(dx, dy), summed in double.
TEST(Iso9613, FieldLevelEqualsTablePlusDirectivityAtEveryBearing) {
  World w;
  w.scenario.speakers->model = SpeakerModel::iso9613;
  const double beams[] = {10, 60, 90, 200, 360};
  const double azimuths[] = {0, 45, 180, 359.5, std::nan("")};
  int k = 0;
  for (const double beam : beams) {
    for (const double az : azimuths) {
      w.speaker("h" + std::to_string(k), 37.0 * (k % 7), -23.0 * (k % 5), 0, "pole" + std::to_string(k / 3), az);
      w.inputs.speakers.beamwidth_deg[k] = beam;
      ++k;
    }
  }
  const auto& sp = w.inputs.speakers;
  const detail::SpeakerField field(w.scenario, sp);
  const Listening l = detail::listening_of(w.scenario.acoustics);
  const Air air = detail::air_of(w.scenario.acoustics);
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> coord(-1500.0, 1500.0);
  int floored = 0, inside = 0;
  for (int h = 0; h < k; ++h) {
    Horn horn;
    horn.azimuth_deg = sp.azimuth_deg[h];
    horn.beamwidth_deg = sp.beamwidth_deg[h];
    const LevelTable table(horn, l, air, detail::SpeakerField::k_max_distance_m, 1.0);
    for (int i = 0; i < 400; ++i) {
      // The horn's own position (bearing 0 by convention), then random points around it.
      const double x = i == 0 ? sp.x_m[h] : sp.x_m[h] + coord(rng), y = i == 0 ? sp.y_m[h] : sp.y_m[h] + coord(rng);
      const double dx = x - sp.x_m[h], dy = y - sp.y_m[h];
      const double dir = directivity_db(horn, std::atan2(dx, dy) * 180.0 / 3.141592653589793);
      (dir == k_back_radiation_db ? floored : inside) += 1;
      EXPECT_NEAR(field.level_dba(static_cast<std::size_t>(h), x, y), table.level_dba(std::hypot(dx, dy), dir), 1e-9)
          << "horn " << h << " at (" << dx << ", " << dy << ")";
    }
  }
  EXPECT_GT(floored, 500);  // both branches were exercised
  EXPECT_GT(inside, 500);
  for (std::size_t c = 0; c < field.clusters(); ++c) {
    for (int i = 0; i < 200; ++i) {
      const double x = coord(rng), y = coord(rng);
      double energy = 0;
      for (auto h : field.cluster_members(c))
        energy += std::pow(10.0, field.level_dba(static_cast<std::size_t>(h), x, y) / 10.0);
      EXPECT_NEAR(field.cluster_level_dba(c, x, y), 10.0 * std::log10(energy), 1e-5) << "cluster " << c;
    }
  }
}

TEST(Iso9613, FacadeLossShrinksReach) {
  World w;
  w.scenario.speakers->model = SpeakerModel::iso9613;
  w.hamlet("1", square(-2000, -2000, 4000));
  w.speaker("a", 0, 0, 0);
  Listening l;
  const double range = audible_range(Horn{}, l, Air{28, 80, 101.325});
  w.household("inside_range", range * 0.9, 0);
  w.household("outside_range", range * 1.1, 0);
  auto r = w.run();
  EXPECT_EQ(r.households.reached_speaker, (std::vector<std::uint8_t>{1, 0}));
  w.scenario.acoustics.facade_loss_db = 10;
  r = w.run();
  EXPECT_EQ(r.households.reached_speaker, (std::vector<std::uint8_t>{0, 0}));
}

TEST(Target, WeightsAndInformationDeprivation) {
  World w;
  w.household("p", 0, 0, Poverty::poor);
  w.household("n", 0, 0, Poverty::near_poor);
  w.household("x", 0, 0, Poverty::not_poor);
  w.inputs.households.internet = {1, 0, 0};
  w.inputs.households.devices = {2, 3, 0};
  TargetParams t;
  auto wt = target_weights(w.inputs.households, t);
  EXPECT_DOUBLE_EQ(wt[0], 1.0);
  EXPECT_DOUBLE_EQ(wt[1], 0.5);
  EXPECT_DOUBLE_EQ(wt[2], 0.0);
  t.info_deprived_only = true;
  wt = target_weights(w.inputs.households, t);
  EXPECT_DOUBLE_EQ(wt[0], 0.0);  // has internet and devices
  EXPECT_DOUBLE_EQ(wt[1], 0.5);  // no internet
  t.weight_not_poor = 0.1;
  wt = target_weights(w.inputs.households, t);
  EXPECT_DOUBLE_EQ(wt[2], 0.1);  // no device
}

TEST(Gaps, AreaWithoutTargetHouseholdsHasNoGapRate) {
  World w;
  w.hamlet("1", square(0, 0, 1000), "A");
  w.hamlet("2", square(1000, 0, 1000), "B");
  w.household("rich", 500, 500, Poverty::not_poor);  // households, but none a target
  w.household("poor", 1500, 500, Poverty::poor);     // unreached: rate 1
  const auto r = w.run();
  ASSERT_EQ(r.hamlets.size(), 2u);
  EXPECT_EQ(r.hamlets[0].households, 1);
  EXPECT_EQ(r.hamlets[0].target_households, 0);
  EXPECT_TRUE(std::isnan(r.hamlets[0].gap_rate));  // undefined, not 0 %
  EXPECT_DOUBLE_EQ(r.hamlets[1].gap_rate, 1.0);
  ASSERT_EQ(r.groups.size(), 1u);
  ASSERT_EQ(r.groups[0].size(), 2u);
  EXPECT_TRUE(std::isnan(r.groups[0][0].gap_rate));  // unit A: only the non-target household
  EXPECT_DOUBLE_EQ(r.groups[0][1].gap_rate, 1.0);
}

TEST(Gaps, HamletAndGroupFiguresAndRanks) {
  World w;
  w.hamlet("1", square(0, 0, 1000), "A");
  w.hamlet("2", square(1000, 0, 1000), "A");
  w.hamlet("3", square(2000, 0, 1000), "B");
  w.speaker("s", 500, 500, 300);
  w.household("h1", 500, 500, Poverty::poor);        // reached
  w.household("h2", 900, 900, Poverty::poor);        // gap 1.0
  w.household("h3", 1500, 500, Poverty::near_poor);  // gap 0.5
  w.household("h4", 1600, 500, Poverty::not_poor);   // not a target
  w.household("h5", 2500, 500, Poverty::poor);       // gap 1.0
  w.household("h6", 2600, 500, Poverty::poor);       // gap 1.0
  w.household("out", 9000, 0, Poverty::poor);        // outside: counted in totals, in no hamlet
  const auto r = w.run();
  ASSERT_EQ(r.hamlets.size(), 3u);
  EXPECT_EQ(r.hamlets[0].households, 2);
  EXPECT_EQ(r.hamlets[0].reached_any, 1);
  EXPECT_DOUBLE_EQ(r.hamlets[0].gap_weight, 1.0);
  EXPECT_DOUBLE_EQ(r.hamlets[0].gap_rate, 0.5);
  EXPECT_EQ(r.hamlets[1].households, 2);
  EXPECT_EQ(r.hamlets[1].target_households, 1);
  EXPECT_DOUBLE_EQ(r.hamlets[1].gap_rate, 1.0);
  EXPECT_EQ(r.hamlets[2].rank, 1);
  EXPECT_EQ(r.hamlets[0].rank, 2);
  EXPECT_EQ(r.hamlets[1].rank, 3);
  ASSERT_EQ(r.groups.size(), 1u);
  ASSERT_EQ(r.groups[0].size(), 2u);
  EXPECT_EQ(r.groups[0][0].id, "A");
  EXPECT_DOUBLE_EQ(r.groups[0][0].gap_weight, 1.5);
  EXPECT_EQ(r.groups[0][0].rank, 2);
  EXPECT_EQ(r.joined, 6);
  EXPECT_EQ(r.outside, 1);
  EXPECT_EQ(r.target_households, 6);
  EXPECT_DOUBLE_EQ(r.gap_weight, 4.5);
}

}  // namespace
}  // namespace infogap

namespace infogap {
namespace {

// At the reach threshold, the household's decision and the clusters' count must come from one rule:
// a cluster audible on its own means the household is reached. Households sit one ulp apart in x
// around the distance where a lone omnidirectional horn falls to ambient + SNR, under several
// thresholds, so the energies step across the threshold a few ulps at a time. The ambient levels
// are ones where 10·lg(10^(T/10)) − ambient < SNR for T = ambient + SNR in doubles: there, deciding
// in dB and counting in energy disagree exactly at the threshold.
TEST(ReachRule, ClusterAudibleOnItsOwnMeansReachedAtTheThreshold) {
  std::int64_t checked = 0, audible = 0, unreached = 0;
  const std::vector<double> ambients{40.1, 41.9, 42.6, 44.4, 45.1, 46.9, 47.6, 49.4, 50.1, 51.9};
  for (const double ambient : ambients) {
    World w;
    w.scenario.speakers->model = SpeakerModel::iso9613;
    w.scenario.acoustics.ambient_dba = ambient;
    w.scenario.acoustics.required_snr_db = 10.0;
    w.hamlet("1", square(-5000, -5000, 10000));
    w.speaker("s", 0, 0, 300);
    // Range of the horn alone, from the run's own field.
    const detail::SpeakerField field(w.scenario, w.inputs.speakers);
    const double range = field.range_m(0);
    ASSERT_GT(range, 10.0);
    double x = range;
    for (int k = 0; k < 1000; ++k) x = std::nextafter(x, 0.0);
    for (int k = 0; k < 2000; ++k) {
      w.household(std::to_string(k), x, 0.0);
      x = std::nextafter(x, 1e9);
    }
    const CoverageResult r = w.run();
    const auto& hc = r.households;
    for (std::size_t i = 0; i < w.inputs.households.size(); ++i) {
      ++checked;
      if (hc.speakers_audible[i] >= 1) {
        ++audible;
        EXPECT_EQ(hc.reached_speaker[i], 1)
            << "ambient " << ambient << " household " << i << " level " << hc.speech_dba[static_cast<Eigen::Index>(i)];
      } else {
        ++unreached;
        EXPECT_EQ(hc.reached_speaker[i], 0) << "one cluster only: not audible means not reached";
      }
      // The same rule as the field's: energy of the level against the threshold energy.
      EXPECT_EQ(hc.reached_speaker[i] == 1,
                field.rule().reaches_energy(detail::ReachRule::energy(hc.speech_dba[static_cast<Eigen::Index>(i)])) ||
                    hc.speakers_audible[i] >= 1);
    }
  }
  // The sample straddles the threshold under every ambient level.
  EXPECT_GT(audible, 0);
  EXPECT_GT(unreached, 0);
  EXPECT_EQ(checked, static_cast<std::int64_t>(ambients.size()) * 2000);
}

}  // namespace
}  // namespace infogap

namespace infogap {
namespace {

// Two poles broadcast the same programme; the household hears each below the threshold, their sum
// above it, and the farther pole's speech arrives more than 50 ms after the nearer one's: an echo.
// energy_sum reaches it, U50 and loudest do not. Two clusters at one place arrive together: U50
// then reaches it like the sum.
TEST(MultiCluster, U50CountsALateArrivalAsAnEchoWhereTheEnergySumReaches) {
  auto world = [](MultiCluster rule, bool together) {
    World w;
    w.scenario.speakers->model = SpeakerModel::iso9613;
    w.scenario.acoustics.multi_cluster = rule;
    w.hamlet("1", square(-5000, -5000, 10000));
    w.speaker("a", 0, 0, 300);
    const detail::SpeakerField alone(w.scenario, w.inputs.speakers);
    const double thr = alone.threshold_dba();
    const double d1 = alone.reach_m(0, thr - 1.0), d2 = alone.reach_m(0, thr - 2.9);
    w.household("h", d1, 0);
    if (together)
      w.speaker("b", 0, 0, 300, "other");  // a second cluster at the same pole position
    else
      w.speaker("b", d1 + d2, 0, 300);  // d2 from the household, on the far side
    return std::make_pair(w, std::make_pair(d1, d2));
  };
  {
    auto [w, d] = world(MultiCluster::energy_sum, false);
    const detail::SpeakerField field(w.scenario, w.inputs.speakers);
    // Precondition of the case: an arrival gap over 50 ms, each pole below, the sum above.
    ASSERT_GT(field.arrival_s(1, d.second * d.second) - field.arrival_s(0, d.first * d.first), 0.050);
    const auto r = w.run();
    EXPECT_EQ(r.households.speakers_audible[0], 0);
    EXPECT_EQ(r.households.reached_speaker[0], 1) << "energy_sum: 10^-0.1 + 10^-0.29 > 1";
    EXPECT_EQ(r.multi_cluster.reached_target[static_cast<int>(MultiCluster::u50)], 0);
    EXPECT_EQ(r.multi_cluster.reached_target[static_cast<int>(MultiCluster::energy_sum)], 1);
    EXPECT_EQ(r.multi_cluster.differs[static_cast<int>(MultiCluster::u50)], 1);
  }
  {
    auto [w, d] = world(MultiCluster::u50, false);
    EXPECT_EQ(w.run().households.reached_speaker[0], 0) << "U50: the later pole is an echo";
  }
  {
    auto [w, d] = world(MultiCluster::loudest, false);
    EXPECT_EQ(w.run().households.reached_speaker[0], 0);
  }
  {
    auto [w, d] = world(MultiCluster::u50, true);
    const auto r = w.run();
    EXPECT_EQ(r.households.reached_speaker[0], 1) << "arrivals together add up under U50";
  }
}

// A household's level counts every horn within the model's range: near the threshold it equals
// the sum of horn_level_dba (ISO 9613 per band, no tables) over all horns, within 0.05 dB.
TEST(MultiCluster, LevelsNearTheThresholdEqualTheFullSumOfEveryHorn) {
  World w;
  w.scenario.speakers->model = SpeakerModel::iso9613;
  w.hamlet("1", square(-9000, -9000, 18000));
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-4000.0, 4000.0), az(0.0, 360.0);
  for (int k = 0; k < 80; ++k)
    w.speaker("s" + std::to_string(k), u(rng), u(rng), 300, "", k % 2 ? az(rng) : std::nan(""));
  for (int k = 0; k < 4000; ++k) w.household(std::to_string(k), u(rng), u(rng));
  const CoverageResult r = w.run();
  const Listening l = detail::listening_of(w.scenario.acoustics);
  const Air air = detail::air_of(w.scenario.acoustics);
  const double thr = w.scenario.acoustics.ambient_dba + w.scenario.acoustics.required_snr_db;
  const auto& sp = w.inputs.speakers;
  int near = 0;
  double worst = 0.0;
  for (std::size_t i = 0; i < w.inputs.households.size(); ++i) {
    const auto ei = static_cast<Eigen::Index>(i);
    const double level = r.households.speech_dba[ei];
    if (!(std::abs(level - thr) < 3.0)) continue;
    ++near;
    double energy = 0.0;
    for (std::size_t h = 0; h < sp.size(); ++h) {
      const auto eh = static_cast<Eigen::Index>(h);
      const double dx = w.inputs.households.x_m[ei] - sp.x_m[eh], dy = w.inputs.households.y_m[ei] - sp.y_m[eh];
      const double d = std::hypot(dx, dy);
      if (d > detail::SpeakerField::k_max_distance_m) continue;
      Horn horn;
      horn.power_w = sp.power_w[eh];
      horn.sensitivity_db = sp.sensitivity_db[eh];
      horn.height_m = sp.height_m[eh];
      horn.azimuth_deg = sp.azimuth_deg[eh];
      horn.beamwidth_deg = sp.beamwidth_deg[eh];
      const double bearing = std::atan2(dx, dy) * 180.0 / 3.141592653589793;
      energy += std::pow(10.0, horn_level_dba(horn, d, bearing, l, air) / 10.0);
    }
    const double full = 10.0 * std::log10(energy);
    worst = std::max(worst, std::abs(level - full));
    EXPECT_NEAR(level, full, 0.05) << "household " << i;  // dB
  }
  EXPECT_GT(near, 100) << "the sample must hold households near the threshold";
  RecordProperty("worst_db", std::to_string(worst));
}

// Listening conditions: each condition's reach equals a run whose acoustics are that condition's
// (ambient, SNR, facade loss re-scored on the run's levels; another air and receiver height on a
// field of their own), and the shares and expected gap follow from the flags.
TEST(Conditions, EachConditionReachesAsARunUnderItsOwnAcoustics) {
  World w;
  w.scenario.speakers->model = SpeakerModel::iso9613;
  w.hamlet("1", square(-4000, -4000, 4000));
  w.hamlet("2", square(0, -4000, 4000), "D");
  w.hamlet("3", square(-4000, 0, 8000), "D");
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(-3900.0, 3900.0), az(0.0, 360.0);
  for (int k = 0; k < 40; ++k)
    w.speaker("s" + std::to_string(k), u(rng), u(rng), 300, k % 3 ? "" : "pole" + std::to_string(k / 6),
              k % 2 ? az(rng) : std::nan(""));
  for (int k = 0; k < 3000; ++k)
    w.household(std::to_string(k), u(rng), u(rng), k % 3 ? Poverty::poor : Poverty::near_poor);
  w.team("t", 0, 0, 2, 1500, 20);
  auto& ac = w.scenario.acoustics;
  ac.conditions = {{"morning", 2.0, 40.0, {}, {}, {}, {}, {}},
                   {"market", 1.0, 60.0, {}, {}, {}, {}, {}},
                   {"indoors", 1.0, {}, {}, {}, {}, 10.0, {}},
                   {"hot", 1.0, {}, 12.0, 35.0, 60.0, {}, 1.2}};
  const CoverageResult r = w.run();
  const auto& hc = r.households;
  ASSERT_EQ(hc.reached_in.size(), 4u);
  const std::size_t n = w.inputs.households.size();
  std::vector<double> gap(4, 0.0);
  for (std::size_t k = 0; k < 4; ++k) {
    World alone = w;
    alone.scenario.acoustics = ac.under(ac.conditions[k]);
    const CoverageResult a = alone.run();
    EXPECT_TRUE(a.households.reached_in.empty());
    int reached = 0;
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(hc.reached_speaker_in[k][i], a.households.reached_speaker[i]) << ac.conditions[k].name << " " << i;
      EXPECT_EQ(hc.reached_in[k][i], hc.reached_speaker_in[k][i] || hc.reached_team[i]);
      reached += hc.reached_speaker_in[k][i];
      if (!hc.reached_in[k][i]) gap[k] += hc.weight[static_cast<Eigen::Index>(i)];
    }
    EXPECT_GT(reached, 50) << ac.conditions[k].name;
    EXPECT_LT(reached, static_cast<int>(n) - 50) << ac.conditions[k].name;
    EXPECT_NEAR(r.gap_weight_in[k], gap[k], 1e-9);
  }
  // The conditions differ: quiet morning > default > market, indoors below the default.
  EXPECT_GT(r.gap_weight, r.gap_weight_in[0]);
  EXPECT_GT(r.gap_weight_in[1], r.gap_weight);
  EXPECT_GT(r.gap_weight_in[2], r.gap_weight);
  const double shares[] = {0.4, 0.2, 0.2, 0.2};
  for (std::size_t i = 0; i < n; ++i) {
    double share = 0.0;
    for (std::size_t k = 0; k < 4; ++k) share += hc.reached_in[k][i] ? shares[k] : 0.0;
    EXPECT_NEAR(hc.reached_share[static_cast<Eigen::Index>(i)], share, 1e-12);
  }
  double expected = 0.0, hamlets_expected = 0.0;
  for (std::size_t k = 0; k < 4; ++k) expected += shares[k] * gap[k];
  EXPECT_NEAR(r.expected_gap_weight, expected, 1e-9);
  for (const auto& a : r.hamlets) hamlets_expected += a.expected_gap_weight;
  EXPECT_NEAR(hamlets_expected, expected, 1e-9);
  double group_market = 0.0;
  for (const auto& g : r.groups[0]) group_market += g.gap_weight_in[1];
  EXPECT_NEAR(group_market, gap[1], 1e-9);
}

TEST(Conditions, WithoutTheBlockNothingIsAdded) {
  World w;
  w.hamlet("1", square(-5000, -5000, 10000));
  w.speaker("s", 0, 0, 300);
  w.household("h", 100, 0);
  const CoverageResult r = w.run();
  EXPECT_TRUE(r.households.reached_in.empty());
  EXPECT_EQ(r.households.reached_share.size(), 0);
  EXPECT_TRUE(r.gap_weight_in.empty());
  EXPECT_TRUE(r.hamlets[0].gap_weight_in.empty());
}

}  // namespace
}  // namespace infogap
