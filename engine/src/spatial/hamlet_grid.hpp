#pragma once
// Private: the household → hamlet join (DESIGN.md §4 "Join"): which polygons *cover* each point
// (boundary counts), the lowest-ranked one winning where polygons overlap.
//
// join_points_grid() gives, for every point, exactly the answer of the exact method
// join_points_exact() (GEOS prepared Covers through PolygonIndex), but asks GEOS only for points
// that lie near a polygon boundary. The plane is cut into square tiles (tile_m, 4096 m by
// default); a tile holding points gets, for that moment only, a grid of cells labelled with the
// polygons covering the cell centre (an even-odd scanline at the centre of each row of cells,
// which keeps the lowest rank and whether two or more polygons cover the centre) and a mark on
// every "boundary" cell. (Not GDAL's rasterizer, infogap::hamlet_id_grid: it keeps the lowest
// polygon index rather than the lowest id rank, counts no overlaps, and would tie coverage to
// the raster area.)
//
// Guarantee. A cell is marked when any polygon edge (every ring: shells, holes, every part of a
// multipolygon; closing edges included; zero-length edges as points) comes within
// k_join_margin_m (1 mm) of the closed cell — conservatively, by sweeping each edge row by row.
// An unmarked cell C therefore holds no boundary in C grown by 1 mm, a convex set. For every
// polygon, "covers" is constant on a connected set that no boundary crosses, so every point of
// that set — a point of C, or a point that rounding put in C although it lies up to a few
// nanometres outside — is covered by exactly the polygons covering C's centre. The centre is at
// least half a cell from every edge crossing of its row (each crossing lies in a marked cell),
// so the scanline parity at the centre is exact, and even-odd parity is both the interior of a
// valid (multi)polygon and what GEOS's point locator computes. Points in marked cells get the
// exact GEOS test. Nothing depends on hamlet ids differing between neighbouring cells, which
// would miss slivers thinner than a cell: a sliver's edges mark every cell it touches, so all
// of its points are tested exactly. Floating-point error (≈1e-9 m at UTM coordinates ≤ 1e7 m)
// is six orders of magnitude below the margin.
//
// Memory. Only tiles that hold points are ever gridded, one tile per worker at a time: at most
// k_max_tile_side² cells (5 bytes each: ≈5 MB) per worker, whatever the extent. A 1,650 km ×
// 600 km country is ≈60k tiles of 4 km, each gridded and dropped in turn; the tile side doubles
// until there are at most 4M tiles. Add 8 bytes per point for the bucket sort and 8 per tile.
// The exact test in a tile uses a GEOS index of that tile's polygons only.
//
// Cell size. Per tile, from a cost model: a cell costs ≈cell_cost_ratio (1/100) of one exact test,
// and the share of points in boundary cells grows with the cell size s as ≈1.27·s·L/T² (L: edge
// length in the tile, T: tile side); total cost n·1.27·s·L/T²·c_exact + (T/s)²·c_cell is
// smallest at s = ∛(2·T⁴·ratio / (1.27·n·L)), clamped to [k_min_cell_m, T/4].
//
// Supported geometry: ISO or EWKB Polygon and MultiPolygon, little-endian, 2D/Z/M/ZM. Any
// other geometry, a non-finite coordinate or an extent whose area overflows a double makes the
// whole join use the exact method.

#include <Eigen/Core>

#include <cstdint>
#include <vector>

namespace infogap::detail {

/// Distance (m) within which an edge marks a cell as boundary: far above rounding error.
inline constexpr double k_join_margin_m = 1e-3;
/// Smallest automatic cell, m.
inline constexpr double k_min_cell_m = 2.0;
/// Largest number of cells per tile side.
inline constexpr int k_max_tile_side = 1024;

/// Tuning of join_points_grid(); the defaults suit provinces and countries alike.
struct PointJoinOptions {
  double tile_m = 4096.0;  ///< tile side, m (grown automatically if the extent needs > 4M tiles)
  double cell_m = 0.0;     ///< fixed cell size, m; 0 = chosen per tile by the cost model
  /// cost of one cell / cost of one exact test (measured on Bạc Liêu: ≈5 ns per cell labelled
  /// and looked up, ≈0.5 µs per GEOS prepared Covers with its STRtree query)
  double cell_cost_ratio = 0.01;
};

/// What a join did (for benchmarks and tests).
struct PointJoinStats {
  std::int64_t tiles = 0;           ///< tiles holding points (each gridded once)
  std::int64_t cells = 0;           ///< cells labelled, all tiles
  std::int64_t grid_points = 0;     ///< points answered from the grid
  std::int64_t exact_points = 0;    ///< points answered by the exact test (boundary cells)
  std::int64_t outside_extent = 0;  ///< points outside every polygon's envelope (or non-finite)
  bool exact_fallback = false;      ///< every point went the exact way (join_points_exact, or unsupported input)
};

/// Result of a point → polygon join.
struct PointJoin {
  std::vector<std::int32_t> polygon;  ///< per point: index of the covering polygon of lowest rank, −1 if none
  std::int64_t overlaps = 0;          ///< points covered by two or more polygons
  PointJoinStats stats;
};

/// Exact join: GEOS prepared Covers for every point (STRtree candidates), one index per worker.
/// @param rank per polygon, lower wins where polygons overlap (e.g. rank of the hamlet id)
/// @throws Error(geometry) if GEOS cannot read a polygon
/// REQUIRES: x.size() == y.size(); rank.size() == polygons.size()
PointJoin join_points_exact(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                            const std::vector<std::vector<std::uint8_t>>& polygons,
                            const std::vector<std::int32_t>& rank);

/// Same answer as join_points_exact() for every point, from tiled label grids with the exact
/// test only in boundary cells (see the guarantee at the top of this header). Parallel over
/// tiles; the result does not depend on the thread count or the options.
/// @throws Error(geometry) if GEOS cannot read a polygon
/// REQUIRES: x.size() == y.size(); rank.size() == polygons.size()
PointJoin join_points_grid(const Eigen::VectorXd& x, const Eigen::VectorXd& y,
                           const std::vector<std::vector<std::uint8_t>>& polygons,
                           const std::vector<std::int32_t>& rank, const PointJoinOptions& options = {});

}  // namespace infogap::detail
