#include "infogap/acoustics.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>

#include "infogap/error.hpp"

namespace infogap {
namespace {

constexpr double k_inf = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------------
// Constants

TEST(OctaveBands, AreTheExactMidbandFrequencies) {
  for (int k = -12, j = 0; k <= 9; k += 3, ++j) {
    const double expected = 1000.0 * std::pow(10.0, k / 10.0);
    EXPECT_NEAR(k_octave_bands_hz[static_cast<std::size_t>(j)], expected, expected * 1e-12);  // Hz
  }
  EXPECT_NEAR(k_octave_bands_hz[7], 7943.3, 0.05);  // Hz
  EXPECT_NEAR(k_octave_bands_hz[0], 63.096, 5e-4);  // Hz
}

TEST(OctaveBands, SpeechSpectrumIsRelativeToTheAWeightedLevel) {
  // Σ 10^((Speech_j + Af_j)/10) over the speech bands ≈ 1: the spectrum carries 0 dB(A).
  EXPECT_TRUE(std::isinf(k_speech_spectrum_db[0]) && k_speech_spectrum_db[0] < 0);
  EXPECT_NEAR(a_weighted(k_speech_spectrum_db), 0.0, 0.1);  // dB(A)
}

// ---------------------------------------------------------------------------------------------
// ISO 9613-1 absorption

struct Table2Row {
  double temperature_c, humidity_pct;
  std::array<double, 8> alpha_db_per_km;
};

// ISO 9613-2 Table 2, α in dB/km at 101.325 kPa (as printed, ACOUSTICS.md).
constexpr std::array<Table2Row, 6> k_table2{{
    {10, 70, {0.1, 0.4, 1.0, 1.9, 3.7, 9.7, 32.8, 117}},
    {20, 70, {0.1, 0.3, 1.1, 2.8, 5.0, 9.0, 22.9, 76.6}},
    {30, 70, {0.1, 0.3, 1.0, 3.1, 7.4, 12.7, 23.1, 59.3}},
    {15, 20, {0.3, 0.6, 1.2, 2.7, 8.2, 28.2, 88.8, 202}},
    {15, 50, {0.1, 0.5, 1.2, 2.2, 4.2, 10.8, 36.2, 129}},
    {15, 80, {0.1, 0.3, 1.1, 2.4, 4.1, 8.3, 23.7, 82.8}},
}};

TEST(AtmosphericAbsorption, MatchesIso9613Part2Table2AtExactMidbands) {
  int checked = 0;
  for (const auto& row : k_table2) {
    for (std::size_t j = 0; j < 8; ++j) {
      const double printed = row.alpha_db_per_km[j];
      const double tolerance = printed < 100.0 ? 0.06 : 0.005 * printed;  // dB/km
      EXPECT_NEAR(atmospheric_absorption(k_octave_bands_hz[j], row.temperature_c, row.humidity_pct), printed, tolerance)
          << row.temperature_c << " °C, " << row.humidity_pct << " %, " << k_octave_bands_nominal_hz[j] << " Hz";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 48);
}

TEST(AtmosphericAbsorption, FifteenDegreesEightyPercentOneKilohertzComputesFourPointFifteen) {
  // The standard prints 4.1 for a value that computes to 4.15 (ACOUSTICS.md): the formula is
  // kept, the printed cell is within the 0.06 dB/km tolerance above.
  EXPECT_NEAR(atmospheric_absorption(1000.0, 15.0, 80.0), 4.15, 0.005);  // dB/km
}

TEST(AtmosphericAbsorption, NominalEightKilohertzOverestimatesTheTable) {
  EXPECT_NEAR(atmospheric_absorption(k_octave_bands_hz[7], 10.0, 70.0), 117.0, 0.5);  // dB/km, exact midband
  EXPECT_NEAR(atmospheric_absorption(8000.0, 10.0, 70.0), 118.4, 0.1);                // dB/km, nominal
}

TEST(AtmosphericAbsorption, KeepsThePressureTerm) {
  // Reference values at 85 kPa (15 °C, 20 %) from an independent Python evaluation of the
  // ISO 9613-1 equations; sea level for comparison.
  EXPECT_NEAR(atmospheric_absorption(1000.0, 15.0, 20.0, 85.0), 7.6518, 0.001);                // dB/km
  EXPECT_NEAR(atmospheric_absorption(k_octave_bands_hz[6], 15.0, 20.0, 85.0), 85.836, 0.005);  // dB/km
  EXPECT_NEAR(atmospheric_absorption(1000.0, 15.0, 20.0), 8.1656, 0.001);                      // dB/km
  EXPECT_GT(std::abs(atmospheric_absorption(1000.0, 15.0, 20.0, 85.0) - atmospheric_absorption(1000.0, 15.0, 20.0)),
            0.4);  // dB/km
  // The default pressure argument is the reference pressure.
  EXPECT_EQ(atmospheric_absorption(500.0, 20.0, 70.0), atmospheric_absorption(500.0, 20.0, 70.0, 101.325));
}

TEST(AtmosphericAbsorption, RejectsImpossibleAir) {
  EXPECT_THROW(atmospheric_absorption(1000.0, 20.0, 120.0), InvalidInput);
  EXPECT_THROW(atmospheric_absorption(1000.0, 20.0, -1.0), InvalidInput);
  EXPECT_THROW(atmospheric_absorption(0.0, 20.0, 70.0), InvalidInput);
  EXPECT_THROW(atmospheric_absorption(1000.0, -300.0, 70.0), InvalidInput);
  EXPECT_THROW(atmospheric_absorption(1000.0, 20.0, 70.0, 0.0), InvalidInput);
  EXPECT_THROW(atmospheric_absorption(1000.0, 20.0, std::nan("")), InvalidInput);
  try {
    atmospheric_absorption(1000.0, 20.0, 120.0);
  } catch (const InvalidInput& e) {
    EXPECT_NE(std::string(e.what()).find("humidity_pct"), std::string::npos) << e.what();
  }
}

// ---------------------------------------------------------------------------------------------
// ISO 9613-2 ground effect

TEST(GroundAttenuation, HardGroundIsMinusThreeMinusThreeQ) {
  // G = 0: As = Ar = −1.5 in every band, Am = −3q; hs + hr = 5 → 30·5 = 150 m; dp = 200 → q = 0.25.
  const Bands agr = ground_attenuation(1.0, 4.0, 200.0, GroundG{0, 0, 0});
  for (std::size_t j = 0; j < 8; ++j) EXPECT_NEAR(agr[j], -1.5 - 1.5 - 3.0 * 0.25, 1e-12) << j;  // dB
  // Inside 30(hs + hr) the middle region vanishes: q = 0.
  const Bands near = ground_attenuation(1.0, 4.0, 150.0, GroundG{0, 0, 0});
  for (std::size_t j = 0; j < 8; ++j) EXPECT_NEAR(near[j], -3.0, 1e-12) << j;  // dB
}

TEST(GroundAttenuation, PorousGroundFarFromLowSourceAndReceiver) {
  // hs = hr = 0, G = 1, dp = 10 km: every (1 − e^(−…)) factor is 1 and q = 1.
  // a′(0) = 1.5 + 3.0·e^(−3) + 5.7, b′(0) = 1.5 + 8.6, c′(0) = 1.5 + 14, d′(0) = 1.5 + 5.
  const double a = 1.5 + 3.0 * std::exp(-3.0) + 5.7;
  const std::array<double, 8> expected{-1.5 - 1.5 - 3.0,  // 63 Hz: Am = −3q
                                       2 * (-1.5 + a),
                                       2 * (-1.5 + 10.1),  // 125, 250
                                       2 * (-1.5 + 15.5),
                                       2 * (-1.5 + 6.5),  // 500, 1k
                                       0.0,
                                       0.0,
                                       0.0};  // −1.5(1 − G), Am = 0
  const Bands agr = ground_attenuation(0.0, 0.0, 10000.0, GroundG{1, 1, 1});
  for (std::size_t j = 0; j < 8; ++j) EXPECT_NEAR(agr[j], expected[j], 1e-9) << j;  // dB
  EXPECT_NEAR(agr[1], 11.698722, 1e-6);                                             // dB, 2·(5.7 + 3e^(−3))
}

TEST(GroundAttenuation, MixedRegionsFollowTable3TermByTerm) {
  // hs = 8 m horn, hr = 1.5 m listener, dp = 1000 m, Gs = 1, Gm = 0.5, Gr = 0.2.
  const double hs = 8.0, hr = 1.5, dp = 1000.0;
  const double near50 = 1.0 - std::exp(-dp / 50.0);
  const double far = 1.0 - std::exp(-2.8e-6 * dp * dp);
  const auto a = [&](double h) {
    return 1.5 + 3.0 * std::exp(-0.12 * (h - 5) * (h - 5)) * near50 + 5.7 * std::exp(-0.09 * h * h) * far;
  };
  const auto b = [&](double h) { return 1.5 + 8.6 * std::exp(-0.09 * h * h) * near50; };
  const auto c = [&](double h) { return 1.5 + 14.0 * std::exp(-0.46 * h * h) * near50; };
  const auto d = [&](double h) { return 1.5 + 5.0 * std::exp(-0.9 * h * h) * near50; };
  const double q = 1.0 - 30.0 * (hs + hr) / dp;  // 0.715
  EXPECT_NEAR(q, 0.715, 1e-12);
  const double gs = 1.0, gm = 0.5, gr = 0.2;
  const std::array<double, 8> expected{-1.5 - 1.5 - 3.0 * q,
                                       (-1.5 + gs * a(hs)) + (-1.5 + gr * a(hr)) - 3.0 * q * (1 - gm),
                                       (-1.5 + gs * b(hs)) + (-1.5 + gr * b(hr)) - 3.0 * q * (1 - gm),
                                       (-1.5 + gs * c(hs)) + (-1.5 + gr * c(hr)) - 3.0 * q * (1 - gm),
                                       (-1.5 + gs * d(hs)) + (-1.5 + gr * d(hr)) - 3.0 * q * (1 - gm),
                                       -1.5 * (1 - gs) - 1.5 * (1 - gr) - 3.0 * q * (1 - gm),
                                       -1.5 * (1 - gs) - 1.5 * (1 - gr) - 3.0 * q * (1 - gm),
                                       -1.5 * (1 - gs) - 1.5 * (1 - gr) - 3.0 * q * (1 - gm)};
  const Bands agr = ground_attenuation(hs, hr, dp, GroundG{gs, gm, gr});
  for (std::size_t j = 0; j < 8; ++j) EXPECT_NEAR(agr[j], expected[j], 1e-9) << j;  // dB
  // A few numbers by hand: 63 Hz −5.145; 2 kHz −1.2 − 1.0725 = −2.2725.
  EXPECT_NEAR(agr[0], -5.145, 1e-9);   // dB
  EXPECT_NEAR(agr[5], -2.2725, 1e-9);  // dB
}

TEST(GroundAttenuation, RejectsBadGeometryAndG) {
  EXPECT_THROW(ground_attenuation(-1.0, 1.5, 100.0, GroundG{}), InvalidInput);
  EXPECT_THROW(ground_attenuation(8.0, 1.5, -5.0, GroundG{}), InvalidInput);
  EXPECT_THROW(ground_attenuation(8.0, 1.5, 100.0, GroundG{0.5, 1.5, 0.5}), InvalidInput);
}

// ---------------------------------------------------------------------------------------------
// Point source (sound-power form)

TEST(PointSourceLevels, MatchesAStepByStepEvaluationWithTable2Absorption) {
  // Hard ground, so Agr is known exactly: hs + hr = 5 m → q = 1 − 150/dp; α from Table 2
  // (20 °C, 70 %), the printed values, so the tolerance carries the table's rounding.
  const Eigen::Vector3d source(10, 10, 1), receiver(200, 50, 4);
  const double dp = std::hypot(190.0, 40.0);
  const double d = std::sqrt(190.0 * 190.0 + 40.0 * 40.0 + 3.0 * 3.0);
  const double q = 1.0 - 150.0 / dp;
  const double agr = -1.5 - 1.5 - 3.0 * q;
  Bands lw{};
  for (std::size_t j = 0; j < 8; ++j) lw[j] = 90.0 + static_cast<double>(j);
  const Bands lp = point_source_levels(lw, source, receiver, GroundG{0, 0, 0}, Air{20, 70, 101.325});
  const auto& table = k_table2[1].alpha_db_per_km;
  for (std::size_t j = 0; j < 8; ++j) {
    const double expected = lw[j] - (20.0 * std::log10(d) + 11.0) - table[j] * d / 1000.0 - agr;
    const double tolerance = (table[j] < 100 ? 0.06 : 0.005 * table[j]) * d / 1000.0 + 1e-9;  // dB
    EXPECT_NEAR(lp[j], expected, tolerance) << j;
  }
}

TEST(PointSourceLevels, ComposesDivergenceAbsorptionAndGroundForThreeRegions) {
  const Eigen::Vector3d source(10, 10, 1), receiver(200, 50, 4);
  const GroundG g{0.2, 0.5, 0.9};
  const Air air{20, 70, 101.325};
  const double dp = std::hypot(190.0, 40.0);
  const double d = (receiver - source).norm();
  const Bands agr = ground_attenuation(1.0, 4.0, dp, g);
  const Bands lp = point_source_levels(Bands{93, 93, 93, 93, 93, 93, 93, 93}, source, receiver, g, air);
  for (std::size_t j = 0; j < 8; ++j) {
    const double alpha = atmospheric_absorption(k_octave_bands_hz[j], 20, 70);
    EXPECT_NEAR(lp[j], 93.0 - 20.0 * std::log10(d) - 11.0 - alpha * d / 1000.0 - agr[j], 1e-9) << j;  // dB
  }
}

TEST(PointSourceLevels, DivergenceIsSixDecibelsPerDoubling) {
  // Source and receiver on hard ground (hs = hr = 0): q = 1 for any dp > 0, Agr constant.
  const Air air{20, 70, 101.325};
  const Bands lw{100, 100, 100, 100, 100, 100, 100, 100};
  for (const double d : {50.0, 200.0, 800.0}) {
    const Bands near = point_source_levels(lw, {0, 0, 0}, {d, 0, 0}, GroundG{0, 0, 0}, air);
    const Bands far = point_source_levels(lw, {0, 0, 0}, {0, 2 * d, 0}, GroundG{0, 0, 0}, air);
    for (std::size_t j = 0; j < 8; ++j) {
      const double alpha = atmospheric_absorption(k_octave_bands_hz[j], 20, 70) / 1000.0;                // dB/m
      EXPECT_NEAR((near[j] + alpha * d) - (far[j] + alpha * 2 * d), 20.0 * std::log10(2.0), 1e-9) << d;  // dB
    }
  }
  EXPECT_NEAR(20.0 * std::log10(2.0), 6.02, 0.005);  // dB
}

TEST(PointSourceLevels, RejectsBadInput) {
  const Bands lw{90, 90, 90, 90, 90, 90, 90, 90};
  EXPECT_THROW(point_source_levels(lw, {0, 0, -1}, {10, 0, 1}, GroundG{}, Air{}), InvalidInput);
  EXPECT_THROW(point_source_levels(lw, {0, 0, 1}, {10, 0, 1}, GroundG{}, Air{20, 101, 101.325}), InvalidInput);
  Bands bad = lw;
  bad[3] = std::nan("");
  EXPECT_THROW(point_source_levels(bad, {0, 0, 1}, {10, 0, 1}, GroundG{}, Air{}), InvalidInput);
}

// ---------------------------------------------------------------------------------------------
// A-weighting

TEST(AWeighted, FlatSpectrumGainsTheSumOfTheWeights) {
  // Σ 10^(Af/10) = 0.0023988 + 0.0245471 + 0.1380384 + 0.4786301 + 1 + 1.3182567 + 1.2589254
  //              + 0.7762471 = 4.9970436
  EXPECT_NEAR(a_weighted(Bands{60, 60, 60, 60, 60, 60, 60, 60}), 60.0 + 10.0 * std::log10(4.9970436), 1e-6);  // dB(A)
  EXPECT_NEAR(a_weighted(Bands{60, 60, 60, 60, 60, 60, 60, 60}), 66.987, 0.0005);                             // dB(A)
}

TEST(AWeighted, IgnoresEmptyBands) {
  EXPECT_NEAR(a_weighted(Bands{-k_inf, -k_inf, -k_inf, -k_inf, 70, -k_inf, -k_inf, -k_inf}), 70.0, 1e-12);  // dB(A)
  EXPECT_NEAR(a_weighted(Bands{-k_inf, -k_inf, -k_inf, -k_inf, -k_inf, 70, -k_inf, -k_inf}), 71.2, 1e-12);  // dB(A)
  const double all_empty = a_weighted(Bands{-k_inf, -k_inf, -k_inf, -k_inf, -k_inf, -k_inf, -k_inf, -k_inf});
  EXPECT_TRUE(std::isinf(all_empty) && all_empty < 0);
}

// ---------------------------------------------------------------------------------------------
// Horn

TEST(Directivity, GenericHornShape) {
  Horn horn;
  horn.azimuth_deg = 30.0;
  horn.beamwidth_deg = 90.0;
  EXPECT_NEAR(directivity_db(horn, 30.0), 0.0, 1e-12);                   // dB on axis
  EXPECT_NEAR(directivity_db(horn, 75.0), -6.0, 1e-12);                  // dB at half the beamwidth
  EXPECT_NEAR(directivity_db(horn, -15.0), -6.0, 1e-12);                 // dB, symmetric
  EXPECT_NEAR(directivity_db(horn, 345.0), -6.0, 1e-12);                 // dB, same bearing mod 360
  EXPECT_NEAR(directivity_db(horn, 52.5), -1.5, 1e-12);                  // dB, θ = bw/4 → −6/4
  EXPECT_NEAR(directivity_db(horn, 210.0), k_back_radiation_db, 1e-12);  // dB behind
  for (double t = 0.0; t <= 180.0; t += 7.5) {
    EXPECT_NEAR(directivity_db(horn, 30.0 + t), directivity_db(horn, 30.0 - t), 1e-9) << t;  // dB
    EXPECT_LE(directivity_db(horn, 30.0 + t), 0.0);
    EXPECT_GE(directivity_db(horn, 30.0 + t), k_back_radiation_db);
  }
  horn.beamwidth_deg = 60.0;
  EXPECT_NEAR(directivity_db(horn, 60.0), -6.0, 1e-12);  // dB at 30° off a 60° beam
}

TEST(Directivity, OmnidirectionalWithoutAzimuth) {
  const Horn omni;  // azimuth NaN
  for (const double b : {0.0, 90.0, 180.0, 271.0}) EXPECT_EQ(directivity_db(omni, b), 0.0);
  Horn bad;
  bad.azimuth_deg = 0.0;
  bad.beamwidth_deg = 0.0;
  EXPECT_THROW(directivity_db(bad, 10.0), InvalidInput);
}

TEST(HornBandLevels, FollowTheAcousticsFormulaStepByStep) {
  Horn horn;
  horn.power_w = 20.0;
  horn.sensitivity_db = 112.0;
  horn.height_m = 10.0;
  horn.azimuth_deg = 90.0;
  Listening l;
  l.receiver_height_m = 1.2;
  l.facade_loss_db = 4.0;
  l.ground = GroundG{0.3, 0.6, 0.9};
  const Air air{25, 60, 95.0};
  const double dp = 350.0, bearing = 120.0;
  const Bands lp = horn_band_levels(horn, dp, bearing, l, air);

  const double d = std::sqrt(dp * dp + 8.8 * 8.8);
  const double directivity = -6.0 * (30.0 / 45.0) * (30.0 / 45.0);
  const Bands agr = ground_attenuation(10.0, 1.2, dp, l.ground);
  EXPECT_TRUE(std::isinf(lp[0]) && lp[0] < 0);  // no speech at 63 Hz
  for (std::size_t j = 1; j < 8; ++j) {
    const double alpha = atmospheric_absorption(k_octave_bands_hz[j], 25, 60, 95.0) / 1000.0;  // dB/m
    const double expected = 112.0 + 10.0 * std::log10(20.0) - 6.0 + k_speech_spectrum_db[j] + directivity -
                            20.0 * std::log10(d) - alpha * d - agr[j] - 4.0;
    EXPECT_NEAR(lp[j], expected, 1e-9) << j;  // dB
  }
  EXPECT_NEAR(horn_level_dba(horn, dp, bearing, l, air), a_weighted(lp), 1e-12);  // dB(A)
}

TEST(HornBandLevels, OneMetreOnAxisIsTheRatedSpeechLevelWithoutLosses) {
  // Horn at ear height, hard ground, dry air: at 1 m, LA ≈ S + 10·lg P − 6 minus ground (−3 dB
  // gain from As + Ar on hard ground) and negligible absorption.
  Horn horn;
  horn.height_m = 1.5;
  Listening l;
  l.ground = GroundG{0, 0, 0};
  const double la = horn_level_dba(horn, 1.0, 0.0, l, Air{20, 70, 101.325});
  EXPECT_NEAR(la, 110.0 + 10.0 * std::log10(30.0) - 6.0 + 3.0 + a_weighted(k_speech_spectrum_db), 0.01);  // dB(A)
}

TEST(HornBandLevels, RejectsBadHornAndListener) {
  Horn horn;
  horn.power_w = -1.0;
  EXPECT_THROW(horn_level_dba(horn, 100.0, 0.0, Listening{}, Air{}), InvalidInput);
  Listening l;
  l.receiver_height_m = -1.0;
  EXPECT_THROW(horn_level_dba(Horn{}, 100.0, 0.0, l, Air{}), InvalidInput);
  EXPECT_THROW(horn_level_dba(Horn{}, -1.0, 0.0, Listening{}, Air{}), InvalidInput);
}

// ---------------------------------------------------------------------------------------------
// Audible range

Listening planner_listener(double ambient_dba, double facade_db, double g) {
  Listening l;
  l.ambient_dba = ambient_dba;
  l.required_snr_db = 15.0;  // the planner's +15 dB margin
  l.facade_loss_db = facade_db;
  l.ground = GroundG{g, g, g};
  return l;
}

TEST(AudibleRange, LevelAtTheRangeIsTheThreshold) {
  const Horn horn;
  const Listening l;
  const Air air;
  const double r = audible_range(horn, l, air);
  EXPECT_GT(r, 100.0);
  EXPECT_LT(r, 5000.0);
  EXPECT_NEAR(horn_level_dba(horn, r, 0.0, l, air), l.ambient_dba + l.required_snr_db, 0.01);  // dB(A)
  EXPECT_GE(horn_level_dba(horn, r - 1.0, 0.0, l, air), l.ambient_dba + l.required_snr_db);
  EXPECT_LT(horn_level_dba(horn, r + 1.0, 0.0, l, air), l.ambient_dba + l.required_snr_db);
}

TEST(AudibleRange, MonotoneInPowerAndAmbient) {
  const Air air;
  Horn horn;
  const Listening l = planner_listener(45.0, 0.0, 0.7);
  const double base = audible_range(horn, l, air);
  horn.power_w *= 2.0;                                  // +3 dB
  EXPECT_GT(audible_range(horn, l, air), base + 10.0);  // m
  horn.power_w = 30.0;
  const Listening louder = planner_listener(55.0, 0.0, 0.7);  // +10 dB ambient
  EXPECT_LT(audible_range(horn, louder, air), base - 100.0);  // m
}

TEST(AudibleRange, PlannerFiguresOfAcousticsMd) {
  // 30 W, 110–112 dB, 8 m, 45 dB(A), +15 dB, 28 °C / 80 %, porous ground (G 0.7 and 1).
  const Air air;
  for (const double sensitivity : {110.0, 112.0}) {
    for (const double g : {0.7, 1.0}) {
      Horn horn;
      horn.sensitivity_db = sensitivity;
      SCOPED_TRACE(testing::Message() << "S = " << sensitivity << " dB, G = " << g);
      const double on_axis = audible_range(horn, planner_listener(45, 0, g), air);
      EXPECT_GE(on_axis, 350.0);  // m, "≈500 m on axis"
      EXPECT_LE(on_axis, 700.0);
      // 6 dB off axis: same threshold, 6 dB less source → as a 6 dB quieter ambient margin.
      Listening off = planner_listener(45, 0, g);
      off.required_snr_db += 6.0;
      const double off_axis = audible_range(horn, off, air);
      EXPECT_GE(off_axis, 200.0);  // m, "~300 m at 6 dB off axis"
      EXPECT_LE(off_axis, 450.0);
      const double indoors = audible_range(horn, planner_listener(45, 10, g), air);
      EXPECT_GE(indoors, 130.0);  // m, "~200 m behind a 10 dB facade"
      EXPECT_LE(indoors, 300.0);
      const double noisy = audible_range(horn, planner_listener(55, 0, g), air);
      EXPECT_GE(noisy, 130.0);  // m, "55 dB(A) shrinks it to ~200 m"
      EXPECT_LE(noisy, 300.0);
    }
  }
}

TEST(AudibleRange, OffAxisHornMatchesTheDirectivityShift) {
  // Evaluating a horn 6 dB off axis directly gives the same range as raising the SNR by 6 dB.
  Horn horn;
  horn.azimuth_deg = 0.0;
  const Listening l = planner_listener(45, 0, 0.7);
  Listening stricter = l;
  stricter.required_snr_db += 6.0;
  const double r = audible_range(horn, stricter, Air{});
  EXPECT_NEAR(horn_level_dba(horn, r, 45.0, l, Air{}), l.ambient_dba + l.required_snr_db, 0.01);  // dB(A), θ = bw/2
}

TEST(AudibleRange, EdgesOfTheSearchInterval) {
  Horn horn;
  Listening l;
  l.ambient_dba = 0.0;
  EXPECT_EQ(audible_range(horn, l, Air{}, 300.0), 300.0);  // m: still heard at max_m
  l.ambient_dba = 200.0;
  EXPECT_EQ(audible_range(horn, l, Air{}), 0.0);  // m: never heard
  EXPECT_THROW(audible_range(horn, Listening{}, Air{}, -1.0), InvalidInput);
}

// ---------------------------------------------------------------------------------------------
// Level table

TEST(LevelTable, EqualsDirectEvaluationAtRandomDistances) {
  std::mt19937 rng(20240607);
  struct Case {
    Horn horn;
    Listening l;
  };
  Horn low;  // horn close to ear height: the level curves fastest near the pole
  low.height_m = 2.0;
  low.sensitivity_db = 105.0;
  Listening indoors;
  indoors.facade_loss_db = 10.0;
  indoors.ground = GroundG{0.0, 0.3, 1.0};
  for (const Case& c : {Case{Horn{}, Listening{}}, Case{low, Listening{}}, Case{Horn{}, indoors}}) {
    const Air air{30, 60, 90.0};
    const LevelTable table(c.horn, c.l, air, 2500.0);
    std::uniform_real_distribution<double> far(0.0, 2500.0), near(0.0, 25.0);
    for (int i = 0; i < 400; ++i) {
      const double d = i % 2 == 0 ? far(rng) : near(rng);
      EXPECT_NEAR(table.level_dba(d), horn_level_dba(c.horn, d, 0.0, c.l, air), 0.05) << d;  // dB(A)
    }
    // Includes the kink where the 3-D distance of the low horn reaches 1 m (dp = √0.75 m).
    for (const double d : {0.0, 0.05, 0.5, 0.86, 0.866, 0.87, 1.0, 19.99, 20.0, 20.01, 2499.5, 2500.0}) {
      EXPECT_NEAR(table.level_dba(d), horn_level_dba(c.horn, d, 0.0, c.l, air), 0.05) << d;  // dB(A)
    }
  }
}

TEST(LevelTable, OffAxisAddsDirectivityAndBeyondMaxIsSilent) {
  Horn horn;
  horn.azimuth_deg = 0.0;
  const Listening l;
  const Air air;
  const LevelTable table(horn, l, air, 1000.0);
  const double d = 321.7;
  EXPECT_NEAR(table.level_dba(d, directivity_db(horn, 40.0)), horn_level_dba(horn, d, 40.0, l, air), 0.05);  // dB(A)
  EXPECT_EQ(table.max_distance_m(), 1000.0);
  EXPECT_TRUE(std::isinf(table.level_dba(1000.5)) && table.level_dba(1000.5) < 0);
  EXPECT_TRUE(std::isinf(table.level_dba(std::nan(""))));
  EXPECT_EQ(table.level_dba(-3.0), table.level_dba(0.0));
}

TEST(LevelTable, ReachAgreesWithAudibleRange) {
  for (const double ambient : {45.0, 55.0, 38.0}) {
    Listening l;
    l.ambient_dba = ambient;
    const Air air;
    const LevelTable table(Horn{}, l, air, 3000.0);
    const double threshold = ambient + l.required_snr_db;
    const double reach = table.reach_m(threshold);
    EXPECT_LT(reach, 3000.0) << ambient;                                        // m
    EXPECT_NEAR(reach, audible_range(Horn{}, l, air, 3000.0), 0.5) << ambient;  // m
    EXPECT_NEAR(table.level_dba(reach), threshold, 1e-6);  // dB(A): consistent with the interpolation
  }
  const LevelTable table(Horn{}, Listening{}, Air{}, 800.0);
  EXPECT_EQ(table.reach_m(0.0), 800.0);                   // m: heard everywhere in the table
  EXPECT_EQ(table.reach_m(500.0), 0.0);                   // m: never heard
  EXPECT_GT(table.reach_m(table.level_dba(10.0)), 9.99);  // m, inside the fine near-pole grid
  EXPECT_LT(table.reach_m(table.level_dba(10.0)), 10.01);
}

TEST(LevelTable, FlagsPathsBeyondTheValidityOfIso9613) {
  EXPECT_FALSE(LevelTable::beyond_validity(999.0));
  EXPECT_FALSE(beyond_validity(k_validity_limit_m));
  EXPECT_TRUE(LevelTable::beyond_validity(1000.5));
  EXPECT_EQ(k_validity_limit_m, 1000.0);
}

TEST(LevelTable, RejectsBadGrid) {
  EXPECT_THROW(LevelTable(Horn{}, Listening{}, Air{}, 0.0), InvalidInput);
  EXPECT_THROW(LevelTable(Horn{}, Listening{}, Air{}, 1000.0, 0.0), InvalidInput);
  EXPECT_THROW(LevelTable(Horn{}, Listening{}, Air{}, 1e12, 1e-3), InvalidInput);
}

}  // namespace
}  // namespace infogap
