#pragma once
// Private to the output area: progress of the write stage, the styles of a run, and the writers
// of its raster products, GIS files and report model.
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "acoustics/speaker_field.hpp"
#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/placement.hpp"
#include "infogap/report.hpp"
#include "infogap/run_options.hpp"
#include "infogap/scenario.hpp"
#include "infogap/styles.hpp"
#include "infogap/table.hpp"

namespace infogap::detail {

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

/// The QGIS styles of a run, one QML per layer name ("hamlets", "speech_level", …): the same text
/// goes to the GeoPackage's layer_styles, the .qml sidecars and the QGIS project.
struct RunStyles {
  Language language = Language::vi;
  std::map<std::string, std::string> qml;
  const std::string& of(const std::string& layer) const;
};

/// The vector layers' styles (and team_distance / speech_level, which need no raster statistics).
RunStyles vector_styles(const Scenario& scenario, const Inputs& inputs, const SpeakerField& field);

/// Computes the four rasters, writes them as COGs with .qml sidecars into dir, and adds the
/// raster styles (with the run's maxima) to styles.
void write_raster_products(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                           const SpeakerField& field, const std::string& dir, RunStyles& styles,
                           std::map<std::string, double>& timings, WriteProgress& progress);

/// hamlets.shp (+ proposed_sites.shp) with .qml sidecars and fields.csv.
void write_shapefiles(const Inputs& inputs, const Table& hamlets, const Table* sites, const std::string& dir,
                      const RunStyles& styles);

/// infogap.qgs over the files this run writes, styled with styles.
void write_project(const Scenario& scenario, const Inputs& inputs, const Table* sites, const SpeakerField& field,
                   const std::string& dir, const RunStyles& styles);

/// An area of a gap table as the report shows it (gap_rate NaN without target weight).
ReportArea report_area(const AreaGap& area);

/// The scenario's keys (after defaults) flattened for the report's parameter table ("a.b" → value).
std::map<std::string, std::string> report_parameters(const Scenario& scenario);

/// The report model of a run (coordinates in WGS 84).
ReportModel build_report_model(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                               const PlacementResult* placement);

}  // namespace infogap::detail
