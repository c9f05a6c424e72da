// The working CRS: the scenario's, or the UTM zone of the hamlets' centroid.
#include "io/load_detail.hpp"

#include <cmath>

#include "adapters/gdal/wkb.hpp"

namespace infogap::load_detail {

/// EPSG code of the working CRS: the scenario's, or the UTM zone of the hamlets' centroid (mean of
/// the centres of the hamlet envelopes, in lon/lat).
std::string choose_working_crs(const Scenario& s, const Layer& hamlets, const std::vector<std::uint8_t>& bad,
                               Inputs& in) {
  std::string working;
  if (lower(trim(s.working_crs)) == "auto" || trim(s.working_crs).empty()) {
    std::vector<double> cx, cy;
    for (std::size_t i = 0; i < hamlets.rows(); ++i) {
      double minx = 0, miny = 0, maxx = 0, maxy = 0;
      if (bad[i] != 0 || hamlets.data.table.wkb[i].empty()) continue;
      if (!detail::wkb_envelope(hamlets.data.table.wkb[i], minx, miny, maxx, maxy)) continue;
      cx.push_back(0.5 * (minx + maxx));
      cy.push_back(0.5 * (miny + maxy));
    }
    if (!hamlets.crs.geographic && !cx.empty()) {
      Transformer to_lonlat(hamlets.crs.normalized, "EPSG:4326");
      to_lonlat.transform(cx.data(), cy.data(), cx.size());
    }
    double sx = 0, sy = 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < cx.size(); ++i) {
      if (!std::isfinite(cx[i]) || !std::isfinite(cy[i])) continue;
      sx += cx[i];
      sy += cy[i];
      ++n;
    }
    const int epsg = n > 0 ? detail::utm_epsg_for(sx / static_cast<double>(n), sy / static_cast<double>(n)) : 0;
    if (epsg == 0)
      throw InvalidInput(ErrorCode::crs, "working_crs: auto needs hamlets with valid coordinates", hamlets.where());
    working = "EPSG:" + std::to_string(epsg);
    in.notes.push_back("working_crs: auto → " + working + " (UTM zone of the hamlets' centroid " +
                       format_number(std::round(sx / static_cast<double>(n) * 1e4) / 1e4) + "°E, " +
                       format_number(std::round(sy / static_cast<double>(n) * 1e4) / 1e4) + "°N)");
  } else {
    working = trim(s.working_crs);
  }
  CrsInfo info;
  try {
    info = detail::crs_info(working);
  } catch (const Error& e) {
    throw InvalidInput(ErrorCode::invalid_scenario, "working_crs: " + e.reason(), {"", "", "working_crs", {}});
  }
  if (!info.projected || !info.metres || info.epsg == 0)
    throw InvalidInput(ErrorCode::invalid_scenario,
                       "working_crs '" + working + "' must be a projected CRS in metres with an EPSG code",
                       {"", "", "working_crs", {}});
  in.working_crs = info.normalized;
  in.working_epsg = info.epsg;
  return info.normalized;
}

}  // namespace infogap::load_detail
