#pragma once
// Coverage on the run's acoustic field (the facade builds the SpeakerField once and shares it with
// the rasters and placement).
#include "acoustics/speaker_field.hpp"
#include "infogap/coverage.hpp"

namespace infogap::detail {

/// compute_coverage with the run's SpeakerField (built from the same scenario and inputs).
CoverageResult compute_coverage(const Scenario& scenario, const Inputs& inputs, const SpeakerField& field);

}  // namespace infogap::detail
