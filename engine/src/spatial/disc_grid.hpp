#pragma once
// A uniform grid of cells, each listing the discs (centre, radius) that may cover a point in it:
// "which discs contain this point" costs one cell lookup, whatever the number of discs. Built
// once, then queried read-only from any number of threads.

#include <Eigen/Core>
#include <cstdint>
#include <vector>

namespace infogap::detail {

class DiscGrid {
 public:
  /// Discs (x[i], y[i], radius[i]); discs with a non-finite centre or a radius ≤ 0 / NaN are
  /// left out. cell_m > 0 (the grid coarsens itself to stay under ~4M cells).
  DiscGrid(const Eigen::VectorXd& x, const Eigen::VectorXd& y, const std::vector<double>& radius, double cell_m);

  /// Calls fn(disc, squared_distance) for every disc that contains (qx, qy) — distance ≤ radius,
  /// inclusive — in ascending disc index.
  template <class Fn>
  void for_each_containing(double qx, double qy, Fn&& fn) const {
    if (!(qx >= m_minx && qy >= m_miny)) return;  // also rejects NaN
    const auto c = static_cast<std::int64_t>((qx - m_minx) * m_inv_cell);
    const auto r = static_cast<std::int64_t>((qy - m_miny) * m_inv_cell);
    if (c >= m_cols || r >= m_rows) return;
    const auto cell = static_cast<std::size_t>(r * m_cols + c);
    for (std::uint32_t k = m_start[cell]; k < m_start[cell + 1]; ++k) {
      const Entry& e = m_entries[k];
      const double dx = qx - e.x, dy = qy - e.y;
      const double d2 = dx * dx + dy * dy;
      if (d2 <= e.r2) fn(e.disc, d2);
    }
  }

 private:
  struct Entry {
    double x, y, r2;
    std::uint32_t disc;
  };
  double m_minx = 0, m_miny = 0, m_inv_cell = 1;
  std::int64_t m_cols = 0, m_rows = 0;
  std::vector<std::uint32_t> m_start{0, 0};  // CSR offsets per cell (cols*rows + 1)
  std::vector<Entry> m_entries;              // per cell, in ascending disc index
};

}  // namespace infogap::detail
