#pragma once
/// @file report.hpp  The planner report `report.<lang>.html`: one self-contained, offline HTML file
/// (Leaflet inlined) with headline figures, an interactive map, ranked tables, the marginal-gain curve
/// of proposed sites, parameters, data sources and the method in plain words (DESIGN.md §5).
///
/// The pipeline fills a ReportModel (std types only) and calls write_report once per language.
/// Coordinates in the model are WGS 84 longitude/latitude in degrees (the map is drawn in lon/lat);
/// household counts and weights are as in `hamlet_gaps.csv`.

#include <array>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "infogap/language.hpp"

namespace infogap {

/// One area (hamlet or unit of a group_by column) with its coverage figures, as in `hamlet_gaps.csv`.
struct ReportArea {
  std::string id;                   ///< hamlet_id, or the group value for a group unit
  std::string name;                 ///< display name (may be empty: the id is shown)
  std::vector<std::string> groups;  ///< the hamlet's value of each ReportModel::group_names column, same order
  double households = 0;            ///< all joined households
  double target_households = 0;     ///< households with target weight > 0
  double target_weight = 0;         ///< sum of target weights
  double reached_speaker = 0;       ///< target households reached by a loudspeaker
  double reached_team = 0;          ///< target households reached by a team
  double reached_any = 0;           ///< target households reached by any channel
  double gap_households = 0;        ///< target households not reached
  double gap_weight = 0;            ///< target weight not reached
  double gap_rate = 0;              ///< gap_weight / target_weight; NaN when target_weight == 0
  int rank = 0;                     ///< 1 = largest gap weight; 0 = unranked (the report ranks by gap_weight)
  std::string geojson_geometry;     ///< GeoJSON geometry text in lon/lat (simplified); empty = not drawn
};

/// An existing loudspeaker cluster or community digital-technology team on the map.
struct ReportPoint {
  std::string id;      ///< speaker_id / team_id
  std::string kind;    ///< "speaker" or "team"
  double lon = 0;      ///< degrees, WGS 84
  double lat = 0;      ///< degrees, WGS 84
  double reach_m = 0;  ///< speakers: audible range on axis; teams: reach distance (m); 0 = no circle
  std::string label;   ///< free text shown in the popup (e.g. "2 × 30 W", "7 members")
};

/// A site proposed by the optimizer, in rank (marginal gain) order.
struct ReportSite {
  std::string id;                  ///< site_id
  std::string kind;                ///< "speaker" or "team"
  int rank = 0;                    ///< 1 = first site to build
  double lon = 0;                  ///< degrees, WGS 84
  double lat = 0;                  ///< degrees, WGS 84
  double marginal_weight = 0;      ///< target weight newly reached by this site given the sites before it
  double marginal_households = 0;  ///< target households newly reached by this site
  double cumulative_weight = 0;    ///< target weight newly reached by sites 1..rank
  double cost_vnd = 0;             ///< cost of this site; 0 = no cost given
  double reach_m = 0;              ///< audible range / team reach for the map circle; 0 = none
  std::string hamlet_id;           ///< hamlet that holds the site (may be empty)
  std::string name;                ///< the chosen candidate's name ("" none: the table shows candidate_id)
  std::string candidate_id;        ///< the chosen candidate's id
  std::string type;                ///< the candidate's type (cultural_house, school, hamlet_centre, …)
  std::string hamlet_name;         ///< name of the hamlet that holds the site
  std::string commune_name;        ///< name of that hamlet's commune
};

/// A group unit below its minimum share of target weight reached (optimize.min_group_coverage).
struct ReportShortfall {
  std::string group;       ///< group_by column, e.g. "commune"
  std::string unit;        ///< the unit's value
  double required = 0;     ///< minimum share asked (0..1]
  double share_after = 0;  ///< share reached with the proposed sites
  double reachable = 0;    ///< share reached if every candidate site were built: no placement does better
};

/// A listening condition (acoustics.conditions) and the gap under it.
struct ReportCondition {
  std::string name;
  double share = 0;                 ///< share of broadcasts (weights normalised)
  std::int64_t gap_households = 0;  ///< target households reached by no channel under it
  double gap_weight = 0;
};

/// Everything the report shows. Default-constructed numbers are 0; NaN is shown as "–".
struct ReportModel {
  std::string scenario_name;    ///< scenario `name`
  std::string generated_at;     ///< timestamp text, e.g. "2025-05-01 10:00 +07:00"
  std::string engine_version;   ///< e.g. INFOGAP_VERSION_STRING
  bool synthetic_data = false;  ///< true: a banner says the data are synthetic (infogap synth / bundled data)
  /// Non-empty: the report is the national roll-up of a partitioned run by this column (a note says
  /// so; `groups[rollup_column]` are the partitions, with their outlines).
  std::string rollup_column;
  int rollup_partitions = 0;  ///< number of partitions rolled up
  std::string output_dir;     ///< the folder the run wrote (summary.json "output_dir"); empty = not shown
  std::vector<Language>
      languages;  ///< languages written beside this report, linked as report.<code>.html; may be empty

