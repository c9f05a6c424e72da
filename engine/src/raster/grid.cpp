// Grid geometry, hamlet id grid, masks and the raster writer front (write_raster).

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/gdal/rasterize.hpp"
#include "infogap/error.hpp"
#include "infogap/raster.hpp"

namespace infogap {
namespace {

/// floor(v / cell) and ceil(v / cell) as integers, corrected so that lo·cell ≤ v ≤ hi·cell holds
/// in floating point too.
std::int64_t snap_down(double v, double cell) {
  auto k = static_cast<std::int64_t>(std::floor(v / cell));
  while (static_cast<double>(k) * cell > v) --k;
  return k;
}
std::int64_t snap_up(double v, double cell) {
  auto k = static_cast<std::int64_t>(std::ceil(v / cell));
  while (static_cast<double>(k) * cell < v) ++k;
  return k;
}

}  // namespace

Grid Grid::covering(double min_x, double min_y, double max_x, double max_y, double cell_m, int epsg) {
  if (!(cell_m > 0.0) || !std::isfinite(cell_m))
    throw InvalidInput(ErrorCode::invalid_input, "raster cell size must be a positive number of metres");
  if (!std::isfinite(min_x) || !std::isfinite(min_y) || !std::isfinite(max_x) || !std::isfinite(max_y) ||
      min_x > max_x || min_y > max_y)
    throw InvalidInput(ErrorCode::invalid_input, "raster extent is empty or not finite");
  const std::int64_t i0 = snap_down(min_x, cell_m);
  std::int64_t i1 = snap_up(max_x, cell_m);
  const std::int64_t j0 = snap_down(min_y, cell_m);
  std::int64_t j1 = snap_up(max_y, cell_m);
  if (i1 <= i0) i1 = i0 + 1;
  if (j1 <= j0) j1 = j0 + 1;
  const std::int64_t width = i1 - i0;
  const std::int64_t height = j1 - j0;
  if (width > std::numeric_limits<int>::max() || height > std::numeric_limits<int>::max() ||
      static_cast<double>(width) * static_cast<double>(height) > static_cast<double>(k_max_cells))
    throw InvalidInput(ErrorCode::invalid_input, "raster of " + std::to_string(width) + " x " + std::to_string(height) +
                                                     " cells is too large: use a larger raster_cell_m");
  Grid g;
  g.origin_x = static_cast<double>(i0) * cell_m;
  g.origin_y = static_cast<double>(j1) * cell_m;
  g.cell_m = cell_m;
  g.width = static_cast<int>(width);
  g.height = static_cast<int>(height);
  g.epsg = epsg;
  return g;
}

std::size_t Grid::size() const noexcept {
  if (width <= 0 || height <= 0) return 0;
  return static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
}

std::int64_t Grid::col_of(double x) const noexcept {
  const double c = std::floor((x - origin_x) / cell_m);
  if (!(c > -1e15 && c < 1e15)) return c > 0 ? std::numeric_limits<std::int64_t>::max() : -1;
  return static_cast<std::int64_t>(c);
}

std::int64_t Grid::row_of(double y) const noexcept {
  const double r = std::floor((origin_y - y) / cell_m);
  if (!(r > -1e15 && r < 1e15)) return r > 0 ? std::numeric_limits<std::int64_t>::max() : -1;
  return static_cast<std::int64_t>(r);
}

std::vector<std::int32_t> hamlet_id_grid(const Grid& grid, const std::vector<std::vector<std::uint8_t>>& wkbs) {
  return detail::rasterize_polygon_ids(grid, wkbs);
}

std::vector<std::uint8_t> mask_from_ids(std::span<const std::int32_t> ids) {
  std::vector<std::uint8_t> mask(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i) mask[i] = ids[i] >= 0 ? 1 : 0;
  return mask;
}

void apply_mask(std::vector<float>& values, std::span<const std::uint8_t> mask) {
  if (mask.empty()) return;
  if (mask.size() != values.size()) throw InvalidInput(ErrorCode::internal, "mask size does not match the raster");
  for (std::size_t i = 0; i < values.size(); ++i)
    if (mask[i] == 0) values[i] = std::numeric_limits<float>::quiet_NaN();
}

void write_raster(const Grid& grid, std::vector<float> values, const RasterSpec& spec, const std::string& path,
                  const std::function<void(double)>& progress) {
  write_raster(grid, std::move(values), {}, {}, spec, path, progress);
}

void write_raster(const Grid& grid, std::vector<float> values, std::vector<std::vector<float>> more_bands,
                  const std::vector<std::string>& more_names, const RasterSpec& spec, const std::string& path,
                  const std::function<void(double)>& progress) {
  if (!more_bands.empty() && (spec.type == BandType::byte || more_names.size() != more_bands.size()))
    throw InvalidInput(ErrorCode::invalid_input, "more raster bands must be Float32, one name each",
                       ErrorContext{path, {}, {}, {}});
  for (const auto& b : more_bands)
    if (b.size() != grid.size())
      throw InvalidInput(ErrorCode::invalid_input, "raster values do not match the grid size",
                         ErrorContext{path, {}, {}, {}});
  if (values.size() != grid.size())
    throw InvalidInput(ErrorCode::invalid_input, "raster values do not match the grid size",
                       ErrorContext{path, {}, {}, {}});
  if (grid.epsg <= 0)
    throw InvalidInput(ErrorCode::invalid_input, "raster grid has no EPSG code", ErrorContext{path, {}, {}, {}});
  detail::RasterOut out;
  out.path = path;
  out.width = grid.width;
  out.height = grid.height;
  out.origin_x = grid.origin_x;
  out.origin_y = grid.origin_y;
  out.cell = grid.cell_m;
  out.epsg = grid.epsg;
  out.description = spec.name;
  out.unit = spec.unit;
  out.resampling = spec.resampling == Resampling::nearest ? "NEAREST" : "AVERAGE";
  out.metadata = spec.metadata;
  if (!spec.description.empty()) out.metadata["DESCRIPTION"] = spec.description;
  if (spec.type == BandType::byte) {
    out.byte_band = true;
    out.nodata = spec.nodata.value_or(k_byte_nodata);
    const double nodata = out.nodata;
    if (!(nodata >= 0.0 && nodata <= 255.0) || nodata != std::floor(nodata))
      throw InvalidInput(ErrorCode::invalid_input, "nodata of a Byte band must be an integer in 0..255",
                         ErrorContext{path, {}, {}, {}});
    // Largest value that is not the nodata value (255 → 254; any other nodata keeps 255).
    const double top = nodata >= 255.0 ? 254.0 : 255.0;
    out.bytes.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      const float v = values[i];
      if (!std::isfinite(v)) {
        out.bytes[i] = static_cast<std::uint8_t>(nodata);
        continue;
      }
      double b = std::round(static_cast<double>(v));
      b = std::clamp(b, 0.0, top);
      if (b == nodata) b = nodata > 0.0 ? nodata - 1.0 : nodata + 1.0;
      out.bytes[i] = static_cast<std::uint8_t>(b);
    }
    values.clear();
    values.shrink_to_fit();
  } else {
    out.nodata = spec.nodata.value_or(k_float_nodata);
    const auto nodata = static_cast<float>(out.nodata);
    const double step = spec.quantum > 0.0 ? std::exp2(std::floor(std::log2(spec.quantum))) : 0.0;
    auto prepare = [&](std::vector<float>& band) {
      for (float& v : band) {
        if (!std::isfinite(v)) {
          v = nodata;
        } else if (step > 0.0) {
          v = static_cast<float>(std::round(static_cast<double>(v) / step) * step);
        }
      }
    };
    prepare(values);
    out.floats = std::move(values);
    for (auto& b : more_bands) prepare(b);
    out.more_floats = std::move(more_bands);
    out.more_descriptions = more_names;
  }
  detail::write_cog(out, progress);
}

}  // namespace infogap
