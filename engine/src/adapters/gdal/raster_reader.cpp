// Reading band 1 of a raster (the demand surface).
#include "adapters/gdal/raster_reader.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <cmath>
#include <limits>

#include "adapters/gdal/gdal_error.hpp"
#include "adapters/gdal/gdal_io.hpp"
#include "infogap/error.hpp"

namespace infogap::detail {

RasterIn read_raster(const std::string& path) {
  gdal_initialize();
  GdalErrorCapture capture;
  GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY | GDAL_OF_VERBOSE_ERROR,
                                            nullptr, nullptr, nullptr));
  if (!ds) throw_gdal(ErrorCode::io, "cannot open as a raster", capture, {path, "", "", {}});
  if (ds->GetRasterCount() < 1) throw IoError(ErrorCode::io, "the raster has no band", {path, "", "", {}});
  RasterIn r;
  r.width = ds->GetRasterXSize();
  r.height = ds->GetRasterYSize();
  if (ds->GetGeoTransform(r.transform.data()) != CE_None)
    throw IoError(ErrorCode::io, "the raster has no geotransform", {path, "", "", {}});
  if (const OGRSpatialReference* srs = ds->GetSpatialRef(); srs != nullptr && !srs->IsEmpty()) {
    const char* auth = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    if (auth != nullptr && code != nullptr && EQUAL(auth, "EPSG")) {
      r.crs = std::string("EPSG:") + code;
    } else {
      char* wkt = nullptr;
      const char* const options[] = {"FORMAT=WKT2_2019", nullptr};
      if (srs->exportToWkt(&wkt, options) == OGRERR_NONE && wkt != nullptr) r.crs = wkt;
      CPLFree(wkt);
    }
  }
  GDALRasterBand* band = ds->GetRasterBand(1);
  r.values.resize(static_cast<std::size_t>(r.width) * static_cast<std::size_t>(r.height));
  if (band->RasterIO(GF_Read, 0, 0, r.width, r.height, r.values.data(), r.width, r.height, GDT_Float64, 0, 0,
                     nullptr) != CE_None)
    throw_gdal(ErrorCode::io, "cannot read the raster band", capture, {path, "", "", {}});
  int has_nodata = 0;
  const double nodata = band->GetNoDataValue(&has_nodata);
  if (has_nodata != 0)
    for (double& v : r.values)
      if (v == nodata || (std::isnan(nodata) && std::isnan(v))) v = std::numeric_limits<double>::quiet_NaN();
  return r;
}

}  // namespace infogap::detail
