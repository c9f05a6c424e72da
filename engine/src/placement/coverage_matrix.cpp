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

CoverageMatrix build_coverage_matrix(const Scenario& sc, const Inputs& in, const CoverageResult& cov,
                                     const SpeakerField& field, const NewSiteTemplate& site,
                                     const std::vector<CandidateSite>& sites, bool aggregate) {
  const auto& op = sc.optimize;
  const auto& hc = cov.households;
  CoverageMatrix m;
  auto& rows = m.rows;
  // Rows: target households not reached by any existing channel.
  for (std::size_t i = 0; i < in.households.size(); ++i)
    if (hc.weight[static_cast<Eigen::Index>(i)] > 0 && !hc.reached[i]) rows.push_back(static_cast<std::int32_t>(i));
  Eigen::VectorXd rx(static_cast<Eigen::Index>(rows.size())), ry(static_cast<Eigen::Index>(rows.size()));
  for (std::size_t r = 0; r < rows.size(); ++r) {
    rx[static_cast<Eigen::Index>(r)] = in.households.x_m[rows[r]];
    ry[static_cast<Eigen::Index>(r)] = in.households.y_m[rows[r]];
  }

  std::optional<LevelTable> table;
  if (!site.radius) {
    Horn horn;
    horn.power_w = op.template_power_w;
    horn.sensitivity_db = op.template_sensitivity_db;
    horn.height_m = op.template_height_m;
    table.emplace(field.table_for(horn));
  }
  const ReachRule& rule = field.rule();
  const PointGrid grid(rx, ry, std::max(100.0, std::max(site.speaker_reach_m, site.team_reach_m) / 2.0));
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
            grid.for_each_within(s.x, s.y, site.speaker_reach_m, [&](std::uint32_t r, double d2) {
              const double e_old = ReachRule::energy(hc.speech_dba[rows[r]]);
              const double e_new = ReachRule::energy(table->level_dba(std::sqrt(d2)));
              if (rule.reaches_energy(e_old + e_new)) list.push_back(static_cast<std::int32_t>(r));
            });
          }
          std::sort(list.begin(), list.end());
        }
      },
      16);

  // Per household row: its sorted covering set (the transpose of the columns' lists).
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
  for (std::size_t r = 0; r < n_rows; ++r) weight[static_cast<Eigen::Index>(r)] = hc.weight[rows[r]];
  // Per-group minimum coverage: one constraint per configured group column (units per household row).
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
    p = aggregate_rows(sets, static_cast<std::int32_t>(sites.size()), weight, Eigen::VectorXd(), groups, capped,
                       &m.row_of);
  } else {
    p.weight = weight;
    p.households = Eigen::VectorXd::Ones(static_cast<Eigen::Index>(n_rows));
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
  p.base_weight = cov.reached_weight;
  p.total_weight = cov.target_weight;
  return m;
}

}  // namespace infogap::detail