  // Headline and accounting (households: input = joined + outside + rejected).
  double households_input = 0;     ///< household rows in the input
  double households_joined = 0;    ///< joined to a hamlet
  double households_outside = 0;   ///< inside no hamlet
  double households_rejected = 0;  ///< rejected rows (rejects.csv)
  double households_placed = 0;    ///< households without surveyed location, placed inside their hamlet
  double households_total = 0;     ///< households loaded (surveyed + placed)
  double hamlets_derived = 0;      ///< hamlets whose boundary was derived from their commune
  double hamlets_total = 0;        ///< hamlets loaded
  double target_households = 0;    ///< target households (weight > 0), joined or outside
  double target_weight = 0;        ///< their total weight
  double reached_speaker = 0;      ///< target households reached by a loudspeaker
  double reached_team = 0;         ///< target households reached by a team
  double reached_any = 0;          ///< target households reached by any channel
  double gap_households = 0;       ///< target households not reached
  double gap_weight = 0;           ///< target weight not reached
  /// Target households reached only by a loudspeaker more than ~1 km away (beyond ISO 9613-2's range
  /// of validity); summary.json coverage.reached_beyond_model_validity. 0 = no caveat shown.
  double reached_beyond_validity = 0;
  /// Poverty status ("poor", "near_poor", "not_poor", …) → {households, reached (any channel), gap households}.
  std::map<std::string, std::array<double, 3>> by_status;

  std::vector<ReportArea> hamlets;                        ///< every hamlet (the map and the worst-50 table)
  std::vector<std::string> group_names;                   ///< group_by columns, e.g. commune, district
  std::map<std::string, std::vector<ReportArea>> groups;  ///< group column → its units (geometry may be empty)
  std::vector<ReportPoint> speakers;                      ///< existing loudspeaker clusters
  std::vector<ReportPoint> teams;                         ///< existing teams
  std::vector<ReportSite> proposed;                       ///< proposed sites; empty without an optimize block

  std::string optimizer_solver;             ///< e.g. "cbc", "greedy"; empty without an optimize block
  std::string optimizer_status;             ///< e.g. "optimal", "time_limit"
  double optimizer_objective = 0;           ///< target weight newly reached by the proposed sites
  double optimizer_bound = 0;               ///< upper bound on the objective
  double optimizer_gap = 0;                 ///< relative optimality gap (0.01 = 1 %)
  std::string optimizer_mode;               ///< "counts", "budget" or "coverage_target" (empty: as "counts")
  double optimizer_budget_vnd = 0;          ///< budget in force (mode "budget")
  bool optimizer_speakers = true;           ///< new loudspeakers could be placed (count above 0)
  bool optimizer_teams = true;              ///< new teams could be placed (count above 0)
  bool optimizer_met = true;                ///< false: a coverage target or group minimum is not met (best effort)
  std::string optimizer_message;            ///< the optimizer's own words when not met
  double coverage_target = 0;               ///< share asked (mode "coverage_target"); 0 = none
  double target_share_after = 0;            ///< share of the target weight reached after placement (recomputed)
  double gap_weight_closed = 0;             ///< gap weight closed, coverage recomputed with the proposed sites
  double claimed_gap_weight_closed = 0;     ///< the optimizer's estimate of it
  /// gap_weight_closed channel by channel (PlacementResult::changes, weights): newly heard, newly
  /// served by new teams, by existing teams; no longer heard (echo), left by teams.
  double after_heard = 0, after_new_teams = 0, after_existing_teams = 0, after_lost_to_echo = 0,
         after_left_by_teams = 0;
  double target_reachable_share = 0;        ///< share reached if every candidate site were built
  std::vector<ReportShortfall> shortfalls;  ///< group units below their minimum share
  std::vector<ReportCondition> conditions;  ///< listening conditions; empty without acoustics.conditions
  double expected_gap_weight = 0;           ///< Σ share × gap weight over the conditions

