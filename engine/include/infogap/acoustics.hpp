#pragma once
/// @file acoustics.hpp  Loudspeaker reach: outdoor sound propagation per ISO 9613-1 (air
/// absorption) and ISO 9613-2 (1996: divergence, general-method ground effect), a generic horn
/// directivity, the male speech spectrum and the A-weighted speech level at a listener
/// (ACOUSTICS.md). Levels in dB re 20 µPa, distances in metres, angles in degrees clockwise from
/// grid north.
///
/// Model limits (documented, not modelled): downwind (favourable) propagation on flat ground,
/// no barriers, no meteorological correction Cmet, no reflections; horn directivity is
/// frequency-independent (no polar data per band); ISO 9613-2 is stated for distances up to
/// about 1 km (k_validity_limit_m) — longer paths are computed the same way and flagged.
///
/// Thread safety: every function is reentrant; a LevelTable is immutable after construction and
/// may be shared by threads.

#include <Eigen/Core>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace infogap {

/// @defgroup acoustics Loudspeaker acoustics
/// @{

/// Eight octave-band values, 63 Hz … 8 kHz (index 0 … 7), one per k_octave_bands_hz entry.
using Bands = std::array<double, 8>;

/// Exact octave-band midband frequencies fm = 1000·10^(k/10) Hz, k = −12, −9, …, 9 (nominal
/// 63, 125, 250, 500, 1k, 2k, 4k, 8k). The exact values are used for air absorption: the nominal
/// 8000 Hz would give 118.4 instead of 117 dB/km at 10 °C / 70 %.
inline constexpr Bands k_octave_bands_hz{63.0957344480193, 125.892541179417, 251.188643150958, 501.187233627272,
                                         1000.0,           1995.26231496888, 3981.07170553497, 7943.28234724281};

/// Nominal octave-band labels in Hz (for display only).
inline constexpr Bands k_octave_bands_nominal_hz{63, 125, 250, 500, 1000, 2000, 4000, 8000};

/// A-weighting per octave band (IEC 61672), dB.
inline constexpr Bands k_a_weighting_db{-26.2, -16.1, -8.6, -3.2, 0.0, 1.2, 1.0, -1.1};

/// Male speech spectrum relative to the A-weighted speech level (IEC 60268-16), dB. The 63 Hz
/// band carries no speech energy in this model: its entry is −inf, so band levels computed from
/// it are −inf and contribute nothing to an energy sum.
inline constexpr Bands k_speech_spectrum_db{
    -std::numeric_limits<double>::infinity(), 2.9, 2.9, -0.8, -6.8, -12.8, -18.8, -24.8};

/// ISO 9613-2 states its accuracy for source–receiver distances up to about 1 km; longer paths
/// are still computed but should be flagged as out of the model's validity.
inline constexpr double k_validity_limit_m = 1000.0;

/// Level of a horn behind its back (floor of the generic directivity), dB.
inline constexpr double k_back_radiation_db = -20.0;

/// Headroom of speech below the rated level of a horn (S + 10·lg P), dB.
inline constexpr double k_speech_headroom_db = 6.0;

/// Distances shorter than this (3-D, source to receiver) are clamped to it: the 1 m reference
/// distance of the sensitivity; the far-field model means nothing closer.
inline constexpr double k_min_distance_m = 1.0;

/// True when a path of this length is beyond the ~1 km validity of ISO 9613-2.
constexpr bool beyond_validity(double distance_m) noexcept {
  return distance_m > k_validity_limit_m;
}

/// Weather along the path.
struct Air {
  double temperature_c = 28.0;    ///< air temperature, °C (> −273.15)
  double humidity_pct = 80.0;     ///< relative humidity, % in [0, 100]
  double pressure_kpa = 101.325;  ///< atmospheric pressure, kPa (> 0; ~85 kPa in the highlands)
};

/// ISO 9613-2 ground factor G per region (0 hard: water, flooded paddy, paving; 1 porous: dry
/// fields, gardens), each in [0, 1].
struct GroundG {
  double source = 0.7;    ///< Gs: source region, 30·hs long
  double middle = 0.7;    ///< Gm: middle region
  double receiver = 0.7;  ///< Gr: receiver region, 30·hr long
};

/// Pure-tone atmospheric absorption coefficient α of ISO 9613-1 (pressure term kept).
/// @return α in dB/km
/// @throws InvalidInput if frequency_hz <= 0, temperature_c <= −273.15, humidity_pct outside
///         [0, 100], pressure_kpa <= 0, or any of them is not finite
double atmospheric_absorption(double frequency_hz, double temperature_c, double humidity_pct,
                              double pressure_kpa = 101.325);

/// Ground attenuation Agr = As + Ar + Am of the ISO 9613-2 general method (7.3.1, Table 3), per
/// octave band; negative values are a gain. q = 0 if dp <= 30(hs + hr), else 1 − 30(hs + hr)/dp.
/// @param source_height_m hs >= 0, @param receiver_height_m hr >= 0 (above flat ground)
/// @param ground_distance_m dp >= 0, distance projected on the ground plane
/// @return Agr per band, dB
/// @throws InvalidInput for a negative or non-finite height/distance or a G outside [0, 1]
Bands ground_attenuation(double source_height_m, double receiver_height_m, double ground_distance_m, const GroundG& g);

