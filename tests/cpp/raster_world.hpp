#pragma once
// Small geometry builders shared by the raster tests and the GIS sample (infogap_gis_sample).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

namespace infogap::test {

/// Little-endian ISO WKB of a polygon with one ring (closed here if it is not).
inline std::vector<std::uint8_t> polygon_wkb(std::vector<std::pair<double, double>> ring) {
  if (ring.front() != ring.back()) ring.push_back(ring.front());
  std::vector<std::uint8_t> out;
  auto put_u32 = [&out](std::uint32_t v) {
    for (int k = 0; k < 4; ++k) out.push_back(static_cast<std::uint8_t>((v >> (8 * k)) & 0xffu));
  };
  auto put_f64 = [&out](double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    for (int k = 0; k < 8; ++k) out.push_back(static_cast<std::uint8_t>((bits >> (8 * k)) & 0xffu));
  };
  out.push_back(1);  // little endian
  put_u32(3);        // Polygon
  put_u32(1);        // one ring
  put_u32(static_cast<std::uint32_t>(ring.size()));
  for (const auto& [x, y] : ring) {
    put_f64(x);
    put_f64(y);
  }
  return out;
}

/// Axis-aligned rectangle [x0, x1] × [y0, y1].
inline std::vector<std::uint8_t> rect_wkb(double x0, double y0, double x1, double y1) {
  return polygon_wkb({{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}});
}

/// Even-odd point-in-polygon test of one ring (independent of GDAL).
inline bool inside_ring(const std::vector<std::pair<double, double>>& ring, double x, double y) {
  bool in = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const auto [xi, yi] = ring[i];
    const auto [xj, yj] = ring[j];
    if ((yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) in = !in;
  }
  return in;
}

/// Distance from (x, y) to the segment a–b.
inline double segment_distance(double x, double y, std::pair<double, double> a, std::pair<double, double> b) {
  const double dx = b.first - a.first, dy = b.second - a.second;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((x - a.first) * dx + (y - a.second) * dy) / len2 : 0.0;
  t = t < 0 ? 0 : (t > 1 ? 1 : t);
  const double px = a.first + t * dx - x, py = a.second + t * dy - y;
  return std::sqrt(px * px + py * py);
}

}  // namespace infogap::test
