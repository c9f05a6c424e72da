#pragma once
// Private: GEOS adapter API (C API, _r functions only). Geometry crosses this boundary as ISO WKB.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "adapters/gdal/wkb.hpp"

namespace infogap::detail {

/// Result of repairing a polygon.
struct RepairResult {
  Wkb wkb;  ///< valid polygonal geometry (Polygon or MultiPolygon); empty if nothing polygonal remains
  bool was_invalid = false;
  std::int64_t dropped_parts = 0;  ///< non-polygonal parts (lines, points) dropped
  std::string reason;              ///< GEOS's validity reason when invalid
};

/// Checks a (multi)polygon and repairs it with GEOSMakeValid if invalid, keeping polygonal parts.
/// Uses a thread-local GEOS context. @throws Error(geometry) if GEOS fails, InvalidInput if not a polygon
RepairResult repair_polygon(const Wkb& wkb);

/// Area (m²) of a geometry. Centroid; envelope (minx, miny, maxx, maxy).
double area(const Wkb& wkb);
void centroid(const Wkb& wkb, double& x, double& y);
void envelope(const Wkb& wkb, double& minx, double& miny, double& maxx, double& maxy);
/// A point guaranteed inside the polygon (GEOSPointOnSurface).
void point_on_surface(const Wkb& wkb, double& x, double& y);

/// Union of polygons (GEOSUnaryUnion), as WKB.
Wkb union_all(const std::vector<Wkb>& polygons);
/// Intersection and its area.
Wkb intersection(const Wkb& a, const Wkb& b);
/// a − b and the symmetric difference of a and b (GEOSDifference_r, GEOSSymDifference_r).
Wkb difference(const Wkb& a, const Wkb& b);
Wkb symmetric_difference(const Wkb& a, const Wkb& b);
/// GEOSisValid_r. @throws Error(geometry) if GEOS fails
bool is_valid(const Wkb& wkb);
/// GEOS type name: "Polygon", "MultiPolygon", "Point", ...
std::string geometry_type(const Wkb& wkb);
/// True if a covers point (x, y).
bool covers_point(const Wkb& polygon, double x, double y);

/// Voronoi cells of the seeds, each clipped to the polygon (so they partition it). Seeds must be
/// distinct and inside. Returns one (multi)polygon per seed, in seed order.
std::vector<Wkb> voronoi_partition(const Wkb& polygon, const std::vector<double>& seed_x,
                                   const std::vector<double>& seed_y);

/// Polygon from a closed ring of coordinates (first == last added if missing).
Wkb polygon_from_ring(const std::vector<double>& x, const std::vector<double>& y);
/// Linestring from coordinates.
Wkb linestring(const std::vector<double>& x, const std::vector<double>& y);
/// Simple WKT ↔ WKB helpers (tests, synth).
Wkb from_wkt(const std::string& wkt);
std::string to_wkt(const Wkb& wkb, int precision = 3);

/// Index over polygons answering "which polygons cover this point" (STRtree on envelopes,
/// prepared Covers to refine). Build once, then query from one thread per instance (each worker
/// builds its own from the shared WKB: prepared geometries are not thread-safe).
class PolygonIndex {
 public:
  explicit PolygonIndex(const std::vector<Wkb>& polygons);
  ~PolygonIndex();
  PolygonIndex(PolygonIndex&&) noexcept;
  PolygonIndex& operator=(PolygonIndex&&) noexcept;
  PolygonIndex(const PolygonIndex&) = delete;
  PolygonIndex& operator=(const PolygonIndex&) = delete;
  /// Indices of the polygons covering (x, y) (boundary counts), ascending.
  void covering(double x, double y, std::vector<std::uint32_t>& out) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace infogap::detail