/// Octave-band levels at a receiver from a point source of sound power Lw, ISO 9613-2 Eq. 3
/// with Dc = 0, downwind, no barrier: Lp_j = Lw_j − (20·lg(d / 1 m) + 11) − α_j·d/1000 − Agr_j,
/// d the 3-D distance (clamped to k_min_distance_m), Agr with dp the ground-projected distance,
/// hs = source.z(), hr = receiver.z().
/// @param lw_db sound power level per band, dB re 1 pW (−inf allowed: no energy in that band)
/// @param source, receiver x, y, z in metres (z = height above flat ground, >= 0)
/// @return Lp per band, dB
/// @throws InvalidInput for NaN/+inf levels, non-finite coordinates, negative heights, bad G/air
Bands point_source_levels(const Bands& lw_db, const Eigen::Vector3d& source, const Eigen::Vector3d& receiver,
                          const GroundG& g, const Air& air);

/// A-weighted total LA = 10·lg Σ_j 10^((L_j + Af_j)/10); −inf bands contribute nothing.
/// @return dB(A); −inf if every band is −inf
double a_weighted(const Bands& levels_db) noexcept;

/// One loudspeaker horn (a cluster is several horns on one pole; energies add).
struct Horn {
  double power_w = 30.0;          ///< power tap P, W (> 0)
  double sensitivity_db = 110.0;  ///< S, dB SPL at 1 W / 1 m on axis
  double height_m = 8.0;          ///< mounting height above ground, m (>= 0)
  double azimuth_deg =
      std::numeric_limits<double>::quiet_NaN();  ///< axis, clockwise from grid north; NaN = omnidirectional
  double beamwidth_deg = 90.0;                   ///< full −6 dB beam width, degrees in (0, 360]
};

/// The listener and the acoustic environment of a reach question.
struct Listening {
  double receiver_height_m = 1.5;  ///< ear height above ground, m (>= 0)
  double ambient_dba = 45.0;       ///< ambient noise, dB(A)
  double required_snr_db = 10.0;   ///< speech must exceed ambient by this much, dB
  double facade_loss_db = 0.0;     ///< loss of a facade for listeners indoors, dB (>= 0)
  GroundG ground;                  ///< ground factor per region
};

/// The one reach rule of the engine: speech reaches a listener iff its energy is at least that of
/// the threshold level ambient + required SNR (facade loss is already in the level). Household
/// coverage, cluster counts, rasters, new speakers, audible_range, metadata and the report all
/// decide through it, so a cluster audible on its own always means its household is reached.
class ReachRule {
 public:
  explicit ReachRule(const Listening& listening) noexcept
      : m_threshold_dba(listening.ambient_dba + listening.required_snr_db),
        m_threshold_energy(energy(m_threshold_dba)),
        m_snr_ratio(energy(listening.required_snr_db)) {}
  /// ambient + required SNR, dB(A)
  double threshold_dba() const noexcept { return m_threshold_dba; }
  /// 10^(threshold / 10)
  double threshold_energy() const noexcept { return m_threshold_energy; }
  /// Energy of a level, 10^(L/10); 0 for −inf (or NaN).
  static double energy(double level_dba) noexcept;
  /// Level of an energy, 10·lg E; −inf for 0.
  static double level(double energy) noexcept;
  bool reaches_energy(double energy) const noexcept { return energy >= m_threshold_energy; }
  bool reaches(double level_dba) const noexcept { return reaches_energy(energy(level_dba)); }
  /// With echoes: useful energy U against detrimental energy D plus the ambient N,
  /// 10·lg(U / (D + N)) ≥ required SNR, i.e. U ≥ threshold energy + 10^(SNR/10)·D. Equals
  /// reaches_energy(U) when D = 0.
  bool reaches_energy(double useful, double detrimental) const noexcept {
    return detrimental > 0.0 ? useful >= m_threshold_energy + m_snr_ratio * detrimental : reaches_energy(useful);
  }

 private:
  double m_threshold_dba = 0, m_threshold_energy = 0, m_snr_ratio = 1;
};

/// Generic, frequency-independent horn directivity D(θ) = −6·(θ/(bw/2))² dB, θ in [0°, 180°] the
/// angle between bearing and azimuth, floored at k_back_radiation_db (−20 dB). 0 on axis, −6 dB at
/// half the beamwidth; 0 everywhere for an omnidirectional horn (azimuth NaN) and for a NaN
/// bearing (listener directly under the horn). Frequency-dependent polar data are not modelled.
/// @param bearing_deg direction from horn to listener, degrees clockwise from grid north
/// @return D(θ) in dB, in [k_back_radiation_db, 0]
/// @throws InvalidInput if beamwidth_deg is not in (0, 360]
double directivity_db(const Horn& horn, double bearing_deg);

