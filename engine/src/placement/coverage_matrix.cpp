#include "placement/coverage_matrix.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "coverage/coverage_run.hpp"
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
    t.speaker_reach_m = t.speaker_range_m = table.reach_m(field.threshold_dba());
  }
  t.team_reach_m = in.teams.typical_reach_m;
  t.team_capacity = std::floor(op.template_team_members * in.teams.typical_households_per_member);
  return t;
}

namespace {

/// What each new pole does, as coverage would decide it with that pole (alone) added: per row of
/// the matrix the speaker columns that reach it, and per target household a speaker reaches today
/// (and no team) the columns that would make it unreached: (condition, column) pairs, the condition
/// under which it is lost (expected), else 0.
struct SpeakerNewPoles {
  std::vector<std::vector<std::int32_t>> reach;                          ///< per row, ascending
  std::vector<std::vector<std::pair<std::int32_t, std::int32_t>>> harm;  ///< per household, ascending
};

/// Exact scoring of one new pole with the existing arrivals (households an existing team would take
/// over once a new pole takes them away are not at risk). For each household with a row (or
/// one a speaker reaches), the existing clusters are heard through the condition's field
/// (arrival time and energy per cluster, ClusterHearing, as coverage hears them); a candidate at
/// ground distance d adds an arrival d → template level (table) at the field's arrival time, and
/// the household is decided by reaches_with, coverage's rule on existing ∪ {new}. Candidates are
/// searched only where they can change the decision: a gap row needs the template's energy e ≥
/// threshold − existing energy (U ≤ total and D ≥ 0 after the addition: the energy-sum rule is
/// necessary under every rule); a reached household can only be lost (U50) when e > its slack
/// (U − threshold − 10^(SNR/10)·D) / 10^(SNR/10), since the useful window never shrinks and D grows
/// by at most e.
SpeakerNewPoles score_new_poles(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                                const std::vector<std::int32_t>& rows, const std::vector<std::int32_t>& row_condition,
                                const std::vector<CandidateSite>& sites, const Horn& horn,
                                const std::vector<ConditionScoring>& scoring, const std::vector<LevelTable>& table,
                                const SpeakerField& field) {
  const auto& hc = cov.households;
  const std::size_t n = in.households.size();
  const std::size_t n_cond = hc.reached_in.size();
  const bool expected = n_cond > 0 && sc.optimize.objective == PlacementObjective::expected;
  const MultiCluster multi = sc.acoustics.multi_cluster;
  SpeakerNewPoles out;
  out.reach.resize(rows.size());
  out.harm.resize(n);
  // Speaker candidates and their grid.
  std::vector<std::int32_t> col;
  for (std::size_t c = 0; c < sites.size(); ++c)
    if (sites[c].kind == SiteKind::speaker) col.push_back(static_cast<std::int32_t>(c));
  if (col.empty()) return out;
  Eigen::VectorXd cx(static_cast<Eigen::Index>(col.size())), cy(static_cast<Eigen::Index>(col.size()));
  for (std::size_t k = 0; k < col.size(); ++k) {
    cx[static_cast<Eigen::Index>(k)] = sites[static_cast<std::size_t>(col[k])].x;
    cy[static_cast<Eigen::Index>(k)] = sites[static_cast<std::size_t>(col[k])].y;
  }
  const PointGrid cand_grid(cx, cy, 250.0);
  const PointGrid horn_grid(in.speakers.x_m, in.speakers.y_m, std::max(50.0, field.max_cutoff_m() / 2.0));
  // The distinct fields heard through, and each condition's.
  std::vector<const SpeakerField*> fields;
  std::vector<std::size_t> field_of(scoring.size());
  for (std::size_t k = 0; k < scoring.size(); ++k) {
    auto it = std::find(fields.begin(), fields.end(), scoring[k].field);
    if (it == fields.end()) it = fields.insert(fields.end(), scoring[k].field);
    field_of[k] = static_cast<std::size_t>(it - fields.begin());
  }
  // Rows of each household (rows ascend by household).
  std::vector<std::int64_t> first(n + 1, 0);
  for (const auto r : rows) ++first[static_cast<std::size_t>(r) + 1];
  for (std::size_t i = 0; i < n; ++i) first[i + 1] += first[i];
  // An existing team that serves a household a loudspeaker reaches (spare capacity, by the one team
  // rule) would serve instead a household within its reach that a new pole takes away (it then comes
  // first): such households are not at risk.
  std::vector<char> soft(in.teams.size(), 0);
  for (std::size_t i = 0; i < n; ++i)
    if (hc.team[i] >= 0 && hc.reached_speaker[i]) soft[static_cast<std::size_t>(hc.team[i])] = 1;
  const PointGrid team_grid(in.teams.x_m, in.teams.y_m, 500.0);
  auto team_takes_over = [&](double x, double y) {
    bool any = false;
    team_grid.for_each_within(x, y, in.teams.size() ? in.teams.reach_m.maxCoeff() : 0.0,
                              [&](std::uint32_t t, double d2) {
                                const double r = in.teams.reach_m[static_cast<Eigen::Index>(t)];
                                any = any || (soft[t] && d2 <= r * r);
                              });
    return any;
  };
  // Whether a speaker reaches household i under scoring k today (no conditions: k = 0).
  auto speaker_in = [&](std::size_t k, std::size_t i) {
    return n_cond == 0 ? hc.reached_speaker[i] != 0 : hc.reached_speaker_in[k][i] != 0;
  };
  parallel_for(
      n,
      [&](std::size_t b, std::size_t e, unsigned) {
        std::vector<ClusterHearing> hearing;
        for (const auto* f : fields) hearing.emplace_back(*f);
        std::vector<Heard> heard(fields.size());
        std::vector<char> heard_done(fields.size(), 0);
        std::vector<Arrival> scratch;
        std::vector<std::size_t> conds;
        auto hear = [&](std::size_t k, double x, double y) -> const Heard& {
          const std::size_t f = field_of[k];
          if (!heard_done[f]) {
            hearing[f].hear(horn_grid, x, y, heard[f]);
            heard_done[f] = 1;
          }
          return heard[f];
        };
        // Whether the candidate at d2 reaches the household under scoring k.
        auto reaches = [&](std::size_t k, const Heard& h, double d2) {
          const Arrival added{scoring[k].field->arrival_s(horn, d2),
                              ReachRule::energy(table[k].level_dba(std::sqrt(d2)))};
          return reaches_with(h, added, scoring[k].rule, multi, scoring[k].scale, scratch);
        };
        // Distance within which the template's energy is at least `energy` under scoring k.
        auto radius = [&](std::size_t k, double energy) {
          return energy > 0.0 ? table[k].reach_m(ReachRule::level(energy)) : table[k].max_distance_m();
        };
        for (std::size_t i = b; i < e; ++i) {
          const double w = hc.weight[static_cast<Eigen::Index>(i)];
          if (!(w > 0)) continue;
          const auto ei = static_cast<Eigen::Index>(i);
          const double x = in.households.x_m[ei], y = in.households.y_m[ei];
          std::fill(heard_done.begin(), heard_done.end(), 0);
          // Gap rows: the candidates that reach the row (under every condition it stands for).
          for (auto r = first[i]; r < first[i + 1]; ++r) {
            // worst_case: reached under every condition with the new pole (those reached today
            // must stay reached); the search follows the unreached ones.
            conds.clear();
            if (n_cond == 0)
              conds.push_back(0);
            else if (expected)
              conds.push_back(static_cast<std::size_t>(row_condition[static_cast<std::size_t>(r)]));
            else
              for (std::size_t k = 0; k < n_cond; ++k) conds.push_back(k);
            double search = std::numeric_limits<double>::infinity();
            for (const auto k : conds) {
              if (n_cond > 0 && hc.reached_in[k][i]) continue;
              const Heard& h = hear(k, x, y);
              search = std::min(search, radius(k, scoring[k].rule.threshold_energy() - scoring[k].scale * h.total));
            }
            auto& list = out.reach[static_cast<std::size_t>(r)];
            cand_grid.for_each_within(x, y, search, [&](std::uint32_t q, double d2) {
              for (const auto k : conds)
                if (!reaches(k, hear(k, x, y), d2)) return;
              list.push_back(col[q]);
            });
            std::sort(list.begin(), list.end());
          }
          // Harm (U50 only: under energy_sum and loudest a new pole never takes reach away): a
          // target household a speaker reaches and no team serves, lost if a condition in the
          // objective's terms turns unreached.
          if (multi != MultiCluster::u50 || hc.reached_team[i] || team_takes_over(x, y)) continue;
          conds.clear();
          std::vector<double> share;  // expected: the weight share lost under each condition
          if (n_cond == 0) {
            if (hc.reached_speaker[i]) conds.push_back(0);
          } else {
            bool all = true;
            for (std::size_t k = 0; k < n_cond; ++k) all = all && speaker_in(k, i);
            for (std::size_t k = 0; k < n_cond; ++k)
              if (speaker_in(k, i) && (expected || all)) conds.push_back(k);
          }
          if (conds.empty()) continue;
          double search = 0.0;
          for (const auto k : conds) {
            const Heard& h = hear(k, x, y);
            const double s = scoring[k].scale;
            const ReachRule& rule = scoring[k].rule;
            const double slack =
                s * h.useful - rule.threshold_energy() - rule.snr_ratio() * s * std::max(0.0, h.total - h.useful);
            search = std::max(search, radius(k, std::max(0.0, slack) / rule.snr_ratio()));
          }
          auto& list = out.harm[i];
          cand_grid.for_each_within(x, y, search, [&](std::uint32_t q, double d2) {
            for (const auto k : conds)
              if (!reaches(k, hear(k, x, y), d2)) {
                list.emplace_back(expected ? static_cast<std::int32_t>(k) : 0, col[q]);
                if (!expected) break;
              }
          });
          std::sort(list.begin(), list.end());
        }
      },
      1024);
  return out;
}

}  // namespace

