// Exact distance from each cell centre to the nearest point.
//
// For a row with centre y_c, the squared distance from (x, y_c) to point p is the parabola
// f_p(x) = (x − a_p)² + b_p with a_p = x_p and b_p = (y_p − y_c)²; the nearest-point distance
// along the row is the lower envelope of these parabolas (Felzenszwalb & Huttenlocher 2012,
// "Distance transforms of sampled functions", §3, with arbitrary real parabola vertices instead
// of lattice ones). Only points with |y_p − y_c| ≤ w are needed when w ≥ the largest distance
// found on the row: a point farther than w in y is farther than w from every cell. The window
// starts at the previous row's largest distance plus one cell (the distance field is
// 1-Lipschitz) and is widened once when the check fails, so every row is exact.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "infogap/raster.hpp"

namespace infogap {
namespace {

struct Vertex {
  double a;  ///< x of the point relative to the grid's west edge, m
  double b;  ///< squared y offset to the row centre, m²
};

/// Lower envelope of parabolas (x − a)² + b; vertices sorted by a, strictly increasing.
struct Envelope {
  std::vector<std::size_t> v;  ///< indices of the parabolas on the envelope
  std::vector<double> z;       ///< z[k] … z[k+1]: where parabola v[k] is lowest

  void build(const std::vector<Vertex>& p) {
    v.assign(1, 0);
    z.assign({-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()});
    for (std::size_t q = 1; q < p.size(); ++q) {
      double s = 0.0;
      for (;;) {
        const Vertex& r = p[v.back()];
        s = ((p[q].b + p[q].a * p[q].a) - (r.b + r.a * r.a)) / (2.0 * (p[q].a - r.a));
        if (s > z[v.size() - 1] || v.size() == 1) break;  // z[0] = −inf: the first parabola stays
        v.pop_back();
        z.pop_back();
      }
      z.back() = s;
      v.push_back(q);
      z.push_back(std::numeric_limits<double>::infinity());
    }
  }
};

}  // namespace

std::vector<float> nearest_distance_grid(const Grid& grid, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                         std::span<const std::uint8_t> mask) {
  if (xs.size() != ys.size())
    throw InvalidInput(ErrorCode::internal, "nearest_distance_grid: xs and ys differ in size");
  const std::size_t n_cells = grid.size();
  if (!mask.empty() && mask.size() != n_cells)
    throw InvalidInput(ErrorCode::internal, "nearest_distance_grid: mask size does not match the grid");
  std::vector<float> out(n_cells, std::numeric_limits<float>::quiet_NaN());

  // Points in grid-relative coordinates: a = x − west edge, t = north edge − y (row centres at
  // t = (r + 0.5)·cell), sorted by t.
  struct Point {
    double a, t;
  };
  std::vector<Point> pts;
  pts.reserve(static_cast<std::size_t>(xs.size()));
  for (Eigen::Index i = 0; i < xs.size(); ++i)
    if (std::isfinite(xs[i]) && std::isfinite(ys[i])) pts.push_back({xs[i] - grid.origin_x, grid.origin_y - ys[i]});
  if (pts.empty() || n_cells == 0) return out;
  std::sort(pts.begin(), pts.end(),
            [](const Point& l, const Point& r) { return l.t < r.t || (l.t == r.t && l.a < r.a); });

  const auto width = static_cast<std::size_t>(grid.width);
  const double cell = grid.cell_m;
  const double inf = std::numeric_limits<double>::infinity();

  parallel_for(
      static_cast<std::size_t>(grid.height),
      [&](std::size_t row_begin, std::size_t row_end, unsigned /*worker*/) {
        std::vector<Vertex> cand;
        Envelope env;
        double guess = inf;  // window half-height for the next row
        for (std::size_t row = row_begin; row < row_end; ++row) {
          const std::size_t base = row * width;
          const std::uint8_t* row_mask = mask.empty() ? nullptr : mask.data() + base;
          if (row_mask != nullptr && std::none_of(row_mask, row_mask + width, [](std::uint8_t m) { return m != 0; }))
            continue;
          const double tc = (static_cast<double>(row) + 0.5) * cell;
          double window = guess;
          double row_max = 0.0;
          for (;;) {
            cand.clear();
            auto lo = pts.begin(), hi = pts.end();
            if (std::isfinite(window)) {
              lo = std::lower_bound(pts.begin(), pts.end(), tc - window,
                                    [](const Point& p, double v) { return p.t < v; });
              hi = std::upper_bound(lo, pts.end(), tc + window, [](double v, const Point& p) { return v < p.t; });
            }
            if (lo == hi) {  // nothing in the window: take every point
              window = inf;
              continue;
            }
            for (auto it = lo; it != hi; ++it) cand.push_back({it->a, (it->t - tc) * (it->t - tc)});
            std::sort(cand.begin(), cand.end(),
                      [](const Vertex& l, const Vertex& r) { return l.a < r.a || (l.a == r.a && l.b < r.b); });
            // Equal a: keep the lowest parabola only (the formula needs distinct vertices).
            cand.erase(
                std::unique(cand.begin(), cand.end(), [](const Vertex& l, const Vertex& r) { return l.a == r.a; }),
                cand.end());
            env.build(cand);
            row_max = 0.0;
            std::size_t k = 0;
            for (std::size_t col = 0; col < width; ++col) {
              if (row_mask != nullptr && row_mask[col] == 0) continue;
              const double x = (static_cast<double>(col) + 0.5) * cell;
              while (env.z[k + 1] < x) ++k;
              const Vertex& p = cand[env.v[k]];
              const double d = std::sqrt((x - p.a) * (x - p.a) + p.b);
              out[base + col] = static_cast<float>(d);
              row_max = std::max(row_max, d);
            }
            if (row_max <= window) break;
            window = row_max;  // every nearest point of the row lies within this window
          }
          guess = row_max + cell;
        }
      },
      16);
  return out;
}

}  // namespace infogap
