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
  std::string id;  ///< the candidate's id (layer), "grid_<k>" or "centre_<hamlet id>"
  SiteKind kind;
  double x, y;
  std::string name;  ///< the candidate's name (layer), the hamlet's name (centres), "" (grid)
  std::string type;  ///< the candidate's type (layer), "hamlet_centre" or "grid"
};

/// One column per (site, kind) wanted: a candidate of kind "any" (or without kind) gives a
/// speaker column and a team column.
std::vector<CandidateSite> build_candidates(const Scenario& scenario, const Inputs& inputs, bool want_speakers,
                                            bool want_teams);

}  // namespace infogap::detail
