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

/// The inputs' speakers and teams with the proposed sites added as the new-site template gives
/// them (a speaker: an omnidirectional horn of its own cluster; a team: template members, the
/// teams' typical reach and households per member).
struct EquipmentLayers {
  Speakers speakers;
  Teams teams;
};
EquipmentLayers with_proposed_sites(const Scenario& scenario, const Inputs& inputs,
                                    const std::vector<ProposedSite>& sites);

/// Reached target weight of a coverage in the terms of optimize.objective: with
/// acoustics.conditions the expected reached weight (expected) or the weight of households reached
/// under every condition (worst_case); without conditions the reached weight.
double objective_weight(const Scenario& scenario, const CoverageResult& coverage);

/// Target households whose reach changes between coverage before placement and coverage after it,
/// by channel (AfterChanges); teams of index ≥ n_teams in `after` are the proposed ones.
AfterChanges after_changes(const HouseholdCoverage& before, const HouseholdCoverage& after, std::int32_t n_teams);

/// Places new sites on the run's coverage; field is the run's acoustic field (the same one that
/// computed coverage). @throws InvalidInput (a min_group_coverage column that is not a group),
/// Error(solver)
PlacementResult run_placement(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                              const SpeakerField& field, const RunOptions& options);

}  // namespace infogap::detail
