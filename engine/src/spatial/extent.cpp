#include "spatial/extent.hpp"

#include <algorithm>
#include <limits>

#include "adapters/geos/geometry_ops.hpp"

namespace infogap::detail {

void hamlets_extent(const Hamlets& hamlets, double& minx, double& miny, double& maxx, double& maxy) {
  minx = miny = std::numeric_limits<double>::infinity();
  maxx = maxy = -std::numeric_limits<double>::infinity();
  for (const auto& w : hamlets.wkb) {
    double a, b, c, d;
    envelope(w, a, b, c, d);
    minx = std::min(minx, a);
    miny = std::min(miny, b);
    maxx = std::max(maxx, c);
    maxy = std::max(maxy, d);
  }
}

}  // namespace infogap::detail