  std::map<std::string, std::string> parameters;             ///< flattened scenario keys → values
  std::vector<std::pair<std::string, std::string>> sources;  ///< layer → "path (sha256 …, N features)"

  // For the method text.
  std::string speaker_model = "iso9613";  ///< "iso9613" or "radius"
  double ambient_dba = 45;                ///< dB(A)
  double required_snr_db = 10;            ///< dB
  double facade_loss_db = 0;              ///< dB
};

/// The report languages, in output order: {vi, en}.
std::vector<Language> report_languages();

/// Renders one self-contained HTML report (Leaflet, styles, scripts and data inline; nothing is fetched).
/// Text is HTML-escaped; the data are embedded as JSON in a `<script type="application/json">` block;
/// numbers are formatted per language (vi: 1.234,5; en: 1,234.5).
/// @throws InvalidInput for a hamlet/group geometry
///         that is not a GeoJSON geometry object
/// Thread safety: reentrant.
std::string render_report_html(const ReportModel& model, Language language);

/// Writes render_report_html(model, language) to `path` atomically (temporary name in the same
/// folder, then rename): a failure never leaves a half-written report.
/// @throws InvalidInput as render_report_html; IoError if the file cannot be written or renamed
void write_report(const ReportModel& model, Language language, const std::string& path);

/// One area (hamlet or group unit) of the change report: its figures before and after.
struct ChangeReportArea {
  std::string id;        ///< hamlet_id or the unit's name ("" = hamlets without a unit)
  std::string name;      ///< display name (may be empty: the id is shown)
  std::string presence;  ///< hamlets: "both", "added" (after only) or "removed" (before only)
  /// households, target_households, target_weight, reached, gap_households, gap_weight, gap_rate
  /// (k_change_measures); gap_rate NaN without target weight.
  std::array<double, 7> before{}, after{};
  std::string geojson_geometry;  ///< GeoJSON geometry in lon/lat; empty = not drawn
};

/// The measures of ChangeReportArea::before/after, in order (the `<name>_before/_after/_delta`
/// columns of change.gpkg).
inline constexpr std::array<const char*, 7> k_change_measures = {
    "households", "target_households", "target_weight", "reached", "gap_households", "gap_weight", "gap_rate"};

/// Everything the change report `report_change.<lang>.html` shows (infogap compare).
struct ChangeReportModel {
  std::string generated_at;                      ///< timestamp text
  std::string engine_version;                    ///< e.g. INFOGAP_VERSION_STRING
  std::string output_dir;                        ///< the folder written; empty = not shown
  std::vector<Language> languages;               ///< languages written beside this report (report_change.<code>.html)
  bool synthetic_data = false;                   ///< either side is synthetic: a banner says so
  std::string before_source, after_source;       ///< folder or scenario of each side
  std::string before_name, after_name;           ///< scenario names (may be empty)
  std::string units;                             ///< "" (each side's own), "before" or "after"
  std::vector<std::string> groupings;            ///< groupings compared
  std::vector<std::string> skipped;              ///< groupings of one side only, e.g. "commune (before only)"
  std::map<std::string, double> unmapped;        ///< grouping → hamlets without a unit on the units side
  std::array<double, 7> before{}, after{};       ///< totals over every household (k_change_measures)
  std::map<std::string, double> classes;         ///< change class → households (every household)
  std::map<std::string, double> target_classes;  ///< change class → households with target weight on a side
  double households_before = 0, households_after = 0;  ///< households of each side
  double status_differs = 0;                           ///< matched households whose poverty status differs
  double hamlets_matched = 0, hamlets_added = 0, hamlets_removed = 0;
  std::vector<ChangeReportArea> hamlets;  ///< every hamlet of either side (map, most improved/worsened)
  std::map<std::string, std::vector<ChangeReportArea>> groups;  ///< grouping → its units
};

/// Renders the change report (headline deltas, the accounting of every household on both sides,
/// a map of the change of gap weight, the hamlets that improved and worsened most, the units of
/// each grouping), self-contained like render_report_html. @throws InvalidInput for a bad geometry
std::string render_change_report_html(const ChangeReportModel& model, Language language);

/// Writes render_change_report_html atomically. @throws InvalidInput, IoError
void write_change_report(const ChangeReportModel& model, Language language, const std::string& path);

}  // namespace infogap
