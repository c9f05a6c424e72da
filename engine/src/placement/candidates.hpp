#pragma once
// Candidate sites of new equipment: the scenario's candidate layer, a grid inside the hamlets, or
// the hamlets' centres.
#include <string>
#include <vector>

#include "infogap/layers.hpp"
#include "infogap/optimize.hpp"
#include "infogap/scenario.hpp"

namespace infogap::detail {

struct CandidateSite {
  std::string id;
  SiteKind kind;
  double x, y;
};

/// One column per (site, kind) wanted: a candidate of kind "any" (or without kind) gives a
/// speaker column and a team column.
std::vector<CandidateSite> build_candidates(const Scenario& scenario, const Inputs& inputs, bool want_speakers,
                                            bool want_teams);

}  // namespace infogap::detail
