#pragma once
/// @file coverage.hpp  Who is reached: household → hamlet join, loudspeaker reach (radius or
/// ISO 9613), team reach with capacity, target weights, and gaps per hamlet and per group.
/// Units/CRS: metres in the projected working CRS; levels in dB(A) re 20 µPa.

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"

namespace infogap {

/// Result per household (index = household index in Inputs::households).
struct HouseholdCoverage {
  std::vector<std::int32_t> hamlet;            ///< hamlet index, -1 = outside every hamlet
  Eigen::VectorXd weight;                      ///< target weight (0 = not a target)
  Eigen::VectorXd speech_dba;                  ///< energy sum of all horns; NaN radius model / -inf none
  Eigen::VectorXd snr_db;                      ///< speech_dba - ambient_dba (facade loss included)
  std::vector<std::int32_t> speakers_audible;  ///< clusters that reach the household on their own
  std::vector<std::int32_t> best_speaker;      ///< loudest (iso9613) / nearest reaching (radius) horn, -1 none
  std::vector<std::int32_t> team;              ///< serving team index, -1 none
  Eigen::VectorXd team_distance_m;             ///< distance to the nearest team (inf if no team)
  std::vector<std::uint8_t> in_team_range;     ///< within reach of at least one team (distance-limited reach)
  std::vector<std::uint8_t> reached_speaker, reached_team, reached;
  /// With acoustics.conditions, per condition k (in list order): a loudspeaker reaches the
  /// household (reached_speaker_in[k]), any channel does (reached_in[k]); empty without conditions.
  std::vector<std::vector<std::uint8_t>> reached_speaker_in, reached_in;
  std::vector<Eigen::VectorXd> speech_dba_in;  ///< per condition: speech_dba under it (its air, facade loss)
  Eigen::VectorXd reached_share;  ///< Σ_k share_k · reached_in[k] (weights normalised); empty without conditions
  std::vector<double> condition_share;      ///< share_k: each condition's weight over the list's total
  std::vector<std::string> condition_name;  ///< the conditions' names (list order)
};

/// Figures of one area (hamlet or group unit). reached_* and gap_households count target
/// households (weight > 0); households counts every joined household.
struct AreaGap {
  std::string id, name;
  std::vector<std::string> groups;  ///< group_by values (hamlets only)
  std::int64_t households = 0, target_households = 0;
  double target_weight = 0;
  std::int64_t reached_speaker = 0, reached_team = 0, reached_any = 0, gap_households = 0;
  double reached_weight = 0, gap_weight = 0;
  double gap_rate = 0;  ///< gap_weight / target_weight; NaN (NULL in every output) when target_weight == 0
  /// With acoustics.conditions: gap weight and gap households per condition (list order), and the
  /// expected gap weight Σ_k share_k · gap_weight_in[k]; empty / 0 without conditions.
  std::vector<double> gap_weight_in;
  std::vector<std::int64_t> gap_households_in;
  double expected_gap_weight = 0;
  std::int32_t rank = 0;  ///< 1 = largest gap weight (ties: more gap households, then id)
};

/// Per team: capacity use (capacity-limited vs distance-limited reach).
struct TeamLoad {
  std::int64_t capacity = 0;           ///< members × households_per_member
  std::int64_t in_range_target = 0;    ///< target households within reach_m
  std::int64_t assigned = 0;           ///< target households it serves
  std::int64_t unserved_in_range = 0;  ///< target households in its range that no team serves (capacity shortfall)
};

/// Everything compute_coverage produces.
struct CoverageResult {
  HouseholdCoverage households;
  std::vector<TeamLoad> teams;
  std::vector<std::int32_t> speaker_households;  ///< per horn: households for which it is the best speaker
  std::vector<double> speaker_range_m;           ///< per horn: on-axis audible range (iso9613) or range_m
  std::vector<AreaGap> hamlets;                  ///< one per hamlet, in hamlet order
  std::vector<std::vector<AreaGap>> groups;      ///< per group_by column: one per distinct value (sorted)
  std::int64_t joined = 0, outside = 0, overlaps = 0;
  std::int64_t target_households = 0, reached_speaker = 0, reached_team = 0, reached_any = 0;
  std::int64_t in_team_range = 0;  ///< target households within some team's reach
  double target_weight = 0, reached_weight = 0, gap_weight = 0;
  /// With acoustics.conditions: totals per condition and expected (as AreaGap); empty / 0 without.
  std::vector<double> gap_weight_in;
  std::vector<std::int64_t> gap_households_in;
  double expected_gap_weight = 0;
  std::int64_t paths_beyond_validity = 0;  ///< reached target households whose loudest horn is beyond the model's ~1 km
  /// How the multi-cluster rules (acoustics.multi_cluster) decide, indexed by MultiCluster (u50,
  /// energy_sum, loudest); iso9613 model only.
  struct MultiClusterCounts {
    std::array<std::int64_t, 3> reached_target{};  ///< target households a loudspeaker reaches under each rule
    std::array<std::int64_t, 3> differs{};         ///< households each rule decides otherwise than the scenario's
  } multi_cluster;
  std::map<std::string, double> timings_s;  ///< seconds per step: join, speakers, teams, gaps
};

/// A target household within reach of a team: what the team rule orders. Coverage orders
/// households, each with the distance to and index of its nearest team within reach.
struct TeamClaim {
  /// what a team adds by serving the household: its weight times the share of it no loudspeaker
  /// reaches, in the objective's terms (speaker_share); without conditions its weight, or 0 when a
  /// loudspeaker reaches it
  double gain = 0;
  double weight = 0;  ///< target weight (> 0)
  double distance_m = 0;         ///< household to team (its nearest team within reach)
  std::int32_t household = -1, team = -1;
};

/// The one team rule (DESIGN §4), used by coverage and, through the coverage recomputed after
/// placement, by placement: a team serves first the target households no loudspeaker reaches
/// (the highest gain first: with listening conditions the weight no loudspeaker reaches in the
/// objective's terms), then the highest weight, then the nearest; ties by household, then team
/// index. Coverage takes households in this order and serves each one the teams can still take,
/// moving households already served to other teams within their reach if need be (an augmenting
/// path), so the served set is optimal: the most gain, then the most weight; a household goes to
/// its nearest team with room where the choice is free. A household is served by one team.
bool serves_before(const TeamClaim& a, const TeamClaim& b) noexcept;

/// How much of household i counts as reached in the placement objective's terms (DESIGN §4), by
/// one set of flags: without listening conditions (`in` empty) `flag[i]`; with them, under
/// `expected` Σ_k shares[k] · in[k][i], under `worst_case` 1 when every in[k][i], else 0. The one
/// home of the objective's terms: the team rule's gain, the optimizer's model and its figures use it.
double objective_share(const std::vector<std::uint8_t>& flag, const std::vector<std::vector<std::uint8_t>>& in,
                       const std::vector<double>& shares, PlacementObjective objective, std::size_t i);
/// objective_share of what any channel does (reached, reached_in)
inline double reached_share_of(const HouseholdCoverage& hc, PlacementObjective objective, std::size_t i) {
  return objective_share(hc.reached, hc.reached_in, hc.condition_share, objective, i);
}
/// objective_share of what the loudspeakers do (reached_speaker, reached_speaker_in)
inline double speaker_share_of(const HouseholdCoverage& hc, PlacementObjective objective, std::size_t i) {
  return objective_share(hc.reached_speaker, hc.reached_speaker_in, hc.condition_share, objective, i);
}
/// The share of household i no loudspeaker reaches, in the objective's terms (1 − speaker_share_of,
/// 0 below 1e-12): what a team serving it adds, per unit of weight (the team rule's gain).
inline double unheard_share_of(const HouseholdCoverage& hc, PlacementObjective objective, std::size_t i) {
  const double u = 1.0 - speaker_share_of(hc, objective, i);
  return u > 1e-12 ? u : 0.0;
}

/// Target weight of each household (DESIGN §4): poverty weight, and with info_deprived_only
/// zero unless deprived on an information indicator (no internet user, or no information device;
/// unknown values count as not deprived).
Eigen::VectorXd target_weights(const Households& households, const TargetParams& target);

/// More than scenario.max_outside_share of the households outside every hamlet (hamlet[i] = -1)
/// → InvalidInput naming both layers' extents in the working CRS and their source CRSs (the
/// usual cause: a layer in another CRS than it declares). Called by coverage after the join.
void check_outside_share(const Scenario& scenario, const Inputs& inputs, const std::vector<std::int32_t>& hamlet);

/// Joins households to hamlets: covers (boundary counts); overlap → lowest hamlet id (numeric
/// order when both ids are integers, else byte order); outside → -1. Parallel; deterministic.
/// @param overlaps  set to the number of households covered by more than one hamlet
std::vector<std::int32_t> join_households(const Households& households, const Hamlets& hamlets,
                                          std::int64_t* overlaps = nullptr);

/// The areas with their ranks set: 1 = largest gap weight (ties: more gap households, then id);
/// order unchanged. The one ranking rule of every gap table (hamlets, groups, partitions).
std::vector<AreaGap> rank_areas(std::vector<AreaGap> areas);

/// Sets an area's gap_rate from its weights (gap_weight / target_weight, NaN without target weight)
/// and its expected gap weight Σ share_k · gap_weight_in[k] over the listening conditions (shares:
/// HouseholdCoverage::condition_share; none → 0).
void finish_area(AreaGap& area, const std::vector<double>& shares = {});

/// Full coverage computation on loaded inputs.
CoverageResult compute_coverage(const Scenario& scenario, const Inputs& inputs);

/// Aggregates household results into hamlet and group gaps (used by compute_coverage and again
/// after placement).
void aggregate_gaps(const Inputs& inputs, CoverageResult& result);

/// Aggregates into result's hamlet, group and total figures (not its per-household arrays) from
/// per-household results with another reached flag per household (e.g. after placement), without
/// copying the household arrays.
void aggregate_gaps(const Inputs& inputs, const HouseholdCoverage& households, const std::vector<std::uint8_t>& reached,
                    CoverageResult& result);

}  // namespace infogap
