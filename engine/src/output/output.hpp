#pragma once
// The outputs of a run (DESIGN §5), as the facade calls them: the output-folder check, the
// summary, and writing every requested file through a staging folder.
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "acoustics/speaker_field.hpp"
#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/placement.hpp"
#include "infogap/run_options.hpp"
#include "infogap/scenario.hpp"

namespace infogap::detail {

/// A partition's folder in a partitioned run (DESIGN §5 "Partitioned runs"): what its summary.json
/// says about the partition and about the whole input (the roll-up reads it back).
struct PartitionNote {
  std::string column, value, folder;
  std::int64_t hamlets = 0;
  std::string outline_geojson;  ///< the partition's outline, lon/lat, simplified ("" = none)
  std::int64_t whole_input = 0, whole_joined = 0, whole_outside = 0, whole_rejected = 0;
  const CoverageResult* whole_coverage = nullptr;  ///< coverage of the whole input
};

/// What the summary describes: whatever of the run exists so far (null = not computed).
struct RunView {
  const Scenario* scenario = nullptr;
  const Inputs* inputs = nullptr;
  const CoverageResult* coverage = nullptr;
  const PlacementResult* placement = nullptr;
  const std::map<std::string, double>* timings = nullptr;
  std::string output_dir;                    ///< the folder actually written ("" = none yet)
  const PartitionNote* partition = nullptr;  ///< set: a partition's folder of a partitioned run
};

/// The "coverage" block of summary.json (target households and weight, reached by channel, gap).
std::string coverage_json(const CoverageResult& coverage);

/// Refuses an output folder that holds an input file (a run never writes over its own inputs).
/// @throws InvalidInput naming the input file
void check_output_dir(const Scenario& scenario, const std::string& dir);

/// The summary.json text of a run; files: the output files written (listed as "outputs").
std::string summary_json(const RunView& run, const std::vector<std::string>& files = {});

/// Writes every requested output into dir: files are staged in a hidden folder inside dir and
/// renamed into place when complete, summary.json last; infogap's own files of an earlier run that
/// this run does not write are removed, so a folder never mixes two runs. summary() is called at
/// the very end (after the write timings are in).
void write_outputs(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                   const SpeakerField& field, const PlacementResult* placement, const std::string& dir,
                   const RunOptions& options,
                   const std::function<std::string(const std::vector<std::string>& files)>& summary,
                   std::map<std::string, double>& timings);

}  // namespace infogap::detail
