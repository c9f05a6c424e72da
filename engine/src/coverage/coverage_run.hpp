#pragma once
// Coverage on the run's acoustic field (the facade builds the SpeakerField once and shares it with
// the rasters and placement).
#include <functional>

#include "acoustics/speaker_field.hpp"
#include "infogap/coverage.hpp"

namespace infogap::detail {

/// compute_coverage with the run's SpeakerField (built from the same scenario and inputs).
/// progress (may be empty) gets the fraction done, 0 first and 1 last, growing after each step
/// (join, speakers, teams, gaps; weighted by their usual share of the time).
CoverageResult compute_coverage(const Scenario& scenario, const Inputs& inputs, const SpeakerField& field,
                                const std::function<void(double)>& progress = {});

/// The equipment a coverage run applies: the speakers (field is their SpeakerField) and the teams,
/// the inputs' own or with proposed sites added (coverage after placement).
struct Equipment {
  const Speakers& speakers;
  const Teams& teams;
  const SpeakerField& field;
  /// An earlier coverage of the same households and hamlets: its join and weights are reused
  /// (nullptr: join here).
  const CoverageResult* joined = nullptr;
};

/// Team reach and capacity by the one team rule (DESIGN §4; teams.cpp): fills out.households'
/// team, team_distance_m, in_team_range, reached_team and out.teams, from the households' weights
/// and loudspeaker flags (reached_speaker, and per condition reached_speaker_in with
/// condition_share) already in `out`.
void team_reach(const Households& households, const Teams& teams, PlacementObjective objective, CoverageResult& out);

/// compute_coverage with the given equipment in place of the inputs' speakers and teams.
CoverageResult compute_coverage(const Scenario& scenario, const Inputs& inputs, const Equipment& equipment,
                                const std::function<void(double)>& progress = {});

/// Whether loudspeakers reach each household `which[k]` under the scenario's reach and
/// multi-cluster rules (without listening conditions), hearing only the horns h of `speakers`
/// (whose SpeakerField is `field`) with hears(k, h) true: coverage's own hearing, for placement's
/// test of what one new pole's echo takes away. iso9613 only (radius model: all 0).
std::vector<std::uint8_t> speakers_reach(const Scenario& scenario, const Households& households,
                                         const Speakers& speakers, const SpeakerField& field,
                                         const std::vector<std::int32_t>& which,
                                         const std::function<bool(std::size_t, std::size_t)>& hears);

}  // namespace infogap::detail
