#include "synth/geometry_util.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>
#include <utility>

#include "infogap/error.hpp"

namespace infogap::detail::synth {

void internal(const std::string& what) {
  throw Error(ErrorCode::internal, "synth: " + what);
}

double seg_distance2(double px, double py, double ax, double ay, double bx, double by) {
  const double dx = bx - ax, dy = by - ay;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0.0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = ax + t * dx - px, ey = ay + t * dy - py;
  return ex * ex + ey * ey;
}

std::vector<XyPath> clip_lines(const Wkb& polygon, const std::vector<XyPath>& lines) {
  std::vector<XyPath> out;
  if (lines.empty()) return out;
  const Wkb clipped = intersection(polygon, multilinestring(lines));
  collect_lines(clipped, out);
  return out;
}

std::vector<XyPath> clip_each(const Wkb& polygon, const std::vector<XyPath>& lines) {
  std::vector<XyPath> out;
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  envelope(polygon, minx, miny, maxx, maxy);
  for (const XyPath& line : lines) {
    const auto [lx0, lx1] = std::minmax_element(line.x.begin(), line.x.end());
    const auto [ly0, ly1] = std::minmax_element(line.y.begin(), line.y.end());
    if (*lx1 < minx || *lx0 > maxx || *ly1 < miny || *ly0 > maxy) continue;
    const Wkb clipped = intersection(polygon, linestring(line.x, line.y));
    collect_lines(clipped, out);
  }
  return out;
}

std::vector<XyPath> line_family(double minx, double miny, double maxx, double maxy, double angle, double spacing,
                                double phase, Rng& rng, double angle_jitter) {
  const double cx = (minx + maxx) / 2, cy = (miny + maxy) / 2;
  const double half = std::hypot(maxx - minx, maxy - miny) / 2 + spacing;
  std::vector<XyPath> out;
  const int k = static_cast<int>(std::ceil(half / spacing));
  for (int i = -k; i <= k; ++i) {
    const double a = angle + rng.normal(0.0, angle_jitter);
    const double ux = std::cos(a), uy = std::sin(a);
    const double nx = -std::sin(angle), ny = std::cos(angle);
    const double off = (i + phase) * spacing;
    const double px = cx + off * nx, py = cy + off * ny;
    XyPath p;
    p.x = {px - half * ux, px + half * ux};
    p.y = {py - half * uy, py + half * uy};
    out.push_back(std::move(p));
  }
  return out;
}

bool random_inside(const Wkb& polygon, const PolygonIndex& index, Rng& rng, double& x, double& y) {
  double minx = 0, miny = 0, maxx = 0, maxy = 0;
  envelope(polygon, minx, miny, maxx, maxy);
  std::vector<std::uint32_t> hits;
  for (int tries = 0; tries < 10000; ++tries) {
    x = rng.uniform(minx, maxx);
    y = rng.uniform(miny, maxy);
    index.covering(x, y, hits);
    if (!hits.empty()) return true;
  }
  return false;
}

std::vector<std::int64_t> allocate(std::int64_t total, const std::vector<double>& weights, std::int64_t lo,
                                   std::int64_t hi) {
  const std::size_t n = weights.size();
  std::vector<std::int64_t> out(n, 0);
  if (n == 0) return out;
  const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<double> ideal(n);
  std::int64_t assigned = 0;
  for (std::size_t i = 0; i < n; ++i) {
    ideal[i] =
        sum > 0 ? static_cast<double>(total) * weights[i] / sum : static_cast<double>(total) / static_cast<double>(n);
    out[i] = std::clamp(static_cast<std::int64_t>(std::floor(ideal[i])), lo, hi);
    assigned += out[i];
  }
  while (assigned != total) {
    const bool up = assigned < total;
    std::size_t best = n;
    double best_score = -std::numeric_limits<double>::infinity();
    for (std::size_t i = 0; i < n; ++i) {
      if (up ? out[i] >= hi : out[i] <= lo) continue;
      const double score = up ? ideal[i] - static_cast<double>(out[i]) : static_cast<double>(out[i]) - ideal[i];
      if (score > best_score) {
        best_score = score;
        best = i;
      }
    }
    if (best == n) internal("cannot allocate " + std::to_string(total) + " within bounds");
    out[best] += up ? 1 : -1;
    assigned += up ? 1 : -1;
  }
  return out;
}

std::vector<std::size_t> top_k(const std::vector<double>& keys, std::size_t k) {
  std::vector<std::size_t> idx(keys.size());
  std::iota(idx.begin(), idx.end(), std::size_t{0});
  k = std::min(k, idx.size());
  std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(k), idx.end(),
                    [&](std::size_t a, std::size_t b) { return keys[a] != keys[b] ? keys[a] > keys[b] : a < b; });
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  return idx;
}

}  // namespace infogap::detail::synth
