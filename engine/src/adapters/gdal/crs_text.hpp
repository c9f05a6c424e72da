#pragma once
// Private: textual definitions of a CRS, for files that embed them (QGIS project files).

#include <string>

namespace infogap::detail {

/// A CRS as QGIS writes it in a project's <spatialrefsys>.
struct CrsText {
  std::string wkt;                 ///< WKT2:2019
  std::string proj4;               ///< PROJ string ("+proj=utm +zone=48 +datum=WGS84 +units=m +no_defs")
  std::string authid;              ///< "EPSG:32648"
  std::string description;         ///< "WGS 84 / UTM zone 48N"
  std::string projection_acronym;  ///< PROJ "+proj=" value, e.g. "utm"
  std::string ellipsoid_acronym;   ///< "EPSG:7030" when known, else ""
  bool geographic = false;         ///< true for lon/lat CRSs
};

/// Definition of EPSG:epsg from PROJ's database (through OGRSpatialReference).
/// @throws InvalidInput(crs) if the code is unknown
CrsText crs_text(int epsg);

}  // namespace infogap::detail
