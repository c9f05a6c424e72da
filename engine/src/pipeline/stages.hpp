#pragma once
// Private: the stages behind Engine (placement glue and output writing).
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "infogap/coverage.hpp"
#include "infogap/engine.hpp"
#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"
#include "infogap/table.hpp"

namespace infogap::detail {

/// Builds candidates and the sparse coverage matrix, runs the optimizer, recomputes coverage after.
PlacementResult run_placement(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                              const RunOptions& options);

/// Progress within the write stage: each step has a weight (about its share of the time on the
/// province at 10 m) and the stage's fraction is the weight done so far. Fractions only grow.
class WriteProgress {
 public:
  /// steps: (name, weight) of the steps this run will take; fn may be empty (then a no-op).
  WriteProgress(ProgressFn fn, std::vector<std::pair<std::string, double>> steps);
  /// Step `name` is fraction f ∈ [0, 1] done. Unknown names are ignored.
  void at(const std::string& name, double f);
  void done(const std::string& name) { at(name, 1.0); }
  /// A callback reporting fractions of step `name` (for write_raster and the like).
  std::function<void(double)> within(const std::string& name);

 private:
  ProgressFn m_fn;
  std::vector<std::pair<std::string, double>> m_steps;
  double m_total = 0.0, m_last = -1.0;
};

/// Refuses an output folder that holds an input file (a run never writes over its own inputs).
/// @throws InvalidInput naming the input file
void check_output_dir(const Scenario& scenario, const std::string& dir);

/// Writes every requested output into dir: files are staged in a hidden folder inside dir and
/// renamed into place when complete, summary.json last. summary() is called at the very end.
void write_outputs(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                   const PlacementResult* placement, const std::string& dir, const RunOptions& options,
                   const std::function<std::string()>& summary, std::map<std::string, double>& timings);

}  // namespace infogap::detail

namespace infogap::detail {
/// Default QGIS style (QML) of a coverage.gpkg layer, in the scenario's first language ("" = none).
std::string style_for_layer(const Scenario& scenario, const std::string& layer);
/// Rasters, shapefiles, HTML reports and the QGIS project (these two only if with_report),
/// written into the staging folder.
void write_extra_outputs(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                         const PlacementResult* placement, const Table& hamlets, const Table* sites,
                         const std::string& staging_dir, bool with_report, std::map<std::string, double>& timings,
                         WriteProgress& progress);
}  // namespace infogap::detail

#include "infogap/report.hpp"
namespace infogap::detail {
/// The report model of a run (coordinates in WGS 84).
ReportModel build_report_model(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                               const PlacementResult* placement);
}  // namespace infogap::detail
