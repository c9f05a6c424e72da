#pragma once
// The sparse coverage matrix of placement: rows are the target households no existing channel
// reaches (and those a waiting existing team serves that a candidate reaches), columns the
// candidate sites (then the waiting existing teams, as existing columns); an entry says the site
// (with the new-site template) would reach the household, or the team could serve it.
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
  /// the target households of the model (household indexes, ascending): those no existing channel
  /// reaches, those served by an existing team of `existing_teams`, and the held ones (`harm`)
  std::vector<std::int32_t> rows;
  std::vector<std::int32_t> row_of;  ///< per entry of `rows`: its row of `problem` (-1: none)
  CoverageProblem problem;           ///< weights, matrix, kinds, costs, capacities, group constraints
  /// the existing teams in the model (team indexes), as the problem's last columns (`existing`)
  std::vector<std::int32_t> existing_teams;
  std::int64_t held_rows = 0;  ///< households held (reached today, a candidate's echo takes them)
};

/// The existing teams that matter to placement: those that wait (a target household no loudspeaker
/// reaches is in their reach and not served; their capacity is all used). A new site that takes
/// over a household such a team serves gives the team a place back for one who waits. The
/// optimizer models each as an existing capacitated column holding the households it serves that
/// some candidate reaches (its capacity in the model is their number) and its waiting households;
/// the households it serves that no candidate reaches stay where they are. That is a restriction of
/// coverage's assignment (a served household moves only if a candidate reaches it), so the model
/// never counts more than coverage finds, and the same when no longer chain of moves is needed.
struct ExistingTeams {
  std::vector<char> waiting;                                 ///< per team: it waits
  std::vector<std::pair<std::int32_t, std::int32_t>> pairs;  ///< (household, waiting team in reach), sorted
  /// Whether household i is served by a waiting team.
  bool serves_waiting(const HouseholdCoverage& hc, std::size_t i) const {
    return !waiting.empty() && hc.reached_team[i] && hc.team[i] >= 0 && waiting[static_cast<std::size_t>(hc.team[i])];
  }
};

/// The teams of `in` against the run's coverage (the team rule of coverage: DESIGN §4).
ExistingTeams existing_teams_of(const Inputs& in, const CoverageResult& cov);

/// The new-site template of a scenario on the run's field and loaded teams.
NewSiteTemplate new_site_template(const Scenario& scenario, const Inputs& inputs, const SpeakerField& field);

/// Builds the rows (unreached target households, and the held ones of ExistingTeams), the matrix
/// and the group constraints. With
/// `aggregate` (what placement uses), households with the same covering set (and group units, and
/// weight when teams have a capacity) are one row, by aggregate_rows: the model's size follows the
/// distinct coverage patterns, not the households. Without it, one row per household.
/// @throws InvalidInput when min_group_coverage names a column that is not a group_by column
/// `harm` (may be empty; used without listening conditions): (household, candidate site) pairs,
/// sorted — the site's new pole alone takes away the household's loudspeaker reach (its echo). A
/// listed target household reached by loudspeaker and served by no team becomes a held row of
/// the problem (CoverageProblem::harm), with the waiting existing teams in its reach among its
/// columns; one that a team with room to spare could serve instead is left out (it stays reached).
/// `spoiled` (household, candidate, spoiling candidate; sorted): the candidate's pole reaches the
/// household only while the other is not built (CoverageProblem::spoiled). `dropped` (household,
/// candidate; sorted): the candidate's pole does not count as reaching the household (proposed
/// poles together spoiled it, none alone: the model keeps to the safe side).
CoverageMatrix build_coverage_matrix(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                                     const SpeakerField& field, const NewSiteTemplate& site,
                                     const std::vector<CandidateSite>& sites, bool aggregate = true,
                                     const std::vector<std::pair<std::int32_t, std::int32_t>>& harm = {},
                                     const std::vector<SpoiledEntry>& spoiled = {},
                                     const std::vector<std::pair<std::int32_t, std::int32_t>>& dropped = {});

}  // namespace infogap::detail
