#include "placement/coverage_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "spatial/point_grid.hpp"

namespace infogap::detail {

NewSiteTemplate new_site_template(const Scenario& sc, const Inputs& in, const SpeakerField& field) {
  const auto& op = sc.optimize;
  NewSiteTemplate t;
  t.radius = field.radius_model();
  t.speaker_reach_m = t.speaker_range_m = op.template_range_m;
  if (!t.radius) {
    Horn horn;
    horn.power_w = op.template_power_w;
    horn.sensitivity_db = op.template_sensitivity_db;
    horn.height_m = op.template_height_m;
    const LevelTable table = field.table_for(horn);
    // A household with existing energy needs less: search to where the template alone is as far
    // below the threshold as the field's energy floor.
    t.speaker_reach_m = table.reach_m(field.threshold_dba() - SpeakerField::k_energy_floor_db);
    t.speaker_range_m = table.reach_m(field.threshold_dba());
  }
  t.team_reach_m = in.teams.typical_reach_m;
  t.team_capacity = std::floor(op.template_team_members * in.teams.typical_households_per_member);
  return t;
}

std::vector<double> units_reached_weight(const Inputs& in, const HouseholdCoverage& hc, PlacementObjective objective,
                                         std::size_t g, const std::vector<AreaGap>& units) {
  std::vector<double> out(units.size(), 0.0);
  if (hc.reached_in.empty()) {
    for (std::size_t k = 0; k < units.size(); ++k) out[k] = units[k].reached_weight;
    return out;
  }
  std::map<std::string, std::size_t> index;
  for (std::size_t k = 0; k < units.size(); ++k) index.emplace(units[k].id, k);
  for (std::size_t i = 0; i < hc.reached.size(); ++i) {
    const double w = hc.weight[static_cast<Eigen::Index>(i)];
    if (!(w > 0) || hc.hamlet[i] < 0) continue;
    const auto at = index.find(in.hamlets.groups[g][static_cast<std::size_t>(hc.hamlet[i])]);
    if (at != index.end()) out[at->second] += w * reached_share_of(hc, objective, i);
  }
  return out;
}

ExistingTeams existing_teams_of(const Inputs& in, const CoverageResult& cov, PlacementObjective objective) {
  const auto& hc = cov.households;
  const auto& tm = in.teams;
  ExistingTeams out;
  const std::size_t n = in.households.size(), nt = tm.size();
  if (nt == 0 || n == 0) return out;
  double max_reach = 0;
  for (std::size_t t = 0; t < nt; ++t) max_reach = std::max(max_reach, tm.reach_m[static_cast<Eigen::Index>(t)]);
  const PointGrid grid(tm.x_m, tm.y_m, std::max(100.0, max_reach));
  // The households a team can take: target households no loudspeaker reaches (in the objective's
  // terms: a team adds to them; the others come after all of them in the team rule, so they never
  // take a place from one), within its reach.
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> found(thread_count() + 1);
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned worker) {
        for (std::size_t i = b; i < e; ++i) {
          const auto ei = static_cast<Eigen::Index>(i);
          if (!(hc.weight[ei] > 0) || unheard_share_of(hc, objective, i) <= 0) continue;
          grid.for_each_within(in.households.x_m[ei], in.households.y_m[ei], max_reach, [&](std::uint32_t t, double d2) {
            const double r = tm.reach_m[static_cast<Eigen::Index>(t)];
            if (d2 <= r * r) found[worker].emplace_back(static_cast<std::int32_t>(i), static_cast<std::int32_t>(t));
          });
        }
      },
      4096);
  for (auto& f : found) {
    out.pairs.insert(out.pairs.end(), f.begin(), f.end());
    std::vector<std::pair<std::int32_t, std::int32_t>>().swap(f);
  }
  std::sort(out.pairs.begin(), out.pairs.end());
  // A team waits when a household in its reach is not served (its capacity is all used).
  out.waiting.assign(nt, 0);
  for (const auto& [i, t] : out.pairs)
    if (!hc.reached_team[static_cast<std::size_t>(i)]) out.waiting[static_cast<std::size_t>(t)] = 1;
  std::erase_if(out.pairs, [&](const auto& pr) { return out.waiting[static_cast<std::size_t>(pr.second)] == 0; });
  return out;
}

