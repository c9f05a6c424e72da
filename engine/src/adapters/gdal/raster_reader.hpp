#pragma once
// Private: reads one band of a raster (GeoTIFF or any GDAL raster) into memory, for the demand
// surface (population per cell) that households without coordinates are drawn on.

#include <array>
#include <string>
#include <vector>

namespace infogap::detail {

/// Band 1 of a raster, row-major from the top-left corner; nodata cells are NaN.
struct RasterIn {
  int width = 0, height = 0;
  std::array<double, 6> transform{};  ///< GDAL geotransform: x = t0 + col·t1 + row·t2, y = t3 + col·t4 + row·t5
  std::string crs;                    ///< "EPSG:nnnn" when identifiable, else WKT2; "" = none
  std::vector<double> values;
};

/// @throws IoError if the file cannot be opened or read
RasterIn read_raster(const std::string& path);

}  // namespace infogap::detail
