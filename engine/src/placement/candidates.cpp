#include "placement/candidates.hpp"

#include <cmath>
#include <cstdint>

#include "adapters/geos/geometry_ops.hpp"
#include "infogap/coverage.hpp"
#include "spatial/extent.hpp"

namespace infogap::detail {

std::vector<CandidateSite> build_candidates(const Scenario& sc, const Inputs& in, bool want_speakers, bool want_teams) {
  std::vector<CandidateSite> out;
  auto add = [&](const std::string& id, const std::string& kind, double x, double y, const std::string& name,
                 const std::string& type) {
    if ((kind == "speaker" || kind == "any" || kind.empty()) && want_speakers)
      out.push_back({id, SiteKind::speaker, x, y, name, type});
    if ((kind == "team" || kind == "any" || kind.empty()) && want_teams)
      out.push_back({id, SiteKind::team, x, y, name, type});
  };
  const auto& c = sc.optimize.candidates;
  if (!c.path.empty()) {
    for (std::size_t i = 0; i < in.candidates.size(); ++i)
      add(in.candidates.id[i], in.candidates.kind[i], in.candidates.x_m[static_cast<Eigen::Index>(i)],
          in.candidates.y_m[static_cast<Eigen::Index>(i)], i < in.candidates.name.size() ? in.candidates.name[i] : "",
          i < in.candidates.type.size() ? in.candidates.type[i] : "");
  } else if (c.grid_m) {
    const double g = *c.grid_m;
    double minx, miny, maxx, maxy;
    hamlets_extent(in.hamlets, minx, miny, maxx, maxy);
    Households grid;
    const auto nx = static_cast<std::int64_t>(std::floor((maxx - minx) / g)) + 1;
    const auto ny = static_cast<std::int64_t>(std::floor((maxy - miny) / g)) + 1;
    grid.x_m.resize(nx * ny);
    grid.y_m.resize(nx * ny);
    for (std::int64_t r = 0; r < ny; ++r)
      for (std::int64_t k = 0; k < nx; ++k) {
        grid.x_m[r * nx + k] = minx + (static_cast<double>(k) + 0.5) * g;
        grid.y_m[r * nx + k] = miny + (static_cast<double>(r) + 0.5) * g;
      }
    grid.id.resize(static_cast<std::size_t>(nx * ny));
    const auto hamlet = join_households(grid, in.hamlets, nullptr);
    for (std::size_t i = 0; i < hamlet.size(); ++i) {
      if (hamlet[i] < 0) continue;
      add("grid_" + std::to_string(i), "any", grid.x_m[static_cast<Eigen::Index>(i)],
          grid.y_m[static_cast<Eigen::Index>(i)], "", "grid");
    }
  } else {
    for (std::size_t h = 0; h < in.hamlets.size(); ++h) {
      double x, y;
      point_on_surface(in.hamlets.wkb[h], x, y);
      add("centre_" + in.hamlets.id[h], "any", x, y, in.hamlets.name[h], "hamlet_centre");
    }
  }
  return out;
}

}  // namespace infogap::detail
