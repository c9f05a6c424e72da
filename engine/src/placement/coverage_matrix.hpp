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
  double speaker_reach_m = 0;  ///< radius model: reach of a new speaker (iso9613: its audible range; placement
                               ///< searches each household's own radius, see build_coverage_matrix)
  double speaker_range_m = 0;  ///< on-axis audible range of a new speaker alone
  double team_reach_m = 0;     ///< reach of a new team (Teams::typical_reach_m)
  double team_capacity = 0;    ///< members × households per member of a new team
};

struct CoverageMatrix {
  std::vector<std::int32_t> rows;    ///< the unreached target households (household indexes, ascending)
  std::vector<std::int32_t> row_of;  ///< per entry of `rows`: its row of `problem` (-1: none)
  CoverageProblem problem;           ///< weights, matrix, kinds, costs, capacities, harm, group constraints
  /// Per harm row of the problem (a target household a speaker reaches today, per condition under
  /// `expected`): the households it stands for (1, or the condition's share).
  std::vector<double> harm_households;
  std::vector<std::int32_t> harm_rows;  ///< per harm row: its household index
};

/// The new-site template of a scenario on the run's field and loaded teams.
NewSiteTemplate new_site_template(const Scenario& scenario, const Inputs& inputs, const SpeakerField& field);

/// Builds the rows (unreached target households), the matrix and the group constraints. A new
/// loudspeaker (iso9613) is scored exactly as coverage would decide with it added alone to the
/// existing arrivals (acoustics.multi_cluster; U50 with each cluster's arrival time): the entries are
/// the rows it reaches; the problem's harm rows are the target households a speaker reaches today
/// (no team) that it alone would leave unreached (its arrival an echo), rescued by a new team within
/// reach. Interactions among several new poles are not modelled. With
/// `aggregate` (what placement uses), households with the same covering set (and group units, and
/// weight when teams have a capacity) are one row, by aggregate_rows: the model's size follows the
/// distinct coverage patterns, not the households. Without it, one row per household.
/// @throws InvalidInput when min_group_coverage names a column that is not a group_by column
CoverageMatrix build_coverage_matrix(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                                     const SpeakerField& field, const NewSiteTemplate& site,
                                     const std::vector<CandidateSite>& sites, bool aggregate = true);

}  // namespace infogap::detail
