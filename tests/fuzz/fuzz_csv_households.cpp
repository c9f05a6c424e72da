// Fuzz target: the household layer as a CSV file, through the real loader (load_inputs: GDAL's CSV
// driver, number/flag/status parsing, coordinate checks, reprojection, rejects). The input bytes are
// the CSV file; the hamlet layer is fixed. Oracles: load_inputs returns or throws infogap::Error, and
// on success the accounting holds (input = accepted + rejected, every reject of the layer listed
// once, every accepted household has finite coordinates and a known status).
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "fuzz_support.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"

namespace {

const infogap::Scenario& scenario() {
  static const infogap::Scenario sc = [] {
    infogap::fuzz::init_loader();
    infogap::fuzz::write_mem_file("/vsimem/fuzz_csv/hamlets.geojson", infogap::fuzz::hamlets_geojson());
    return infogap::Scenario::from_yaml_string(R"(
name: fuzz csv households
working_crs: "EPSG:32648"
on_bad_rows: reject
hamlets: {path: /vsimem/fuzz_csv/hamlets.geojson, id: hamlet_id, name: name}
households:
  path: /vsimem/fuzz_csv/households.csv
  id: household_id
  status: poverty
  members: members
  internet: uses_internet
  devices: info_devices
)",
                                               "/vsimem/fuzz_csv", "fuzz_csv.yaml");
  }();
  return sc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const infogap::Scenario& sc = scenario();
  infogap::fuzz::write_mem_file("/vsimem/fuzz_csv/households.csv", data, size);
  infogap::Inputs in;
  try {
    in = infogap::load_inputs(sc);
  } catch (const infogap::Error&) {
    return 0;  // e.g. no coordinate column: a clear error is a correct answer
  }
  const std::string input(reinterpret_cast<const char*>(data), size);
  const auto& h = in.households;
  if (in.households_input != static_cast<std::int64_t>(h.size()) + in.households_rejected)
    infogap::fuzz::fail("households: input != accepted + rejected", input);
  std::set<std::int64_t> rejected_rows;
  std::int64_t listed = 0;
  for (const auto& r : in.rejects) {
    if (r.file != sc.households.path) continue;
    ++listed;
    if (!rejected_rows.insert(r.feature_id).second) infogap::fuzz::fail("a household row rejected twice", input);
    if (r.reason.empty()) infogap::fuzz::fail("a reject without a reason", input);
  }
  if (listed != in.households_rejected) infogap::fuzz::fail("rejects listed != households_rejected", input);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < h.size(); ++i) {
    const auto k = static_cast<Eigen::Index>(i);
    if (!std::isfinite(h.x_m[k]) || !std::isfinite(h.y_m[k])) infogap::fuzz::fail("accepted household with NaN x/y", input);
    if (h.id[i].empty() || !ids.insert(h.id[i]).second) infogap::fuzz::fail("empty or duplicate accepted id", input);
    if (rejected_rows.count(h.source_row[i]) != 0) infogap::fuzz::fail("a row both accepted and rejected", input);
    if (h.members[i] < -1 || h.devices[i] < -1) infogap::fuzz::fail("negative count accepted", input);
  }
  return 0;
}
