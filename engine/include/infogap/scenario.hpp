#pragma once
/// @file scenario.hpp  The scenario file (DESIGN.md §3): every key, its default, and the parser.
/// Relative paths are resolved against the scenario file's folder when parsed.
/// Each struct member is one YAML key of the same name unless its comment says otherwise
/// ("key: ..."); the initialisers are the documented defaults.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace infogap {

/// A parameter that is either a column name or a constant number.
struct ColumnOrNumber {
  std::string column;           ///< non-empty: read from this column
  std::optional<double> value;  ///< set: this constant for every row
  /// Not a key: the scenario file itself named `column` (set by the parser). A named column
  /// the layer lacks is an error; a default column name that is absent falls back to the default.
  bool named = false;
  /// True if neither a column nor a number is given.
  bool empty() const noexcept { return column.empty() && !value; }
  /// Equality of column and value (`named` records where they came from, not what they are).
  bool operator==(const ColumnOrNumber& o) const noexcept { return column == o.column && value == o.value; }
};

/// Common keys of every input layer.
struct LayerSource {
  std::string path;   ///< absolute after parsing ("" = layer not given)
  std::string layer;  ///< layer name; "" = the first layer
  /// CRS for CSV or to override a file's CRS; "" = the file's own. The parser sets
  /// "EPSG:4326" when the path ends in .csv and no crs is given.
  std::string crs;
  std::string x = "lon";  ///< CSV x column
  std::string y = "lat";  ///< CSV y column
  /// Member-wise equality.
  bool operator==(const LayerSource&) const = default;
};

/// Key `hamlets`: the hamlet polygons.
struct HamletsSource : LayerSource {
  std::string id = "hamlet_id";       ///< id column
  std::string name = "name";          ///< name column ("" = no names)
  std::vector<std::string> group_by;  ///< grouping columns (commune, district, ...)
  /// Column naming each hamlet's commune (the communes' id or name, matched tolerantly); "" = by
  /// containment of the hamlet point in a commune polygon. Used only with a communes block.
  std::string commune;
  /// Member-wise equality.
  bool operator==(const HamletsSource&) const = default;
};

/// Key `communes` (optional): commune polygons. With it, hamlets may be points (one per hamlet):
/// each commune is split among its hamlet points (Voronoi clipped to the commune).
struct CommunesSource : LayerSource {
  std::string id = "commune_id";  ///< id column
  std::string name = "name";      ///< name column ("" = no names)
  /// Member-wise equality.
  bool operator==(const CommunesSource&) const = default;
};

/// Key `households.counts`: households given as counts per hamlet (one row per hamlet).
struct HouseholdCounts {
  std::string total;      ///< column: households in the hamlet ("" = not counts)
  std::string poor;       ///< column: poor households among them ("" = 0)
  std::string near_poor;  ///< column: near-poor households among them ("" = 0)
  /// Member-wise equality.
  bool operator==(const HouseholdCounts&) const = default;
};

/// Key `households`: the household points.
struct HouseholdsSource : LayerSource {
  std::string id = "household_id";  ///< id column
  /// Values poor | near_poor | not_poor, or as Vietnamese lists write them, any case, with or
  /// without diacritics and the "Hộ" prefix: nghèo → poor, cận nghèo → near_poor, không nghèo /
  /// thoát nghèo / thoát cận nghèo → not_poor.
  std::string status = "poverty";
  /// Key households.status_values: other labels of the status column → poor | near_poor |
  /// not_poor (compared like the built-in ones: any case, diacritics optional).
  std::map<std::string, std::string> status_values;
  std::string members;   ///< optional column ("" = absent)
  std::string internet;  ///< optional column: any member uses internet (1/0, có/không, x/empty, yes/no)
  std::string devices;   ///< optional column: number of information devices
  /// Rows without coordinates, keyed by this hamlet id column ("" = not used). Such households
  /// are placed inside their hamlet (DESIGN.md §3 "demand").
  std::string hamlet;
  std::string commune;      ///< rows keyed by commune + hamlet name: the commune column
  std::string hamlet_name;  ///< rows keyed by commune + hamlet name: the hamlet name column
  HouseholdCounts counts;   ///< counts per hamlet (rows keyed by `hamlet` or commune + hamlet_name)
  /// True if the households are listed or counted per hamlet rather than located.
  bool keyed_by_hamlet() const { return !hamlet.empty() || !hamlet_name.empty() || !counts.total.empty(); }
  /// Member-wise equality.
  bool operator==(const HouseholdsSource&) const = default;
};

