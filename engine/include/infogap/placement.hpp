#pragma once
/// @file placement.hpp  The result of placing new loudspeakers and teams: proposed sites in rank
/// order, the optimizer's proof (objective, bound, gap) and coverage after placement.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "infogap/coverage.hpp"
#include "infogap/optimize.hpp"

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
  // Where, in a planner's terms (DESIGN §5 proposed_sites):
  std::string candidate_id;  ///< the chosen candidate: its id in the candidates layer, "centre_<hamlet id>", "grid_<k>"
  std::string candidate_name;  ///< its name (candidates layer `name`; a hamlet centre: the hamlet's name), "" none
  std::string candidate_type;  ///< its type (cultural_house, school, …; "hamlet_centre", "grid"), "" none
  std::string hamlet_name;     ///< name of the hamlet the site lies in, "" none
  std::string commune_name;    ///< that hamlet's commune (communes block: its name; else group_by `commune`), "" none
  double lon = 0, lat = 0;     ///< WGS 84 degrees, rounded to 6 decimals (NaN if PROJ cannot transform)
};

/// A group unit whose minimum share of target weight reached (optimize.min_group_coverage) the
/// proposal does not meet.
struct GroupShortfall {
  std::string group;       ///< group_by column, e.g. "commune"
  std::string unit;        ///< the unit's value in that column
  double required = 0;     ///< the minimum share asked (0..1]
  double share_after = 0;  ///< share of its target weight reached with the proposed sites
  double reachable = 0;    ///< share reached if every candidate site were built (counts, budget and team
                           ///< capacity ignored): no placement reaches more
};

/// Target households (weight > 0) and their target weight.
struct ReachCount {
  std::int64_t households = 0;
  double weight = 0;
};

/// How coverage recomputed after placement differs from coverage before it, channel by channel,
/// over target households — what the recomputation adds up, to read beside the optimizer's claim,
/// whose model counts the new sites' own reach only:
///   weight_after − weight_before = heard + new_teams + existing_teams − lost_to_echo − left_by_teams
/// (moved_to_teams stays reached: it changes channel, not the total).
struct AfterChanges {
  ReachCount heard;           ///< unreached before; a loudspeaker reaches it after (a new one, alone or with others)
  ReachCount new_teams;       ///< unreached before; no loudspeaker after, a proposed team serves it
  ReachCount existing_teams;  ///< unreached before; no loudspeaker after, an existing team serves it (capacity
                              ///< freed where a new site now reaches the households it served)
  ReachCount lost_to_echo;    ///< a loudspeaker reached it before, none after (a new pole's echo), no team serves it
  ReachCount left_by_teams;   ///< only a team reached it before; unreached after (the team serves needier ones)
  ReachCount moved_to_teams;  ///< a loudspeaker reached it before, none after; a team serves it after
};

/// The AfterChanges categories in output order, under the names every output uses.
inline const std::array<std::pair<const char*, ReachCount AfterChanges::*>, 6>& after_change_categories() {
  static const std::array<std::pair<const char*, ReachCount AfterChanges::*>, 6> names{{
      {"heard", &AfterChanges::heard},
      {"new_teams", &AfterChanges::new_teams},
      {"existing_teams", &AfterChanges::existing_teams},
      {"lost_to_echo", &AfterChanges::lost_to_echo},
      {"left_by_teams", &AfterChanges::left_by_teams},
      {"moved_to_teams", &AfterChanges::moved_to_teams},
  }};
  return names;
}

/// Result of the placement optimizer, with coverage before and after.
struct PlacementResult {
  std::vector<ProposedSite> sites;
  double objective = 0, bound = 0, gap = 0;  ///< as OptimizeResult (fewest sites: objective = sites)
  double reached_weight = 0;                 ///< target weight newly reached by the proposed sites
  std::string solver, status, message;
  double seconds = 0;
  std::int64_t candidates = 0, rows = 0, merged_rows = 0;
  /// Existing teams the optimizer modelled (always there, with their capacity): those with a waiting
  /// list whose households some candidate reaches (their households are among the rows)
  std::int64_t existing_teams = 0;
  /// Echoes of the new poles (optimize.echo_rounds ≥ 1, the default; acoustics.multi_cluster u50,
  /// iso9613; under listening conditions per household and condition, or per household under
  /// worst_case): the optimizer solved `echo_rounds` times (0: echoes not
  /// heard); after each solve, what each newly proposed pole alone takes away joined the model as
  /// held rows (`held_rows` at the end), and the reach the proposed poles spoil for each other as
  /// spoiled entries. Unless the last round's model already counted everything its poles do, the
  /// last proposal was then valued on its own sites with everything found (`objective`, the
  /// claim); `model_objective` and `model_gap` are the last round's own (its bound is `bound`).
  /// `echo_settled`: the last round found nothing new pole by pole (else the rounds ran out).
  std::int32_t echo_rounds = 0;
  std::int64_t held_rows = 0;
  bool echo_settled = true;
  double model_objective = 0, model_gap = 0;
  /// Reached target weight and households before placement, and after it as coverage recomputes
  /// them with the proposed sites added to the inputs (the honest figures: what rerunning coverage
  /// with the sites in the speakers/teams layers gives).
  double weight_before = 0, weight_after = 0;
  std::int64_t households_before = 0, households_after = 0;
  std::vector<std::uint8_t> reached_after;  ///< per household, recomputed
  std::vector<AreaGap> hamlets_after;       ///< hamlet gaps after placement, recomputed
  /// Reached target weight in the objective's terms (optimize.objective with acoustics.conditions:
  /// expected, or reached under every condition), before and after (recomputed); without
  /// conditions the same as weight_before / weight_after.
  double objective_weight_before = 0, objective_weight_after = 0;
  /// The optimizer's claim (its model: objective_weight_before + the weight it newly reaches),
  /// shown beside the recomputation.
  double claimed_weight_after = 0;
  std::int64_t claimed_households_after = 0;
  AfterChanges changes;  ///< the recomputation, channel by channel

  // The rules in force (DESIGN §4): what was asked, so outputs can say it plainly.
  std::string mode;                        ///< "counts" | "budget" | "coverage_target"
  int max_speakers = 0, max_teams = 0;     ///< counts; with a budget or a target only 0 matters (kind left out)
  std::optional<double> budget_vnd;        ///< budget in force (mode "budget")
  std::optional<double> coverage_target;   ///< share of the target weight asked (mode "coverage_target")
  double target_reachable_share = 0;       ///< share of the target weight reached if every candidate were built
  std::vector<GroupShortfall> shortfalls;  ///< group units below their minimum share after placement

  /// False when a coverage target or a group minimum is not met (status "infeasible",
  /// "groups_unmet" or "target_unmet"): the sites are then a best effort, not a solution. Judged
  /// on the recomputation too, in the objective's terms: what the model meets and coverage does not
  /// is not met, and `shortfalls` carry the recomputed shares.
  bool met() const { return OptimizeResult::rules_met(status); }
};

}  // namespace infogap
