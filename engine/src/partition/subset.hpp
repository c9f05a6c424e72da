#pragma once
// One partition of a computed run (DESIGN.md §5 "Partitioned runs"): its hamlets and households,
// the equipment that can matter inside it (the halo), every household's result as computed on the
// whole input, and the acoustic field of that equipment for its rasters.
#include <memory>

#include "acoustics/speaker_field.hpp"
#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/partition.hpp"
#include "output/output.hpp"

namespace infogap::detail {

struct PartitionRun {
  std::unique_ptr<Inputs> inputs;       ///< the partition's layers (owned: the field points into them)
  CoverageResult coverage;              ///< the whole run's results of its households, aggregated over it
  std::unique_ptr<SpeakerField> field;  ///< the field of its speakers (halo included)
  PartitionNote note;                   ///< what its summary.json says about the partition and the whole run
};

/// The partition `part` of a run whose coverage was computed on the whole input. Hamlets: those
/// with the partition's value; households: those joined to them (each with its whole-run result);
/// speakers: every cluster with a horn within the model's farthest reach of the partition's extent;
/// teams: every team within its reach of the extent or nearer than the farthest nearest-team
/// distance of its cells (so rasters and layers inside the partition are those of the whole run);
/// candidates (a candidates layer): those inside its hamlets. Rejects and layer facts are the input
/// files' own; the household accounting is the partition's (input = joined).
PartitionRun make_partition(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                            const SpeakerField& field, const PartitionInfo& part);

}  // namespace infogap::detail
