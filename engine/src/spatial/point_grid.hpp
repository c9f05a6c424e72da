#pragma once
// A uniform bucket grid over points for radius and nearest-neighbour queries (planar metres).
// Built once, then queried read-only from any number of threads.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace infogap::detail {

class PointGrid {
 public:
  /// Indexes the points (x[i], y[i]); NaN points are skipped. cell_m > 0.
  PointGrid(const Eigen::VectorXd& x, const Eigen::VectorXd& y, double cell_m);

  /// Calls fn(index, squared_distance) for every point with distance ≤ radius (inclusive), in
  /// ascending index order within each cell (cells visited row by row).
  template <class Fn>
  void for_each_within(double qx, double qy, double radius, Fn&& fn) const {
    if (m_count == 0 || !(radius >= 0)) return;
    const double r2 = radius * radius;
    const std::int64_t c0 = cell_x(qx - radius), c1 = cell_x(qx + radius);
    const std::int64_t r0 = cell_y(qy - radius), r1 = cell_y(qy + radius);
    for (std::int64_t r = r0; r <= r1; ++r) {
      for (std::int64_t c = c0; c <= c1; ++c) {
        const auto cell = static_cast<std::size_t>(r * m_cols + c);
        for (std::uint32_t k = m_start[cell]; k < m_start[cell + 1]; ++k) {
          const std::uint32_t i = m_items[k];
          const double dx = m_px[k] - qx, dy = m_py[k] - qy;
          const double d2 = dx * dx + dy * dy;
          if (d2 <= r2) fn(i, d2);
        }
      }
    }
  }

  /// Index of the nearest point (lowest index on ties) and its distance; -1 / inf if empty.
  std::int64_t nearest(double qx, double qy, double* distance) const;

  std::size_t size() const noexcept { return m_count; }

 private:
  std::int64_t cell_x(double x) const noexcept;
  std::int64_t cell_y(double y) const noexcept;
  double m_minx = 0, m_miny = 0, m_cell = 1;
  std::int64_t m_cols = 0, m_rows = 0;
  std::size_t m_count = 0;
  std::vector<std::uint32_t> m_start;  // CSR offsets per cell (cols*rows + 1)
  std::vector<std::uint32_t> m_items;  // point indices
  std::vector<double> m_px, m_py;      // coordinates in item order (cache-friendly)
};

}  // namespace infogap::detail
