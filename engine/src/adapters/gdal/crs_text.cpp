// CRS definitions for QGIS project files, from PROJ's database through OGRSpatialReference.

#include "adapters/gdal/crs_text.hpp"

#include <cpl_conv.h>
#include <ogr_spatialref.h>

#include <memory>
#include <string>

#include "infogap/error.hpp"

namespace infogap::detail {
namespace {

/// Value of "+key=" in a PROJ string, or "".
std::string proj_param(const std::string& proj, const std::string& key) {
  const std::string needle = "+" + key + "=";
  const auto at = proj.find(needle);
  if (at == std::string::npos) return {};
  const auto begin = at + needle.size();
  return proj.substr(begin, proj.find(' ', begin) - begin);
}

}  // namespace

CrsText crs_text(int epsg) {
  OGRSpatialReference srs;
  if (epsg <= 0 || srs.importFromEPSG(epsg) != OGRERR_NONE)
    throw InvalidInput(ErrorCode::crs, "unknown CRS EPSG:" + std::to_string(epsg));
  CrsText out;
  out.authid = "EPSG:" + std::to_string(epsg);
  const char* wkt_options[] = {"FORMAT=WKT2_2019", nullptr};
  char* wkt = nullptr;
  if (srs.exportToWkt(&wkt, wkt_options) == OGRERR_NONE && wkt != nullptr) out.wkt = wkt;
  CPLFree(wkt);
  char* proj = nullptr;
  if (srs.exportToProj4(&proj) == OGRERR_NONE && proj != nullptr) out.proj4 = proj;
  CPLFree(proj);
  while (!out.proj4.empty() && out.proj4.back() == ' ') out.proj4.pop_back();
  if (const char* name = srs.GetName()) out.description = name;
  out.projection_acronym = proj_param(out.proj4, "proj");
  const char* ell_auth = srs.GetAuthorityName("GEOGCS|DATUM|SPHEROID");
  const char* ell_code = srs.GetAuthorityCode("GEOGCS|DATUM|SPHEROID");
  if (ell_auth != nullptr && ell_code != nullptr) out.ellipsoid_acronym = std::string(ell_auth) + ":" + ell_code;
  out.geographic = srs.IsGeographic() != 0;
  if (out.wkt.empty()) throw InvalidInput(ErrorCode::crs, "cannot export EPSG:" + std::to_string(epsg) + " as WKT");
  return out;
}

}  // namespace infogap::detail
