#pragma once
// The sparse coverage matrix of placement: rows are the target households no existing channel
// reaches, columns the candidate sites; an entry says the site (with the new-site template) would
// reach the household.
#include <cstdint>
#include <vector>

#include "acoustics/speaker_field.hpp"
#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/optimize.hpp"
#include "infogap/scenario.hpp"
#include "placement/candidates.hpp"

namespace infogap::detail {

/// What a new site is: the template's reach and capacity.
struct NewSiteTemplate {
  bool radius = false;         ///< radius model: speakers reach within speaker_reach_m
  double speaker_reach_m = 0;  ///< search radius of a new speaker (iso9613: where it alone is 20 dB short)
  double speaker_range_m = 0;  ///< on-axis audible range of a new speaker alone
  double team_reach_m = 0;     ///< reach of a new team (Teams::typical_reach_m)
  double team_capacity = 0;    ///< members × households per member of a new team
};

struct CoverageMatrix {
  std::vector<std::int32_t> rows;    ///< the unreached target households (household indexes, ascending)
  std::vector<std::int32_t> row_of;  ///< per entry of `rows`: its row of `problem` (-1: none)
  CoverageProblem problem;           ///< weights, matrix, kinds, costs, capacities, group constraints
};

/// The new-site template of a scenario on the run's field and loaded teams.
NewSiteTemplate new_site_template(const Scenario& scenario, const Inputs& inputs, const SpeakerField& field);

/// Builds the rows (unreached target households), the matrix and the group constraints. With
/// `aggregate` (what placement uses), households with the same covering set (and group units, and
/// weight when teams have a capacity) are one row, by aggregate_rows: the model's size follows the
/// distinct coverage patterns, not the households. Without it, one row per household.
/// @throws InvalidInput when min_group_coverage names a column that is not a group_by column
CoverageMatrix build_coverage_matrix(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                                     const SpeakerField& field, const NewSiteTemplate& site,
                                     const std::vector<CandidateSite>& sites, bool aggregate = true);

}  // namespace infogap::detail
