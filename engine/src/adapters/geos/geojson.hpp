#pragma once
// Private: geometry helpers for the report (simplify, coordinate transform, GeoJSON text).
#include <functional>
#include <string>

#include "adapters/geos/geometry_ops.hpp"

namespace infogap::detail {

/// Topology-preserving simplification (GEOSTopologyPreserveSimplify_r), tolerance in CRS units.
Wkb simplify(const Wkb& wkb, double tolerance);

/// Applies fn to every coordinate (GEOSGeom_transformXY_r); fn returns false to fail.
/// @throws Error(geometry) if fn fails for a coordinate
Wkb transform_xy(const Wkb& wkb, const std::function<bool(double& x, double& y)>& fn);

/// GeoJSON geometry text (GEOSGeoJSONWriter_r) with coordinates rounded to `decimals`.
std::string to_geojson(const Wkb& wkb, int decimals = 6);

}  // namespace infogap::detail
