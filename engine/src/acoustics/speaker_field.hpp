#pragma once
// The acoustic (or radius) field of the existing loudspeakers: built once per run (by the facade)
// and shared by household coverage, the rasters and placement. Horns are grouped into clusters
// (poles) by Speakers::cluster_index. ReachRule is the one reach predicate of the engine.
#include <Eigen/Core>
#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "infogap/acoustics.hpp"
#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"

namespace infogap::detail {

/// Listening conditions and air of a scenario.
Listening listening_of(const AcousticsParams& a);
Air air_of(const AcousticsParams& a);

using infogap::ReachRule;

/// Whether a new cluster of energy `added` at a listener who already hears `existing` (the energy
/// sum of every existing horn) surely reaches it under a multi-cluster rule (placement's test of a
/// new speaker, a lower bound of what coverage then computes): energy_sum: existing + added
/// passes; u50: the new cluster alone is the useful energy and every existing arrival an echo,
/// added ≥ threshold + 10^(SNR/10)·existing (any existing arrival inside its window only adds to
/// U and takes from D); loudest: added passes alone.
inline bool new_cluster_reaches(const ReachRule& rule, MultiCluster multi, double existing, double added) noexcept {
  switch (multi) {
    case MultiCluster::energy_sum:
      return rule.reaches_energy(existing + added);
    case MultiCluster::u50:
      return rule.reaches_energy(added, existing);
    case MultiCluster::loudest:
      return rule.reaches_energy(added);
  }
  return false;
}

class SpeakerField {
 public:
  /// Placement searches a new speaker's households out to where its own level is this far below
  /// the threshold (existing energy makes up the rest). Household levels ignore no horn: every
  /// horn within the model's range (k_max_distance_m) enters the sum.
  static constexpr double k_energy_floor_db = 20.0;
  static constexpr double k_max_distance_m = 5000.0;

  SpeakerField(const Scenario& scenario, const Speakers& speakers);
  SpeakerField(const SpeakerField&) = delete;
  SpeakerField& operator=(const SpeakerField&) = delete;

  /// The run's reach rule.
  const ReachRule& rule() const noexcept { return m_rule; }
  /// A level table for another horn (a new speaker's template) under the run's air and listening
  /// conditions, to the same maximum distance as the existing horns'.
  LevelTable table_for(const Horn& horn) const;

  bool radius_model() const noexcept { return m_radius; }
  std::size_t horns() const noexcept { return m_cluster_of.size(); }
  std::size_t clusters() const noexcept { return m_cluster_members.size(); }
  std::int32_t cluster_of(std::size_t horn) const noexcept { return m_cluster_of[horn]; }
  const std::vector<std::int32_t>& cluster_members(std::size_t cluster) const { return m_cluster_members[cluster]; }
  /// ambient + required SNR, dB(A) (iso9613): rule().threshold_dba().
  double threshold_dba() const noexcept { return m_rule.threshold_dba(); }
  /// Farthest distance at which a horn may matter (iso9613: the model's range, k_max_distance_m,
  /// or nearer when the horn's level is -inf beyond; radius: range).
  double cutoff_m(std::size_t horn) const noexcept { return m_cutoff[horn]; }
  double max_cutoff_m() const noexcept { return m_max_cutoff; }
  /// On-axis audible range (iso9613) or range_m (radius).
  double range_m(std::size_t horn) const noexcept { return m_range[horn]; }
  /// On-axis distance where the horn's level falls below level_dba (iso9613), else range_m.
  double reach_m(std::size_t horn, double level_dba) const noexcept {
    return m_table_of[horn] ? m_table_of[horn]->reach_m(level_dba) : m_range[horn];
  }
  /// A-weighted speech level of a horn at (x, y), dB(A); -inf beyond its table. iso9613 only.
  /// Equals table level + infogap::directivity_db(horn, bearing) with bearing = atan2(dx, dy) (0
  /// at the horn itself), computed from the angle to the horn's axis without degrees or fmod, and
  /// without atan2 where the angle is wide enough for the back-radiation floor.
  double level_dba(std::size_t horn, double x, double y) const noexcept;
  /// Energy sum of the levels of a cluster's horns at (x, y), dB(A); -inf if none reaches.
  /// A one-horn cluster returns that horn's level; otherwise the sum runs in single precision
  /// (relative error ~1e-7, i.e. < 1e-6 dB). iso9613 only.
  double cluster_level_dba(std::size_t cluster, double x, double y) const noexcept;
  /// Arrival time of a horn's speech at a listener d2 = (ground distance)² away: slant path from
  /// the horn's height to the receiver height over the speed of sound at the scenario temperature,
  /// c = 331.3·√(1 + T/273.15) m/s. iso9613 only.
  double arrival_s(std::size_t horn, double d2) const noexcept {
    const double dh = m_horns[horn].height_m - m_listening.receiver_height_m;
    return std::sqrt(d2 + dh * dh) / m_sound_speed_m_s;
  }

 private:
  bool m_radius = false;
  ReachRule m_rule;
  Listening m_listening;
  Air m_air;
  double m_max_cutoff = 0, m_sound_speed_m_s = 343.0;
  const Speakers* m_speakers = nullptr;
  std::vector<Horn> m_horns;
  /// Per horn: the axis as a unit vector (east, north), 1 / half beamwidth in radians, and the
  /// cosine of the angle beyond which the directivity is the back-radiation floor.
  struct Aim {
    bool directional = false;
    double east = 0, north = 1, inv_half_beam_rad = 0, floor_cos = -2;
  };
  std::vector<Aim> m_aim;
  std::vector<const LevelTable*> m_table_of;
  std::vector<double> m_cutoff, m_range;
  std::vector<std::int32_t> m_cluster_of;
  std::vector<std::vector<std::int32_t>> m_cluster_members;
  std::vector<std::unique_ptr<LevelTable>> m_tables;
};

}  // namespace infogap::detail
