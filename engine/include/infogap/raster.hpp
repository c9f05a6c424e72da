#pragma once
/// @file raster.hpp  Regular north-up grids over the working CRS, the per-cell computations behind
/// the raster outputs (hamlet ids, distance to the nearest point, point-source accumulation,
/// density) and the Cloud-Optimized GeoTIFF writer (DESIGN.md §5).
///
/// Conventions: cells are square, `cell_m` metres; row 0 is the northern edge and column 0 the
/// western edge; values are stored row-major (index = row · width + col). A cell is the half-open
/// square [x0, x0 + cell) × (y0 − cell, y0]; per-cell values are evaluated at the cell centre.
/// In memory, "no data" is NaN; write_raster() turns it into the band's nodata value.
///
/// Thread safety: every function is reentrant; the grid functions run on infogap::parallel_for
/// and their results do not depend on the number of threads.

#include <Eigen/Core>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace infogap {

/// @defgroup raster Rasters
/// @{

/// Nodata value of Float32 output bands.
inline constexpr double k_float_nodata = -9999.0;
/// Nodata value of Byte (count) output bands; counts saturate at k_byte_nodata − 1 = 254.
inline constexpr double k_byte_nodata = 255.0;

/// A north-up grid of square cells in a projected CRS (metres).
struct Grid {
  double origin_x = 0.0;  ///< x of the top-left (north-west) corner, m
  double origin_y = 0.0;  ///< y of the top-left (north-west) corner, m
  double cell_m = 10.0;   ///< cell size, m (> 0)
  int width = 0;          ///< number of columns
  int height = 0;         ///< number of rows
  int epsg = 0;           ///< EPSG code of the CRS (0 = unknown)

  /// The smallest grid whose corners are multiples of cell_m and that contains the extent
  /// [min_x, max_x] × [min_y, max_y] (at least one cell in each direction).
  /// @throws InvalidInput if cell_m is not > 0, the extent is not finite or min > max, or the
  ///         grid would exceed k_max_cells cells.
  static Grid covering(double min_x, double min_y, double max_x, double max_y, double cell_m, int epsg = 0);

  /// Largest number of cells a grid may have (2^31: 8 GiB of Float32).
  static constexpr std::size_t k_max_cells = std::size_t{1} << 31;

  /// Number of cells (width · height).
  std::size_t size() const noexcept;
  /// x of the centre of column col.
  double center_x(int col) const noexcept { return origin_x + (col + 0.5) * cell_m; }
  /// y of the centre of row row.
  double center_y(int row) const noexcept { return origin_y - (row + 0.5) * cell_m; }
  /// Eastern edge, m.
  double max_x() const noexcept { return origin_x + width * cell_m; }
  /// Southern edge, m.
  double min_y() const noexcept { return origin_y - height * cell_m; }
  /// Column holding x (floor), possibly outside [0, width).
  std::int64_t col_of(double x) const noexcept;
  /// Row holding y (floor from the top), possibly outside [0, height).
  std::int64_t row_of(double y) const noexcept;
  /// Row-major index of (col, row). REQUIRES: 0 ≤ col < width, 0 ≤ row < height.
  std::size_t index(int col, int row) const noexcept {
    return static_cast<std::size_t>(row) * static_cast<std::size_t>(width) + static_cast<std::size_t>(col);
  }
  bool operator==(const Grid&) const = default;
};

/// Hamlet (polygon) index per cell: the index i of the polygon wkbs[i] that covers the cell
/// centre, −1 where none does; where polygons overlap the lowest index wins. Rasterised by GDAL
/// (GDALRasterizeGeometries, ALL_TOUCHED=FALSE: a cell belongs to a polygon iff its centre is
/// inside), in parallel row bands. Empty WKBs are skipped.
/// @param wkbs polygons / multipolygons (ISO WKB) in the grid's CRS
/// @throws InvalidInput if a WKB cannot be parsed (column "geometry", feature = index)
std::vector<std::int32_t> hamlet_id_grid(const Grid& grid, const std::vector<std::vector<std::uint8_t>>& wkbs);

/// Mask of the cells with an id ≥ 0 (1) or not (0), e.g. "inside a hamlet".
std::vector<std::uint8_t> mask_from_ids(std::span<const std::int32_t> ids);

/// Exact Euclidean distance (m) from each cell centre to the nearest of the points (xs[i], ys[i])
/// — the true point positions, not cells they snap to. Non-finite points are ignored.
/// Per row, the lower envelope of the squared-distance parabolas of the points within a y-window
/// that provably holds every nearest point of the row (O(k log k + width) per row).
/// @param mask empty = every cell; else one entry per cell, 0 = not computed (NaN)
/// @return one value per cell; NaN where masked out or when there is no finite point
/// REQUIRES: xs.size() == ys.size(); mask empty or mask.size() == grid.size()
std::vector<float> nearest_distance_grid(const Grid& grid, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                         std::span<const std::uint8_t> mask = {});

/// How accumulate_point_sources() combines the values of several sources in one cell.
enum class Reduce : std::uint8_t {
  max,             ///< largest value
  energy_sum,      ///< 10·lg Σ 10^(v/10) (levels in dB)
  sum,             ///< Σ v
  count_at_least,  ///< number of values ≥ Reducer::threshold
};

/// A reduction and its parameter.
struct Reducer {
  Reduce op = Reduce::max;  ///< the combination
  double threshold = 0.0;   ///< count_at_least only: values ≥ threshold are counted
};

/// Value of source i at offset (dx_m, dy_m) = cell centre − source. NaN or −inf = no
/// contribution. Called concurrently from several threads: must be thread-safe.
using PointKernel = std::function<float(std::size_t source, double dx_m, double dy_m)>;

