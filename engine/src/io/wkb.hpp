#pragma once
// Private: a small ISO WKB coordinate walker (little-endian, as written by the GDAL reader) used to
// read points and to reproject geometries in place without a geometry library.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace infogap::detail {

class Transformer;

/// Flat geometry type of a WKB blob: 1 Point, 2 LineString, 3 Polygon, 4 MultiPoint,
/// 5 MultiLineString, 6 MultiPolygon, 7 GeometryCollection; 0 if empty or unreadable.
std::uint32_t wkb_type(const std::vector<std::uint8_t>& wkb) noexcept;

/// Coordinates of a Point, or of a MultiPoint holding exactly one point. False otherwise
/// (x and y may then be NaN for an empty point).
bool wkb_point(const std::vector<std::uint8_t>& wkb, double& x, double& y) noexcept;

/// Byte offsets of the x ordinate of every coordinate (y follows at +8), in order.
/// @throws InvalidInput if the WKB is malformed, truncated or not little-endian
std::vector<std::size_t> wkb_coordinate_offsets(const std::vector<std::uint8_t>& wkb);

/// Envelope of every coordinate; false if there is none (or one is not finite).
bool wkb_envelope(const std::vector<std::uint8_t>& wkb, double& minx, double& miny, double& maxx, double& maxy);

/// Reprojects every coordinate in place with one bulk call. Returns false (wkb unchanged)
/// if any coordinate fails or is not finite. @throws InvalidInput if the WKB is malformed
bool transform_wkb(std::vector<std::uint8_t>& wkb, const Transformer& transformer);

}  // namespace infogap::detail
