// Helpers shared by the fuzz targets (see fuzz_support.hpp).
#include "fuzz_support.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "infogap/parallel.hpp"

namespace infogap::fuzz {

void fail(const std::string& what, const std::string& detail, const std::string& detail2) {
  std::fprintf(stderr, "\n*** fuzz invariant broken: %s\n--- detail:\n%s\n", what.c_str(), detail.c_str());
  if (!detail2.empty()) std::fprintf(stderr, "--- detail 2:\n%s\n", detail2.c_str());
  std::fflush(stderr);
  std::abort();
}

void write_mem_file(const std::string& path, const std::uint8_t* data, std::size_t size) {
  VSIUnlink(path.c_str());
  // GDAL takes ownership of a copy (bTakeOwnership = TRUE frees it with VSIFree on unlink).
  auto* copy = static_cast<GByte*>(VSIMalloc(size == 0 ? 1 : size));
  if (copy == nullptr) std::abort();
  for (std::size_t i = 0; i < size; ++i) copy[i] = data[i];
  VSILFILE* fp = VSIFileFromMemBuffer(path.c_str(), copy, static_cast<vsi_l_offset>(size), TRUE);
  if (fp == nullptr) std::abort();
  VSIFCloseL(fp);
}

void write_mem_file(const std::string& path, const std::string& text) {
  write_mem_file(path, reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

void init_loader() {
  static std::once_flag once;
  std::call_once(once, [] {
    infogap::set_threads(1);
    CPLSetConfigOption("PROJ_NETWORK", "OFF");
    CPLSetConfigOption("CPL_DEBUG", "OFF");
    // Messages outside the engine's scoped capture would flood the fuzzer's output.
    CPLSetErrorHandler(CPLQuietErrorHandler);
    GDALAllRegister();
  });
}

const std::string& hamlets_geojson() {
  // Two 0.01° squares side by side near Bac Lieu (about 1.1 km each), ids H1 and H2.
  static const std::string text = R"({"type":"FeatureCollection",
"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:OGC:1.3:CRS84"}},
"features":[
{"type":"Feature","properties":{"hamlet_id":"H1","name":"Ap 1"},
 "geometry":{"type":"Polygon","coordinates":[[[105.70,9.28],[105.71,9.28],[105.71,9.29],[105.70,9.29],[105.70,9.28]]]}},
{"type":"Feature","properties":{"hamlet_id":"H2","name":"Ap 2"},
 "geometry":{"type":"Polygon","coordinates":[[[105.71,9.28],[105.72,9.28],[105.72,9.29],[105.71,9.29],[105.71,9.28]]]}}
]}
)";
  return text;
}

const std::string& households_csv() {
  static const std::string text =
      "household_id,lon,lat,poverty,members,uses_internet,info_devices\n"
      "1,105.705,9.285,poor,4,0,1\n"
      "2,105.715,9.285,near_poor,3,1,2\n"
      "3,105.800,9.285,not_poor,5,1,3\n";
  return text;
}

}  // namespace infogap::fuzz