/// Key `demand`: where households without coordinates are placed inside their hamlet.
struct DemandSource {
  /// Building footprints (polygon layer): households go into footprints, drawn with weight by
  /// area, one per footprint while footprints last. No path: uniform inside the hamlet.
  LayerSource footprints;
  /// Population raster (GeoTIFF or any GDAL raster, band 1): households are drawn on its cells,
  /// weighted by value, uniformly inside the drawn cell. "" = none. Absolute after parsing.
  std::string raster;
  /// Member-wise equality.
  bool operator==(const DemandSource&) const = default;
};

/// Key `speakers.model`: how speaker reach is computed (YAML values `iso9613`, `radius`).
enum class SpeakerModel : std::uint8_t { iso9613, radius };

/// Key `speakers` (optional): loudspeaker horns.
struct SpeakersSource : LayerSource {
  std::string id = "speaker_id";                                  ///< id column
  SpeakerModel model = SpeakerModel::iso9613;                     ///< reach model
  ColumnOrNumber range_m{"", 300.0};                              ///< radius model reach, m
  ColumnOrNumber power_w{"power_w", std::nullopt};                ///< empty → acoustics.default_power_w
  ColumnOrNumber sensitivity_db{"sensitivity_db", std::nullopt};  ///< dB SPL at 1 m / 1 W; empty → default
  ColumnOrNumber height_m{"height_m", std::nullopt};              ///< horn height, m; empty → default
  ColumnOrNumber azimuth_deg{"azimuth_deg", std::nullopt};        ///< missing column → omnidirectional
  ColumnOrNumber beamwidth_deg{"beamwidth_deg", std::nullopt};    ///< missing column → 90°
  std::string cluster = "cluster_id";                             ///< optional column grouping horns into clusters
  /// Member-wise equality.
  bool operator==(const SpeakersSource&) const = default;
};

/// Key `teams` (optional): community digital-technology teams.
struct TeamsSource : LayerSource {
  std::string id = "team_id";                       ///< id column
  ColumnOrNumber members{"members", std::nullopt};  ///< team size
  ColumnOrNumber reach_m{"", 2000.0};               ///< distance a team reaches, m
  ColumnOrNumber households_per_member{"", 40.0};   ///< capacity per member
  /// Member-wise equality.
  bool operator==(const TeamsSource&) const = default;
};

/// Key `acoustics.multi_cluster`: how the speech of several clusters (poles) combines at a
/// listener (YAML values `u50`, `energy_sum`, `loudest`; docs/ACOUSTICS.md "Several clusters").
enum class MultiCluster : std::uint8_t { u50, energy_sum, loudest };

/// Key `acoustics`: air, ground and listener parameters of the acoustic model (ACOUSTICS.md).
/// One entry of `acoustics.conditions`: a named listening condition (e.g. morning, market, indoors)
/// that overrides some of the acoustics keys for a share of the broadcasts (ACOUSTICS.md).
struct ListeningCondition {
  std::string name;                         ///< key name: a plain name, unique in the list
  double weight = 1.0;                      ///< key weight (> 0): share of broadcasts, normalised over the list
  std::optional<double> ambient_dba;        ///< key ambient_dba; unset = the acoustics value
  std::optional<double> required_snr_db;    ///< key required_snr_db
  std::optional<double> temperature_c;      ///< key temperature_c
  std::optional<double> humidity_pct;       ///< key humidity_pct
  std::optional<double> facade_loss_db;     ///< key facade_loss_db
  std::optional<double> receiver_height_m;  ///< key receiver_height_m
  /// Member-wise equality.
  bool operator==(const ListeningCondition&) const = default;
};

struct AcousticsParams {
  double ambient_dba = 45.0;                       ///< ambient noise, dB(A)
  double required_snr_db = 10.0;                   ///< speech must exceed ambient by this, dB
  double temperature_c = 28.0;                     ///< air temperature, °C, in [-40, 60]
  double humidity_pct = 80.0;                      ///< relative humidity, %, in [0, 100]
  double pressure_kpa = 101.325;                   ///< air pressure, kPa, in [50, 110]
  double ground_g = 0.7;                           ///< ISO 9613-2 ground factor G in [0, 1]
  double receiver_height_m = 1.5;                  ///< listener height, m
  double facade_loss_db = 0.0;                     ///< subtracted from the level at the receiver, dB
  double default_power_w = 30.0;                   ///< used when a speaker row has no power
  double default_sensitivity_db = 110.0;           ///< used when a speaker row has no sensitivity, dB
  double default_height_m = 8.0;                   ///< used when a speaker row has no height, m
  double default_beamwidth_deg = 90.0;             ///< used when a speaker row has no beamwidth, degrees
  MultiCluster multi_cluster = MultiCluster::u50;  ///< how several clusters combine at a listener
  /// Key acoustics.conditions: named listening conditions; empty = the values above only. Each
  /// household then also gets a reach flag per condition and a weighted reached share.
  std::vector<ListeningCondition> conditions;
  /// Member-wise equality.
  bool operator==(const AcousticsParams&) const = default;
  /// These parameters with a condition's overrides applied (its conditions list left empty).
  AcousticsParams under(const ListeningCondition& c) const {
    AcousticsParams a = *this;
    a.conditions.clear();
    a.ambient_dba = c.ambient_dba.value_or(ambient_dba);
    a.required_snr_db = c.required_snr_db.value_or(required_snr_db);
    a.temperature_c = c.temperature_c.value_or(temperature_c);
    a.humidity_pct = c.humidity_pct.value_or(humidity_pct);
    a.facade_loss_db = c.facade_loss_db.value_or(facade_loss_db);
    a.receiver_height_m = c.receiver_height_m.value_or(receiver_height_m);
    return a;
  }
  /// Weight of condition k as a share of the list's total weight (1 without conditions).
  double condition_share(std::size_t k) const {
    if (conditions.empty()) return 1.0;
    double total = 0.0;
    for (const auto& c : conditions) total += c.weight;
    return conditions[k].weight / total;
  }
};

