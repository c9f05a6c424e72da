#pragma once
/// @file layers.hpp  Validated, reprojected input layers in memory (structure of arrays) and
/// the loader that builds them from a Scenario. Coordinates are metres in the working CRS.

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "infogap/scenario.hpp"

namespace infogap {

/// Poverty status of a household (Decree 07/2021/ND-CP).
enum class Poverty : std::uint8_t { poor = 0, near_poor = 1, not_poor = 2 };

/// "poor" | "near_poor" | "not_poor".
const char* to_string(Poverty p) noexcept;

/// Where a hamlet's polygon comes from: the hamlet layer (`given`) or split from its commune
/// among the commune's hamlet points (`derived`, approximate).
enum class GeometrySource : std::uint8_t { given = 0, derived = 1 };
/// "given" | "derived".
const char* to_string(GeometrySource g) noexcept;

/// Where a household's point comes from: the household layer (`surveyed`) or drawn inside its
/// hamlet on the demand surface (`placed`, for rows keyed by hamlet or counts per hamlet).
enum class Location : std::uint8_t { surveyed = 0, placed = 1 };
/// "surveyed" | "placed".
const char* to_string(Location l) noexcept;

/// A row that could not be used. feature_id is the source FID (GDAL) or the 1-based data row (CSV).
struct Reject {
  std::string file;
  std::string layer;
  std::int64_t feature_id = -1;
  std::string id;  ///< the row's id value when readable
  std::string column;
  std::string reason;
};

/// Hamlet polygons (valid after repair), with their attributes.
struct Hamlets {
  std::vector<std::string> id;
  std::vector<std::string> name;
  std::vector<std::string> group_names;          ///< the group_by columns, in order
  std::vector<std::vector<std::string>> groups;  ///< groups[g][i]: value of group g for hamlet i
  std::vector<std::vector<std::uint8_t>> wkb;    ///< polygon / multipolygon, working CRS
  std::vector<double> area_m2;
  /// Per hamlet; empty = every hamlet `given` (layers built in code).
  std::vector<GeometrySource> geometry_source;
  /// Commune of each hamlet (the commune id with a communes block); empty = unknown.
  std::vector<std::string> commune;
  GeometrySource source_of(std::size_t i) const noexcept {
    return i < geometry_source.size() ? geometry_source[i] : GeometrySource::given;
  }
  std::size_t size() const noexcept { return id.size(); }
};

/// Household points.
struct Households {
  std::vector<std::string> id;
  Eigen::VectorXd x_m, y_m;
  std::vector<Poverty> status;
  std::vector<std::int32_t> members;     ///< -1 = unknown
  std::vector<std::int8_t> internet;     ///< 1 uses internet, 0 does not, -1 unknown
  std::vector<std::int32_t> devices;     ///< number of information devices, -1 unknown
  std::vector<std::int64_t> source_row;  ///< FID / CSV row of each household in its file
  /// Per household; empty = every household `surveyed` (layers built in code).
  std::vector<Location> location;
  Location location_of(std::size_t i) const noexcept { return i < location.size() ? location[i] : Location::surveyed; }
  std::size_t size() const noexcept { return id.size(); }
};

/// Loudspeaker horns. Horns with the same cluster id form one cluster (one pole).
struct Speakers {
  std::vector<std::string> id;
  std::vector<std::string> cluster;  ///< cluster id ("" = the horn is its own cluster)
  /// Cluster (pole) of each horn, 0 … clusters − 1 in order of first appearance, computed once by
  /// the loader: horns with the same non-empty cluster id share one; a horn without is its own.
  std::vector<std::int32_t> cluster_index;
  std::size_t clusters = 0;
  Eigen::VectorXd x_m, y_m;
  Eigen::VectorXd power_w, sensitivity_db, height_m;
  Eigen::VectorXd azimuth_deg;  ///< NaN = omnidirectional
  Eigen::VectorXd beamwidth_deg;
  Eigen::VectorXd range_m;  ///< radius model
  std::size_t size() const noexcept { return id.size(); }
};

/// The one rule of cluster identity, applied once by the loader: horns with the same non-empty
/// cluster id form one cluster (pole); a horn without one is its own cluster, never merged with a
/// cluster that happens to share its id. Fills cluster_index and clusters.
void assign_clusters(Speakers& speakers);

/// Community digital-technology teams.
struct Teams {
  std::vector<std::string> id;
  Eigen::VectorXd x_m, y_m;
  Eigen::VectorXd members, reach_m, households_per_member;
  /// What a new team takes (resolved once by the loader): the scenario's number when it gives
  /// one, else the median of the existing teams' values of the column, else the default.
  double typical_reach_m = 0, typical_households_per_member = 0;
  std::size_t size() const noexcept { return id.size(); }
};

/// Candidate sites for new equipment (points).
struct Candidates {
  std::vector<std::string> id;
  std::vector<std::string> kind;  ///< "speaker", "team" or "any"
  std::vector<std::string> name;  ///< the site's name ("" when the layer has none)
  std::vector<std::string> type;  ///< the site's type: cultural_house, school, … ("" when none)
  Eigen::VectorXd x_m, y_m;
  std::size_t size() const noexcept { return id.size(); }
};

/// A problem that makes one layer unusable: a missing file or column, too many rejected rows.
struct InputProblem {
  std::string layer;    ///< "hamlets", "households", ...
  std::string message;  ///< the error as the CLI prints it (file, layer, column, reason)
};

/// What was read from one layer.
struct LayerInfo {
  std::string path;
  std::string layer;
  std::string sha256;
  std::int64_t features = 0;  ///< rows read
  std::int64_t accepted = 0;  ///< rows kept
  std::string source_crs;     ///< e.g. "EPSG:4326"
  std::string crs_name;       ///< e.g. "WGS 84" (PROJ's name of source_crs)
  std::string driver;         ///< GDAL driver, e.g. "GPKG", "CSV"
  std::int64_t rejected = 0;  ///< rows rejected (features = accepted + rejected)
};

/// Everything loaded from a scenario, validated and in the working CRS.
struct Inputs {
  std::string working_crs;  ///< "EPSG:32648"
  int working_epsg = 0;
  Hamlets hamlets;
  Households households;
  Speakers speakers;
  Teams teams;
  Candidates candidates;
  std::vector<Reject> rejects;
  std::int64_t repaired_polygons = 0;
  std::int64_t dropped_parts = 0;           ///< non-polygonal parts dropped by repair
  std::map<std::string, LayerInfo> layers;  ///< "hamlets", "households", "speakers", "teams", "candidates"
  std::int64_t households_input = 0;        ///< rows in the household layer
  std::int64_t households_rejected = 0;
  std::int64_t households_placed = 0;  ///< households drawn inside their hamlet (location placed)
  std::int64_t hamlets_derived = 0;    ///< hamlets whose polygon was derived from their commune
  /// The communes layer's (id, name) rows, when the scenario has a communes block.
  std::vector<std::pair<std::string, std::string>> communes;
  /// Things worth telling the user that are not errors (a default used for a missing optional
  /// column, how the working CRS was chosen), in load order.
  std::vector<std::string> notes;
  /// Problems that make a layer unusable (check_inputs only; load_inputs throws the first).
  std::vector<InputProblem> problems;
};

/// Loads and validates every layer of the scenario: reads (GDAL), reprojects (PROJ), repairs
/// polygons (GEOS MakeValid), rejects unusable rows. With on_bad_rows: fail, the first reject
/// becomes an InvalidInput.
/// @param progress called with the fraction loaded (0…1) after each layer, weighted by its usual
///        share of the time (households most); may be empty
/// A layer with more than scenario.max_rejected_share of its rows rejected is an InvalidInput
/// naming the commonest reasons (and a hint when x and y look swapped).
/// @throws IoError (missing/unreadable file), InvalidInput (missing layer or column, no CRS,
///         empty hamlet layer, bad rows with on_bad_rows: fail), Error(crs)
Inputs load_inputs(const Scenario& scenario, const std::function<void(double)>& progress = {});

/// Like load_inputs, but checks every layer: a problem that makes one layer unusable (missing
/// column, more than max_rejected_share of its rows rejected, unreadable file) goes to
/// Inputs::problems and the next layer is still read (what `validate` prints). Stops after the
/// hamlets when they are unusable (no working CRS without them).
Inputs check_inputs(const Scenario& scenario, const std::function<void(double)>& progress = {});

/// Fail fast (DESIGN.md §3): every layer of the scenario opens, has a CRS (its own or the
/// scenario's) and every column the scenario names, read from the layers' headers — no row is read.
/// load_inputs and check_inputs run it first. @throws IoError, InvalidInput as load_inputs
void check_layer_headers(const Scenario& scenario);

/// Fail fast (DESIGN.md §3): with `tif` among the formats, the rasters of the hamlets' extent (from
/// the layer's header; partitioned, of each partition's hamlets) at output.raster_cell_m are within
/// what the raster writer writes (Grid::covering, the writer's own rule). No household is read.
/// @throws InvalidInput naming the extent, its size and the cell size
void check_raster_size(const Scenario& scenario);

/// The rejects of one layer ("households", ...) in a line: "400 of 400 rows rejected: 372 ×
/// <reason> (e.g. feature 2); …", the `top` commonest kinds of reason first; "" when none.
std::string describe_layer_rejects(const Inputs& inputs, const std::string& key, std::size_t top = 3);

/// Writes rejects as CSV (file, layer, feature_id, id, column, reason), UTF-8, atomically.
void write_rejects_csv(const std::vector<Reject>& rejects, const std::string& path);

}  // namespace infogap
