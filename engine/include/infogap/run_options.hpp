#pragma once
/// @file run_options.hpp  What a run is asked to do beyond its scenario, and how it reports progress.

#include <functional>
#include <optional>
#include <string>

namespace infogap {

/// Progress callback: stage name ("load", "coverage", "optimize", "write") and fraction done in
/// [0, 1]; fractions of a stage only grow. Called from the calling thread only. Return value ignored.
using ProgressFn = std::function<void(const std::string& stage, double fraction)>;

/// Options of a run beyond the scenario.
struct RunOptions {
  std::string output_dir;       ///< non-empty: overrides output.dir
  bool optimize = true;         ///< run the optimizer when the scenario has an optimize block
  bool force_optimize = false;  ///< optimize even without an optimize block (defaults)
  std::optional<int> new_speakers, new_teams;
  std::optional<double> budget;
  bool exact = false;        ///< force the exact solver
  bool write_report = true;  ///< HTML report and QGIS project (when formats ask)
  /// With output.partition_by: "" = every partition and the national roll-up; a partition's value
  /// (or folder name) = that partition's folder `<dir>/<folder>/` alone, exactly as the whole run
  /// writes it (infogap/partition.hpp). Without output.partition_by it must be "".
  std::string partition;
  ProgressFn progress;
};

}  // namespace infogap
