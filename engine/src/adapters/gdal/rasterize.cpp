// Polygon ids burnt into a grid with GDALRasterizeGeometries, in parallel row bands. Each band is
// a MEM dataset wrapping its rows of the output buffer (no copy); each worker parses its own
// geometries from the shared WKB (OGR geometries are not shared between threads).

#include "adapters/gdal/rasterize.hpp"

#include "adapters/gdal/gdal_error.hpp"
#include "adapters/gdal/gdal_io.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>

#include <algorithm>
#include <limits>
#include <memory>
#include <string>

#include "infogap/error.hpp"
#include "infogap/parallel.hpp"

namespace infogap::detail {
namespace {

/// Burns rows [row0, row1) of the grid.
void burn_band(const Grid& grid, const std::vector<std::vector<std::uint8_t>>& wkbs, std::int32_t* rows_data, int row0,
               int row1) {
  GdalErrorCapture capture;

  const double band_top = grid.origin_y - row0 * grid.cell_m;
  const double band_bottom = grid.origin_y - row1 * grid.cell_m;
  std::vector<OGRGeometryUniquePtr> owned;
  std::vector<OGRGeometryH> geoms;
  std::vector<double> burn;
  owned.reserve(wkbs.size());
  // Reverse order: GDAL burns in sequence, so the lowest index is burnt last and wins overlaps.
  for (std::size_t k = wkbs.size(); k-- > 0;) {
    const auto& wkb = wkbs[k];
    if (wkb.empty()) continue;
    OGRGeometry* g = nullptr;
    if (OGRGeometryFactory::createFromWkb(wkb.data(), nullptr, &g, wkb.size()) != OGRERR_NONE || g == nullptr) {
      throw InvalidInput(ErrorCode::invalid_input, "unreadable polygon WKB",
                         ErrorContext{{}, {}, "geometry", static_cast<std::int64_t>(k)});
    }
    OGRGeometryUniquePtr geom(g);
    OGREnvelope env;
    geom->getEnvelope(&env);
    if (env.MaxY < band_bottom || env.MinY > band_top || env.MaxX < grid.origin_x || env.MinX > grid.max_x()) {
      continue;
    }
    geoms.push_back(OGRGeometry::ToHandle(geom.get()));
    burn.push_back(static_cast<double>(k));
    owned.push_back(std::move(geom));
  }
  if (geoms.empty()) return;

  GDALDriver* mem_driver = GetGDALDriverManager()->GetDriverByName("MEM");
  if (mem_driver == nullptr) throw Error(ErrorCode::internal, "GDAL has no MEM driver");
  GDALDatasetUniquePtr ds(mem_driver->Create("", grid.width, row1 - row0, 0, GDT_Int32, nullptr));
  if (!ds) throw Error(ErrorCode::internal, "cannot create an in-memory raster: " + capture.message());
  char pointer_text[64] = {};
  CPLPrintPointer(pointer_text, rows_data, static_cast<int>(sizeof(pointer_text)));
  CPLStringList band_options;
  band_options.SetNameValue("DATAPOINTER", pointer_text);
  if (ds->AddBand(GDT_Int32, band_options.List()) != CE_None)
    throw Error(ErrorCode::internal, "cannot wrap the raster buffer: " + capture.message());
  double transform[6] = {grid.origin_x, grid.cell_m, 0.0, band_top, 0.0, -grid.cell_m};
  ds->SetGeoTransform(transform);

  CPLStringList options;
  options.SetNameValue("ALL_TOUCHED", "FALSE");
  int band_list[1] = {1};
  const CPLErr err =
      GDALRasterizeGeometries(GDALDataset::ToHandle(ds.get()), 1, band_list, static_cast<int>(geoms.size()),
                              geoms.data(), nullptr, nullptr, burn.data(), options.List(), nullptr, nullptr);
  if (err != CE_None) throw Error(ErrorCode::internal, "GDALRasterizeGeometries failed: " + capture.message());
}

}  // namespace

std::vector<std::int32_t> rasterize_polygon_ids(const Grid& grid, const std::vector<std::vector<std::uint8_t>>& wkbs) {
  gdal_initialize();
  std::vector<std::int32_t> out(grid.size(), -1);
  if (out.empty() || wkbs.empty()) return out;
  if (wkbs.size() > static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()))
    throw InvalidInput(ErrorCode::invalid_input, "too many polygons to rasterise");
  const auto height = static_cast<std::size_t>(grid.height);
  const auto width = static_cast<std::size_t>(grid.width);
  // Chunks of at least 64 rows: each band re-parses the polygons.
  parallel_for(
      height,
      [&](std::size_t begin, std::size_t end, unsigned /*worker*/) {
        burn_band(grid, wkbs, out.data() + begin * width, static_cast<int>(begin), static_cast<int>(end));
      },
      64);
  return out;
}

}  // namespace infogap::detail
