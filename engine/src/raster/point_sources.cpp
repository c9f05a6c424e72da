// Point sources spread over the grid: a generic kernel with a reducer, and the weight density.
// Both run in parallel row bands; each cell combines its sources in ascending source order, so
// the result does not depend on the number of threads.

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "infogap/raster.hpp"

namespace infogap {
namespace {

constexpr float k_nan = std::numeric_limits<float>::quiet_NaN();

/// Rows whose centre lies within [y − r, y + r], clipped to [row_lo, row_hi).
void rows_within(const Grid& g, double y, double r, std::int64_t row_lo, std::int64_t row_hi, std::int64_t& first,
                 std::int64_t& last) {
  // Row centre: origin_y − (row + 0.5)·cell. One row of slack each side; the exact test is per cell.
  first = std::max(row_lo, static_cast<std::int64_t>(std::floor((g.origin_y - y - r) / g.cell_m - 0.5)) - 1);
  last = std::min(row_hi - 1, static_cast<std::int64_t>(std::ceil((g.origin_y - y + r) / g.cell_m - 0.5)) + 1);
}

}  // namespace

std::vector<std::vector<float>> accumulate_point_sources(const Grid& grid, const Eigen::VectorXd& xs,
                                                         const Eigen::VectorXd& ys, const Eigen::VectorXd& radius_m,
                                                         const PointKernel& kernel,
                                                         const std::vector<Reducer>& reducers,
                                                         std::span<const std::uint8_t> mask) {
  if (xs.size() != ys.size() || xs.size() != radius_m.size())
    throw InvalidInput(ErrorCode::internal, "accumulate_point_sources: xs, ys and radius_m differ in size");
  const std::size_t n_cells = grid.size();
  if (!mask.empty() && mask.size() != n_cells)
    throw InvalidInput(ErrorCode::internal, "accumulate_point_sources: mask size does not match the grid");
  if (!kernel) throw InvalidInput(ErrorCode::internal, "accumulate_point_sources: no kernel");
  // Accumulators: max → the running maximum (NaN = none yet); energy_sum → Σ 10^(v/10);
  // sum → Σ v; count → number of values ≥ threshold. One kernel evaluation feeds every reducer.
  std::vector<std::vector<float>> outs;
  for (const Reducer& r : reducers) outs.emplace_back(n_cells, r.op == Reduce::max ? k_nan : 0.0f);
  if (n_cells == 0 || reducers.empty()) return outs;
  std::vector<std::size_t> sources;
  for (Eigen::Index i = 0; i < xs.size(); ++i)
    if (std::isfinite(xs[i]) && std::isfinite(ys[i]) && radius_m[i] > 0.0 && std::isfinite(radius_m[i]))
      sources.push_back(static_cast<std::size_t>(i));
  const auto width = static_cast<std::int64_t>(grid.width);
  const double cell = grid.cell_m;
  parallel_for(
      static_cast<std::size_t>(grid.height),
      [&](std::size_t row_begin, std::size_t row_end, unsigned /*worker*/) {
        const auto lo = static_cast<std::int64_t>(row_begin), hi = static_cast<std::int64_t>(row_end);
        for (const std::size_t i : sources) {
          const auto ii = static_cast<Eigen::Index>(i);
          const double sx = xs[ii], sy = ys[ii], r = radius_m[ii], r2 = r * r;
          std::int64_t first = 0, last = -1;
          rows_within(grid, sy, r, lo, hi, first, last);
          for (std::int64_t row = first; row <= last; ++row) {
            const double dy = grid.center_y(static_cast<int>(row)) - sy;
            if (dy * dy > r2) continue;
            const double half = std::sqrt(r2 - dy * dy);
            const std::int64_t c0 = std::max<std::int64_t>(
                0, static_cast<std::int64_t>(std::floor((sx - half - grid.origin_x) / cell - 0.5)) - 1);
            const std::int64_t c1 = std::min<std::int64_t>(
                width - 1, static_cast<std::int64_t>(std::ceil((sx + half - grid.origin_x) / cell - 0.5)) + 1);
            const std::size_t base = static_cast<std::size_t>(row) * static_cast<std::size_t>(width);
            for (std::int64_t col = c0; col <= c1; ++col) {
              const std::size_t idx = base + static_cast<std::size_t>(col);
              if (!mask.empty() && mask[idx] == 0) continue;
              const double dx = grid.center_x(static_cast<int>(col)) - sx;
              if (dx * dx + dy * dy > r2) continue;
              const float v = kernel(i, dx, dy);
              if (std::isnan(v) || v == -std::numeric_limits<float>::infinity()) continue;
              for (std::size_t k = 0; k < reducers.size(); ++k) {
                float& acc = outs[k][idx];
                switch (reducers[k].op) {
                  case Reduce::max:
                    if (std::isnan(acc) || v > acc) acc = v;
                    break;
                  case Reduce::energy_sum:
                    acc += static_cast<float>(std::pow(10.0, static_cast<double>(v) / 10.0));
                    break;
                  case Reduce::sum:
                    acc += v;
                    break;
                  case Reduce::count_at_least:
                    if (static_cast<double>(v) >= reducers[k].threshold) acc += 1.0f;
                    break;
                }
              }
            }
          }
        }
        const std::size_t b = row_begin * static_cast<std::size_t>(width),
                          e = row_end * static_cast<std::size_t>(width);
        for (std::size_t k = 0; k < reducers.size(); ++k) {
          if (reducers[k].op != Reduce::energy_sum) continue;
          auto& out = outs[k];
          for (std::size_t c = b; c < e; ++c)
            out[c] = out[c] > 0.0f ? static_cast<float>(10.0 * std::log10(static_cast<double>(out[c]))) : k_nan;
        }
      },
      8);
  for (auto& out : outs) apply_mask(out, mask);
  return outs;
}

std::vector<float> accumulate_point_sources(const Grid& grid, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                            const Eigen::VectorXd& radius_m, const PointKernel& kernel, Reducer reducer,
                                            std::span<const std::uint8_t> mask) {
  return std::move(
      accumulate_point_sources(grid, xs, ys, radius_m, kernel, std::vector<Reducer>{reducer}, mask).front());
}

std::vector<float> accumulate_point_sources(const Grid& grid, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                            double radius_m, const PointKernel& kernel, Reducer reducer,
                                            std::span<const std::uint8_t> mask) {
  const Eigen::VectorXd radii = Eigen::VectorXd::Constant(xs.size(), radius_m);
  return accumulate_point_sources(grid, xs, ys, radii, kernel, reducer, mask);
}

std::vector<float> point_density_grid(const Grid& grid, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                      const Eigen::VectorXd& weights, double radius_m,
                                      std::span<const std::uint8_t> mask) {
  if (xs.size() != ys.size() || xs.size() != weights.size())
    throw InvalidInput(ErrorCode::internal, "point_density_grid: xs, ys and weights differ in size");
  const std::size_t n_cells = grid.size();
  if (!mask.empty() && mask.size() != n_cells)
    throw InvalidInput(ErrorCode::internal, "point_density_grid: mask size does not match the grid");
  std::vector<float> out(n_cells, 0.0f);
  if (n_cells == 0) return out;
  const double cell_km2 = grid.cell_m * grid.cell_m / 1e6;

  // Weights binned per cell (sparse), summed in input order: deterministic.
  std::vector<std::pair<std::size_t, double>> entries;
  for (Eigen::Index i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i]) || !std::isfinite(weights[i]) || weights[i] == 0.0) continue;
    const std::int64_t col = grid.col_of(xs[i]), row = grid.row_of(ys[i]);
    if (col < 0 || row < 0 || col >= grid.width || row >= grid.height) continue;
    entries.emplace_back(grid.index(static_cast<int>(col), static_cast<int>(row)), weights[i]);
  }
  std::stable_sort(entries.begin(), entries.end(), [](const auto& l, const auto& r) { return l.first < r.first; });
  struct Source {
    std::int64_t row, col;
    double weight;
  };
  std::vector<Source> src;  // non-empty cells in row-major order: the spreading order of every cell
  const auto w = static_cast<std::size_t>(grid.width);
  for (std::size_t k = 0; k < entries.size();) {
    const std::size_t cell_index = entries[k].first;
    double sum = 0.0;
    for (; k < entries.size() && entries[k].first == cell_index; ++k) sum += entries[k].second;
    src.push_back({static_cast<std::int64_t>(cell_index / w), static_cast<std::int64_t>(cell_index % w), sum});
  }
  entries.clear();
  entries.shrink_to_fit();

  if (!(radius_m > grid.cell_m / 2.0)) {
    for (const Source& s : src)
      out[grid.index(static_cast<int>(s.col), static_cast<int>(s.row))] = static_cast<float>(s.weight / cell_km2);
    apply_mask(out, mask);
    return out;
  }

  // Discrete quartic kernel on cell offsets within the radius, normalised to sum 1.
  const auto reach = static_cast<std::int64_t>(std::floor(radius_m / grid.cell_m));
  const std::int64_t side = 2 * reach + 1;
  std::vector<double> taps(static_cast<std::size_t>(side * side), 0.0);
  double total = 0.0;
  for (std::int64_t dr = -reach; dr <= reach; ++dr) {
    for (std::int64_t dc = -reach; dc <= reach; ++dc) {
      const double d2 = static_cast<double>(dr * dr + dc * dc) * grid.cell_m * grid.cell_m;
      const double u = 1.0 - d2 / (radius_m * radius_m);
      if (u <= 0.0) continue;
      const double k = u * u;
      taps[static_cast<std::size_t>((dr + reach) * side + (dc + reach))] = k;
      total += k;
    }
  }
  for (double& t : taps) t /= total * cell_km2;  // weight → weight per km²

  const std::int64_t width = grid.width;
  constexpr std::int64_t k_block_rows = 64;  // double accumulators per block of rows
  parallel_for(
      static_cast<std::size_t>(grid.height),
      [&](std::size_t row_begin, std::size_t row_end, unsigned /*worker*/) {
        std::vector<double> acc;
        for (auto lo = static_cast<std::int64_t>(row_begin); lo < static_cast<std::int64_t>(row_end);
             lo += k_block_rows) {
          const std::int64_t hi = std::min(lo + k_block_rows, static_cast<std::int64_t>(row_end));
          acc.assign(static_cast<std::size_t>((hi - lo) * width), 0.0);
          auto it = std::lower_bound(src.begin(), src.end(), lo - reach,
                                     [](const Source& s, std::int64_t r) { return s.row < r; });
          for (; it != src.end() && it->row < hi + reach; ++it) {
            const std::int64_t r0 = std::max(lo, it->row - reach), r1 = std::min(hi - 1, it->row + reach);
            const std::int64_t c0 = std::max<std::int64_t>(0, it->col - reach);
            const std::int64_t c1 = std::min(width - 1, it->col + reach);
            for (std::int64_t r = r0; r <= r1; ++r) {
              const double* trow = taps.data() + (r - it->row + reach) * side;
              double* arow = acc.data() + (r - lo) * width;
              for (std::int64_t c = c0; c <= c1; ++c) arow[c] += it->weight * trow[c - it->col + reach];
            }
          }
          float* dst = out.data() + lo * width;
          for (std::size_t k = 0; k < acc.size(); ++k) dst[k] = static_cast<float>(acc[k]);
        }
      },
      8);
  apply_mask(out, mask);
  return out;
}

}  // namespace infogap
