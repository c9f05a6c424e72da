#pragma once
// Private: the one WKB codec of the engine, on OGR's geometry import/export (GDAL). Geometry crosses
// the areas as ISO WKB (infogap/table.hpp); io (points, hamlet envelopes, reprojection), synth
// (lines, rings, multipolygons), output (point tables) and the GDAL writer read and write it here.
// Points take the cheap path: one OGRPoint per thread, imported in place (no allocation).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace infogap::detail {

/// ISO WKB bytes of one geometry (2-D, little-endian when written by this codec).
using Wkb = std::vector<std::uint8_t>;

/// A polyline or ring as separate x and y arrays.
struct XyPath {
  std::vector<double> x, y;
  std::size_t size() const noexcept { return x.size(); }
};

/// Flat geometry type: 1 Point, 2 LineString, 3 Polygon, 4 MultiPoint, 5 MultiLineString,
/// 6 MultiPolygon, 7 GeometryCollection (other OGR codes for curves); 0 if empty or unreadable.
std::uint32_t wkb_type(const Wkb& wkb) noexcept;

/// Coordinates of a Point, or of a MultiPoint holding exactly one point; false otherwise. An empty
/// point gives true with x and y NaN.
bool wkb_point(const Wkb& wkb, double& x, double& y) noexcept;

/// ISO WKB of the 2-D point (x, y), little-endian (21 bytes).
Wkb point_wkb(double x, double y);

/// Envelope of every coordinate; false if there is none or one is not finite.
/// @throws InvalidInput if the WKB is malformed
bool wkb_envelope(const Wkb& wkb, double& minx, double& miny, double& maxx, double& maxy);

/// Replaces every coordinate in place: fn(x, y, n) is called on arrays of one ring, line or point at
/// a time and returns false on failure. Returns false (wkb unchanged) when fn fails.
/// @throws InvalidInput if the WKB is malformed
bool transform_wkb(Wkb& wkb, const std::function<bool(double* x, double* y, std::size_t n)>& fn);

/// Every LineString of a (Multi)LineString / collection, appended to out (polygons and points are
/// ignored). @throws InvalidInput if the WKB is malformed or of a curve type
void collect_lines(const Wkb& wkb, std::vector<XyPath>& out);
/// Every ring (exterior and interior) of every polygon in the geometry, appended to out.
void collect_rings(const Wkb& wkb, std::vector<XyPath>& out);
/// Number of non-empty polygons in a Polygon / MultiPolygon / collection.
std::size_t count_polygons(const Wkb& wkb);

/// MultiLineString of the paths (paths with fewer than 2 points are skipped).
Wkb multilinestring(const std::vector<XyPath>& paths);
/// The polygons of a Polygon / MultiPolygon / collection, each as its rings (exterior first).
std::vector<std::vector<XyPath>> collect_polygons(const Wkb& wkb);
/// MultiPolygon from polygons given as rings (exterior first; rings closed or not).
Wkb multipolygon(const std::vector<std::vector<XyPath>>& polygons);
/// A Polygon as a one-part MultiPolygon; a MultiPolygon unchanged; an empty polygon gives an empty
/// MultiPolygon. @throws InvalidInput for other types
Wkb as_multipolygon(const Wkb& wkb);

}  // namespace infogap::detail
