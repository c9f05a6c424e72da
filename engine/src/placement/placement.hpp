#pragma once
// Placement of new loudspeakers and teams: candidates → sparse coverage matrix → optimizer →
// proposed sites and coverage after placement.
#include "acoustics/speaker_field.hpp"
#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/placement.hpp"
#include "infogap/run_options.hpp"
#include "infogap/scenario.hpp"

namespace infogap::detail {

/// Places new sites on the run's coverage; field is the run's acoustic field (the same one that
/// computed coverage). @throws InvalidInput (a min_group_coverage column that is not a group),
/// Error(solver)
PlacementResult run_placement(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                              const SpeakerField& field, const RunOptions& options);

}  // namespace infogap::detail