/// Speech level per octave band at a listener (ACOUSTICS.md "Per band, per horn"):
/// Lp_j = S + 10·lg P − 6 + Speech_j + D(θ) − 20·lg(d/1 m) − α_j·d/1000 − Agr_j − Afacade,
/// d = 3-D distance from the horn (height_m) to the receiver (receiver_height_m), clamped to
/// k_min_distance_m; Agr with dp = ground_distance_m and l.ground. Band 0 (63 Hz) is −inf.
/// @return Lp per band, dB
/// @throws InvalidInput for invalid horn, listener or air parameters or a negative distance
Bands horn_band_levels(const Horn& horn, double ground_distance_m, double bearing_deg, const Listening& l,
                       const Air& air);

/// A-weighted speech level of one horn at a listener: a_weighted(horn_band_levels(...)), dB(A),
/// evaluated directly (no table).
/// @throws InvalidInput as horn_band_levels
double horn_level_dba(const Horn& horn, double ground_distance_m, double bearing_deg, const Listening& l,
                      const Air& air);

/// On-axis audible range: the farthest ground distance in [0, max_m] at which the A-weighted
/// speech level still satisfies LA − ambient_dba >= required_snr_db. The level is sampled on a
/// grid (1 m, coarser for max_m > 10 km) and the last crossing is refined by bisection to
/// 1 mm, so a non-monotone level near the pole cannot cut the range short.
/// @return range in m; max_m if the horn is still heard at max_m; 0 if not even at the pole.
///         Ranges beyond k_validity_limit_m are outside ISO 9613-2 (see beyond_validity).
/// @throws InvalidInput for invalid parameters or max_m not finite and > 0
double audible_range(const Horn& horn, const Listening& l, const Air& air, double max_m = 5000.0);

/// Precomputed on-axis A-weighted speech level vs ground distance for one horn type (power,
/// sensitivity, height; its azimuth and beamwidth are ignored) under given air, ground and
/// listener (facade loss included) — the fast path used for every household and raster cell.
/// Linear interpolation on a step_m grid, with a 100 times finer grid over the first 20 steps
/// where the level curves fastest (and has a kink where the 3-D distance reaches
/// k_min_distance_m); agrees with horn_level_dba to ~0.003 dB beyond 20 steps and ~0.02·step_m dB
/// near the pole (step_m in m).
class LevelTable {
 public:
  /// Samples the level from 0 to max_distance_m.
  /// @throws InvalidInput for invalid parameters, max_distance_m or step_m not finite and > 0,
  ///         or more than 10^8 samples
  LevelTable(const Horn& horn, const Listening& l, const Air& air, double max_distance_m, double step_m = 1.0);

  /// On-axis level at a ground distance, dB(A), interpolated; −inf beyond max_distance_m (and
  /// for NaN); negative distances count as 0. A few ns: no exp/log.
  double level_dba(double ground_distance_m) const noexcept;
  /// Level off axis: the on-axis level plus directivity_db (from infogap::directivity_db).
  double level_dba(double ground_distance_m, double directivity_db) const noexcept {
    return level_dba(ground_distance_m) + directivity_db;
  }
  /// Largest tabulated distance, m.
  double max_distance_m() const noexcept { return m_max_m; }
  /// Grid step of the table beyond the fine near-source part, m.
  double step_m() const noexcept { return m_step_m; }
  /// Farthest distance (on axis) with interpolated level >= threshold_dba, m; max_distance_m if
  /// the level is still above threshold there; 0 if it is below threshold even at distance 0.
  double reach_m(double threshold_dba) const noexcept;
  /// True when the distance is beyond the ~1 km validity of ISO 9613-2.
  static constexpr bool beyond_validity(double ground_distance_m) noexcept {
    return infogap::beyond_validity(ground_distance_m);
  }

 private:
  double m_max_m = 0.0;
  double m_step_m = 1.0;
  double m_inv_step = 1.0;
  double m_near_m = 0.0;  ///< the fine grid covers [0, m_near_m)
  double m_inv_fine_step = 100.0;
  std::vector<double> m_coarse;  ///< level at i·step_m, i = 0 … ceil(max/step)
  std::vector<double> m_fine;    ///< level at k·step_m/100, k = 0 … 100·20
};

inline double LevelTable::level_dba(double ground_distance_m) const noexcept {
  if (!(ground_distance_m <= m_max_m)) return -std::numeric_limits<double>::infinity();
  const double d = std::max(ground_distance_m, 0.0);
  const bool near = d < m_near_m;
  const double x = d * (near ? m_inv_fine_step : m_inv_step);
  const std::vector<double>& v = near ? m_fine : m_coarse;
  const std::size_t i = std::min(static_cast<std::size_t>(x), v.size() - 2);
  const double t = x - static_cast<double>(i);
  return v[i] + t * (v[i + 1] - v[i]);
}

/// @}

}  // namespace infogap
