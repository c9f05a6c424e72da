#include "acoustics/speaker_field.hpp"

#include <utility>

#include <cmath>
#include <limits>
#include <tuple>

namespace infogap {

void assign_clusters(Speakers& sp) {
  std::map<std::pair<bool, std::string>, std::int32_t> index;
  sp.cluster_index.assign(sp.size(), -1);
  for (std::size_t h = 0; h < sp.size(); ++h) {
    const bool own = h >= sp.cluster.size() || sp.cluster[h].empty();
    auto key = std::make_pair(own, own ? sp.id[h] : sp.cluster[h]);
    const auto it = index.emplace(std::move(key), static_cast<std::int32_t>(index.size())).first;
    sp.cluster_index[h] = it->second;
  }
  sp.clusters = index.size();
}

double ReachRule::energy(double level_dba) noexcept {
  return level_dba > -std::numeric_limits<double>::infinity() ? std::pow(10.0, level_dba / 10.0) : 0.0;
}

double ReachRule::level(double energy) noexcept {
  return energy > 0.0 ? 10.0 * std::log10(energy) : -std::numeric_limits<double>::infinity();
}

}  // namespace infogap

namespace infogap::detail {

Listening listening_of(const AcousticsParams& a) {
  Listening l;
  l.receiver_height_m = a.receiver_height_m;
  l.ambient_dba = a.ambient_dba;
  l.required_snr_db = a.required_snr_db;
  l.facade_loss_db = a.facade_loss_db;
  l.ground = GroundG{a.ground_g, a.ground_g, a.ground_g};
  return l;
}

Air air_of(const AcousticsParams& a) {
  return Air{a.temperature_c, a.humidity_pct, a.pressure_kpa};
}

SpeakerField::SpeakerField(const Scenario& sc, const Speakers& sp)
    : m_rule(listening_of(sc.acoustics)),
      m_listening(listening_of(sc.acoustics)),
      m_air(air_of(sc.acoustics)),
      m_speakers(&sp) {
  const std::size_t n = sp.size();
  m_radius = sc.speakers && sc.speakers->model == SpeakerModel::radius;
  m_horns.resize(n);
  m_aim.resize(n);
  m_table_of.assign(n, nullptr);
  m_cutoff.assign(n, 0.0);
  m_range.assign(n, 0.0);
  // Clusters as the loader assigned them (inputs built by hand get the same rule here).
  if (sp.cluster_index.size() == n) {
    m_cluster_of = sp.cluster_index;
    m_cluster_members.resize(sp.clusters);
  } else {
    Speakers copy;
    copy.id = sp.id;
    copy.cluster = sp.cluster;
    infogap::assign_clusters(copy);
    m_cluster_of = std::move(copy.cluster_index);
    m_cluster_members.resize(copy.clusters);
  }
  for (std::size_t h = 0; h < n; ++h)
    m_cluster_members[static_cast<std::size_t>(m_cluster_of[h])].push_back(static_cast<std::int32_t>(h));
  const Listening& listening = m_listening;
  const Air& air = m_air;
  const double threshold = m_rule.threshold_dba();
  m_sound_speed_m_s = 331.3 * std::sqrt(1.0 + air.temperature_c / 273.15);
  std::map<std::tuple<double, double, double>, const LevelTable*> by_type;
  for (std::size_t h = 0; h < n; ++h) {
    const auto e = static_cast<Eigen::Index>(h);
    if (m_radius) {
      m_cutoff[h] = m_range[h] = sp.range_m[e];
    } else {
      Horn& horn = m_horns[h];
      horn.power_w = sp.power_w[e];
      horn.sensitivity_db = sp.sensitivity_db[e];
      horn.height_m = sp.height_m[e];
      horn.azimuth_deg = sp.azimuth_deg[e];
      horn.beamwidth_deg = sp.beamwidth_deg[e];
      if (!std::isnan(horn.azimuth_deg)) {
        (void)directivity_db(horn, 0.0);  // validates the beamwidth (throws InvalidInput)
        constexpr double k_rad = 0.017453292519943295;
        Aim& a = m_aim[h];
        a.directional = true;
        a.east = std::sin(horn.azimuth_deg * k_rad);
        a.north = std::cos(horn.azimuth_deg * k_rad);
        const double half_beam = 0.5 * horn.beamwidth_deg * k_rad;
        a.inv_half_beam_rad = 1.0 / half_beam;
        // −6·(θ/half)² reaches the floor at θ = half·√(floor/−6); beyond π it never does.
        const double floor_angle = half_beam * std::sqrt(k_back_radiation_db / -6.0);
        a.floor_cos = floor_angle < 3.141592653589793 ? std::cos(floor_angle) : -2.0;
      }
      const auto key = std::make_tuple(horn.power_w, horn.sensitivity_db, horn.height_m);
      auto it = by_type.find(key);
      if (it == by_type.end()) {
        m_tables.push_back(std::make_unique<LevelTable>(horn, listening, air, k_max_distance_m, 1.0));
        it = by_type.emplace(key, m_tables.back().get()).first;
      }
      m_table_of[h] = it->second;
      m_cutoff[h] = it->second->max_distance_m();
      m_range[h] = it->second->reach_m(threshold);
    }
    m_max_cutoff = std::max(m_max_cutoff, m_cutoff[h]);
  }
}

LevelTable SpeakerField::table_for(const Horn& horn) const {
  return LevelTable(horn, m_listening, m_air, k_max_distance_m, 1.0);
}

double SpeakerField::level_dba(std::size_t horn, double x, double y) const noexcept {
  const auto e = static_cast<Eigen::Index>(horn);
  const double dx = x - m_speakers->x_m[e], dy = y - m_speakers->y_m[e];
  const double d = std::sqrt(dx * dx + dy * dy);
  double directivity = 0.0;
  const Aim& a = m_aim[horn];
  if (a.directional) {
    // cos θ · d and sin θ · d between the bearing (dx, dy) and the axis; at the horn itself the
    // bearing is north (atan2(0, 0) = 0), as in directivity_db.
    const bool here = d == 0.0;
    const double ux = here ? 0.0 : dx, uy = here ? 1.0 : dy, len = here ? 1.0 : d;
    const double along = ux * a.east + uy * a.north;
    if (along < a.floor_cos * len) {
      directivity = k_back_radiation_db;
    } else {
      const double across = std::abs(ux * a.north - uy * a.east);
      const double t = std::atan2(across, along) * a.inv_half_beam_rad;
      directivity = std::max(-6.0 * t * t, k_back_radiation_db);
    }
  }
  return m_table_of[horn]->level_dba(d, directivity);
}

double SpeakerField::cluster_level_dba(std::size_t cluster, double x, double y) const noexcept {
  const auto& members = m_cluster_members[cluster];
  if (members.size() == 1) return level_dba(static_cast<std::size_t>(members.front()), x, y);
  constexpr double k_db_to_log2 = 0.33219280948873623, k_log2_to_db = 3.010299956639812;  // log2(10)/10
  float energy = 0.0f;
  for (const auto h : members) {
    const double l = level_dba(static_cast<std::size_t>(h), x, y);
    if (l > -std::numeric_limits<double>::infinity()) energy += std::exp2(static_cast<float>(l * k_db_to_log2));
  }
  return energy > 0.0f ? static_cast<double>(std::log2(energy)) * k_log2_to_db
                       : -std::numeric_limits<double>::infinity();
}

}  // namespace infogap::detail
