#pragma once
// The acoustic (or radius) field of the existing loudspeakers: built once per run (by the facade)
// and shared by household coverage, the rasters and placement. Horns are grouped into clusters
// (poles) by Speakers::cluster_index. ReachRule is the one reach predicate of the engine.
#include <Eigen/Core>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
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

class SpeakerField {
 public:
  /// Household levels ignore no horn: every horn within the model's range enters the sum.
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
  double arrival_s(std::size_t horn, double d2) const noexcept { return arrival_s(m_horns[horn], d2); }
  /// The same for any horn (a new pole's template): its height, this field's receiver height and air.
  double arrival_s(const Horn& horn, double d2) const noexcept {
    const double dh = horn.height_m - m_listening.receiver_height_m;
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

/// Speech arriving within this time of the useful window's first arrival adds to it (U50).
inline constexpr double k_u50_window_s = 0.050;

/// One cluster's speech at a listener: when it arrives and its energy (10^(L/10)).
struct Arrival {
  double time_s = 0.0, energy = 0.0;
  bool operator<(const Arrival& o) const noexcept { return time_s != o.time_s ? time_s < o.time_s : energy < o.energy; }
};

/// U50's useful energy of arrivals sorted by time: the 50 ms window (from an arrival) holding the
/// most energy. The one home of the window, for coverage and for placement's new poles.
inline double u50_useful(const Arrival* sorted, std::size_t n) noexcept {
  double useful = 0.0, window = 0.0;
  std::size_t end = 0;
  for (std::size_t start = 0; start < n; ++start) {
    while (end < n && sorted[end].time_s <= sorted[start].time_s + k_u50_window_s) window += sorted[end++].energy;
    useful = std::max(useful, window);
    window -= sorted[start].energy;
  }
  return useful;
}

/// What a listener hears of a field's clusters: the energy of every horn (total), the U50 useful
/// energy, the loudest cluster's, the clusters audible on their own, the loudest horn, and each
/// cluster's arrival (sorted by time).
struct Heard {
  std::vector<Arrival> arrivals;
  double total = 0.0, useful = 0.0, loudest = 0.0, best_level = -std::numeric_limits<double>::infinity();
  std::int32_t audible = 0, best = -1;
};

/// The decision of each multi-cluster rule (indexed by MultiCluster) on what a listener hears,
/// energies scaled by `scale` (a listening condition's extra facade loss: a common factor, which
/// leaves the U50 window holding the most energy unchanged).
inline std::array<bool, 3> decide_rules(double total, double useful, double loudest, const ReachRule& rule,
                                        double scale) noexcept {
  static_assert(static_cast<int>(MultiCluster::u50) == 0 && static_cast<int>(MultiCluster::energy_sum) == 1 &&
                static_cast<int>(MultiCluster::loudest) == 2);
  return {rule.reaches_energy(scale * useful, scale * std::max(0.0, total - useful)),
          rule.reaches_energy(scale * total), rule.reaches_energy(scale * loudest)};
}
inline std::array<bool, 3> decide_rules(const Heard& h, const ReachRule& rule, double scale) noexcept {
  return decide_rules(h.total, h.useful, h.loudest, rule, scale);
}

/// Whether a listener who hears `h` is reached under `multi` once a new cluster arrives with
/// `added` (energy already scaled like the condition's, time from the field's arrival_s): the
/// rule coverage applies, on the existing arrivals plus the new one. `scratch` is reused storage.
inline bool reaches_with(const Heard& h, const Arrival& added, const ReachRule& rule, MultiCluster multi, double scale,
                         std::vector<Arrival>& scratch) {
  const double e = added.energy / scale;  // in the field's energy terms
  double useful = h.total + e;
  if (multi == MultiCluster::u50 && !h.arrivals.empty()) {
    scratch.assign(h.arrivals.begin(), h.arrivals.end());
    scratch.insert(std::upper_bound(scratch.begin(), scratch.end(), Arrival{added.time_s, e}),
                   Arrival{added.time_s, e});
    useful = u50_useful(scratch.data(), scratch.size());
  }
  return decide_rules(h.total + e, useful, std::max(h.loudest, e), rule, scale)[static_cast<std::size_t>(multi)];
}

/// Hears a field at listeners, one after another (per-thread scratch: one per cluster).
class ClusterHearing {
 public:
  explicit ClusterHearing(const SpeakerField& f)
      : m_field(&f), m_energy(f.clusters(), 0.0), m_arrival(f.clusters(), std::numeric_limits<double>::infinity()) {}
  const SpeakerField& field() const noexcept { return *m_field; }
  /// Every horn within its cutoff of (qx, qy) found through `grid` (a PointGrid over the field's
  /// horns: for_each_within(x, y, r, fn(horn, d2))): energies summed per cluster, each cluster's
  /// arrival its earliest horn's; U50's window over the sorted arrivals (useful = total when one
  /// cluster or none is heard).
  template <class Grid>
  void hear(const Grid& grid, double qx, double qy, Heard& got) {
    const SpeakerField& f = *m_field;
    got.total = got.useful = got.loudest = 0.0;
    got.best_level = -std::numeric_limits<double>::infinity();
    got.audible = 0;
    got.best = -1;
    got.arrivals.clear();
    m_touched.clear();
    grid.for_each_within(qx, qy, f.max_cutoff_m(), [&](std::uint32_t h, double d2) {
      if (d2 > f.cutoff_m(h) * f.cutoff_m(h)) return;
      const double level = f.level_dba(h, qx, qy);
      if (!(level > -std::numeric_limits<double>::infinity())) return;
      const double energy = ReachRule::energy(level);
      got.total += energy;
      const auto c = static_cast<std::size_t>(f.cluster_of(h));
      if (m_energy[c] == 0.0) m_touched.push_back(f.cluster_of(h));
      m_energy[c] += energy;
      m_arrival[c] = std::min(m_arrival[c], f.arrival_s(h, d2));
      if (level > got.best_level || (level == got.best_level && static_cast<std::int32_t>(h) < got.best)) {
        got.best_level = level;
        got.best = static_cast<std::int32_t>(h);
      }
    });
    for (auto c : m_touched) {
      const auto k = static_cast<std::size_t>(c);
      if (f.rule().reaches_energy(m_energy[k])) ++got.audible;
      got.loudest = std::max(got.loudest, m_energy[k]);
      got.arrivals.push_back({m_arrival[k], m_energy[k]});
      m_energy[k] = 0.0;
      m_arrival[k] = std::numeric_limits<double>::infinity();
    }
    std::sort(got.arrivals.begin(), got.arrivals.end());
    got.useful = got.arrivals.size() > 1 ? u50_useful(got.arrivals.data(), got.arrivals.size()) : got.total;
  }

 private:
  const SpeakerField* m_field;
  std::vector<double> m_energy, m_arrival;
  std::vector<std::int32_t> m_touched;
};

}  // namespace infogap::detail
