#pragma once
// Private: geometry and allocation helpers of the synthetic province (metres, EPSG:32648): clipping
// lines to polygons, families of parallel lines, sampling points on lines or inside polygons,
// integer allocation and top-k selection.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>
#include <string>
#include <vector>

#include "adapters/gdal/wkb.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "synth/random.hpp"

namespace infogap::detail::synth {

inline constexpr double k_pi = std::numbers::pi;

/// Throws Error(internal) "synth: <what>" (a broken invariant of the generator).
[[noreturn]] void internal(const std::string& what);

/// Squared distance (m²) from (px, py) to the segment a–b.
double seg_distance2(double px, double py, double ax, double ay, double bx, double by);

/// The lines clipped to the polygon, noded together (one GEOS intersection for all of them).
std::vector<XyPath> clip_lines(const Wkb& polygon, const std::vector<XyPath>& lines);

/// Clips each line on its own (no noding at crossings: whole canals stay whole).
std::vector<XyPath> clip_each(const Wkb& polygon, const std::vector<XyPath>& lines);

/// Parallel lines at angle `angle` (radians, from east), `spacing` apart, covering the envelope.
std::vector<XyPath> line_family(double minx, double miny, double maxx, double maxy, double angle, double spacing,
                                double phase, Rng& rng, double angle_jitter);

/// Random point inside a polygon (rejection in its envelope); false after 10,000 misses.
bool random_inside(const Wkb& polygon, const PolygonIndex& index, Rng& rng, double& x, double& y);

/// Integer allocation of `total` proportional to weights (largest remainder), each within [lo, hi].
std::vector<std::int64_t> allocate(std::int64_t total, const std::vector<double>& weights, std::int64_t lo,
                                   std::int64_t hi);

/// Indices of the k largest keys (ties broken by index), ascending by index.
std::vector<std::size_t> top_k(const std::vector<double>& keys, std::size_t k);

/// Length-weighted sampling of a point (and the local direction) on a set of polylines.
class LineSampler {
 public:
  explicit LineSampler(const std::vector<XyPath>& paths) {
    for (const XyPath& p : paths)
      for (std::size_t i = 0; i + 1 < p.size(); ++i) {
        const double len = std::hypot(p.x[i + 1] - p.x[i], p.y[i + 1] - p.y[i]);
        if (len <= 1e-6) continue;
        m_ax.push_back(p.x[i]);
        m_ay.push_back(p.y[i]);
        m_bx.push_back(p.x[i + 1]);
        m_by.push_back(p.y[i + 1]);
        m_total += len;
        m_cum.push_back(m_total);
      }
  }
  bool empty() const noexcept { return m_cum.empty(); }
  double total() const noexcept { return m_total; }
  void sample(Rng& rng, double& x, double& y, double& ux, double& uy) const {
    const double r = rng.uniform() * m_total;
    std::size_t i = static_cast<std::size_t>(std::upper_bound(m_cum.begin(), m_cum.end(), r) - m_cum.begin());
    if (i >= m_cum.size()) i = m_cum.size() - 1;
    const double start = i == 0 ? 0.0 : m_cum[i - 1];
    const double len = m_cum[i] - start;
    const double t = std::clamp((r - start) / len, 0.0, 1.0);
    x = m_ax[i] + t * (m_bx[i] - m_ax[i]);
    y = m_ay[i] + t * (m_by[i] - m_ay[i]);
    ux = (m_bx[i] - m_ax[i]) / len;
    uy = (m_by[i] - m_ay[i]) / len;
  }

 private:
  std::vector<double> m_ax, m_ay, m_bx, m_by, m_cum;
  double m_total = 0;
};

}  // namespace infogap::detail::synth
