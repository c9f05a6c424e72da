#pragma once
/// @file validate.hpp  The verdict on a scenario's inputs (what `infogap validate` prints and
/// `infogap.validate()` returns): every layer read, every rejected row, and whether a run can use
/// the inputs under the scenario's on_bad_rows policy.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"

namespace infogap {

/// One input layer as read: where from, how many rows, and its rejected rows (file order).
struct LayerValidation {
  std::string name;              ///< the scenario key: hamlets, households, speakers, teams, candidates
  LayerInfo info;                ///< path, layer, driver, CRS, sha256, rows read / kept / rejected
  std::vector<Reject> problems;  ///< the rejected rows of this layer
  /// The reasons its rows were rejected, most rows first, with one example each ("" = none):
  /// "400 of 400 rows rejected: 374 × unknown poverty status … (row 2); …".
  std::string reject_summary;
};

/// Rejected rows of one layer and column (column "" = the row as a whole, e.g. its geometry).
struct RejectGroup {
  std::string layer;
  std::string column;
  std::int64_t rows = 0;
  std::string first_reason;  ///< the reason of the first such row, as an example
};

/// What validate() found.
struct ValidationReport {
  std::string scenario_name;
  std::string scenario_path;  ///< the YAML file ("" when built in code)
  std::string working_crs;
  OnBadRows on_bad_rows = OnBadRows::reject;  ///< the scenario's policy the verdict applies
  std::vector<LayerValidation> layers;        ///< every layer read: hamlets, communes, households, speakers, teams, candidates, then the others
  std::vector<std::string> notes;             ///< loader notes (defaults used, repairs)
  /// Problems that make a layer unusable (a missing column, too many rejected rows, a file that
  /// cannot be read …): every layer is checked, not only up to the first.
  std::vector<InputProblem> problems;
  std::vector<Reject> rejects;              ///< every rejected row, all layers
  std::vector<RejectGroup> reject_summary;  ///< per layer and column, most rows first
  std::int64_t households_input = 0, households_accepted = 0, households_rejected = 0;
  std::int64_t repaired_polygons = 0, dropped_parts = 0;
  double seconds = 0;  ///< time taken to read and check
  /// The inputs are usable: no row was rejected, or on_bad_rows is `reject` (a run drops them).
  bool ok = true;
  /// One line: "inputs are usable (…)" or "NOT usable — …".
  std::string verdict;
};

/// Reads and checks every input layer of the scenario, listing every problem row whatever the
/// on_bad_rows policy, then judges the inputs by that policy. Writes nothing.
/// @throws InvalidInput, IoError for problems that stop the reading (a missing file, a bad CRS, …)
ValidationReport validate(const Scenario& scenario);

/// The report as text (what `infogap validate` prints): layers, notes, at most `show` rejects,
/// the household accounting and the verdict.
std::string format_report(const ValidationReport& report, std::size_t show = 50);

}  // namespace infogap
