#pragma once
/// @file placement.hpp  The result of placing new loudspeakers and teams: proposed sites in rank
/// order, the optimizer's proof (objective, bound, gap) and coverage after placement.

#include <cstdint>
#include <string>
#include <vector>

#include "infogap/coverage.hpp"

namespace infogap {

/// One proposed site (DESIGN §5 proposed_sites).
struct ProposedSite {
  std::string site_id;
  std::string kind;       ///< "speaker" | "team"
  std::int32_t rank = 0;  ///< 1 = first to build (largest marginal gain)
  double x_m = 0, y_m = 0;
  double marginal_weight = 0, marginal_households = 0, cumulative_weight = 0;
  double cost_vnd = 0;
  double reach_m = 0;        ///< audible range (speaker template, on axis) or team reach
  std::int32_t hamlet = -1;  ///< hamlet index covering the site, -1 none
};

/// Result of the placement optimizer, with coverage before and after.
struct PlacementResult {
  std::vector<ProposedSite> sites;
  double objective = 0, bound = 0, gap = 0;  ///< as OptimizeResult (fewest sites: objective = sites)
  double reached_weight = 0;                 ///< target weight newly reached by the proposed sites
  std::string solver, status, message;
  double seconds = 0;
  std::int64_t candidates = 0, rows = 0, merged_rows = 0;
  double weight_before = 0, weight_after = 0;                ///< reached target weight
  std::int64_t households_before = 0, households_after = 0;  ///< reached target households
  std::vector<std::uint8_t> reached_after;                   ///< per household
  std::vector<AreaGap> hamlets_after;                        ///< hamlet gaps after placement
};

}  // namespace infogap