CoverageMatrix build_coverage_matrix(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                                     const SpeakerField& field, const NewSiteTemplate& site,
                                     const std::vector<CandidateSite>& sites, bool aggregate,
                                     const std::vector<std::pair<std::int32_t, std::int32_t>>& harm,
                                     const std::vector<SpoiledEntry>& spoiled,
                                     const std::vector<std::pair<std::int32_t, std::int32_t>>& dropped) {
  const auto& op = sc.optimize;
  const auto& hc = cov.households;
  CoverageMatrix m;
  auto& rows = m.rows;
  // Listening conditions (acoustics.conditions): what a row is depends on optimize.objective.
  //  expected:   a row per (target household, condition it is unreached under), weight
  //              w · share, standing for share of a household (team capacity);
  //  worst_case: a row per target household unreached under some condition, covered by a site
  //              that reaches it under every condition it is unreached under.
  const std::size_t n_cond = hc.reached_in.size();
  const bool expected = n_cond > 0 && op.objective == PlacementObjective::expected;
  const bool worst_case = n_cond > 0 && op.objective == PlacementObjective::worst_case;
  std::vector<std::int32_t> row_condition;  // expected: the row's condition
  auto& row_cells = m.cells;
  // Existing teams with a waiting list (see existing_teams_of). Under `expected` a household's
  // rows (one per condition) are a set a team serves whole (CoverageProblem::together): a team
  // takes one place for it, and a candidate reaches each row under its own condition, so a team
  // moves when a new pole leaves it less to add there than elsewhere, as coverage's team rule does.
  const ExistingTeams existing = existing_teams_of(in, cov, op.objective);
  const Cells cells = Cells::of(sc, hc, &existing);
  // a team adds to household i (the team rule's gain > 0) and a waiting team serves it
  auto moves = [&](std::size_t i) { return cells.team_moves(i); };
  // Held cells (harm): a loudspeaker reaches them today, no team serves their household, and no
  // team with room to spare is in reach (it would serve it once the echo comes); the waiting teams
  // in their reach.
  std::vector<char> held_cell(!harm.empty() ? in.households.size() * cells.stride : 0, 0);
  std::vector<std::pair<std::int32_t, std::int32_t>> held_pairs;  // (household, waiting team in reach)
  if (!held_cell.empty()) {
    for (const auto& [cell, c] : harm)
      if (cells.held_today(hc, cell)) held_cell[static_cast<std::size_t>(cell)] = 1;
    const auto& tm = in.teams;
    if (tm.size() > 0) {
      std::vector<std::int64_t> spare(tm.size(), 0);  // places not taken by a household a team adds to (gain > 0)
      for (std::size_t t = 0; t < tm.size() && t < cov.teams.size(); ++t) spare[t] = cov.teams[t].capacity;
      for (std::size_t i = 0; i < in.households.size(); ++i)
        if (hc.reached_team[i] && hc.team[i] >= 0 && hc.weight[static_cast<Eigen::Index>(i)] > 0 &&
            unheard_share_of(hc, op.objective, i) > 0)
          --spare[static_cast<std::size_t>(hc.team[i])];
      double max_reach = 0;
      for (std::size_t t = 0; t < tm.size(); ++t) max_reach = std::max(max_reach, tm.reach_m[static_cast<Eigen::Index>(t)]);
      const PointGrid team_grid(tm.x_m, tm.y_m, std::max(100.0, max_reach));
      std::int32_t last = -1;  // the household of the cells just settled
      bool last_room = false;
      for (std::size_t cell = 0; cell < held_cell.size(); ++cell) {
        if (held_cell[cell] == 0) continue;
        const std::int32_t i = cells.household(static_cast<std::int32_t>(cell));
        if (i == last) {  // another cell of the same household: the same teams
          if (last_room) held_cell[cell] = 0;
          continue;
        }
        last = i;
        const auto ei = static_cast<Eigen::Index>(i);
        std::vector<std::int32_t> waiting;
        bool room = false;
        team_grid.for_each_within(in.households.x_m[ei], in.households.y_m[ei], max_reach, [&](std::uint32_t t, double d2) {
          const double r = tm.reach_m[static_cast<Eigen::Index>(t)];
          if (d2 > r * r) return;
          if (!existing.waiting.empty() && existing.waiting[t] != 0)
            waiting.push_back(static_cast<std::int32_t>(t));
          else if (spare[t] > 0)
            room = true;
        });
        last_room = room;
        if (room) {
          held_cell[cell] = 0;
          continue;
        }
        for (const auto t : waiting) held_pairs.emplace_back(i, t);
      }
    }
  }
  // Rows: target households not reached by any existing channel, and those the teams with a
  // waiting list serve (which new sites can take over, freeing a place).
  auto is_held = [&](std::size_t cell) { return !held_cell.empty() && held_cell[cell] != 0; };
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    if (!(hc.weight[static_cast<Eigen::Index>(i)] > 0)) continue;
    if (expected) {
      // the conditions no loudspeaker reaches it under (a team it may lose adds those), and the held
      const auto& by = moves(i) ? hc.reached_speaker_in : hc.reached_in;
      for (std::size_t k = 0; k < n_cond; ++k)
        if (!by[k][i] || is_held(i * cells.stride + k)) {
          rows.push_back(static_cast<std::int32_t>(i));
          row_cells.push_back(static_cast<std::int32_t>(i * cells.stride + k));
          row_condition.push_back(static_cast<std::int32_t>(k));
        }
    } else if (worst_case) {
      bool all = true;
      for (std::size_t k = 0; k < n_cond; ++k) all = all && hc.reached_in[k][i];
      if (!all || is_held(i) || moves(i)) {
        rows.push_back(static_cast<std::int32_t>(i));
        row_cells.push_back(static_cast<std::int32_t>(i));
      }
    } else if (!hc.reached[i] || moves(i) || is_held(i)) {
      rows.push_back(static_cast<std::int32_t>(i));
      row_cells.push_back(static_cast<std::int32_t>(i));
    }
  }
  Eigen::VectorXd rx(static_cast<Eigen::Index>(rows.size())), ry(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rx[static_cast<Eigen::Index>(r)] = in.households.x_m[rows[r]];
    ry[static_cast<Eigen::Index>(r)] = in.households.y_m[rows[r]];
  }

  std::optional<LevelTable> table;
  // Per condition: the template's level table under its air and listening, and its rule.
  std::vector<LevelTable> cond_table;
  std::vector<ReachRule> cond_rule;
  double speaker_reach_m = site.speaker_reach_m;
  Horn horn;
  horn.power_w = op.template_power_w;
  horn.sensitivity_db = op.template_sensitivity_db;
  horn.height_m = op.template_height_m;
  if (!site.radius) {
    table.emplace(field.table_for(horn));
    for (const auto& c : sc.acoustics.conditions) {
      const AcousticsParams a = sc.acoustics.under(c);
      cond_table.emplace_back(horn, listening_of(a), air_of(a), SpeakerField::k_max_distance_m, 1.0);
      cond_rule.emplace_back(listening_of(a));
      speaker_reach_m = std::max(speaker_reach_m, cond_table.back().reach_m(cond_rule.back().threshold_dba() -
                                                                            SpeakerField::k_energy_floor_db));
    }
  }
  const ReachRule& rule = field.rule();
  // A new speaker reaches row r's household (under the row's condition(s)) at d2 from it.
  auto speaker_reaches = [&](std::size_t r, double d2) {
    const auto i = static_cast<Eigen::Index>(rows[r]);
    const double d = std::sqrt(d2);
    const MultiCluster multi = sc.acoustics.multi_cluster;
    auto under = [&](std::size_t k) {
      return new_cluster_reaches(cond_rule[k], multi, ReachRule::energy(hc.speech_dba_in[k][i]),
                                 ReachRule::energy(cond_table[k].level_dba(d)));
    };
    if (expected) return under(static_cast<std::size_t>(row_condition[r]));
    if (worst_case) {  // alone, under every condition: an echo of it never takes a condition away
      for (std::size_t k = 0; k < n_cond; ++k)
        if (!under(k)) return false;
      return true;
    }
    return new_cluster_reaches(rule, multi, ReachRule::energy(hc.speech_dba[i]),
                               ReachRule::energy(table->level_dba(d)));
  };
  const PointGrid grid(rx, ry, std::max(100.0, std::max(speaker_reach_m, site.team_reach_m) / 2.0));
  std::vector<std::vector<std::int32_t>> col_rows(sites.size());
  parallel_for(
      sites.size(),
      [&](std::size_t b, std::size_t e, unsigned) {
        for (std::size_t c = b; c < e; ++c) {
          const auto& s = sites[c];
          auto& list = col_rows[c];
          if (s.kind == SiteKind::team) {
            grid.for_each_within(s.x, s.y, site.team_reach_m,
                                 [&](std::uint32_t r, double) { list.push_back(static_cast<std::int32_t>(r)); });
          } else if (site.radius) {
            grid.for_each_within(s.x, s.y, site.speaker_reach_m,
                                 [&](std::uint32_t r, double) { list.push_back(static_cast<std::int32_t>(r)); });
          } else {
            grid.for_each_within(s.x, s.y, speaker_reach_m, [&](std::uint32_t r, double d2) {
              if (speaker_reaches(r, d2) &&
                  (dropped.empty() || !std::binary_search(dropped.begin(), dropped.end(),
                                                          std::pair{row_cells[r], static_cast<std::int32_t>(c)})))
                list.push_back(static_cast<std::int32_t>(r));
            });
          }
          std::sort(list.begin(), list.end());
        }
      },
      16);

  // The existing teams that wait, as columns: each holds the households it serves that some
  // candidate reaches (a place it gets back when a new site takes one over) and can take its
  // waiting households; its capacity is the number of the former. Its other households stay
  // where they are, and a team holding none gives no place back: it stays out.
  std::vector<std::int32_t> fixed_teams;
  std::vector<double> fixed_capacity;
  if (!existing.waiting.empty()) {
    // a household stays when a candidate reaches a row of it or one is held (its rows go together)
    std::vector<char> wanted(in.households.size(), 0);
    for (const auto& list : col_rows)
      for (const auto r : list) wanted[static_cast<std::size_t>(rows[static_cast<std::size_t>(r)])] = 1;
    for (std::size_t r = 0; r < rows.size(); ++r)
      if (is_held(static_cast<std::size_t>(row_cells[r]))) wanted[static_cast<std::size_t>(rows[r])] = 1;
    std::vector<std::int32_t> new_index(rows.size(), -1);
    std::vector<std::int32_t> kept, kept_cells, kept_condition;
    for (std::size_t r = 0; r < rows.size(); ++r) {
      const auto i = static_cast<std::size_t>(rows[r]);
      if (reached_share_of(hc, op.objective, i) >= 1.0 - 1e-12 && wanted[i] == 0) continue;
      new_index[r] = static_cast<std::int32_t>(kept.size());
      kept.push_back(rows[r]);
      kept_cells.push_back(row_cells[r]);
      if (expected) kept_condition.push_back(row_condition[r]);
    }
    for (auto& list : col_rows) {  // the mapping keeps the order
      std::size_t n = 0;
      for (const auto r : list)
        if (new_index[static_cast<std::size_t>(r)] >= 0) list[n++] = new_index[static_cast<std::size_t>(r)];
      list.resize(n);
    }
    rows = std::move(kept);
    row_cells = std::move(kept_cells);
    row_condition = std::move(kept_condition);
    std::vector<double> held(in.teams.size(), 0.0);  // per team: served households among the rows
    std::vector<std::int32_t> row_of_household(in.households.size(), -1);
    for (std::size_t r = 0; r < rows.size(); ++r) {  // a household's rows follow each other
      const auto i = static_cast<std::size_t>(rows[r]);
      if (r > 0 && rows[r - 1] == rows[r]) continue;
      row_of_household[i] = static_cast<std::int32_t>(r);
      if (hc.reached_team[i] && hc.team[i] >= 0) held[static_cast<std::size_t>(hc.team[i])] += 1.0;
    }
    std::vector<std::int32_t> column_of(in.teams.size(), -1);
    for (std::size_t t = 0; t < in.teams.size(); ++t)
      if (existing.waiting[t] != 0 && held[t] > 0) {
        column_of[t] = static_cast<std::int32_t>(col_rows.size() + fixed_teams.size());
        fixed_teams.push_back(static_cast<std::int32_t>(t));
        fixed_capacity.push_back(held[t]);
      }
    col_rows.resize(col_rows.size() + fixed_teams.size());
    std::vector<std::pair<std::int32_t, std::int32_t>> pairs = existing.pairs;
    pairs.insert(pairs.end(), held_pairs.begin(), held_pairs.end());
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    for (const auto& [i, t] : pairs) {  // sorted by household: each column's rows ascend
      const std::int32_t col = column_of[static_cast<std::size_t>(t)];
      if (col < 0) continue;
      for (std::int32_t r = row_of_household[static_cast<std::size_t>(i)];
           r >= 0 && static_cast<std::size_t>(r) < rows.size() && rows[static_cast<std::size_t>(r)] == i; ++r)
        col_rows[static_cast<std::size_t>(col)].push_back(r);  // every row of the household
    }
  }
  const std::size_t n_cols = col_rows.size();

  // Per row: its sorted covering set (the transpose of the columns' lists).
  const std::size_t n_rows = rows.size();
  RowSets sets;
  sets.ptr.assign(n_rows + 1, 0);
  for (const auto& list : col_rows)
    for (const auto r : list) ++sets.ptr[static_cast<std::size_t>(r) + 1];
  for (std::size_t r = 0; r < n_rows; ++r) sets.ptr[r + 1] += sets.ptr[r];
  sets.cols.resize(static_cast<std::size_t>(sets.ptr.back()));
  {
    std::vector<std::int64_t> fill(sets.ptr.begin(), sets.ptr.end() - 1);
    for (std::size_t c = 0; c < n_cols; ++c) {  // columns in order: each row's list ascends
      for (const auto r : col_rows[c])
        sets.cols[static_cast<std::size_t>(fill[static_cast<std::size_t>(r)]++)] = static_cast<std::int32_t>(c);
      std::vector<std::int32_t>().swap(col_rows[c]);
    }
  }
  // The row of each cell (harm and spoiled entries name cells).
  std::vector<std::int32_t> row_of_cell;
  if (!held_cell.empty() || !spoiled.empty()) {
    row_of_cell.assign(in.households.size() * cells.stride, -1);
    for (std::size_t r = 0; r < n_rows; ++r) row_of_cell[static_cast<std::size_t>(row_cells[r])] = static_cast<std::int32_t>(r);
  }
  // Per held row: the candidates whose echo takes its reach away (none that reaches it anyway).
  RowSets harm_sets;
  if (!held_cell.empty()) {
    std::vector<std::pair<std::int32_t, std::int32_t>> by_row;
    for (const auto& [cell, c] : harm) {
      const std::int32_t r = row_of_cell[static_cast<std::size_t>(cell)];
      if (r < 0 || !is_held(static_cast<std::size_t>(cell))) continue;
      const auto ru = static_cast<std::size_t>(r);
      if (!std::binary_search(sets.cols.begin() + sets.ptr[ru], sets.cols.begin() + sets.ptr[ru + 1], c))
        by_row.emplace_back(r, c);
    }
    std::sort(by_row.begin(), by_row.end());
    by_row.erase(std::unique(by_row.begin(), by_row.end()), by_row.end());
    harm_sets.ptr.assign(n_rows + 1, 0);
    for (const auto& [r, c] : by_row) {
      ++harm_sets.ptr[static_cast<std::size_t>(r) + 1];
      harm_sets.cols.push_back(c);
    }
    for (std::size_t r = 0; r < n_rows; ++r) harm_sets.ptr[r + 1] += harm_sets.ptr[r];
    for (std::size_t r = 0; r < n_rows; ++r) m.held_rows += harm_sets.ptr[r + 1] > harm_sets.ptr[r] ? 1 : 0;
  }
  // Spoiled entries, by row (their rows are never merged).
  std::vector<SpoiledEntry> spoiled_rows;
  std::vector<char> alone;
  if (!spoiled.empty()) {
    alone.assign(n_rows, 0);
    for (const auto& s : spoiled) {
      const std::int32_t r = row_of_cell[static_cast<std::size_t>(s.row)];
      if (r < 0) continue;
      const auto ru = static_cast<std::size_t>(r);
      if (!std::binary_search(sets.cols.begin() + sets.ptr[ru], sets.cols.begin() + sets.ptr[ru + 1], s.col)) continue;
      spoiled_rows.push_back({r, s.col, s.by});
      alone[ru] = 1;
    }
  }
  Eigen::VectorXd weight(static_cast<Eigen::Index>(n_rows));
  Eigen::VectorXd households = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(n_rows));
  for (std::size_t r = 0; r < n_rows; ++r) weight[static_cast<Eigen::Index>(r)] = hc.weight[rows[r]];
  // A held household no candidate harms after all (each one that would also reaches it) is not a
  // row: weight 0 (dropped by the merging, never counted).
  if (!held_cell.empty())
    for (std::size_t r = 0; r < n_rows; ++r)
      if (is_held(static_cast<std::size_t>(row_cells[r])) && harm_sets.ptr[r + 1] == harm_sets.ptr[r])
        weight[static_cast<Eigen::Index>(r)] = 0.0;
  if (expected) {
    // A row stands for share_k of its household's weight; a team serving the household takes one
    // place for all its rows, so each takes share_k over the shares of the household's rows.
    std::vector<double> of_household(in.households.size(), 0.0);
    for (std::size_t r = 0; r < n_rows; ++r)
      of_household[static_cast<std::size_t>(rows[r])] += hc.condition_share[static_cast<std::size_t>(row_condition[r])];
    for (std::size_t r = 0; r < n_rows; ++r) {
      const double share = hc.condition_share[static_cast<std::size_t>(row_condition[r])];
      weight[static_cast<Eigen::Index>(r)] *= share;
      households[static_cast<Eigen::Index>(r)] = share / of_household[static_cast<std::size_t>(rows[r])];
    }
  }
  // Under expected a household's rows are one set, served whole (a household's rows follow each other).
  std::vector<std::int32_t> together;
  if (expected) {
    together.resize(n_rows);
    for (std::size_t r = 0; r < n_rows; ++r)
      together[r] = r > 0 && rows[r - 1] == rows[r] ? together[r - 1] : static_cast<std::int32_t>(r);
  }
  // Target weight already reached, in the objective's terms, per household.
  auto reached_part = [&](std::size_t i) { return reached_share_of(hc, op.objective, i); };
  // Per-group minimum coverage: one constraint per configured group column (units per row).
  std::vector<GroupConstraint> groups;
  for (const auto& [group, share] : op.min_group_coverage) {
    if (share <= 0) continue;
    const auto it = std::find(in.hamlets.group_names.begin(), in.hamlets.group_names.end(), group);
    if (it == in.hamlets.group_names.end())
      throw InvalidInput(ErrorCode::invalid_scenario,
                         "optimize.min_group_coverage names '" + group + "', which is not a hamlets.group_by column");
    const auto g = static_cast<std::size_t>(it - in.hamlets.group_names.begin());
    GroupConstraint gc;
    gc.name = group;
    gc.min_share = share;
    std::map<std::string, std::int32_t> unit_index;
    for (const auto& u : cov.groups[g]) unit_index.emplace(u.id, static_cast<std::int32_t>(unit_index.size()));
    gc.base_weight = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(unit_index.size()));
    gc.total_weight = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(unit_index.size()));
    const std::vector<double> reached = units_reached_weight(in, hc, op.objective, g, cov.groups[g]);
    for (std::size_t k = 0; k < cov.groups[g].size(); ++k) {
      const auto& u = cov.groups[g][k];
      gc.base_weight[unit_index[u.id]] = reached[k];  // in the objective's terms
      gc.total_weight[unit_index[u.id]] = u.target_weight;
    }
    gc.unit.assign(n_rows, -1);
    for (std::size_t r = 0; r < n_rows; ++r) {
      const std::int32_t h = hc.hamlet[static_cast<std::size_t>(rows[r])];
      if (h >= 0) gc.unit[r] = unit_index[in.hamlets.groups[g][static_cast<std::size_t>(h)]];
    }
    groups.push_back(std::move(gc));
  }
  const bool capped =
      !fixed_teams.empty() ||
      (std::isfinite(site.team_capacity) &&
       std::any_of(sites.begin(), sites.end(), [](const CandidateSite& s) { return s.kind == SiteKind::team; }));
  CoverageProblem& p = m.problem;
  if (aggregate) {
    p = aggregate_rows(sets, static_cast<std::int32_t>(n_cols), weight, households, groups, capped, &m.row_of,
                       harm_sets.cols.empty() ? nullptr : &harm_sets, spoiled_rows.empty() ? nullptr : &alone,
                       together.empty() ? nullptr : &together);
    for (const auto& s : spoiled_rows)
      if (m.row_of[static_cast<std::size_t>(s.row)] >= 0) p.spoiled.push_back({m.row_of[static_cast<std::size_t>(s.row)], s.col, s.by});
  } else {
    p.weight = weight;
    p.households = households;
    std::vector<Eigen::Triplet<double, std::int32_t>> trip;
    trip.reserve(sets.cols.size());
    for (std::size_t r = 0; r < n_rows; ++r)
      for (auto k = sets.ptr[r]; k < sets.ptr[r + 1]; ++k)
        trip.emplace_back(static_cast<std::int32_t>(r), sets.cols[static_cast<std::size_t>(k)], 1.0);
    p.cover.resize(static_cast<Eigen::Index>(n_rows), static_cast<Eigen::Index>(n_cols));
    p.cover.setFromTriplets(trip.begin(), trip.end());
    if (!harm_sets.cols.empty()) {
      trip.clear();
      for (std::size_t r = 0; r < n_rows; ++r)
        for (auto k = harm_sets.ptr[r]; k < harm_sets.ptr[r + 1]; ++k)
          trip.emplace_back(static_cast<std::int32_t>(r), harm_sets.cols[static_cast<std::size_t>(k)], 1.0);
      p.harm.resize(static_cast<Eigen::Index>(n_rows), static_cast<Eigen::Index>(n_cols));
      p.harm.setFromTriplets(trip.begin(), trip.end());
    }
    p.spoiled = spoiled_rows;
    p.groups = std::move(groups);
    p.together = std::move(together);
    m.row_of.resize(n_rows);
    for (std::size_t r = 0; r < n_rows; ++r) m.row_of[r] = static_cast<std::int32_t>(r);
  }
  for (const auto& s : sites) {
    p.kind.push_back(s.kind);
    p.cost.push_back(s.kind == SiteKind::speaker ? op.cost_speaker_vnd : op.cost_team_vnd);
    p.capacity.push_back(s.kind == SiteKind::team ? site.team_capacity : std::numeric_limits<double>::infinity());
  }
  p.existing.assign(sites.size(), 0);
  for (std::size_t k = 0; k < fixed_teams.size(); ++k) {  // always built, free
    p.kind.push_back(SiteKind::team);
    p.cost.push_back(0.0);
    p.capacity.push_back(fixed_capacity[k]);
    p.existing.push_back(1);
  }
  m.existing_teams = fixed_teams;
  p.base_weight = 0.0;
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    const double w = hc.weight[static_cast<Eigen::Index>(i)];
    if (w > 0) p.base_weight += w * reached_part(i);
  }
  if (n_cond == 0) p.base_weight = cov.reached_weight;  // the same sum, as coverage added it
  p.total_weight = cov.target_weight;
  return m;
}

}  // namespace infogap::detail
