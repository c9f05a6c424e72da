// One side of a comparison: a run's output folder (coverage.gpkg + summary.json, read through GDAL)
// or a scenario file, run first through the facade (coverage only, in memory).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/proj/transformer.hpp"
#include "infogap/compare.hpp"
#include "infogap/engine.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "infogap/scenario.hpp"
#include "output/staging.hpp"

namespace fs = std::filesystem;

namespace infogap {
namespace {

/// Layers of coverage.gpkg that are not groupings.
const std::set<std::string>& non_group_layers() {
  static const std::set<std::string> names{"hamlets", "households",     "speakers",
                                           "teams",   "proposed_sites", "layer_styles"};
  return names;
}

/// The columns compare reads from each layer; a missing one is an error naming file, layer and column.
void require_columns(const Table& t, const std::vector<std::string>& columns, const std::string& file,
                     const std::string& layer) {
  for (const auto& c : columns) {
    if (!t.find(c))
      throw InvalidInput(
          ErrorCode::invalid_input,
          "the layer has no column '" + c + "': is this a coverage.gpkg written by infogap run/coverage?",
          {file, layer, c, {}});
  }
}

const std::vector<std::string>& hamlet_columns() {
  static const std::vector<std::string> c{"hamlet_id",   "households",     "target_households", "target_weight",
                                          "reached_any", "gap_households", "gap_weight"};
  return c;
}
const std::vector<std::string>& household_columns() {
  static const std::vector<std::string> c{"household_id", "hamlet_id", "poverty", "weight", "reached"};
  return c;
}

bool is_scenario_file(const fs::path& p) {
  std::error_code ec;
  if (!fs::is_regular_file(p, ec)) return false;
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == ".yaml" || ext == ".yml";
}

CompareSide read_folder(const fs::path& dir, const std::string& label) {
  CompareSide side;
  side.label = label;
  side.kind = "folder";
  side.source = dir.string();
  const std::string gpkg = (dir / "coverage.gpkg").string();
  std::error_code ec;
  if (!fs::exists(gpkg, ec))
    throw IoError(ErrorCode::io,
                  label +
                      ": no coverage.gpkg in this folder; give the output folder of `infogap run` or `infogap "
                      "coverage` (with gpkg in output.formats), or a scenario file",
                  {gpkg, "", "", {}});
  const std::vector<std::string> layers = detail::list_layers(gpkg);
  auto read = [&](const std::string& layer, const std::vector<std::string>& columns = {}) {
    if (std::find(layers.begin(), layers.end(), layer) == layers.end())
      throw InvalidInput(ErrorCode::invalid_input, label + ": coverage.gpkg has no layer '" + layer + "'",
                         {gpkg, layer, "", {}});
    detail::VectorReadOptions o;
    o.path = gpkg;
    o.layer = layer;
    o.text_columns = {"hamlet_id", "household_id"};
    o.columns = columns;  // households: only what compare matches on (GDAL skips the rest)
    return detail::read_vector(o);
  };
  detail::VectorData hamlets = read(std::string("hamlets"));
  require_columns(hamlets.table, hamlet_columns(), gpkg, "hamlets");
  side.epsg = detail::epsg_of(hamlets.crs);
  side.hamlets = std::move(hamlets.table);
  detail::VectorData households = read(std::string("households"), household_columns());
  require_columns(households.table, household_columns(), gpkg, "households");
  side.households = std::move(households.table);
  for (const auto& layer : layers) {
    if (non_group_layers().count(layer) != 0) continue;
    detail::VectorData g = read(layer);
    // A grouping layer is named after its column, which the hamlets layer has too.
    if (!g.table.find(layer) || !side.hamlets.find(layer)) continue;
    side.groupings.push_back(layer);
    side.groups.emplace(layer, std::move(g.table));
  }
  std::ifstream f(dir / "summary.json", std::ios::binary);
  if (f) {
    std::ostringstream s;
    s << f.rdbuf();
    side.summary_json = s.str();
  }
  return side;
}

CompareSide run_scenario(const fs::path& path, const std::string& label, unsigned threads) {
  if (threads > 0) set_threads(threads);
  Engine engine(Scenario::from_yaml(path.string()));
  engine.coverage();
  CompareSide side;
  side.label = label;
  side.kind = "scenario";
  side.source = path.string();
  side.epsg = engine.inputs().working_epsg;
  side.hamlets = engine.table("hamlets");
  side.households = engine.table("households");
  for (const auto& g : engine.scenario().hamlets.group_by) {
    side.groupings.push_back(g);
    side.groups.emplace(g, engine.table(g));
  }
  side.summary_json = engine.summary_json();
  return side;
}

}  // namespace

CompareSide read_compare_side(const std::string& path, const std::string& label, unsigned threads) {
  const fs::path p = detail::normal_path(path);
  std::error_code ec;
  if (fs::is_directory(p, ec)) return read_folder(p, label);
  if (is_scenario_file(p)) return run_scenario(p, label, threads);
  throw IoError(ErrorCode::io,
                label +
                    ": not a run's output folder nor a scenario file (.yaml); give the folder `infogap run -o` "
                    "wrote, or a scenario",
                {path, "", "", {}});
}

}  // namespace infogap
