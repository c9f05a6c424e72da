// ISO 9613-1 air absorption, ISO 9613-2 ground effect (general method) and the point-source
// band levels of ISO 9613-2 Eq. 3; A-weighting.
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "acoustics/propagation.hpp"
#include "infogap/acoustics.hpp"
#include "infogap/error.hpp"

namespace infogap {
namespace detail {

void require(bool ok, const char* name, const char* what, double value) {
  if (ok) return;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  throw InvalidInput(ErrorCode::invalid_input, std::string(name) + " must be " + what + ", got " + buf);
}

void check_air(const Air& air) {
  require(std::isfinite(air.temperature_c) && air.temperature_c > -273.15, "temperature_c",
          "a finite temperature above -273.15 °C", air.temperature_c);
  require(air.humidity_pct >= 0.0 && air.humidity_pct <= 100.0, "humidity_pct", "in [0, 100] %", air.humidity_pct);
  require(std::isfinite(air.pressure_kpa) && air.pressure_kpa > 0.0, "pressure_kpa", "finite and > 0 kPa",
          air.pressure_kpa);
}

void check_ground(const GroundG& g) {
  require(g.source >= 0.0 && g.source <= 1.0, "ground G (source region)", "in [0, 1]", g.source);
  require(g.middle >= 0.0 && g.middle <= 1.0, "ground G (middle region)", "in [0, 1]", g.middle);
  require(g.receiver >= 0.0 && g.receiver <= 1.0, "ground G (receiver region)", "in [0, 1]", g.receiver);
}

Bands absorption_db_per_m(const Air& air) {
  Bands alpha{};
  for (std::size_t j = 0; j < alpha.size(); ++j) {
    alpha[j] =
        atmospheric_absorption(k_octave_bands_hz[j], air.temperature_c, air.humidity_pct, air.pressure_kpa) / 1000.0;
  }
  return alpha;
}

GroundModel::End GroundModel::make_end(double h, double g) noexcept {
  End e;
  e.g = g;
  e.a_peak = 3.0 * std::exp(-0.12 * (h - 5.0) * (h - 5.0));
  e.a_far = 5.7 * std::exp(-0.09 * h * h);
  e.b = 8.6 * std::exp(-0.09 * h * h);
  e.c = 14.0 * std::exp(-0.46 * h * h);
  e.d = 5.0 * std::exp(-0.9 * h * h);
  return e;
}

GroundModel::GroundModel(double source_height_m, double receiver_height_m, const GroundG& g) noexcept
    : m_source(make_end(source_height_m, g.source)),
      m_receiver(make_end(receiver_height_m, g.receiver)),
      m_middle_g(g.middle),
      m_q_distance_m(30.0 * (source_height_m + receiver_height_m)) {}

// near50 = 1 − e^(−dp/50), far = 1 − e^(−2.8e−6·dp²) (ISO 9613-2 Table 3).
void GroundModel::add_end(const End& e, double near50, double far, Bands& out) noexcept {
  const double a = 1.5 + e.a_peak * near50 + e.a_far * far;
  const double b = 1.5 + e.b * near50;
  const double c = 1.5 + e.c * near50;
  const double d = 1.5 + e.d * near50;
  out[0] += -1.5;
  out[1] += -1.5 + e.g * a;
  out[2] += -1.5 + e.g * b;
  out[3] += -1.5 + e.g * c;
  out[4] += -1.5 + e.g * d;
  const double high = -1.5 * (1.0 - e.g);
  out[5] += high;
  out[6] += high;
  out[7] += high;
}

Bands GroundModel::at(double ground_distance_m) const noexcept {
  const double dp = ground_distance_m;
  const double near50 = 1.0 - std::exp(-dp / 50.0);
  const double far = 1.0 - std::exp(-2.8e-6 * dp * dp);
  Bands agr{};
  add_end(m_source, near50, far, agr);
  add_end(m_receiver, near50, far, agr);
  const double q = dp <= m_q_distance_m ? 0.0 : 1.0 - m_q_distance_m / dp;
  agr[0] += -3.0 * q;
  for (std::size_t j = 1; j < agr.size(); ++j) agr[j] += -3.0 * q * (1.0 - m_middle_g);
  return agr;
}

}  // namespace detail

double atmospheric_absorption(double frequency_hz, double temperature_c, double humidity_pct, double pressure_kpa) {
  detail::require(std::isfinite(frequency_hz) && frequency_hz > 0.0, "frequency_hz", "finite and > 0 Hz", frequency_hz);
  detail::check_air(Air{temperature_c, humidity_pct, pressure_kpa});

  constexpr double pr = 101.325;  // reference pressure, kPa
  constexpr double t0 = 293.15;   // reference temperature, K
  constexpr double t01 = 273.16;  // triple-point isotherm, K
  const double t = temperature_c + 273.15;
  const double pa = pressure_kpa;
  const double f2 = frequency_hz * frequency_hz;

  // Molar concentration of water vapour h (%), from the saturation vapour pressure.
  const double c = -6.8346 * std::pow(t01 / t, 1.261) + 4.6151;
  const double h = humidity_pct * std::pow(10.0, c) * (pr / pa);
  // Relaxation frequencies of oxygen and nitrogen, Hz.
  const double fr_o = (pa / pr) * (24.0 + 4.04e4 * h * (0.02 + h) / (0.391 + h));
  const double fr_n =
      (pa / pr) * std::pow(t / t0, -0.5) * (9.0 + 280.0 * h * std::exp(-4.170 * (std::pow(t / t0, -1.0 / 3.0) - 1.0)));

  const double alpha_db_per_m = 8.686 * f2 *
                                (1.84e-11 * (pr / pa) * std::sqrt(t / t0) +
                                 std::pow(t / t0, -2.5) * (0.01275 * std::exp(-2239.1 / t) / (fr_o + f2 / fr_o) +
                                                           0.1068 * std::exp(-3352.0 / t) / (fr_n + f2 / fr_n)));
  return alpha_db_per_m * 1000.0;
}

Bands ground_attenuation(double source_height_m, double receiver_height_m, double ground_distance_m, const GroundG& g) {
  detail::require(std::isfinite(source_height_m) && source_height_m >= 0.0, "source_height_m", "finite and >= 0 m",
                  source_height_m);
  detail::require(std::isfinite(receiver_height_m) && receiver_height_m >= 0.0, "receiver_height_m",
                  "finite and >= 0 m", receiver_height_m);
  detail::require(std::isfinite(ground_distance_m) && ground_distance_m >= 0.0, "ground_distance_m",
                  "finite and >= 0 m", ground_distance_m);
  detail::check_ground(g);
  return detail::GroundModel(source_height_m, receiver_height_m, g).at(ground_distance_m);
}

Bands point_source_levels(const Bands& lw_db, const Eigen::Vector3d& source, const Eigen::Vector3d& receiver,
                          const GroundG& g, const Air& air) {
  for (const double lw : lw_db) {
    detail::require(!std::isnan(lw) && lw < std::numeric_limits<double>::infinity(), "lw_db",
                    "a finite level (or -inf for an empty band)", lw);
  }
  detail::require(source.allFinite(), "source", "finite coordinates (x, y, z)", source.norm());
  detail::require(receiver.allFinite(), "receiver", "finite coordinates (x, y, z)", receiver.norm());
  detail::require(source.z() >= 0.0, "source height (z)", ">= 0 m", source.z());
  detail::require(receiver.z() >= 0.0, "receiver height (z)", ">= 0 m", receiver.z());
  detail::check_ground(g);
  detail::check_air(air);

  const double dp = (receiver.head<2>() - source.head<2>()).norm();
  const double d = std::max((receiver - source).norm(), k_min_distance_m);
  const double divergence = 20.0 * std::log10(d) + 11.0;  // ISO 9613-2 Eq. 7, d0 = 1 m
  const Bands alpha = detail::absorption_db_per_m(air);
  const Bands agr = detail::GroundModel(source.z(), receiver.z(), g).at(dp);
  Bands lp{};
  for (std::size_t j = 0; j < lp.size(); ++j) lp[j] = lw_db[j] - divergence - alpha[j] * d - agr[j];
  return lp;
}

double a_weighted(const Bands& levels_db) noexcept {
  double energy = 0.0;
  for (std::size_t j = 0; j < levels_db.size(); ++j)
    energy += std::pow(10.0, (levels_db[j] + k_a_weighting_db[j]) / 10.0);
  return 10.0 * std::log10(energy);
}

}  // namespace infogap
