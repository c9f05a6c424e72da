// Placement: candidate sites → sparse coverage matrix (target households not yet reached ×
// candidate columns per kind) → optimizer → proposed sites and coverage after.
//
// A new loudspeaker is a cluster of the speaker template (omnidirectional) placed at the site;
// it reaches an unreached household when new_cluster_reaches says so under the run's
// multi-cluster rule (energy_sum: with the existing energy; u50: alone, the existing sound an
// echo; loudest: alone) — pairs of new speakers that only together reach a household are not
// counted. The figures after placement are coverage recomputed with the sites in place, the
// optimizer's claim beside them. A new team reaches target
// households within the template reach and serves at most members × households_per_member, where
// reach and households per member are those the loader resolved (Teams::typical_*).
#include "placement/placement.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "adapters/proj/transformer.hpp"
#include "coverage/coverage_run.hpp"
#include "infogap/error.hpp"
#include "infogap/optimize.hpp"
#include "infogap/parallel.hpp"
#include "placement/candidates.hpp"
#include "placement/coverage_matrix.hpp"
#include "spatial/point_grid.hpp"

namespace infogap::detail {
namespace {

/// The commune of hamlet h, by name: with a communes block the commune's name (its id when it has
/// none); else the hamlet's value of a group_by column `commune`; else "".
std::string commune_of_hamlet(const Inputs& in, std::size_t h) {
  if (h < in.hamlets.commune.size() && !in.hamlets.commune[h].empty()) {
    const std::string& id = in.hamlets.commune[h];
    for (const auto& [cid, cname] : in.communes)
      if (cid == id) return cname.empty() ? cid : cname;
    return id;
  }
  const auto& g = in.hamlets.group_names;
  const auto it = std::find(g.begin(), g.end(), "commune");
  if (it == g.end()) return {};
  return in.hamlets.groups[static_cast<std::size_t>(it - g.begin())][h];
}

/// Degrees rounded to 6 decimals (≈ 0.1 m), as the tables write them.
double round6(double v) {
  return std::isfinite(v) ? std::round(v * 1e6) / 1e6 : v;
}

/// What the proposed poles do to each other and to the existing loudspeakers (u50), heard with
/// coverage's own hearing, cell by cell (Cells: a household, or a household under one listening
/// condition). Sorted.
struct EchoEffects {
  /// (cell, candidate): a pole of `fresh` alone takes away a cell a loudspeaker reaches today (and
  /// no team serves)
  std::vector<std::pair<std::int32_t, std::int32_t>> harm;
  /// (cell, candidate, spoiler): the model has a pole reach a cell that the existing loudspeakers
  /// and every proposed pole, heard together, do not reach, and that pole and the spoiler heard
  /// together (with the existing ones) do not reach either
  std::vector<SpoiledEntry> spoiled;
  /// (cell, candidate): as spoiled, but no other pole spoils it alone
  std::vector<std::pair<std::int32_t, std::int32_t>> dropped;
  /// (cell, candidate): a cell a loudspeaker reaches today (and no team serves) that the proposed
  /// poles heard together take away, none of them alone — paired with each proposed pole within
  /// its cutoff (the safe side: any of them counts as taking it away)
  std::vector<std::pair<std::int32_t, std::int32_t>> joint;
};

/// Coverage's own hearing (speakers_reach) of cells, with the speakers `speakers`: without
/// listening conditions the run's; under each condition its acoustics (its field: its air,
/// facade loss and threshold), a worst_case cell heard when every condition hears it.
class CellHearing {
public:
  CellHearing(const Scenario& sc, const Cells& cells, const Speakers& speakers) : m_cells(cells) {
    if (cells.conditions == 0) {
      m_under.push_back(sc);
    } else {
      for (const auto& c : sc.acoustics.conditions) {
        m_under.push_back(sc);
        m_under.back().acoustics = sc.acoustics.under(c);
      }
    }
    for (const auto& s : m_under) {
      m_fields.push_back(std::make_unique<SpeakerField>(s, speakers));
      m_max_cutoff = std::max(m_max_cutoff, m_fields.back()->max_cutoff_m());
    }
  }
  /// where a horn's sound may still count, under any of the hearings
  double cutoff_m(std::size_t horn) const {
    double c = 0;
    for (const auto& f : m_fields) c = std::max(c, f->cutoff_m(horn));
    return c;
  }
  double max_cutoff_m() const { return m_max_cutoff; }
  /// Per cell of `which`: heard, with the horns h for which hears(k, h).
  std::vector<std::uint8_t> heard(const Inputs& in, const Speakers& speakers, const std::vector<std::int32_t>& which,
                                  const std::function<bool(std::size_t, std::size_t)>& hears) const {
    std::vector<std::uint8_t> out(which.size(), 1);
    for (std::size_t k = 0; k < m_fields.size(); ++k) {
      std::vector<std::int32_t> households;
      std::vector<std::size_t> index;  // into `which`
      for (std::size_t j = 0; j < which.size(); ++j)
        if (m_cells.stride == 1 || m_cells.condition(which[j]) == static_cast<std::int32_t>(k)) {
          households.push_back(m_cells.household(which[j]));
          index.push_back(j);
        }
      if (households.empty()) continue;
      const auto r = speakers_reach(m_under[k], in.households, speakers, *m_fields[k], households,
                                    [&](std::size_t m, std::size_t horn) { return hears(index[m], horn); });
      for (std::size_t m = 0; m < r.size(); ++m)
        if (r[m] == 0) out[index[m]] = 0;
    }
    return out;
  }

private:
  Cells m_cells;
  std::vector<Scenario> m_under;
  std::vector<std::unique_ptr<SpeakerField>> m_fields;
  double m_max_cutoff = 0;
};

/// `poles`: the proposed poles (candidate indexes); `fresh[k]`: poles[k] was not examined before;
/// `reached[k]`: the cells the model has poles[k] reach; `harm`: what is known a pole alone
/// takes away (sorted).
EchoEffects echo_effects(const Scenario& sc, const Inputs& in, const CoverageResult& cov, const Cells& cells,
                         const std::vector<CandidateSite>& sites, const std::vector<std::int32_t>& poles,
                         const std::vector<char>& fresh, const std::vector<std::vector<std::int32_t>>& reached,
                         const std::vector<std::pair<std::int32_t, std::int32_t>>& harm) {
  const auto& hc = cov.households;
  std::vector<ProposedSite> added;
  for (const auto c : poles) {
    ProposedSite ps;
    ps.kind = "speaker";
    ps.site_id = "echo_" + std::to_string(c);
    ps.x_m = sites[static_cast<std::size_t>(c)].x;
    ps.y_m = sites[static_cast<std::size_t>(c)].y;
    added.push_back(ps);
  }
  const EquipmentLayers eq = with_proposed_sites(sc, in, added);
  const CellHearing f(sc, cells, eq.speakers);
  const std::size_t n_existing = in.speakers.size();
  // (cell, pole k, whether every pole is heard) to test: cells a loudspeaker reaches today with one
  // fresh pole; those the model has a pole reach with every pole; and the cells a loudspeaker
  // reaches today within any pole's cutoff with every pole (pole_of -1)
  std::vector<std::int32_t> which, pole_of;
  std::vector<char> all_poles;
  // (cell, pole k): a cell a loudspeaker reaches today within pole k's cutoff
  std::vector<std::pair<std::int32_t, std::int32_t>> near;
  const PointGrid grid(in.households.x_m, in.households.y_m, std::max(100.0, f.max_cutoff_m() / 4.0));
  for (std::size_t k = 0; k < poles.size(); ++k) {
    const auto horn = static_cast<Eigen::Index>(n_existing + k);
    grid.for_each_within(eq.speakers.x_m[horn], eq.speakers.y_m[horn], f.cutoff_m(n_existing + k),
                         [&](std::uint32_t i, double) {
                           for (std::size_t j = 0; j < cells.stride; ++j) {
                             const auto cell = static_cast<std::int32_t>(i * cells.stride + j);
                             if (!cells.held_today(hc, cell)) continue;
                             near.emplace_back(cell, static_cast<std::int32_t>(k));
                             if (fresh[k] == 0) continue;
                             which.push_back(cell);
                             pole_of.push_back(static_cast<std::int32_t>(k));
                             all_poles.push_back(0);
                           }
                         });
    for (const auto i : reached[k]) {
      which.push_back(i);
      pole_of.push_back(static_cast<std::int32_t>(k));
      all_poles.push_back(1);
    }
  }
  std::sort(near.begin(), near.end());
  for (std::size_t n = 0; n < near.size(); ++n) {
    if (n > 0 && near[n].first == near[n - 1].first) continue;
    which.push_back(near[n].first);
    pole_of.push_back(-1);
    all_poles.push_back(1);
  }
  const auto heard = f.heard(in, eq.speakers, which, [&](std::size_t k, std::size_t horn) {
    return horn < n_existing || all_poles[k] != 0 || horn == n_existing + static_cast<std::size_t>(pole_of[k]);
  });
  EchoEffects out;
  for (std::size_t k = 0; k < which.size(); ++k)
    if (heard[k] == 0 && all_poles[k] == 0) out.harm.emplace_back(which[k], poles[static_cast<std::size_t>(pole_of[k])]);
  std::sort(out.harm.begin(), out.harm.end());
  // Taken away by the poles together: unless one pole alone is known to take it away, every pole
  // within its cutoff counts as taking it away.
  std::vector<std::int32_t> sorted_poles = poles;
  std::sort(sorted_poles.begin(), sorted_poles.end());
  auto harmed_alone = [&](std::int32_t i) {
    auto alone = [&, i](const std::vector<std::pair<std::int32_t, std::int32_t>>& v) {
      const auto it = std::lower_bound(v.begin(), v.end(), std::pair{i, std::numeric_limits<std::int32_t>::min()});
      for (auto j = it; j != v.end() && j->first == i; ++j)
        if (std::binary_search(sorted_poles.begin(), sorted_poles.end(), j->second)) return true;
      return false;
    };
    return alone(harm) || alone(out.harm);
  };
  // Spoiled: which other pole, heard with this one, spoils it (those within their reach).
  std::vector<std::int32_t> pair_which, pair_a, pair_b;
  std::vector<std::size_t> pair_of;  // index into `which`
  for (std::size_t k = 0; k < which.size(); ++k) {
    if (heard[k] != 0 || all_poles[k] == 0) continue;
    if (pole_of[k] < 0) {
      if (harmed_alone(which[k])) continue;
      const auto i = which[k];
      for (auto j = std::lower_bound(near.begin(), near.end(), std::pair{i, std::int32_t{0}});
           j != near.end() && j->first == i; ++j)
        out.joint.emplace_back(i, poles[static_cast<std::size_t>(j->second)]);
      continue;
    }
    const auto i = static_cast<Eigen::Index>(cells.household(which[k]));
    for (std::size_t b = 0; b < poles.size(); ++b) {
      if (static_cast<std::int32_t>(b) == pole_of[k]) continue;
      const auto hb = static_cast<Eigen::Index>(n_existing + b);
      const double dx = eq.speakers.x_m[hb] - in.households.x_m[i], dy = eq.speakers.y_m[hb] - in.households.y_m[i];
      const double cut = f.cutoff_m(n_existing + b);
      if (dx * dx + dy * dy > cut * cut) continue;
      pair_which.push_back(which[k]);
      pair_a.push_back(pole_of[k]);
      pair_b.push_back(static_cast<std::int32_t>(b));
      pair_of.push_back(k);
    }
  }
  const auto pair_heard = f.heard(in, eq.speakers, pair_which, [&](std::size_t k, std::size_t horn) {
        return horn < n_existing || horn == n_existing + static_cast<std::size_t>(pair_a[k]) ||
               horn == n_existing + static_cast<std::size_t>(pair_b[k]);
      });
  std::vector<char> explained(which.size(), 0);
  for (std::size_t k = 0; k < pair_which.size(); ++k)
    if (pair_heard[k] == 0) {
      out.spoiled.push_back({pair_which[k], poles[static_cast<std::size_t>(pair_a[k])],
                             poles[static_cast<std::size_t>(pair_b[k])]});
      explained[pair_of[k]] = 1;
    }
  for (std::size_t k = 0; k < which.size(); ++k)
    if (heard[k] == 0 && all_poles[k] != 0 && pole_of[k] >= 0 && explained[k] == 0)
      out.dropped.emplace_back(which[k], poles[static_cast<std::size_t>(pole_of[k])]);
  std::sort(out.spoiled.begin(), out.spoiled.end());
  std::sort(out.dropped.begin(), out.dropped.end());
  std::sort(out.joint.begin(), out.joint.end());
  return out;
}

/// Adds to `known` (sorted) what `found` (sorted) has that it has not; returns the number added.
template <class T>
std::size_t add_new(std::vector<T>& known, std::vector<T>& found) {
  std::erase_if(found, [&](const T& v) { return std::binary_search(known.begin(), known.end(), v); });
  known.insert(known.end(), found.begin(), found.end());
  std::sort(known.begin(), known.end());
  return found.size();
}

/// The rules judged on the recomputation, in the objective's terms (reached_share_of): a proposal
/// whose model meets the coverage target and every group minimum but whose recomputation does not
/// (what the model leaves out, e.g. the echoes with optimize.echo_rounds 0) falls short, said with
/// the recomputed shares. `units`: the optimizer's group units with a minimum (unit = index into
/// cov.groups of its column); `out.objective_weight_after` is already `after`'s.
void judge_on_recomputation(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                            const CoverageResult& after, const std::vector<UnmetGroup>& units, PlacementResult& out) {
  const OptimizeParams& op = sc.optimize;
  const double total = cov.target_weight;
  const double reached = out.objective_weight_after;  // objective_weight of `after`
  char text[300];
  if (op.coverage_target && total > 0 && reached < *op.coverage_target * total - 1e-9 * std::max(1.0, total)) {
    out.status = "target_unmet";
    std::snprintf(text, sizeof text,
                  "the recomputation with the proposed sites reaches %.2f %% of the target weight, short of the "
                  "coverage target %.2f %% its model met",
                  100.0 * reached / total, 100.0 * *op.coverage_target);
    out.message += (out.message.empty() ? "" : "; ") + std::string(text);
  }
  std::size_t short_units = 0;
  std::map<std::size_t, std::vector<double>> by_group;  // per group column: its units' reached weight
  for (const auto& u : units) {
    const auto it = std::find(in.hamlets.group_names.begin(), in.hamlets.group_names.end(), u.group);
    if (it == in.hamlets.group_names.end()) continue;
    const auto g = static_cast<std::size_t>(it - in.hamlets.group_names.begin());
    const auto& level = after.groups[g];
    if (u.unit < 0 || static_cast<std::size_t>(u.unit) >= level.size()) continue;
    const AreaGap& a = level[static_cast<std::size_t>(u.unit)];
    auto [by, fresh] = by_group.try_emplace(g);
    if (fresh) by->second = units_reached_weight(in, after.households, op.objective, g, level);
    const double unit_reached = by->second[static_cast<std::size_t>(u.unit)];  // in the objective's terms
    if (a.target_weight <= 0 || unit_reached >= u.required * a.target_weight - 1e-9 * std::max(1.0, a.target_weight))
      continue;
    out.shortfalls.push_back({u.group, a.id, u.required, unit_reached / a.target_weight, u.reachable});
    ++short_units;
  }
  if (short_units == 0) return;
  if (out.met()) out.status = "groups_unmet";
  std::snprintf(text, sizeof text,
                "the recomputation with the proposed sites leaves %zu group unit(s) below their minimum share, which "
                "its model met",
                short_units);
  out.message += (out.message.empty() ? "" : "; ") + std::string(text);
}

/// The problem with only the columns `keep` and the existing ones: the others reach nothing (so
/// they are never chosen; their harm stays, keeping the rows it holds held).
CoverageProblem only_columns(const CoverageProblem& p, const std::vector<std::int32_t>& keep) {
  std::vector<char> kept(static_cast<std::size_t>(p.cover.cols()), 0);
  for (const auto c : keep) kept[static_cast<std::size_t>(c)] = 1;
  for (std::size_t c = 0; c < p.existing.size(); ++c) kept[c] = kept[c] != 0 || p.existing[c] != 0 ? 1 : 0;
  CoverageProblem out = p;
  out.cover.prune([&](std::int32_t, std::int32_t col, double) { return kept[static_cast<std::size_t>(col)] != 0; });
  std::erase_if(out.spoiled, [&](const SpoiledEntry& e) { return kept[static_cast<std::size_t>(e.col)] == 0; });
  return out;
}

}  // namespace

double objective_weight(const Scenario& sc, const CoverageResult& cov) {
  const auto& hc = cov.households;
  if (hc.reached_in.empty()) return cov.reached_weight;
  if (sc.optimize.objective == PlacementObjective::expected) return cov.target_weight - cov.expected_gap_weight;
  double w = 0.0;
  for (std::size_t i = 0; i < hc.reached.size(); ++i)
    if (hc.weight[static_cast<Eigen::Index>(i)] > 0) w += hc.weight[static_cast<Eigen::Index>(i)] * reached_share_of(hc, sc.optimize.objective, i);
  return w;
}

EquipmentLayers with_proposed_sites(const Scenario& sc, const Inputs& in, const std::vector<ProposedSite>& sites) {
  const auto& op = sc.optimize;
  EquipmentLayers out{in.speakers, in.teams};
  Speakers& sp = out.speakers;
  Teams& tm = out.teams;
  for (const ProposedSite& s : sites) {
    if (s.kind == "speaker") {
      const auto n = static_cast<Eigen::Index>(sp.id.size());
      sp.id.push_back(s.site_id);
      sp.cluster.push_back("");  // a new pole of its own
      for (auto* v : {&sp.x_m, &sp.y_m, &sp.power_w, &sp.sensitivity_db, &sp.height_m, &sp.azimuth_deg,
                      &sp.beamwidth_deg, &sp.range_m})
        v->conservativeResize(n + 1);
      sp.x_m[n] = s.x_m;
      sp.y_m[n] = s.y_m;
      sp.power_w[n] = op.template_power_w;
      sp.sensitivity_db[n] = op.template_sensitivity_db;
      sp.height_m[n] = op.template_height_m;
      sp.azimuth_deg[n] = std::numeric_limits<double>::quiet_NaN();  // omnidirectional
      sp.beamwidth_deg[n] = Horn{}.beamwidth_deg;
      sp.range_m[n] = op.template_range_m;
    } else {
      const auto n = static_cast<Eigen::Index>(tm.id.size());
      tm.id.push_back(s.site_id);
      for (auto* v : {&tm.x_m, &tm.y_m, &tm.members, &tm.reach_m, &tm.households_per_member})
        v->conservativeResize(n + 1);
      tm.x_m[n] = s.x_m;
      tm.y_m[n] = s.y_m;
      tm.members[n] = op.template_team_members;
      tm.reach_m[n] = in.teams.typical_reach_m;
      tm.households_per_member[n] = in.teams.typical_households_per_member;
    }
  }
  assign_clusters(sp);
  return out;
}

AfterChanges after_changes(const HouseholdCoverage& before, const HouseholdCoverage& after, std::int32_t n_teams) {
  AfterChanges c;
  auto add = [&](ReachCount& r, std::size_t i) {
    ++r.households;
    r.weight += before.weight[static_cast<Eigen::Index>(i)];
  };
  for (std::size_t i = 0; i < before.reached.size(); ++i) {
    if (!(before.weight[static_cast<Eigen::Index>(i)] > 0)) continue;
    const bool heard_before = before.reached_speaker[i] != 0, heard_after = after.reached_speaker[i] != 0;
    const bool served_after = after.reached_team[i] != 0;
    if (!before.reached[i]) {
      if (heard_after)
        add(c.heard, i);
      else if (served_after)
        add(after.team[i] >= n_teams ? c.new_teams : c.existing_teams, i);
    } else if (heard_before && !heard_after) {
      add(served_after ? c.moved_to_teams : c.lost_to_echo, i);
    } else if (!heard_before && !after.reached[i]) {
      add(c.left_by_teams, i);
    }
  }
  return c;
}

PlacementResult run_placement(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                              const SpeakerField& field, const RunOptions& options) {
  const auto& op = sc.optimize;
  const auto& hc = cov.households;
  const int n_speakers = options.new_speakers.value_or(op.new_speakers);
  const int n_teams = options.new_teams.value_or(op.new_teams);
  const std::optional<double> budget = options.budget ? options.budget : op.budget_vnd;
  // The options under the names the user gave them (scenario keys, CLI options, Python keywords).
  auto bad = [](const std::string& what) { throw InvalidInput(ErrorCode::invalid_input, what); };
  if (n_speakers < 0) bad("new_speakers must be >= 0, got " + std::to_string(n_speakers));
  if (n_teams < 0) bad("new_teams must be >= 0, got " + std::to_string(n_teams));
  if (budget && !(std::isfinite(*budget) && *budget >= 0)) bad("budget must be >= 0 VND");
  // Progress of the stage: candidates, coverage matrix, solve, coverage after (usual shares).
  auto report = [&options](double f) {
    if (options.progress) options.progress("optimize", f);
  };
  report(0.0);
  // A kind whose count is 0 is left out in every mode: with a budget the counts stop being limits,
  // but `--new-teams 0` still means "no team" (the budget then buys loudspeakers only).
  const bool want_speakers = n_speakers > 0;
  const bool want_teams = n_teams > 0;
  const std::vector<CandidateSite> sites = build_candidates(sc, in, want_speakers, want_teams);
  report(0.1);
  const NewSiteTemplate site = new_site_template(sc, in, field);
  OptimizeOptions o;
  o.max_speakers = n_speakers;
  o.max_teams = n_teams;
  o.budget = budget;
  o.coverage_target = op.coverage_target;
  o.solver = options.exact                          ? OptimizeOptions::Solver::exact
             : op.solver == SolverChoice::exact     ? OptimizeOptions::Solver::exact
             : op.solver == SolverChoice::heuristic ? OptimizeOptions::Solver::heuristic
                                                    : OptimizeOptions::Solver::automatic;
  // Echoes (u50, iso9613; optimize.echo_rounds ≥ 1; under listening conditions cell by cell, Cells):
  // a new pole can take reach
  // away from households existing loudspeakers reach, and the proposed poles' echoes spoil what the
  // model has each reach alone. After each solve (a round), what the proposed poles do is heard:
  // what a newly proposed pole alone takes away joins the model (held rows), and a reach another
  // proposed pole drowns holds only while that pole is not built (spoiled entries) — facts true of
  // every plan, so each round's bound stays a bound. What only several poles together do (a reach
  // they drown, a household they take away) is kept for the valuation, on the safe side (any of
  // them counts as doing it). The rounds stop when one finds nothing new, or after echo_rounds;
  // then the last proposal is solved again on its own sites with everything found (a site that now
  // adds nothing drops out): that valuation is the claim, against the last round's bound. When the
  // valuation no longer meets the coverage target or a group minimum that its round met, the rounds
  // go on (up to k_max_echo_rounds) with everything found in the model, the safe side included (the
  // bound stays that of the last round without it). The number of rounds never depends on time:
  // the rounds share 0.8 × time_limit_s (each the rest divided by the rounds left), the valuation
  // has what is left.
  // (the waiting teams matter to the cells an echo can take only under expected, where a team that
  // moves leaves a household its loudspeakers reach under some conditions)
  const Cells cells = [&] {
    const Cells plain = Cells::of(sc, hc);
    if (plain.stride == 1) return plain;
    const ExistingTeams existing = existing_teams_of(in, cov, op.objective);
    return Cells::of(sc, hc, &existing);
  }();
  const bool echoes = op.echo_rounds > 0 && !field.radius_model() && sc.acoustics.multi_cluster == MultiCluster::u50 &&
                      want_speakers &&
                      in.households.size() * cells.stride < static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max());
  std::vector<std::pair<std::int32_t, std::int32_t>> harm;  // (household, candidate), sorted
  std::vector<char> examined(sites.size(), 0);
  std::vector<SpoiledEntry> spoiled;                          // (household, candidate, spoiler), sorted
  std::vector<std::pair<std::int32_t, std::int32_t>> dropped;  // (household, candidate), sorted
  std::vector<std::pair<std::int32_t, std::int32_t>> joint;    // (household, candidate), sorted
  CoverageMatrix matrix;
  OptimizeResult res;
  const auto started = std::chrono::steady_clock::now();
  int round = 0;
  double done = 0.0;  // share of the solving part of the stage reported
  bool settled = true;
  std::vector<std::int32_t> keep;  // not empty: the valuation, on these sites
  OptimizeResult model;            // the last round's solve (echoes: beside the valuation)
  double seconds = 0.0;            // the optimizer's, over the rounds
  int rounds = echoes ? op.echo_rounds : 1;
  const bool maximise = !op.coverage_target;
  bool safe_side = false;  // the rounds' model holds what only several poles together do
  double exact_bound = 0;  // the bound of the last round whose model held only what is true of every plan
  // the bound of the last round without the safe side (a safe-side model's own bound is not one)
  auto exact_bound_for = [&](OptimizeResult& r) {
    r.bound = maximise ? std::max(exact_bound, r.objective) : std::min(exact_bound, r.objective);
    r.gap = relative_gap(r.bound, r.objective);
    if (r.gap > 0 && r.status == "optimal") r.status = "feasible";
  };
  while (true) {
    const bool valuation = !keep.empty();
    if (!valuation) ++round;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double left = op.time_limit_s - elapsed;
    // share of the stage's progress: the rounds 0.8 (equal parts), the valuation the rest
    const double share = !echoes ? 1.0 : valuation ? 0.5 * (1.0 - done) : (1.0 - done) * 0.8 / std::max(1, rounds - round + 1);
    {
      const double from = done;
      const ParallelProgress within([&](double f) { report(0.1 + 0.8 * (from + 0.3 * share * f)); });
      if (valuation || safe_side) {  // with what only several poles together do, on the safe side
        std::vector<std::pair<std::int32_t, std::int32_t>> all = harm;
        all.insert(all.end(), joint.begin(), joint.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        matrix = build_coverage_matrix(sc, in, cov, field, site, sites, true, all, spoiled, dropped);
      } else {
        matrix = build_coverage_matrix(sc, in, cov, field, site, sites, true, harm, spoiled);
      }
    }
    const double from = done + 0.3 * share;
    const double reserve = echoes ? 0.2 * op.time_limit_s : 0.0;
    o.time_limit_s = valuation ? std::max(1.0, left) : std::max(0.05, (left - reserve) / std::max(1, rounds - round + 1));
    o.progress = [&report, from, share](double f) { report(0.1 + 0.8 * (from + 0.7 * share * f)); };
    if (!valuation) {
      res = optimize_placement(matrix.problem, o);
      if (!safe_side) exact_bound = res.bound;
    } else {
      res = optimize_placement(only_columns(matrix.problem, keep), o);
      // what every candidate together could reach is the round's (the valuation sees only its sites)
      res.reachable_weight = model.reachable_weight;
      for (auto* units : {&res.unmet_groups, &res.group_units})
        for (auto& u : *units)
          for (const auto& m : model.group_units)
            if (m.group == u.group && m.unit == u.unit) u.reachable = m.reachable;
      if (!res.met() && model.met() && round < OptimizeParams::k_max_echo_rounds) {
        // Its echoes take the proposal below what its round met: more rounds, the safe side in the model.
        seconds += res.seconds;
        keep.clear();
        safe_side = true;
        rounds = std::max(rounds, round + 1);
        continue;
      }
      // The last proposal, valued with what its poles' echoes do.
      exact_bound_for(res);
      if (!res.message.empty()) res.message += "; ";
      char what[200];
      std::snprintf(what, sizeof what, "valued with its poles' echoes after %d round(s) (the last round's model: %.1f)",
                    round, model.objective);
      res.message += what;
      if (res.chosen.size() < keep.size())
        res.message += "; " + std::to_string(keep.size() - res.chosen.size()) +
                       " proposed site(s) dropped out: they add nothing once their echoes count";
    }
    seconds += res.seconds;
    done += share;
    if (!echoes || valuation) break;
    // the proposed poles: what each new one alone takes away, and what the model has them reach
    // that they do not reach together
    std::vector<std::int32_t> poles;
    std::vector<char> fresh;
    for (const auto c : res.chosen)
      if (sites[static_cast<std::size_t>(c)].kind == SiteKind::speaker) {
        poles.push_back(c);
        fresh.push_back(examined[static_cast<std::size_t>(c)] == 0 ? 1 : 0);
        examined[static_cast<std::size_t>(c)] = 1;
      }
    if (poles.empty()) break;
    std::vector<std::vector<std::int32_t>> members(static_cast<std::size_t>(matrix.problem.cover.rows()));
    for (std::size_t k = 0; k < matrix.rows.size(); ++k)  // the cells a pole may reach (held ones are reached)
      if (matrix.row_of[k] >= 0 && !cells.held_today(hc, matrix.cells[k]))
        members[static_cast<std::size_t>(matrix.row_of[k])].push_back(matrix.cells[k]);
    std::vector<std::vector<std::int32_t>> reached(poles.size());
    for (std::size_t k = 0; k < poles.size(); ++k)
      for (CoverMatrix::InnerIterator it(matrix.problem.cover, poles[k]); it; ++it)
        for (const auto i : members[static_cast<std::size_t>(it.row())]) reached[k].push_back(i);
    EchoEffects found = echo_effects(sc, in, cov, cells, sites, poles, fresh, reached, harm);
    const bool together = !found.dropped.empty() || !found.joint.empty();
    // INFOGAP_ECHO_LOG set in the environment: what each round found (diagnosis of the rounds)
    if (std::getenv("INFOGAP_ECHO_LOG") != nullptr)
      std::fprintf(stderr, "round %d: objective %.1f bound %.1f; harm %zu, spoiled %zu, dropped %zu, joint %zu\n", round,
                   res.objective, res.bound, found.harm.size(), found.spoiled.size(), found.dropped.size(),
                   found.joint.size());
    const std::size_t added = add_new(harm, found.harm) + add_new(spoiled, found.spoiled);
    const std::size_t added_together = add_new(dropped, found.dropped) + add_new(joint, found.joint);
    // the model counts all this plan's poles do (with the safe side in it, what they do together too)
    if (added == 0 && (!together || (safe_side && added_together == 0))) break;
    if (added == 0 || round >= rounds) {  // value this proposal with what was found (above)
      settled = added == 0;
      keep = res.chosen;
      model = res;
    }
  }
  if (safe_side && keep.empty()) exact_bound_for(res);  // a round with the safe side in its model was the last
  report(0.9);
  const auto& rows = matrix.rows;
  const CoverageProblem& p = matrix.problem;

  PlacementResult out;
  out.objective = res.objective;
  out.bound = res.bound;
  out.gap = res.gap;
  out.solver = res.solver;
  out.status = res.status;
  out.seconds = seconds;
  out.candidates = static_cast<std::int64_t>(sites.size());
  out.rows = static_cast<std::int64_t>(rows.size());
  out.merged_rows = res.merged_rows;
  out.existing_teams = static_cast<std::int64_t>(matrix.existing_teams.size());
  out.echo_rounds = echoes ? round : 0;
  out.model_objective = keep.empty() ? res.objective : model.objective;
  out.model_gap = keep.empty() ? res.gap : model.gap;
  out.held_rows = matrix.held_rows;
  out.echo_settled = settled;
  out.reached_weight = res.reached_weight;
  out.message = res.message;
  out.weight_before = cov.reached_weight;
  out.mode = op.coverage_target ? "coverage_target" : budget ? "budget" : "counts";
  out.max_speakers = n_speakers;
  out.max_teams = n_teams;
  if (!op.coverage_target) out.budget_vnd = budget;
  out.coverage_target = op.coverage_target;
  out.target_reachable_share =
      cov.target_weight > 0 ? std::min(1.0, (p.base_weight + res.reachable_weight) / cov.target_weight) : 0.0;
  // Group units that fall short, named by their value in the group column.
  for (const auto& u : res.unmet_groups) {
    GroupShortfall f;
    f.group = u.group;
    const auto it = std::find(in.hamlets.group_names.begin(), in.hamlets.group_names.end(), u.group);
    const auto g = static_cast<std::size_t>(it - in.hamlets.group_names.begin());
    if (it != in.hamlets.group_names.end() && u.unit >= 0 && static_cast<std::size_t>(u.unit) < cov.groups[g].size())
      f.unit = cov.groups[g][static_cast<std::size_t>(u.unit)].id;
    else
      f.unit = std::to_string(u.unit);
    f.required = u.required;
    f.share_after = u.share;
    f.reachable = u.reachable;
    out.shortfalls.push_back(std::move(f));
    // The optimizer names units by index ("commune unit 17 needs …"): say their names instead.
    const std::string by_index = u.group + " unit " + std::to_string(u.unit) + " ";
    for (auto pos = out.message.find(by_index); pos != std::string::npos; pos = out.message.find(by_index, pos))
      out.message.replace(pos, by_index.size(), u.group + " " + out.shortfalls.back().unit + " ");
  }
  out.households_before = cov.reached_any;

  // Proposed sites in rank order.
  Households site_points;
  site_points.x_m.resize(static_cast<Eigen::Index>(res.chosen.size()));
  site_points.y_m.resize(static_cast<Eigen::Index>(res.chosen.size()));
  site_points.id.resize(res.chosen.size());
  for (std::size_t k = 0; k < res.chosen.size(); ++k) {
    site_points.x_m[static_cast<Eigen::Index>(k)] = sites[static_cast<std::size_t>(res.chosen[k])].x;
    site_points.y_m[static_cast<Eigen::Index>(k)] = sites[static_cast<std::size_t>(res.chosen[k])].y;
  }
  const auto site_hamlet = join_households(site_points, in.hamlets, nullptr);
  std::vector<double> lon(site_points.x_m.data(), site_points.x_m.data() + site_points.x_m.size());
  std::vector<double> lat(site_points.y_m.data(), site_points.y_m.data() + site_points.y_m.size());
  if (in.working_crs.empty()) {  // inputs built in code without a CRS: no geographic position
    lon.assign(lon.size(), std::numeric_limits<double>::quiet_NaN());
    lat.assign(lat.size(), std::numeric_limits<double>::quiet_NaN());
  } else if (!lon.empty()) {
    Transformer(in.working_crs, "EPSG:4326").transform(lon.data(), lat.data(), lon.size());
  }
  for (std::size_t k = 0; k < res.chosen.size(); ++k) {
    const auto c = static_cast<std::size_t>(res.chosen[k]);
    const auto& s = sites[c];
    ProposedSite ps;
    ps.kind = s.kind == SiteKind::speaker ? "speaker" : "team";
    ps.site_id = "new_" + ps.kind + "_" + std::to_string(k + 1);
    ps.rank = static_cast<std::int32_t>(k + 1);
    ps.x_m = s.x;
    ps.y_m = s.y;
    ps.marginal_weight = k < res.marginal_weight.size() ? res.marginal_weight[k] : 0.0;
    ps.marginal_households = k < res.marginal_households.size() ? res.marginal_households[k] : 0.0;
    ps.cumulative_weight = k < res.cumulative_weight.size() ? res.cumulative_weight[k] : 0.0;
    ps.cost_vnd = p.cost[c];
    ps.reach_m = s.kind == SiteKind::speaker ? site.speaker_range_m : site.team_reach_m;
    ps.hamlet = site_hamlet[k];
    ps.candidate_id = s.id;
    ps.candidate_name = s.name;
    ps.candidate_type = s.type;
    if (ps.hamlet >= 0) {
      if (static_cast<std::size_t>(ps.hamlet) < in.hamlets.name.size())
        ps.hamlet_name = in.hamlets.name[static_cast<std::size_t>(ps.hamlet)];
      ps.commune_name = commune_of_hamlet(in, static_cast<std::size_t>(ps.hamlet));
    }
    ps.lon = round6(lon[k]);
    ps.lat = round6(lat[k]);
    out.sites.push_back(ps);
  }
  // The optimizer's claim: coverage after placement as its model sees it (team capacity assigned
  // optimally among the rows, a new speaker counted alone with the existing level; a household
  // counts as reached when at least half of it is served — shares are 0 or 1 unless a team's
  // capacity splits a merged row).
  const PlacementCoverage after_eval = evaluate_placement(p, res.chosen);
  out.objective_weight_before = p.base_weight;
  out.claimed_weight_after = p.base_weight + after_eval.weight;
  {
    // A row of the model stands for the entries of `rows` of one coverage pattern: a share s of it
    // reached marks the first round(s × entries) of them (in household order) — shares are 0 or 1
    // unless a team's capacity splits the row. With conditions: a household any of its entries reached.
    std::vector<std::uint8_t> claimed = hc.reached;
    for (std::size_t k = 0; k < rows.size(); ++k)  // the model decides its rows (a dropped one stays as it is)
      if (matrix.row_of[k] >= 0) claimed[static_cast<std::size_t>(rows[k])] = 0;
    std::vector<double> left(static_cast<std::size_t>(p.cover.rows()), 0.0);
    for (std::size_t k = 0; k < rows.size(); ++k)
      if (matrix.row_of[k] >= 0) left[static_cast<std::size_t>(matrix.row_of[k])] += 1.0;
    for (Eigen::Index r = 0; r < p.cover.rows(); ++r)
      left[static_cast<std::size_t>(r)] = std::round(after_eval.row_share[r] * left[static_cast<std::size_t>(r)]);
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::int32_t r = matrix.row_of[k];
      if (r < 0 || left[static_cast<std::size_t>(r)] < 1.0) continue;
      left[static_cast<std::size_t>(r)] -= 1.0;
      claimed[static_cast<std::size_t>(rows[k])] = 1;
    }
    out.claimed_households_after = 0;
    for (std::size_t i = 0; i < claimed.size(); ++i)
      if (claimed[i] && hc.weight[static_cast<Eigen::Index>(i)] > 0) ++out.claimed_households_after;
  }
  // Coverage after placement, recomputed: the proposed sites join the inputs' speakers and teams
  // (the new-site template) and coverage runs again with the same rules as before, so these
  // figures are what rerunning coverage with the sites added to the input layers gives.
  const EquipmentLayers added = with_proposed_sites(sc, in, out.sites);
  const SpeakerField after_field(sc, added.speakers);
  // The recomputation is a whole coverage run (national: ≈ 50 s): its progress moves the last tenth.
  CoverageResult after =
      compute_coverage(sc, in, {added.speakers, added.teams, after_field, &cov}, [&report](double f) {
        report(0.9 + 0.1 * std::min(f, 0.999));
      });
  out.changes = after_changes(hc, after.households, static_cast<std::int32_t>(in.teams.id.size()));
  out.weight_after = after.reached_weight;
  out.households_after = after.reached_any;
  out.objective_weight_after = objective_weight(sc, after);  // before the households' flags move out
  if (out.met()) judge_on_recomputation(sc, in, cov, after, res.group_units, out);
  out.reached_after = std::move(after.households.reached);
  out.hamlets_after = std::move(after.hamlets);
  // Largest shortfall first (then by name), in every output.
  std::stable_sort(out.shortfalls.begin(), out.shortfalls.end(), [](const GroupShortfall& a, const GroupShortfall& b) {
    const double da = a.required - a.share_after, db = b.required - b.share_after;
    if (da != db) return da > db;
    return std::tie(a.group, a.unit) < std::tie(b.group, b.unit);
  });
  if (hc.reached_in.empty()) out.objective_weight_before = cov.reached_weight;
  report(1.0);
  return out;
}

}  // namespace infogap::detail
