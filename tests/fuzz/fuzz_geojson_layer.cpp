// Fuzz target: a GeoJSON layer through the real loader. The input bytes are the hamlet layer
// (GeoJSON; GDAL's driver, CRS detection, polygon checks, reprojection and GEOS MakeValid repair);
// the household CSV is fixed. Oracles: load_inputs returns or throws infogap::Error; on success
// every hamlet read is either kept (non-empty polygon WKB, finite positive area, unique id) or
// rejected exactly once, and the household accounting still holds.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>

#include "fuzz_support.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"

namespace {

const infogap::Scenario& scenario() {
  static const infogap::Scenario sc = [] {
    infogap::fuzz::init_loader();
    infogap::fuzz::write_mem_file("/vsimem/fuzz_geojson/households.csv", infogap::fuzz::households_csv());
    return infogap::Scenario::from_yaml_string(R"(
name: fuzz geojson
working_crs: "EPSG:32648"
on_bad_rows: reject
hamlets: {path: /vsimem/fuzz_geojson/hamlets.geojson, id: hamlet_id, name: name}
households:
  path: /vsimem/fuzz_geojson/households.csv
  id: household_id
  status: poverty
)",
                                               "/vsimem/fuzz_geojson", "fuzz_geojson.yaml");
  }();
  return sc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const infogap::Scenario& sc = scenario();
  infogap::fuzz::write_mem_file("/vsimem/fuzz_geojson/hamlets.geojson", data, size);
  infogap::Inputs in;
  try {
    in = infogap::load_inputs(sc);
  } catch (const infogap::Error&) {
    return 0;
  }
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto& h = in.hamlets;
  const auto& info = in.layers.at("hamlets");
  std::set<std::int64_t> rejected;
  for (const auto& r : in.rejects)
    if (r.file == sc.hamlets.path && !rejected.insert(r.feature_id).second)
      infogap::fuzz::fail("a hamlet rejected twice", input);
  if (info.features != static_cast<std::int64_t>(h.size()) + static_cast<std::int64_t>(rejected.size()))
    infogap::fuzz::fail("hamlets: features != kept + rejected", input);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < h.size(); ++i) {
    if (h.wkb[i].empty()) infogap::fuzz::fail("kept hamlet without geometry", input);
    if (!std::isfinite(h.area_m2[i]) || h.area_m2[i] < 0) infogap::fuzz::fail("kept hamlet with bad area", input);
    if (h.id[i].empty() || !ids.insert(h.id[i]).second) infogap::fuzz::fail("empty or duplicate hamlet id", input);
  }
  if (in.households_input != static_cast<std::int64_t>(in.households.size()) + in.households_rejected)
    infogap::fuzz::fail("households: input != accepted + rejected", input);
  return 0;
}