CoverageMatrix build_coverage_matrix(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                                     const SpeakerField& field, const NewSiteTemplate& site,
                                     const std::vector<CandidateSite>& sites, bool aggregate) {
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
  // Rows: target households not reached by any existing channel.
  for (std::size_t i = 0; i < in.households.size(); ++i) {
    if (!(hc.weight[static_cast<Eigen::Index>(i)] > 0)) continue;
    if (expected) {
      for (std::size_t k = 0; k < n_cond; ++k)
        if (!hc.reached_in[k][i]) {
          rows.push_back(static_cast<std::int32_t>(i));
          row_condition.push_back(static_cast<std::int32_t>(k));
        }
    } else if (worst_case) {
      bool all = true;
      for (std::size_t k = 0; k < n_cond; ++k) all = all && hc.reached_in[k][i];
      if (!all) rows.push_back(static_cast<std::int32_t>(i));
    } else if (!hc.reached[i]) {
      rows.push_back(static_cast<std::int32_t>(i));
    }
  }
  Eigen::VectorXd rx(static_cast<Eigen::Index>(rows.size())), ry(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rx[static_cast<Eigen::Index>(r)] = in.households.x_m[rows[r]];
    ry[static_cast<Eigen::Index>(r)] = in.households.y_m[rows[r]];
  }

  // A new speaker is the template horn (omnidirectional) on a pole of its own. Per condition: its
  // level table under the condition's air and listening, the condition's rule, and the field the
  // existing arrivals are heard through (coverage's own condition_scorings); without conditions
  // the run's.
  Horn horn;
  horn.power_w = op.template_power_w;
  horn.sensitivity_db = op.template_sensitivity_db;
  horn.height_m = op.template_height_m;
  std::vector<std::unique_ptr<SpeakerField>> owned;
  std::vector<ConditionScoring> scoring;
  std::vector<LevelTable> table;
  if (!site.radius) {
    if (n_cond == 0) {
      scoring.push_back({&field, field.rule(), 1.0});
      table.push_back(field.table_for(horn));
    } else {
      scoring = condition_scorings(sc, in.speakers, field, owned);
      for (const auto& c : sc.acoustics.conditions) {
        const AcousticsParams a = sc.acoustics.under(c);
        table.emplace_back(horn, listening_of(a), air_of(a), SpeakerField::k_max_distance_m, 1.0);
      }
    }
  }
  std::vector<std::vector<std::int32_t>> col_rows(sites.size());
  // Teams (and speakers under the radius model): every row within reach of the column.
  {
    const PointGrid grid(rx, ry, std::max(100.0, std::max(site.speaker_reach_m, site.team_reach_m) / 2.0));
    parallel_for(
        sites.size(),
        [&](std::size_t b, std::size_t e, unsigned) {
          for (std::size_t c = b; c < e; ++c) {
            const auto& s = sites[c];
            if (s.kind == SiteKind::speaker && !site.radius) continue;
            const double reach = s.kind == SiteKind::team ? site.team_reach_m : site.speaker_reach_m;
            grid.for_each_within(s.x, s.y, reach,
                                 [&](std::uint32_t r, double) { col_rows[c].push_back(static_cast<std::int32_t>(r)); });
            std::sort(col_rows[c].begin(), col_rows[c].end());
          }
        },
        16);
  }
  std::vector<Eigen::Triplet<double, std::int32_t>> harm_by, harm_rescue;
  std::vector<double> harm_weight;
  if (!site.radius) {
    const SpeakerNewPoles poles = score_new_poles(sc, in, cov, rows, row_condition, sites, horn, scoring, table, field);
    for (std::size_t r = 0; r < rows.size(); ++r)  // rows in order: each column's list ascends
      for (const auto c : poles.reach[r]) col_rows[static_cast<std::size_t>(c)].push_back(static_cast<std::int32_t>(r));
    // Harm rows: one per household and condition it can be lost under (expected), else one per
    // household, in household order; rescued by a new team within reach (the one team rule serves a
    // household no loudspeaker reaches first; the team's capacity is not charged).
    std::vector<std::int32_t> team_col;
    for (std::size_t c = 0; c < sites.size(); ++c)
      if (sites[c].kind == SiteKind::team) team_col.push_back(static_cast<std::int32_t>(c));
    Eigen::VectorXd tx(static_cast<Eigen::Index>(team_col.size())), ty(static_cast<Eigen::Index>(team_col.size()));
    for (std::size_t k = 0; k < team_col.size(); ++k) {
      tx[static_cast<Eigen::Index>(k)] = sites[static_cast<std::size_t>(team_col[k])].x;
      ty[static_cast<Eigen::Index>(k)] = sites[static_cast<std::size_t>(team_col[k])].y;
    }
    const PointGrid team_grid(tx, ty, std::max(100.0, site.team_reach_m));
    std::vector<std::int32_t> rescue;
    for (std::size_t i = 0; i < poles.harm.size(); ++i) {
      const auto& list = poles.harm[i];
      if (list.empty()) continue;
      const auto ei = static_cast<Eigen::Index>(i);
      rescue.clear();
      team_grid.for_each_within(in.households.x_m[ei], in.households.y_m[ei], site.team_reach_m,
                                [&](std::uint32_t q, double) { rescue.push_back(team_col[q]); });
      std::sort(rescue.begin(), rescue.end());
      for (std::size_t a = 0; a < list.size();) {
        const std::int32_t k = list[a].first;
        const auto h = static_cast<std::int32_t>(harm_weight.size());
        const double share = expected ? hc.condition_share[static_cast<std::size_t>(k)] : 1.0;
        harm_weight.push_back(hc.weight[ei] * share);
        m.harm_households.push_back(share);
        m.harm_rows.push_back(static_cast<std::int32_t>(i));
        for (; a < list.size() && list[a].first == k; ++a) harm_by.emplace_back(h, list[a].second, 1.0);
        for (const auto t : rescue) harm_rescue.emplace_back(h, t, 1.0);
      }
    }
  }

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
    for (std::size_t c = 0; c < sites.size(); ++c) {  // columns in order: each row's list ascends
      for (const auto r : col_rows[c])
        sets.cols[static_cast<std::size_t>(fill[static_cast<std::size_t>(r)]++)] = static_cast<std::int32_t>(c);
      std::vector<std::int32_t>().swap(col_rows[c]);
    }
  }
  Eigen::VectorXd weight(static_cast<Eigen::Index>(n_rows));
  Eigen::VectorXd households = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(n_rows));
  for (std::size_t r = 0; r < n_rows; ++r) weight[static_cast<Eigen::Index>(r)] = hc.weight[rows[r]];
  if (expected)
    for (std::size_t r = 0; r < n_rows; ++r) {
      const double share = hc.condition_share[static_cast<std::size_t>(row_condition[r])];
      weight[static_cast<Eigen::Index>(r)] *= share;
      households[static_cast<Eigen::Index>(r)] = share;
    }
  // Target weight already reached, in the objective's terms, per household.
  auto reached_part = [&](std::size_t i) {
    if (expected) {
      double share = 0.0;
      for (std::size_t k = 0; k < n_cond; ++k) share += hc.reached_in[k][i] ? hc.condition_share[k] : 0.0;
      return share;
    }
    if (worst_case) {
      for (std::size_t k = 0; k < n_cond; ++k)
        if (!hc.reached_in[k][i]) return 0.0;
      return 1.0;
    }
    return hc.reached[i] ? 1.0 : 0.0;
  };
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
    for (const auto& u : cov.groups[g]) {
      gc.base_weight[unit_index[u.id]] = u.reached_weight;
      gc.total_weight[unit_index[u.id]] = u.target_weight;
    }
    if (n_cond > 0) {  // reached in the objective's terms
      gc.base_weight.setZero();
      for (std::size_t i = 0; i < in.households.size(); ++i) {
        const double w = hc.weight[static_cast<Eigen::Index>(i)];
        const std::int32_t h = hc.hamlet[i];
        if (w > 0 && h >= 0)
          gc.base_weight[unit_index[in.hamlets.groups[g][static_cast<std::size_t>(h)]]] += w * reached_part(i);
      }
    }
    gc.unit.assign(n_rows, -1);
    for (std::size_t r = 0; r < n_rows; ++r) {
      const std::int32_t h = hc.hamlet[static_cast<std::size_t>(rows[r])];
      if (h >= 0) gc.unit[r] = unit_index[in.hamlets.groups[g][static_cast<std::size_t>(h)]];
    }
    groups.push_back(std::move(gc));
  }
  const bool capped =
      std::isfinite(site.team_capacity) &&
      std::any_of(sites.begin(), sites.end(), [](const CandidateSite& s) { return s.kind == SiteKind::team; });
  CoverageProblem& p = m.problem;
  if (aggregate) {
    p = aggregate_rows(sets, static_cast<std::int32_t>(sites.size()), weight, households, groups, capped, &m.row_of);
  } else {
    p.weight = weight;
    p.households = households;
    std::vector<Eigen::Triplet<double, std::int32_t>> trip;
    trip.reserve(sets.cols.size());
    for (std::size_t r = 0; r < n_rows; ++r)
      for (auto k = sets.ptr[r]; k < sets.ptr[r + 1]; ++k)
        trip.emplace_back(static_cast<std::int32_t>(r), sets.cols[static_cast<std::size_t>(k)], 1.0);
    p.cover.resize(static_cast<Eigen::Index>(n_rows), static_cast<Eigen::Index>(sites.size()));
    p.cover.setFromTriplets(trip.begin(), trip.end());
    p.groups = std::move(groups);
    m.row_of.resize(n_rows);
    for (std::size_t r = 0; r < n_rows; ++r) m.row_of[r] = static_cast<std::int32_t>(r);
  }
  for (const auto& s : sites) {
    p.kind.push_back(s.kind);
    p.cost.push_back(s.kind == SiteKind::speaker ? op.cost_speaker_vnd : op.cost_team_vnd);
    p.capacity.push_back(s.kind == SiteKind::team ? site.team_capacity : std::numeric_limits<double>::infinity());
  }
  if (!harm_weight.empty()) {
    const auto nh = static_cast<Eigen::Index>(harm_weight.size());
    const auto nc = static_cast<Eigen::Index>(sites.size());
    p.harm_weight = Eigen::Map<const Eigen::VectorXd>(harm_weight.data(), nh);
    p.harm_by.resize(nh, nc);
    p.harm_by.setFromTriplets(harm_by.begin(), harm_by.end());
    p.harm_rescue.resize(nh, nc);
    p.harm_rescue.setFromTriplets(harm_rescue.begin(), harm_rescue.end());
  }
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
