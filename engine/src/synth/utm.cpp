#include "synth/utm.hpp"

#include <cmath>
#include <numbers>

namespace infogap::detail::synth {

namespace {

// WGS 84 and UTM constants; series after Karney (2011), "Transverse Mercator with an accuracy of a
// few nanometres", eqs. 35–36 truncated at n⁴.
constexpr double k_a = 6378137.0;
constexpr double k_f = 1.0 / 298.257223563;
constexpr double k_k0 = 0.9996;
constexpr double k_false_easting = 500000.0;
constexpr double k_n = k_f / (2.0 - k_f);
constexpr double k_n2 = k_n * k_n;
constexpr double k_n3 = k_n2 * k_n;
constexpr double k_n4 = k_n3 * k_n;
constexpr double k_rect = k_a / (1.0 + k_n) * (1.0 + k_n2 / 4.0 + k_n4 / 64.0);  // A, rectifying radius
constexpr double k_alpha[4] = {k_n / 2.0 - 2.0 * k_n2 / 3.0 + 5.0 * k_n3 / 16.0 + 41.0 * k_n4 / 180.0,
                               13.0 * k_n2 / 48.0 - 3.0 * k_n3 / 5.0 + 557.0 * k_n4 / 1440.0,
                               61.0 * k_n3 / 240.0 - 103.0 * k_n4 / 140.0, 49561.0 * k_n4 / 161280.0};
constexpr double k_beta[4] = {k_n / 2.0 - 2.0 * k_n2 / 3.0 + 37.0 * k_n3 / 96.0 - k_n4 / 360.0,
                              k_n2 / 48.0 + k_n3 / 15.0 - 437.0 * k_n4 / 1440.0,
                              17.0 * k_n3 / 480.0 - 37.0 * k_n4 / 840.0, 4397.0 * k_n4 / 161280.0};
constexpr double k_delta[4] = {2.0 * k_n - 2.0 * k_n2 / 3.0 - 2.0 * k_n3 + 116.0 * k_n4 / 45.0,
                               7.0 * k_n2 / 3.0 - 8.0 * k_n3 / 5.0 - 227.0 * k_n4 / 45.0,
                               56.0 * k_n3 / 15.0 - 136.0 * k_n4 / 35.0, 4279.0 * k_n4 / 630.0};
constexpr double k_deg = std::numbers::pi / 180.0;

}  // namespace

void utm_forward(double lon_deg, double lat_deg, double& easting_m, double& northing_m, double lon0_deg) noexcept {
  const double phi = lat_deg * k_deg;
  const double dlambda = (lon_deg - lon0_deg) * k_deg;
  const double e2n = 2.0 * std::sqrt(k_n) / (1.0 + k_n);  // first eccentricity e
  const double sinphi = std::sin(phi);
  const double t = std::sinh(std::atanh(sinphi) - e2n * std::atanh(e2n * sinphi));
  const double xi_p = std::atan2(t, std::cos(dlambda));
  const double eta_p = std::atanh(std::sin(dlambda) / std::sqrt(1.0 + t * t));
  double xi = xi_p;
  double eta = eta_p;
  for (int j = 1; j <= 4; ++j) {
    const double a = k_alpha[j - 1];
    xi += a * std::sin(2.0 * j * xi_p) * std::cosh(2.0 * j * eta_p);
    eta += a * std::cos(2.0 * j * xi_p) * std::sinh(2.0 * j * eta_p);
  }
  easting_m = k_false_easting + k_k0 * k_rect * eta;
  northing_m = k_k0 * k_rect * xi;
}

void utm_inverse(double easting_m, double northing_m, double& lon_deg, double& lat_deg, double lon0_deg) noexcept {
  const double xi = northing_m / (k_k0 * k_rect);
  const double eta = (easting_m - k_false_easting) / (k_k0 * k_rect);
  double xi_p = xi;
  double eta_p = eta;
  for (int j = 1; j <= 4; ++j) {
    const double b = k_beta[j - 1];
    xi_p -= b * std::sin(2.0 * j * xi) * std::cosh(2.0 * j * eta);
    eta_p -= b * std::cos(2.0 * j * xi) * std::sinh(2.0 * j * eta);
  }
  const double chi = std::asin(std::sin(xi_p) / std::cosh(eta_p));
  double phi = chi;
  for (int j = 1; j <= 4; ++j) phi += k_delta[j - 1] * std::sin(2.0 * j * chi);
  lat_deg = phi / k_deg;
  lon_deg = lon0_deg + std::atan2(std::sinh(eta_p), std::cos(xi_p)) / k_deg;
}

}  // namespace infogap::detail::synth
