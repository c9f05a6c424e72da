#pragma once
// Private: GDAL rasterizer for the raster area (GDALRasterizeGeometries on MEM datasets that wrap
// our own buffers). Only adapters/gdal/*.cpp include GDAL.

#include <cstdint>
#include <vector>

#include "infogap/raster.hpp"

namespace infogap::detail {

/// Burns polygons into a grid of indices: out[cell] = i of the polygon wkbs[i] covering the
/// cell centre (ALL_TOUCHED=FALSE), lowest i where polygons overlap, −1 where none. Empty WKBs
/// are skipped. Parallel over row bands (each worker parses its own geometries).
/// @throws InvalidInput if a WKB cannot be parsed; Error(internal) if GDAL fails
std::vector<std::int32_t> rasterize_polygon_ids(const Grid& grid, const std::vector<std::vector<std::uint8_t>>& wkbs);

}  // namespace infogap::detail
