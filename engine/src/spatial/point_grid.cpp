#include "spatial/point_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace infogap::detail {

PointGrid::PointGrid(const Eigen::VectorXd& x, const Eigen::VectorXd& y, double cell_m) : m_cell(cell_m) {
  const auto n = static_cast<std::size_t>(x.size());
  double minx = std::numeric_limits<double>::infinity(), miny = minx;
  double maxx = -minx, maxy = -minx;
  for (std::size_t i = 0; i < n; ++i) {
    const double px = x[static_cast<Eigen::Index>(i)], py = y[static_cast<Eigen::Index>(i)];
    if (!std::isfinite(px) || !std::isfinite(py)) continue;
    minx = std::min(minx, px);
    miny = std::min(miny, py);
    maxx = std::max(maxx, px);
    maxy = std::max(maxy, py);
    ++m_count;
  }
  if (m_count == 0) {
    m_cols = m_rows = 1;
    m_start.assign(2, 0);
    return;
  }
  // Keep the grid at most ~4M cells whatever the extent.
  const double span = std::max(maxx - minx, maxy - miny);
  m_cell = std::max(m_cell, span / 2048.0);
  m_minx = minx;
  m_miny = miny;
  m_cols = static_cast<std::int64_t>(std::floor((maxx - minx) / m_cell)) + 1;
  m_rows = static_cast<std::int64_t>(std::floor((maxy - miny) / m_cell)) + 1;
  const auto cells = static_cast<std::size_t>(m_cols * m_rows);
  std::vector<std::uint32_t> count(cells + 1, 0);
  std::vector<std::uint32_t> cell_of(n, std::numeric_limits<std::uint32_t>::max());
  for (std::size_t i = 0; i < n; ++i) {
    const double px = x[static_cast<Eigen::Index>(i)], py = y[static_cast<Eigen::Index>(i)];
    if (!std::isfinite(px) || !std::isfinite(py)) continue;
    const auto c = static_cast<std::uint32_t>(cell_y(py) * m_cols + cell_x(px));
    cell_of[i] = c;
    ++count[c + 1];
  }
  for (std::size_t c = 0; c < cells; ++c) count[c + 1] += count[c];
  m_start = count;
  m_items.resize(m_count);
  m_px.resize(m_count);
  m_py.resize(m_count);
  for (std::size_t i = 0; i < n; ++i) {
    if (cell_of[i] == std::numeric_limits<std::uint32_t>::max()) continue;
    const std::uint32_t k = count[cell_of[i]]++;
    m_items[k] = static_cast<std::uint32_t>(i);
    m_px[k] = x[static_cast<Eigen::Index>(i)];
    m_py[k] = y[static_cast<Eigen::Index>(i)];
  }
}

std::int64_t PointGrid::cell_x(double x) const noexcept {
  const auto c = static_cast<std::int64_t>(std::floor((x - m_minx) / m_cell));
  return std::clamp<std::int64_t>(c, 0, m_cols - 1);
}

std::int64_t PointGrid::cell_y(double y) const noexcept {
  const auto r = static_cast<std::int64_t>(std::floor((y - m_miny) / m_cell));
  return std::clamp<std::int64_t>(r, 0, m_rows - 1);
}

std::int64_t PointGrid::nearest(double qx, double qy, double* distance) const {
  std::int64_t best = -1;
  double best_d2 = std::numeric_limits<double>::infinity();
  if (m_count == 0) {
    if (distance) *distance = best_d2;
    return best;
  }
  const std::int64_t cx = cell_x(qx), cy = cell_y(qy);
  // Distance from q to the grid-clamped cell: rings beyond the clamp still need visiting.
  for (std::int64_t ring = 0;; ++ring) {
    const std::int64_t c0 = cx - ring, c1 = cx + ring, r0 = cy - ring, r1 = cy + ring;
    if (c0 < 0 && r0 < 0 && c1 >= m_cols && r1 >= m_rows) break;
    for (std::int64_t r = std::max<std::int64_t>(r0, 0); r <= std::min(r1, m_rows - 1); ++r) {
      for (std::int64_t c = std::max<std::int64_t>(c0, 0); c <= std::min(c1, m_cols - 1); ++c) {
        if (r != r0 && r != r1 && c != c0 && c != c1) continue;  // only the ring's border
        const auto cell = static_cast<std::size_t>(r * m_cols + c);
        for (std::uint32_t k = m_start[cell]; k < m_start[cell + 1]; ++k) {
          const double dx = m_px[k] - qx, dy = m_py[k] - qy;
          const double d2 = dx * dx + dy * dy;
          if (d2 < best_d2 || (d2 == best_d2 && m_items[k] < best)) {
            best_d2 = d2;
            best = m_items[k];
          }
        }
      }
    }
    // Every point outside the visited square is farther than ring*cell from q's cell border.
    if (best >= 0) {
      const double x_lo = m_minx + static_cast<double>(cx - ring) * m_cell;
      const double x_hi = m_minx + static_cast<double>(cx + ring + 1) * m_cell;
      const double y_lo = m_miny + static_cast<double>(cy - ring) * m_cell;
      const double y_hi = m_miny + static_cast<double>(cy + ring + 1) * m_cell;
      const double margin = std::min({qx - x_lo, x_hi - qx, qy - y_lo, y_hi - qy});
      if (margin > 0 && margin * margin >= best_d2) break;
    }
  }
  if (distance) *distance = std::sqrt(best_d2);
  return best;
}

}  // namespace infogap::detail