/// Key `target`: who counts and how much.
struct TargetParams {
  double weight_poor = 1.0;         ///< key target.weights.poor
  double weight_near_poor = 0.5;    ///< key target.weights.near_poor
  double weight_not_poor = 0.0;     ///< key target.weights.not_poor
  bool info_deprived_only = false;  ///< only households deprived on an information indicator
  /// Member-wise equality.
  bool operator==(const TargetParams&) const = default;
};

/// Key `optimize.objective` (YAML values `expected`, `worst_case`).
enum class PlacementObjective : std::uint8_t { expected, worst_case };

/// Key `optimize.solver` (YAML values `auto`, `exact`, `heuristic`).
enum class SolverChoice : std::uint8_t { automatic, exact, heuristic };

/// Key `optimize.candidates`: where new sites may go. Nothing given → hamlet centroids.
struct CandidatesSource : LayerSource {
  std::string id = "candidate_id";  ///< id column
  std::string kind;                 ///< optional column: speaker | team | any
  /// Optional columns naming each site for a planner (proposed sites carry them): its name
  /// ("Nhà văn hóa ấp 3") and its type (cultural_house, school, …). Under the default names a
  /// missing column is no error; "" = none.
  std::string name = "name";
  std::string type = "type";
  std::optional<double> grid_m;   ///< grid inside hamlets
  bool hamlet_centroids = false;  ///< one candidate at each hamlet centroid
  /// Member-wise equality.
  bool operator==(const CandidatesSource&) const = default;
};

/// Key `optimize` (optional block): placement of new speakers and teams.
struct OptimizeParams {
  /// True when the scenario has an optimize block. Key optimize.enabled (extra key, default
  /// true inside a given block) lets a scenario keep its settings but switch optimizing off.
  bool enabled = false;
  int new_speakers = 20;                             ///< speakers to place (MCLP)
  int new_teams = 5;                                 ///< teams to place (MCLP)
  CandidatesSource candidates;                       ///< default: hamlet centroids when nothing is given
  double template_power_w = 30.0;                    ///< key optimize.speaker_template.power_w
  double template_sensitivity_db = 110.0;            ///< key optimize.speaker_template.sensitivity_db
  double template_height_m = 8.0;                    ///< key optimize.speaker_template.height_m
  double template_range_m = 300.0;                   ///< key optimize.speaker_template.range_m (radius model)
  double template_team_members = 7.0;                ///< key optimize.team_template.members
  std::optional<double> budget_vnd;                  ///< key optimize.budget; replaces the counts (0 still: kind out)
  double cost_speaker_vnd = 36000000.0;              ///< key optimize.costs.speaker
  double cost_team_vnd = 20000000.0;                 ///< key optimize.costs.team
  std::optional<double> coverage_target;             ///< fewest sites reaching this share of target weight
  std::map<std::string, double> min_group_coverage;  ///< group column → min share per unit
  SolverChoice solver = SolverChoice::automatic;     ///< exact (CBC), heuristic, or auto
  /// Key optimize.objective: with acoustics.conditions, what a new site gains — the expected
  /// weight newly reached (Σ share × weight over the conditions) or the weight of households
  /// newly reached under every condition. Without conditions both are the plain gain.
  PlacementObjective objective = PlacementObjective::expected;
  double time_limit_s = 60.0;  ///< solver time limit, s
  /// Key optimize.echo_rounds: how many solves learn what the proposed loudspeakers' echoes do
  /// before the proposal is valued with them (acoustics.multi_cluster u50, iso9613, without
  /// conditions; DESIGN §4). 1: one solve, valued with its poles' echoes; 0: echoes not heard (each
  /// new pole counted alone against the existing sound, the claim may exceed the recomputation).
  int echo_rounds = 1;
  /// Most rounds optimize.echo_rounds may ask for, and most a fewest-sites plan (or one under group
  /// minimums) may take when its valuation falls short of what its round met.
  static constexpr int k_max_echo_rounds = 20;
  /// Member-wise equality.
  bool operator==(const OptimizeParams&) const = default;
};