/// For each source i and each cell whose centre lies within radius_m[i] of (xs[i], ys[i])
/// (inclusive), evaluates kernel(i, dx, dy) and combines the values per cell with the reducer.
/// Deterministic: each cell combines its sources in ascending index order, whatever the thread
/// count. Sources with a non-finite position or radius ≤ 0 / NaN are skipped.
/// @param mask empty = every cell; else 0 = not computed (NaN)
/// @return per cell: the reduction; where no source contributes NaN (max, energy_sum), 0 (sum,
///         count_at_least); NaN where masked out
/// REQUIRES: xs, ys, radius_m of equal size; mask empty or of grid.size()
std::vector<float> accumulate_point_sources(const Grid& grid, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                            const Eigen::VectorXd& radius_m, const PointKernel& kernel, Reducer reducer,
                                            std::span<const std::uint8_t> mask = {});

/// Several reductions of the same kernel values in one pass (the kernel is evaluated once per
/// source and cell): one output per reducer, each as accumulate_point_sources() with that reducer.
std::vector<std::vector<float>> accumulate_point_sources(const Grid& grid, const Eigen::VectorXd& xs,
                                                         const Eigen::VectorXd& ys, const Eigen::VectorXd& radius_m,
                                                         const PointKernel& kernel,
                                                         const std::vector<Reducer>& reducers,
                                                         std::span<const std::uint8_t> mask = {});

/// Same with one radius for every source.
std::vector<float> accumulate_point_sources(const Grid& grid, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                            double radius_m, const PointKernel& kernel, Reducer reducer,
                                            std::span<const std::uint8_t> mask = {});

/// Density of point weights, in weight per km².
/// radius_m ≤ cell_m / 2: plain binning (Σ weights of the points in the cell / cell area).
/// Otherwise a quartic (biweight) kernel K(d) ∝ (1 − d²/r²)² over the cells whose centre is within
/// radius_m of the point's cell centre (points snap to their cell, ≤ cell_m/√2 of displacement),
/// normalised on the grid so each point spreads exactly its weight (mass-conserving: where the
/// kernel fits inside the grid, Σ density · cell area = Σ weight). Points outside the grid or with
/// a non-finite position or weight are ignored; mask zeros become NaN after spreading (the weight
/// spread onto them is not moved elsewhere).
/// REQUIRES: xs, ys, weights of equal size; mask empty or of grid.size()
std::vector<float> point_density_grid(const Grid& grid, const Eigen::VectorXd& xs, const Eigen::VectorXd& ys,
                                      const Eigen::VectorXd& weights, double radius_m,
                                      std::span<const std::uint8_t> mask = {});

/// Sets cells to NaN where mask is 0. REQUIRES: mask empty (no-op) or values.size() == mask.size().
void apply_mask(std::vector<float>& values, std::span<const std::uint8_t> mask);

/// Data type of an output band.
enum class BandType : std::uint8_t {
  float32,  ///< Float32, nodata k_float_nodata
  byte,     ///< Byte (counts/classes), nodata k_byte_nodata; values rounded and clamped to 0…254
};

/// Overview resampling of an output raster.
enum class Resampling : std::uint8_t {
  average,  ///< levels, distances, densities
  nearest,  ///< counts and classes
};

/// What to write: band name/unit, type, nodata and metadata of one output raster.
struct RasterSpec {
  std::string name;                             ///< band description (QGIS: "Band 1: <name>"), e.g. "speech_level"
  std::string description;                      ///< human-readable, UTF-8; dataset metadata item DESCRIPTION
  std::string unit;                             ///< band unit, e.g. "dB(A)", "m", "1/km2"
  BandType type = BandType::float32;            ///< band data type
  std::optional<double> nodata;                 ///< default: k_float_nodata (float32) / k_byte_nodata (byte)
  Resampling resampling = Resampling::average;  ///< overview resampling
  std::map<std::string, std::string> metadata;  ///< extra dataset metadata (e.g. SCENARIO), UTF-8
  /// Float32 only. > 0: values are rounded to a multiple of the largest power of two ≤ quantum
  /// (0.1 → 1/16), which zeroes low mantissa bits: the file is about 2× smaller (e.g. 1/16 m for
  /// distances, 1/64 dB for levels). 0 = lossless.
  double quantum = 0.0;
};

/// Writes one band as a Cloud-Optimized GeoTIFF (DEFLATE, predictor, 512 blocks, overviews;
/// written to a temporary name in the same folder, then renamed). NaN and ±inf become nodata;
/// for byte bands values are rounded and clamped to [0, 254].
/// @param values one per cell, row-major (moved in; no copy for float32)
/// @param progress called with 0…1 (may be empty)
/// @throws InvalidInput if values.size() != grid.size() or grid.epsg is 0; IoError if GDAL fails
void write_raster(const Grid& grid, std::vector<float> values, const RasterSpec& spec, const std::string& path,
                  const std::function<void(double)>& progress = {});

/// As write_raster, with more Float32 bands after the first: band k + 2 holds more_bands[k] and is
/// described by more_names[k] (e.g. one band per listening condition); nodata, unit, quantum and
/// overview resampling as band 1.
/// @throws InvalidInput as write_raster, or for a Byte spec or sizes that do not match
void write_raster(const Grid& grid, std::vector<float> values, std::vector<std::vector<float>> more_bands,
                  const std::vector<std::string>& more_names, const RasterSpec& spec, const std::string& path,
                  const std::function<void(double)>& progress = {});

/// @}

}  // namespace infogap
