#include "synth/boundaries.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <string>
#include <system_error>
#include <utility>

#include "adapters/gdal/gdal_io.hpp"
#include "infogap/error.hpp"
#include "synth/utm.hpp"

#ifndef INFOGAP_SOURCE_DATA_DIR
#define INFOGAP_SOURCE_DATA_DIR "data"
#endif

namespace infogap::detail::synth {

namespace {

namespace fs = std::filesystem;

// Lon/lat (EPSG:4326, GIS order) → EPSG:32648 with synth's own UTM (no PROJ context needed; the
// same numbers on every machine).
Wkb to_utm(const Wkb& lonlat, const std::string& file, std::int64_t row) {
  std::vector<std::vector<XyPath>> polygons = collect_polygons(lonlat);
  if (polygons.empty())
    throw InvalidInput(ErrorCode::invalid_input, "no polygon in feature " + std::to_string(row), {file, "", "", row});
  for (auto& rings : polygons)
    for (XyPath& p : rings)
      for (std::size_t i = 0; i < p.size(); ++i) utm_forward(p.x[i], p.y[i], p.x[i], p.y[i]);
  return multipolygon(polygons);
}

std::vector<RealUnit> read_units(const std::string& path, const char* code_column, const char* name_column,
                                 const char* district_column) {
  VectorReadOptions ro;
  ro.path = path;
  ro.text_columns = {code_column};
  if (district_column != nullptr) ro.text_columns.push_back(district_column);
  const VectorData v = read_vector(ro);
  for (const char* c : {code_column, name_column})
    if (!v.table.find(c).has_value())
      throw InvalidInput(ErrorCode::invalid_input, std::string("column ") + c + " missing", {path, "", c, {}});
  if (district_column != nullptr && !v.table.find(district_column).has_value())
    throw InvalidInput(ErrorCode::invalid_input, std::string("column ") + district_column + " missing",
                       {path, "", district_column, {}});
  std::vector<RealUnit> out;
  for (std::size_t i = 0; i < v.table.rows(); ++i) {
    RealUnit u;
    u.gso_code = v.table.column(code_column).as_text(i);
    u.name = v.table.column(name_column).as_text(i);
    if (district_column != nullptr) u.district_code = v.table.column(district_column).as_text(i);
    if (i >= v.table.wkb.size() || v.table.wkb[i].empty())
      throw InvalidInput(ErrorCode::invalid_input, "feature without geometry", {path, "", "", std::int64_t(i)});
    u.polygon = to_utm(v.table.wkb[i], path, static_cast<std::int64_t>(i));
    out.push_back(std::move(u));
  }
  return out;
}

}  // namespace

std::string default_boundaries_dir() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("INFOGAP_DATA_DIR")) dirs.emplace_back(fs::path(env) / "boundaries");
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(exe.parent_path().parent_path() / "share" / "infogap" / "data" / "boundaries");
  dirs.emplace_back(fs::path(INFOGAP_SOURCE_DATA_DIR) / "boundaries");
  for (const fs::path& d : dirs)
    if (fs::exists(d / k_communes_file, ec)) return d.string();
  return dirs.back().string();  // read_boundaries reports it missing
}

RealBoundaries read_boundaries(const std::string& dir) {
  gdal_initialize();
  const fs::path d(dir);
  for (const char* f : {k_communes_file, k_districts_file}) {
    std::error_code ec;
    if (!fs::exists(d / f, ec))
      throw IoError(ErrorCode::io, "synth: boundary file missing: " + (d / f).string(), {(d / f).string(), "", "", {}});
  }
  RealBoundaries b;
  b.communes = read_units((d / k_communes_file).string(), "gso_code_2024", "name_2024", "district_code_2024");
  b.districts = read_units((d / k_districts_file).string(), "district_code_2024", "name_2009", nullptr);
  return b;
}

void attach_boundaries(ProvinceSpec& spec, const RealBoundaries& b) {
  std::map<std::string, const RealUnit*> communes, districts;
  for (const RealUnit& u : b.communes)
    if (!communes.emplace(u.gso_code, &u).second)
      throw InvalidInput(ErrorCode::invalid_input, "synth: commune code " + u.gso_code + " appears twice");
  for (const RealUnit& u : b.districts)
    if (!districts.emplace(u.gso_code, &u).second)
      throw InvalidInput(ErrorCode::invalid_input, "synth: district code " + u.gso_code + " appears twice");
  for (DistrictSpec& d : spec.districts) {
    const auto it = districts.find(d.gso_code);
    if (d.gso_code.empty() || it == districts.end())
      throw InvalidInput(ErrorCode::invalid_input, "synth: no outline for " + d.name + " (code " + d.gso_code + ")");
    d.outline = it->second->polygon;
    for (CommuneSpec& c : d.communes) {
      const auto jt = communes.find(c.gso_code);
      if (c.gso_code.empty() || jt == communes.end())
        throw InvalidInput(ErrorCode::invalid_input, "synth: no outline for " + c.name + " (code " + c.gso_code + ")");
      if (jt->second->district_code != d.gso_code)
        throw InvalidInput(ErrorCode::invalid_input, "synth: " + c.name + " (code " + c.gso_code +
                                                         ") lies in district " + jt->second->district_code +
                                                         " in the boundary file, not " + d.gso_code);
      c.outline = jt->second->polygon;
    }
  }
  spec.real_outlines = true;
}

}  // namespace infogap::detail::synth
