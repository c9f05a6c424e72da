#pragma once
// The extent of the hamlets, shared by the raster grid and the candidate grid.
#include "infogap/layers.hpp"

namespace infogap::detail {

/// Bounding box of every hamlet polygon (working CRS); ±inf when there is none.
void hamlets_extent(const Hamlets& hamlets, double& minx, double& miny, double& maxx, double& maxy);

}  // namespace infogap::detail
