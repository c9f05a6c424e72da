#include "spatial/disc_grid.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace infogap::detail {

DiscGrid::DiscGrid(const Eigen::VectorXd& x, const Eigen::VectorXd& y, const std::vector<double>& radius,
                   double cell_m) {
  const auto n = static_cast<std::size_t>(x.size());
  std::vector<std::size_t> kept;
  double minx = std::numeric_limits<double>::infinity(), miny = minx, maxx = -minx, maxy = -minx;
  for (std::size_t i = 0; i < n; ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    if (!std::isfinite(x[e]) || !std::isfinite(y[e]) || !(radius[i] > 0) || !std::isfinite(radius[i])) continue;
    kept.push_back(i);
    minx = std::min(minx, x[e] - radius[i]);
    miny = std::min(miny, y[e] - radius[i]);
    maxx = std::max(maxx, x[e] + radius[i]);
    maxy = std::max(maxy, y[e] + radius[i]);
  }
  if (kept.empty()) return;
  double cell = std::max({cell_m, (maxx - minx) / 2048.0, (maxy - miny) / 2048.0});
  // One cell of margin on each side: points on a disc's edge at the grid's border still land in
  // a cell that lists the disc.
  m_minx = minx - cell;
  m_miny = miny - cell;
  m_cols = static_cast<std::int64_t>(std::floor((maxx - m_minx) / cell)) + 2;
  m_rows = static_cast<std::int64_t>(std::floor((maxy - m_miny) / cell)) + 2;
  m_inv_cell = 1.0 / cell;
  const auto cells = static_cast<std::size_t>(m_cols * m_rows);
  // The cells a disc's bounding square touches, widened by one cell (the cell of a query point is
  // computed with a multiplication by 1/cell, which may round across a border).
  auto span = [&](double lo, double hi, std::int64_t limit, double origin, std::int64_t& a, std::int64_t& b) {
    a = std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor((lo - origin) * m_inv_cell)) - 1);
    b = std::min<std::int64_t>(limit - 1, static_cast<std::int64_t>(std::floor((hi - origin) * m_inv_cell)) + 1);
  };
  std::vector<std::uint32_t> count(cells + 1, 0);
  for (const std::size_t i : kept) {
    const auto e = static_cast<Eigen::Index>(i);
    std::int64_t c0, c1, r0, r1;
    span(x[e] - radius[i], x[e] + radius[i], m_cols, m_minx, c0, c1);
    span(y[e] - radius[i], y[e] + radius[i], m_rows, m_miny, r0, r1);
    for (std::int64_t r = r0; r <= r1; ++r)
      for (std::int64_t c = c0; c <= c1; ++c) ++count[static_cast<std::size_t>(r * m_cols + c) + 1];
  }
  for (std::size_t c = 0; c < cells; ++c) count[c + 1] += count[c];
  m_start = count;
  m_entries.resize(count[cells]);
  for (const std::size_t i : kept) {  // ascending disc index → ascending within each cell
    const auto e = static_cast<Eigen::Index>(i);
    std::int64_t c0, c1, r0, r1;
    span(x[e] - radius[i], x[e] + radius[i], m_cols, m_minx, c0, c1);
    span(y[e] - radius[i], y[e] + radius[i], m_rows, m_miny, r0, r1);
    for (std::int64_t r = r0; r <= r1; ++r)
      for (std::int64_t c = c0; c <= c1; ++c)
        m_entries[count[static_cast<std::size_t>(r * m_cols + c)]++] =
            Entry{x[e], y[e], radius[i] * radius[i], static_cast<std::uint32_t>(i)};
  }
}

}  // namespace infogap::detail