/// Key `output`.
struct OutputParams {
  std::string dir = "out";                                                        ///< absolute after parsing
  double raster_cell_m = 10.0;                                                    ///< raster cell size, m (> 0)
  std::vector<std::string> languages{"vi", "en"};                                 ///< report languages: vi, en
  std::vector<std::string> formats{"gpkg", "shp", "tif", "csv", "html", "qgis"};  ///< outputs
  /// A hamlets.group_by column: one complete output folder per value of it (`<dir>/<folder>/`)
  /// plus a national roll-up in `dir` (DESIGN.md §5 "Partitioned runs"). "" = one folder.
  std::string partition_by;
  /// Whether a format is requested.
  bool wants(const std::string& format) const;
  /// Member-wise equality.
  bool operator==(const OutputParams&) const = default;
};

/// Key `on_bad_rows` (YAML values `reject`, `fail`).
enum class OnBadRows : std::uint8_t { reject, fail };

/// A folder that rides along with a scenario for messages only: equal to any other.
struct MessageFolder {
  std::string path;
  bool operator==(const MessageFolder&) const noexcept { return true; }
};

/// A parsed scenario with every default filled in.
struct Scenario {
  std::string name = "infogap scenario";      ///< shown in reports
  std::string source_path;                    ///< the YAML file, absolute ("" when built in code); not a key
  std::string working_crs = "auto";           ///< "auto" or "EPSG:nnnn"
  OnBadRows on_bad_rows = OnBadRows::reject;  ///< what to do with unusable rows
  /// A layer with a larger share of rejected rows stops the run (a wrong column, label or CRS
  /// rather than a few bad rows), in [0, 1].
  double max_rejected_share = 0.1;
  /// More than this share of the accepted households outside every hamlet stops the run (the
  /// layers do not overlap: a wrong CRS or file), in [0, 1].
  double max_outside_share = 0.2;
  std::uint64_t seed = 42;                 ///< seed of every random choice
  bool synthetic = false;                  ///< the data are synthetic: the report says so in a banner
  HamletsSource hamlets;                   ///< required: hamlets.path
  HouseholdsSource households;             ///< required: households.path
  std::optional<CommunesSource> communes;  ///< set when the file has a communes block
  DemandSource demand;                     ///< placement of households without coordinates
  std::optional<SpeakersSource> speakers;  ///< set when the file has a speakers block
  std::optional<TeamsSource> teams;        ///< set when the file has a teams block
  AcousticsParams acoustics;               ///< acoustic model parameters
  TargetParams target;                     ///< target weights
  OptimizeParams optimize;                 ///< placement (enabled when the file has an optimize block)
  OutputParams output;                     ///< output folder, formats, languages
  /// The folder relative paths were resolved against (absolute; empty when built in code). Not a
  /// key and not part of equality: error messages name it ("file not found … relative paths
  /// resolve against …").
  MessageFolder base_dir;

  /// Parses a YAML file. Relative paths resolve against its folder.
  /// @throws InvalidInput (invalid_scenario) for malformed YAML, an unknown key (with the
  ///         nearest valid key suggested), a wrong type or an out-of-range value;
  ///         IoError if the file cannot be read.
  static Scenario from_yaml(const std::string& path);
  /// Parses YAML text; relative paths resolve against base_dir (the current directory if
  /// empty). source_name names the text in error messages; source_path stays "".
  static Scenario from_yaml_string(const std::string& text, const std::string& base_dir,
                                   const std::string& source_name = "<string>");
  /// The scenario after defaults, as YAML text (what summary.json calls "parameters"): every
  /// key in a stable order, unset ones as null (absent speakers/teams blocks as `speakers: null`).
  /// from_yaml_string(to_yaml(), ...) gives back an equal scenario (source_path aside).
  std::string to_yaml() const;
  /// The scenario after defaults as JSON text, same keys and order as to_yaml().
  std::string to_json() const;
  /// Member-wise equality (source_path included).
  bool operator==(const Scenario&) const = default;
};

/// Every key of the scenario file with its default, as "dotted.key" → YAML scalar text
/// (used by the README reference test). Keys whose default is "not set" map to "null"; lists
/// are flow text ("[vi, en]"), an empty map "{}". Derived from a default Scenario (with default
/// speakers and teams blocks) through to_yaml's tree, so it cannot drift from the parser defaults.
std::vector<std::pair<std::string, std::string>> scenario_defaults();

}  // namespace infogap
