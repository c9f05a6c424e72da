// Horn directivity, speech level of a horn at a listener, audible range and the level table.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include "acoustics/propagation.hpp"
#include "infogap/acoustics.hpp"
#include "infogap/error.hpp"

namespace infogap {
namespace detail {

void check_horn(const Horn& horn) {
  require(std::isfinite(horn.power_w) && horn.power_w > 0.0, "power_w", "finite and > 0 W", horn.power_w);
  require(std::isfinite(horn.sensitivity_db), "sensitivity_db", "finite (dB SPL at 1 W / 1 m)", horn.sensitivity_db);
  require(std::isfinite(horn.height_m) && horn.height_m >= 0.0, "height_m", "finite and >= 0 m", horn.height_m);
  require(!std::isinf(horn.azimuth_deg), "azimuth_deg", "finite degrees or NaN (omnidirectional)", horn.azimuth_deg);
  require(horn.beamwidth_deg > 0.0 && horn.beamwidth_deg <= 360.0, "beamwidth_deg", "in (0, 360] degrees",
          horn.beamwidth_deg);
}

void check_listening(const Listening& l) {
  require(std::isfinite(l.receiver_height_m) && l.receiver_height_m >= 0.0, "receiver_height_m", "finite and >= 0 m",
          l.receiver_height_m);
  require(std::isfinite(l.ambient_dba), "ambient_dba", "finite", l.ambient_dba);
  require(std::isfinite(l.required_snr_db), "required_snr_db", "finite", l.required_snr_db);
  require(std::isfinite(l.facade_loss_db) && l.facade_loss_db >= 0.0, "facade_loss_db", "finite and >= 0 dB",
          l.facade_loss_db);
  check_ground(l.ground);
}

HornPath::HornPath(const Horn& horn, const Listening& l, const Air& air) noexcept
    : m_alpha_db_per_m(absorption_db_per_m(air)),
      m_height_difference_m(horn.height_m - l.receiver_height_m),
      m_ground(horn.height_m, l.receiver_height_m, l.ground) {
  const double rated_db = horn.sensitivity_db + 10.0 * std::log10(horn.power_w) - k_speech_headroom_db;
  for (std::size_t j = 0; j < m_base_db.size(); ++j) {
    m_base_db[j] = rated_db + k_speech_spectrum_db[j] - l.facade_loss_db;
  }
}

Bands HornPath::band_levels(double ground_distance_m, double directivity_db) const noexcept {
  const double d = std::max(std::hypot(ground_distance_m, m_height_difference_m), k_min_distance_m);
  const double divergence = 20.0 * std::log10(d);
  const Bands agr = m_ground.at(ground_distance_m);
  Bands lp{};
  for (std::size_t j = 0; j < lp.size(); ++j) {
    lp[j] = m_base_db[j] + directivity_db - divergence - m_alpha_db_per_m[j] * d - agr[j];
  }
  return lp;
}

double HornPath::level_dba(double ground_distance_m, double directivity_db) const noexcept {
  return a_weighted(band_levels(ground_distance_m, directivity_db));
}

}  // namespace detail

double directivity_db(const Horn& horn, double bearing_deg) {
  detail::require(horn.beamwidth_deg > 0.0 && horn.beamwidth_deg <= 360.0, "beamwidth_deg", "in (0, 360] degrees",
                  horn.beamwidth_deg);
  if (std::isnan(horn.azimuth_deg) || std::isnan(bearing_deg)) return 0.0;
  double theta = std::fmod(std::abs(bearing_deg - horn.azimuth_deg), 360.0);  // [0, 360)
  if (theta > 180.0) theta = 360.0 - theta;                                   // [0, 180]
  const double x = theta / (0.5 * horn.beamwidth_deg);
  return std::max(-6.0 * x * x, k_back_radiation_db);
}

Bands horn_band_levels(const Horn& horn, double ground_distance_m, double bearing_deg, const Listening& l,
                       const Air& air) {
  detail::check_horn(horn);
  detail::check_listening(l);
  detail::check_air(air);
  detail::require(std::isfinite(ground_distance_m) && ground_distance_m >= 0.0, "ground_distance_m",
                  "finite and >= 0 m", ground_distance_m);
  return detail::HornPath(horn, l, air).band_levels(ground_distance_m, directivity_db(horn, bearing_deg));
}

double horn_level_dba(const Horn& horn, double ground_distance_m, double bearing_deg, const Listening& l,
                      const Air& air) {
  return a_weighted(horn_band_levels(horn, ground_distance_m, bearing_deg, l, air));
}

double audible_range(const Horn& horn, const Listening& l, const Air& air, double max_m) {
  detail::check_horn(horn);
  detail::check_listening(l);
  detail::check_air(air);
  detail::require(std::isfinite(max_m) && max_m > 0.0, "max_m", "finite and > 0 m", max_m);

  const detail::HornPath path(horn, l, air);
  const ReachRule rule(l);
  const auto heard = [&](double d) { return rule.reaches(path.level_dba(d, 0.0)); };

  // Farthest grid point still heard, scanning outwards over the whole interval.
  const double step = std::max(1.0, max_m / 10000.0);
  const auto n = static_cast<std::size_t>(std::ceil(max_m / step));
  double last_heard = -1.0;
  for (std::size_t i = 0; i <= n; ++i) {
    const double d = std::min(static_cast<double>(i) * step, max_m);
    if (heard(d)) last_heard = d;
  }
  if (last_heard < 0.0) return 0.0;
  if (last_heard >= max_m) return max_m;
  // Bisection between the last heard grid point and the next one (not heard).
  double lo = last_heard;
  double hi = std::min(last_heard + step, max_m);
  while (hi - lo > 1e-3) {
    const double mid = 0.5 * (lo + hi);
    (heard(mid) ? lo : hi) = mid;
  }
  return lo;
}

namespace {
constexpr std::size_t k_fine_per_step = 100;  // fine grid: step/100 (the 1 m distance floor is a kink)
constexpr std::size_t k_fine_steps = 20;      // … over the first 20 coarse steps
constexpr double k_max_samples = 1e8;

/// Farthest distance with the piecewise-linear level (samples v at i·step, i·step <= limit) >=
/// threshold; -1 if no sample is.
double last_crossing(const std::vector<double>& v, double step, double limit, double threshold) noexcept {
  std::size_t last = v.size();
  for (std::size_t i = v.size(); i-- > 0;) {
    if (static_cast<double>(i) * step <= limit && v[i] >= threshold) {
      last = i;
      break;
    }
  }
  if (last == v.size()) return -1.0;
  const double d = static_cast<double>(last) * step;
  // Past the last sample, or the next sample lies beyond the limit and is still heard.
  if (last + 1 == v.size() || d >= limit || v[last + 1] >= threshold) return limit;
  const double t = (v[last] - threshold) / (v[last] - v[last + 1]);  // v[last+1] < threshold <= v[last]
  return std::min((static_cast<double>(last) + t) * step, limit);
}
}  // namespace

LevelTable::LevelTable(const Horn& horn, const Listening& l, const Air& air, double max_distance_m, double step_m) {
  detail::check_horn(horn);
  detail::check_listening(l);
  detail::check_air(air);
  detail::require(std::isfinite(max_distance_m) && max_distance_m > 0.0, "max_distance_m", "finite and > 0 m",
                  max_distance_m);
  detail::require(std::isfinite(step_m) && step_m > 0.0, "step_m", "finite and > 0 m", step_m);
  detail::require(max_distance_m / step_m <= k_max_samples, "max_distance_m / step_m", "at most 1e8 samples",
                  max_distance_m / step_m);

  m_max_m = max_distance_m;
  m_step_m = step_m;
  m_inv_step = 1.0 / step_m;
  m_near_m = static_cast<double>(k_fine_steps) * step_m;
  const double fine_step = step_m / static_cast<double>(k_fine_per_step);
  m_inv_fine_step = 1.0 / fine_step;

  const detail::HornPath path(horn, l, air);
  const auto n = static_cast<std::size_t>(std::ceil(max_distance_m / step_m)) + 1;
  m_coarse.resize(std::max<std::size_t>(n, 2));
  for (std::size_t i = 0; i < m_coarse.size(); ++i) m_coarse[i] = path.level_dba(static_cast<double>(i) * step_m, 0.0);
  m_fine.resize(k_fine_steps * k_fine_per_step + 1);
  for (std::size_t k = 0; k < m_fine.size(); ++k) m_fine[k] = path.level_dba(static_cast<double>(k) * fine_step, 0.0);
}

double LevelTable::reach_m(double threshold_dba) const noexcept {
  // level_dba uses the fine samples below m_near_m and the coarse ones from there on.
  const double coarse = last_crossing(m_coarse, m_step_m, m_max_m, threshold_dba);
  if (coarse >= m_near_m) return coarse;
  const double limit = std::min(m_near_m, m_max_m);
  const double fine = last_crossing(m_fine, 1.0 / m_inv_fine_step, limit, threshold_dba);
  return std::max(fine, 0.0);
}

}  // namespace infogap
