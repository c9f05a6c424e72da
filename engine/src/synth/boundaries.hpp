#pragma once
// Private: the real Bạc Liêu commune and district outlines (censusVN2009, MIT; coarse, 2009 vintage)
// read at run time from GeoJSON through the GDAL adapter and attached to the province spec, so the
// synthetic hamlets, households and equipment are generated inside the real communes.

#include <string>
#include <vector>

#include "adapters/gdal/wkb.hpp"
#include "synth/spec.hpp"

namespace infogap::detail::synth {

/// File names of the outlines inside a boundaries folder.
inline constexpr const char* k_communes_file = "bac_lieu_communes.geojson";
inline constexpr const char* k_districts_file = "bac_lieu_districts.geojson";

/// One real unit as read from the files.
struct RealUnit {
  std::string gso_code;       ///< GSO code 2024 (commune: gso_code_2024; district: district_code_2024)
  std::string name;           ///< name in the file (name_2024 / name_2009), for messages only
  std::string district_code;  ///< communes: district_code_2024
  Wkb polygon;                ///< (Multi)Polygon, EPSG:32648 (synth's own UTM from the file's lon/lat)
};

/// The outlines of a boundaries folder.
struct RealBoundaries {
  std::vector<RealUnit> communes, districts;
};

/// The bundled boundaries folder: $INFOGAP_DATA_DIR/boundaries, <exe>/../share/infogap/data/boundaries,
/// or the source tree's data/boundaries (the first that holds the commune file).
std::string default_boundaries_dir();

/// Reads <dir>/bac_lieu_communes.geojson and <dir>/bac_lieu_districts.geojson (lon/lat, EPSG:4326).
/// @throws IoError if a file is missing or unreadable, InvalidInput if a code column or geometry is missing
RealBoundaries read_boundaries(const std::string& dir);

/// Gives each commune and district of the spec its real polygon, matched by GSO code; the spec then
/// has real_outlines = true. @throws InvalidInput if a unit of the spec has no outline or a code
/// appears twice in the files
void attach_boundaries(ProvinceSpec& spec, const RealBoundaries& boundaries);

}  // namespace infogap::detail::synth
