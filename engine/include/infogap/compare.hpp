#pragma once
/// @file compare.hpp  Progress between two runs: `infogap compare BEFORE AFTER -o DIR` (DESIGN.md §5b).
///
/// A side is the output folder of `infogap run/coverage` (its coverage.gpkg and summary.json) or a
/// scenario file, which is run first (coverage only, in memory). Households match by
/// `household_id`, hamlets by `hamlet_id`, group units by name; whatever appears, disappears or
/// changes is counted, never guessed. Each household on either side gets exactly one change class
/// (k_change_classes), so that
///   before = unchanged + newly_reached + newly_unreached + status_changed + removed
///   after  = unchanged + newly_reached + newly_unreached + status_changed + added.
/// Thread safety: reentrant (each call reads its own files).

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "infogap/table.hpp"

namespace infogap {

/// @defgroup compare Progress between two runs
/// @{

/// The change class of a household, one each (column `change` of the households layer):
/// added (after only), removed (before only), newly_reached (reached 0 → 1), newly_unreached
/// (1 → 0), status_changed (same reach, another poverty status), unchanged.
inline constexpr std::array<std::string_view, 6> k_change_classes = {
    "unchanged", "newly_reached", "newly_unreached", "status_changed", "added", "removed"};

/// One side of a comparison: the tables of a run, as its coverage.gpkg holds them.
struct CompareSide {
  std::string label;   ///< "before" or "after"
  std::string source;  ///< the folder or scenario file it came from (absolute)
  std::string kind;    ///< "folder" or "scenario"
  Table hamlets;       ///< the hamlets layer (hamlet_id, name, group columns, figures, geometry)
  Table households;    ///< the households layer (household_id, hamlet_id, poverty, weight, reached, point)
  std::vector<std::string> groupings;   ///< the run's group_by columns (its group layers), in file order
  std::map<std::string, Table> groups;  ///< group layer per grouping (dissolved geometry)
  std::string summary_json;             ///< the run's summary.json text ("" when none)
  int epsg = 0;                         ///< working CRS of the run
};

/// Options of a comparison.
struct CompareOptions {
  /// Whose group units are used: "" = the groupings both sides have, each side's own units;
  /// "before" / "after" = that side's groupings, every hamlet of both sides mapped to that side's
  /// units through the hamlets' columns (e.g. old communes → commune_2025 across the 2025 merger).
  std::string units;
  std::vector<std::string> languages{"vi", "en"};  ///< report languages
  std::string output_dir;                          ///< "" = compute only, write nothing
  unsigned threads = 0;                            ///< for scenarios run first (0 = default)
};

/// Totals of one side over every household (joined or outside every hamlet), as summary.json's coverage.
struct CompareTotals {
  std::int64_t households = 0;         ///< households of the run (joined + outside)
  std::int64_t target_households = 0;  ///< weight > 0
  double target_weight = 0;            ///< their weight
  std::int64_t reached = 0;            ///< target households reached by any channel
  std::int64_t gap_households = 0;     ///< target households not reached
  double gap_weight = 0;               ///< their weight
  double gap_rate = 0;                 ///< gap_weight / target_weight (NaN without target weight)
};

/// Households per change class (keys of k_change_classes), plus how many changed poverty status
/// whatever their reach.
struct ChangeCounts {
  std::map<std::string, std::int64_t> by_class;
  std::int64_t status_differs = 0;  ///< matched households whose poverty status differs
  std::int64_t before = 0, after = 0, matched = 0;
};

/// A comparison.
struct CompareResult {
  std::string units;                    ///< as asked ("", "before", "after")
  std::vector<std::string> groupings;   ///< the groupings compared, in order
  std::vector<std::string> skipped;     ///< groupings of one side only (without --units), with the side
  Table hamlets;                        ///< hamlets layer of change.gpkg
  Table households;                     ///< households layer of change.gpkg
  std::map<std::string, Table> groups;  ///< one per grouping (with geometry where a side has it)
  /// Hamlets whose unit of a grouping could not be found on the units side (grouping → hamlet ids).
  std::map<std::string, std::vector<std::string>> unmapped;
  CompareTotals before, after;
  ChangeCounts households_change;  ///< every household
  ChangeCounts target_change;      ///< households with target weight on either side
  std::int64_t hamlets_added = 0, hamlets_removed = 0, hamlets_matched = 0;
  std::string before_source, after_source;
  int epsg = 0;
  std::string output_dir;          ///< the folder written ("" = none)
  std::vector<std::string> files;  ///< files written there
  std::string summary_json;        ///< summary_change.json text
};

/// Reads one side: a folder (coverage.gpkg + summary.json) or a scenario file (run first, coverage
/// only). @throws IoError (missing file or layer), InvalidInput (a layer lacks a column compare needs)
CompareSide read_compare_side(const std::string& path, const std::string& label, unsigned threads = 0);

/// Compares two sides (no file written). @throws InvalidInput (bad units, different working CRS,
/// duplicate ids)
CompareResult compare(const CompareSide& before, const CompareSide& after, const CompareOptions& options = {});

/// Reads both sides, compares them and, when options.output_dir is set, writes change.gpkg,
/// change_<group>.csv, the .qml styles, report_change.<lang>.html and summary_change.json there,
/// atomically (staged, then moved into place; summary_change.json last).
/// @throws as read_compare_side and compare; InvalidInput if the output folder is a side's folder
CompareResult compare_runs(const std::string& before, const std::string& after, const CompareOptions& options);

/// @}

}  // namespace infogap
