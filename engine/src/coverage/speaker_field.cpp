#include "coverage/speaker_field.hpp"

#include <cmath>
#include <tuple>

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

SpeakerField::SpeakerField(const Scenario& sc, const Speakers& sp) : m_speakers(&sp) {
  const std::size_t n = sp.size();
  m_radius = sc.speakers && sc.speakers->model == SpeakerModel::radius;
  m_threshold = sc.acoustics.ambient_dba + sc.acoustics.required_snr_db;
  m_horns.resize(n);
  m_table_of.assign(n, nullptr);
  m_cutoff.assign(n, 0.0);
  m_range.assign(n, 0.0);
  m_cluster_of.resize(n);
  std::map<std::string, std::int32_t> ids;
  for (std::size_t h = 0; h < n; ++h) {
    const std::string key = sp.cluster[h].empty() ? "\x01" + sp.id[h] : sp.cluster[h];
    auto [it, inserted] = ids.emplace(key, static_cast<std::int32_t>(ids.size()));
    if (inserted) m_cluster_members.emplace_back();
    m_cluster_of[h] = it->second;
    m_cluster_members[static_cast<std::size_t>(it->second)].push_back(static_cast<std::int32_t>(h));
  }
  const Listening listening = listening_of(sc.acoustics);
  const Air air = air_of(sc.acoustics);
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
      const auto key = std::make_tuple(horn.power_w, horn.sensitivity_db, horn.height_m);
      auto it = by_type.find(key);
      if (it == by_type.end()) {
        m_tables.push_back(std::make_unique<LevelTable>(horn, listening, air, k_max_distance_m, 1.0));
        it = by_type.emplace(key, m_tables.back().get()).first;
      }
      m_table_of[h] = it->second;
      m_cutoff[h] = it->second->reach_m(m_threshold - k_energy_floor_db);
      m_range[h] = it->second->reach_m(m_threshold);
    }
    m_max_cutoff = std::max(m_max_cutoff, m_cutoff[h]);
  }
}

double SpeakerField::level_dba(std::size_t horn, double x, double y) const noexcept {
  const auto e = static_cast<Eigen::Index>(horn);
  const double dx = x - m_speakers->x_m[e], dy = y - m_speakers->y_m[e];
  const double d = std::sqrt(dx * dx + dy * dy);
  double directivity = 0.0;
  const Horn& h = m_horns[horn];
  if (!std::isnan(h.azimuth_deg)) directivity = directivity_db(h, std::atan2(dx, dy) * 57.29577951308232);
  return m_table_of[horn]->level_dba(d, directivity);
}

}  // namespace infogap::detail
