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
  std::vector<std::int32_t> cells;   ///< per entry of `rows`: its cell (Cells)
  CoverageProblem problem;           ///< weights, matrix, kinds, costs, capacities, group constraints
  /// the existing teams in the model (team indexes), as the problem's last columns (`existing`)
  std::vector<std::int32_t> existing_teams;
  std::int64_t held_rows = 0;  ///< households held (reached today, a candidate's echo takes them)
};

/// The existing teams that matter to placement: those that wait (a target household a team adds to
/// is in their reach and not served; their capacity is all used). A new site that takes
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

/// What the echoes of placement are about: a *cell* is a household (without listening conditions,
/// and under optimize.objective worst_case: heard under every condition), or under `expected` a
/// household under one condition (cell = household · stride + condition). The echo facts (harm,
/// spoiled, dropped, joint) name cells; the model's rows are cells.
struct Cells {
  std::size_t stride = 1;  ///< cells per household
  bool all = false;        ///< worst_case: a cell is heard when every condition hears it
  std::size_t conditions = 0;
  /// per household (empty: none): a waiting existing team serves it and adds to it, so the team
  /// may move and leave it with its loudspeakers alone (what an echo takes then counts)
  std::vector<char> moving;

  /// `existing` (may be null): the waiting teams, whose households' cells an echo can take.
  static Cells of(const Scenario& scenario, const HouseholdCoverage& hc, const ExistingTeams* existing = nullptr) {
    Cells c;
    c.conditions = hc.reached_in.size();
    c.all = c.conditions > 0 && scenario.optimize.objective == PlacementObjective::worst_case;
    c.stride = c.conditions > 0 && !c.all ? c.conditions : 1;
    if (existing != nullptr && !existing->waiting.empty()) {
      c.moving.assign(hc.reached.size(), 0);
      for (std::size_t i = 0; i < hc.reached.size(); ++i)
        c.moving[i] = existing->serves_waiting(hc, i) && unheard_share_of(hc, scenario.optimize.objective, i) > 0 ? 1 : 0;
    }
    return c;
  }
  /// Whether a waiting existing team serves household i and adds to it (existing_teams_of).
  bool team_moves(std::size_t i) const { return !moving.empty() && moving[i] != 0; }
  std::int32_t household(std::int32_t cell) const { return static_cast<std::int32_t>(static_cast<std::size_t>(cell) / stride); }
  /// the condition of a cell (expected), -1: every one (worst_case) or none
  std::int32_t condition(std::int32_t cell) const {
    return stride > 1 ? static_cast<std::int32_t>(static_cast<std::size_t>(cell) % stride) : -1;
  }
  /// A loudspeaker reaches the cell today, and no team serves its household or one that may move
  /// does (what an echo can take).
  bool held_today(const HouseholdCoverage& hc, std::int32_t cell) const {
    const auto i = static_cast<std::size_t>(household(cell));
    if ((hc.reached_team[i] && !team_moves(i)) || !(hc.weight[static_cast<Eigen::Index>(i)] > 0)) return false;
    if (conditions == 0) return hc.reached_speaker[i] != 0;
    if (stride > 1) return hc.reached_speaker_in[static_cast<std::size_t>(condition(cell))][i] != 0;
    for (const auto& k : hc.reached_speaker_in)
      if (k[i] == 0) return false;
    return true;
  }
};

/// The teams of `in` against the run's coverage (the team rule of coverage: DESIGN §4), in the
/// terms of `objective` under listening conditions (a household no loudspeaker reaches: one a
/// team adds to).
ExistingTeams existing_teams_of(const Inputs& in, const CoverageResult& cov,
                                PlacementObjective objective = PlacementObjective::expected);

/// Per unit of the group column g of a coverage (`units`: its AreaGaps, in their order): the
/// reached target weight in the objective's terms (reached_share_of); without listening
/// conditions each unit's reached_weight.
std::vector<double> units_reached_weight(const Inputs& inputs, const HouseholdCoverage& hc, PlacementObjective objective,
                                         std::size_t g, const std::vector<AreaGap>& units);

/// The new-site template of a scenario on the run's field and loaded teams.
NewSiteTemplate new_site_template(const Scenario& scenario, const Inputs& inputs, const SpeakerField& field);

/// Builds the rows (unreached target households, and the held ones of ExistingTeams), the matrix
/// and the group constraints. With
/// `aggregate` (what placement uses), households with the same covering set (and group units, and
/// weight when teams have a capacity) are one row, by aggregate_rows: the model's size follows the
/// distinct coverage patterns, not the households. Without it, one row per household.
/// @throws InvalidInput when min_group_coverage names a column that is not a group_by column
/// The echo facts name cells (Cells). `harm` (may be empty): (cell, candidate site) pairs,
/// sorted — the site's new pole alone takes away the cell's loudspeaker reach (its echo). A
/// listed cell a loudspeaker reaches today, of a household no team serves, becomes a held row of
/// the problem (CoverageProblem::harm), with the waiting existing teams in its reach among its
/// columns; one that a team with room to spare could serve instead is left out (it stays reached).
/// `spoiled` (cell, candidate, spoiling candidate; sorted): the candidate's pole reaches the
/// cell only while the other is not built (CoverageProblem::spoiled). `dropped` (cell,
/// candidate; sorted): the candidate's pole does not count as reaching the cell (proposed
/// poles together spoiled it, none alone: the model keeps to the safe side).
CoverageMatrix build_coverage_matrix(const Scenario& scenario, const Inputs& inputs, const CoverageResult& coverage,
                                     const SpeakerField& field, const NewSiteTemplate& site,
                                     const std::vector<CandidateSite>& sites, bool aggregate = true,
                                     const std::vector<std::pair<std::int32_t, std::int32_t>>& harm = {},
                                     const std::vector<SpoiledEntry>& spoiled = {},
                                     const std::vector<std::pair<std::int32_t, std::int32_t>>& dropped = {});

}  // namespace infogap::detail
