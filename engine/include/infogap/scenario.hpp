#pragma once
/// @file scenario.hpp  The scenario file (DESIGN.md §3): every key, its default, and the parser.
/// Relative paths are resolved against the scenario file's folder when parsed.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace infogap {

/// A parameter that is either a column name or a constant number.
struct ColumnOrNumber {
  std::string column;             ///< non-empty: read from this column
  std::optional<double> value;    ///< set: this constant for every row
  /// True if neither a column nor a number is given.
  bool empty() const noexcept { return column.empty() && !value; }
};

/// Common keys of every input layer.
struct LayerSource {
  std::string path;                ///< absolute after parsing ("" = layer not given)
  std::string layer;               ///< layer name; "" = the first layer
  std::string crs;                 ///< CRS for CSV (default EPSG:4326) or to override a file's CRS
  std::string x = "lon";           ///< CSV x column
  std::string y = "lat";           ///< CSV y column
};

struct HamletsSource : LayerSource {
  std::string id = "hamlet_id";
  std::string name = "name";
  std::vector<std::string> group_by;
};

struct HouseholdsSource : LayerSource {
  std::string id = "household_id";
  std::string status = "poverty";   ///< values poor | near_poor | not_poor
  std::string members;              ///< optional column ("" = absent)
  std::string internet;             ///< optional column: any member uses internet services (0/1)
  std::string devices;              ///< optional column: number of information devices
};

enum class SpeakerModel : std::uint8_t { iso9613, radius };

struct SpeakersSource : LayerSource {
  std::string id = "speaker_id";
  SpeakerModel model = SpeakerModel::iso9613;
  ColumnOrNumber range_m{"", 300.0};
  ColumnOrNumber power_w{"power_w", std::nullopt};
  ColumnOrNumber sensitivity_db{"sensitivity_db", std::nullopt};
  ColumnOrNumber height_m{"height_m", std::nullopt};
  ColumnOrNumber azimuth_deg{"azimuth_deg", std::nullopt};     ///< missing column → omnidirectional
  ColumnOrNumber beamwidth_deg{"beamwidth_deg", std::nullopt}; ///< missing column → 90°
  std::string cluster = "cluster_id";  ///< optional column grouping horns into clusters
};

struct TeamsSource : LayerSource {
  std::string id = "team_id";
  ColumnOrNumber members{"members", std::nullopt};
  ColumnOrNumber reach_m{"", 2000.0};
  ColumnOrNumber households_per_member{"", 40.0};
};

/// Air, ground and listener parameters of the acoustic model (ACOUSTICS.md).
struct AcousticsParams {
  double ambient_dba = 45.0;
  double required_snr_db = 10.0;
  double temperature_c = 28.0;
  double humidity_pct = 80.0;
  double pressure_kpa = 101.325;
  double ground_g = 0.7;
  double receiver_height_m = 1.5;
  double facade_loss_db = 0.0;
  double default_power_w = 30.0;        ///< used when a speaker row has no power
  double default_sensitivity_db = 110.0;
  double default_height_m = 8.0;
  double default_beamwidth_deg = 90.0;
};

struct TargetParams {
  double weight_poor = 1.0;
  double weight_near_poor = 0.5;
  double weight_not_poor = 0.0;
  bool info_deprived_only = false;
};

enum class SolverChoice : std::uint8_t { automatic, exact, heuristic };

struct CandidatesSource : LayerSource {
  std::string id = "candidate_id";
  std::string kind;                          ///< optional column: speaker | team | any
  std::optional<double> grid_m;              ///< grid inside hamlets
  bool hamlet_centroids = false;
};

struct OptimizeParams {
  bool enabled = false;                 ///< true when the scenario has an optimize block
  int new_speakers = 20;
  int new_teams = 5;
  CandidatesSource candidates;          ///< default: hamlet centroids when nothing is given
  double template_power_w = 30.0;
  double template_sensitivity_db = 110.0;
  double template_height_m = 8.0;
  double template_range_m = 300.0;      ///< radius model
  double template_team_members = 7.0;
  std::optional<double> budget_vnd;
  double cost_speaker_vnd = 36000000.0;
  double cost_team_vnd = 20000000.0;
  std::optional<double> coverage_target; ///< fewest sites reaching this share of target weight
  std::map<std::string, double> min_group_coverage;  ///< group column → min share per unit
  SolverChoice solver = SolverChoice::automatic;
  double time_limit_s = 60.0;
};

struct OutputParams {
  std::string dir = "out";              ///< absolute after parsing
  double raster_cell_m = 10.0;
  std::vector<std::string> languages{"vi", "en"};
  std::vector<std::string> formats{"gpkg", "shp", "tif", "csv", "html", "qgis"};
  /// Whether a format is requested.
  bool wants(const std::string& format) const;
};

enum class OnBadRows : std::uint8_t { reject, fail };

/// A parsed scenario with every default filled in.
struct Scenario {
  std::string name = "infogap scenario";
  std::string source_path;             ///< the YAML file ("" when built in code)
  std::string working_crs = "auto";    ///< "auto" or "EPSG:nnnn"
  OnBadRows on_bad_rows = OnBadRows::reject;
  std::uint64_t seed = 42;
  HamletsSource hamlets;
  HouseholdsSource households;
  std::optional<SpeakersSource> speakers;
  std::optional<TeamsSource> teams;
  AcousticsParams acoustics;
  TargetParams target;
  OptimizeParams optimize;
  OutputParams output;

  /// Parses a YAML file. Relative paths resolve against its folder.
  /// @throws InvalidInput (invalid_scenario) for malformed YAML, an unknown key (with the
  ///         nearest valid key suggested), a wrong type or an out-of-range value;
  ///         IoError if the file cannot be read.
  static Scenario from_yaml(const std::string& path);
  /// Parses YAML text; relative paths resolve against base_dir.
  static Scenario from_yaml_string(const std::string& text, const std::string& base_dir,
                                   const std::string& source_name = "<string>");
  /// The scenario after defaults, as YAML text (what summary.json calls "parameters").
  std::string to_yaml() const;
  /// The scenario after defaults as JSON text.
  std::string to_json() const;
};

/// Every key of the scenario file with its default, as "dotted.key" → YAML scalar text
/// (used by the README reference test). Keys whose default is "not set" map to "null".
std::vector<std::pair<std::string, std::string>> scenario_defaults();

}  // namespace infogap
