#include "output/tables.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/geos/geometry_ops.hpp"
#include "core/table_rows.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"

namespace infogap::detail {
namespace {

std::vector<bool> nan_mask(const std::vector<double>& v) {
  std::vector<bool> m(v.size());
  bool any = false;
  for (std::size_t i = 0; i < v.size(); ++i) {
    m[i] = !std::isfinite(v[i]);
    any = any || m[i];
  }
  if (!any) m.clear();
  return m;
}

std::vector<std::string> ids_or_empty(const std::vector<std::int32_t>& idx, const std::vector<std::string>& ids,
                                      std::vector<bool>& null) {
  std::vector<std::string> out(idx.size());
  null.assign(idx.size(), false);
  for (std::size_t i = 0; i < idx.size(); ++i) {
    if (idx[i] < 0)
      null[i] = true;
    else
      out[i] = ids[static_cast<std::size_t>(idx[i])];
  }
  return out;
}

}  // namespace

void add_area_columns(Table& t, const std::vector<AreaGap>& areas, const std::vector<std::string>& conditions) {
  auto ints = [&](auto get) {
    std::vector<std::int64_t> v;
    v.reserve(areas.size());
    for (const auto& a : areas) v.push_back(static_cast<std::int64_t>(get(a)));
    return v;
  };
  auto reals = [&](auto get) {
    std::vector<double> v;
    v.reserve(areas.size());
    for (const auto& a : areas) v.push_back(get(a));
    return v;
  };
  t.add_integer("households", ints([](const AreaGap& a) { return a.households; }));
  t.add_integer("target_households", ints([](const AreaGap& a) { return a.target_households; }));
  t.add_real("target_weight", reals([](const AreaGap& a) { return a.target_weight; }));
  t.add_integer("reached_speaker", ints([](const AreaGap& a) { return a.reached_speaker; }));
  t.add_integer("reached_team", ints([](const AreaGap& a) { return a.reached_team; }));
  t.add_integer("reached_any", ints([](const AreaGap& a) { return a.reached_any; }));
  t.add_integer("gap_households", ints([](const AreaGap& a) { return a.gap_households; }));
  t.add_real("gap_weight", reals([](const AreaGap& a) { return a.gap_weight; }));
  auto rate = reals([](const AreaGap& a) { return a.gap_rate; });
  auto rate_null = nan_mask(rate);  // no target households: NULL, not 0
  t.add_real("gap_rate", std::move(rate), std::move(rate_null));
  t.add_integer("rank", ints([](const AreaGap& a) { return a.rank; }));
  // Listening conditions (acoustics.conditions): the gap under each, and its expected value.
  for (std::size_t k = 0; k < conditions.size(); ++k) {
    t.add_integer("gap_households_" + conditions[k], ints([k](const AreaGap& a) { return a.gap_households_in[k]; }));
    t.add_real("gap_weight_" + conditions[k], reals([k](const AreaGap& a) { return a.gap_weight_in[k]; }));
  }
  if (!conditions.empty())
    t.add_real("expected_gap_weight", reals([](const AreaGap& a) { return a.expected_gap_weight; }));
}

Table hamlets_table(const Inputs& in, const CoverageResult& cov, const PlacementResult* placement) {
  Table t;
  t.add_text("hamlet_id", in.hamlets.id);
  t.add_text("name", in.hamlets.name);
  for (std::size_t g = 0; g < in.hamlets.group_names.size(); ++g)
    t.add_text(in.hamlets.group_names[g], in.hamlets.groups[g]);
  {
    // given | derived (split from the commune among its hamlet points: approximate boundary).
    std::vector<std::string> source(in.hamlets.size());
    for (std::size_t i = 0; i < source.size(); ++i) source[i] = to_string(in.hamlets.source_of(i));
    t.add_text("geometry_source", std::move(source));
  }
  add_area_columns(t, cov.hamlets, cov.households.condition_name);
  if (placement && placement->hamlets_after.size() == cov.hamlets.size()) {
    std::vector<std::int64_t> gap_after;
    std::vector<double> gap_w_after, rate_after;
    for (const auto& a : placement->hamlets_after) {
      gap_after.push_back(a.gap_households);
      gap_w_after.push_back(a.gap_weight);
      rate_after.push_back(a.gap_rate);
    }
    t.add_integer("gap_households_after", std::move(gap_after));
    t.add_real("gap_weight_after", std::move(gap_w_after));
    auto rate_after_null = nan_mask(rate_after);
    t.add_real("gap_rate_after", std::move(rate_after), std::move(rate_after_null));
  }
  t.geometry_kind = GeometryKind::multipolygon;
  t.wkb = in.hamlets.wkb;
  return t;
}

Table households_table(const Inputs& in, const CoverageResult& cov) {
  return households_table(in, cov, 0, in.households.size());
}

Table households_table(const Inputs& in, const CoverageResult& cov, std::size_t begin, std::size_t end) {
  const auto& hh = in.households;
  const auto& hc = cov.households;
  end = std::min(end, hh.size());
  begin = std::min(begin, end);
  const std::size_t n = end - begin;
  const auto b = static_cast<std::ptrdiff_t>(begin), e = static_cast<std::ptrdiff_t>(end);
  auto slice = [b, e](const auto& v) { return std::vector(v.begin() + b, v.begin() + e); };
  auto reals = [b, n](const Eigen::VectorXd& v) {
    return std::vector<double>(v.data() + b, v.data() + b + static_cast<std::ptrdiff_t>(n));
  };
  Table t;
  t.add_text("household_id", slice(hh.id));
  std::vector<bool> null;
  auto hamlet_ids = ids_or_empty(slice(hc.hamlet), in.hamlets.id, null);
  t.add_text("hamlet_id", std::move(hamlet_ids), null);
  std::vector<std::string> status(n);
  for (std::size_t i = 0; i < n; ++i) status[i] = to_string(hh.status[begin + i]);
  t.add_text("poverty", std::move(status));
  {
    // surveyed | placed (drawn inside the hamlet: approximate location).
    std::vector<std::string> location(n);
    for (std::size_t i = 0; i < n; ++i) location[i] = to_string(hh.location_of(begin + i));
    t.add_text("location", std::move(location));
  }
  t.add_real("weight", reals(hc.weight));
  std::vector<double> la = reals(hc.speech_dba), snr = reals(hc.snr_db);
  auto la_null = nan_mask(la), snr_null = nan_mask(snr);
  t.add_real("speech_dba", std::move(la), std::move(la_null));
  t.add_real("snr_db", std::move(snr), std::move(snr_null));
  t.add_integer("speakers_audible",
                std::vector<std::int64_t>(hc.speakers_audible.begin() + b, hc.speakers_audible.begin() + e));
  auto best = ids_or_empty(slice(hc.best_speaker), in.speakers.id, null);
  t.add_text("best_speaker_id", std::move(best), null);
  auto team = ids_or_empty(slice(hc.team), in.teams.id, null);
  t.add_text("team_id", std::move(team), null);
  std::vector<double> td = reals(hc.team_distance_m);
  auto td_null = nan_mask(td);
  t.add_real("team_distance_m", std::move(td), std::move(td_null));
  t.add_flags("reached_speaker", slice(hc.reached_speaker));
  t.add_flags("reached_team", slice(hc.reached_team));
  t.add_flags("reached", slice(hc.reached));
  t.add_flags("in_team_range", slice(hc.in_team_range));
  for (std::size_t k = 0; k < hc.reached_in.size(); ++k)
    t.add_flags("reached_" + hc.condition_name[k], slice(hc.reached_in[k]));
  if (hc.reached_share.size() == static_cast<Eigen::Index>(in.households.size()))
    t.add_real("reached_share", reals(hc.reached_share));
  t.geometry_kind = GeometryKind::point;
  t.wkb.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    t.wkb[i] = point_wkb(hh.x_m[static_cast<Eigen::Index>(begin + i)], hh.y_m[static_cast<Eigen::Index>(begin + i)]);
  return t;
}

Table speakers_table(const Inputs& in, const CoverageResult& cov) {
  const auto& sp = in.speakers;
  const std::size_t n = sp.size();
  auto vec = [n](const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + n); };
  Table t;
  t.add_text("speaker_id", sp.id);
  t.add_text("cluster_id", sp.cluster);
  t.add_real("power_w", vec(sp.power_w));
  t.add_real("sensitivity_db", vec(sp.sensitivity_db));
  t.add_real("height_m", vec(sp.height_m));
  auto az = vec(sp.azimuth_deg);
  auto az_null = nan_mask(az);
  t.add_real("azimuth_deg", std::move(az), std::move(az_null));
  t.add_real("beamwidth_deg", vec(sp.beamwidth_deg));
  t.add_real("range_m", cov.speaker_range_m.size() == n ? cov.speaker_range_m : vec(sp.range_m));
  t.add_integer("households_best",
                std::vector<std::int64_t>(cov.speaker_households.begin(), cov.speaker_households.end()));
  t.geometry_kind = GeometryKind::point;
  for (std::size_t i = 0; i < n; ++i)
    t.wkb.push_back(point_wkb(sp.x_m[static_cast<Eigen::Index>(i)], sp.y_m[static_cast<Eigen::Index>(i)]));
  return t;
}

Table teams_table(const Inputs& in, const CoverageResult& cov) {
  const auto& tm = in.teams;
  const std::size_t n = tm.size();
  auto vec = [n](const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + n); };
  Table t;
  t.add_text("team_id", tm.id);
  t.add_real("members", vec(tm.members));
  t.add_real("reach_m", vec(tm.reach_m));
  std::vector<std::int64_t> cap, in_range, assigned, unserved;
  for (const auto& l : cov.teams) {
    cap.push_back(l.capacity);
    in_range.push_back(l.in_range_target);
    assigned.push_back(l.assigned);
    unserved.push_back(l.unserved_in_range);
  }
  t.add_integer("capacity", std::move(cap));
  t.add_integer("in_range_target", std::move(in_range));
  t.add_integer("assigned", std::move(assigned));
  t.add_integer("unserved_in_range", std::move(unserved));
  t.geometry_kind = GeometryKind::point;
  for (std::size_t i = 0; i < n; ++i)
    t.wkb.push_back(point_wkb(tm.x_m[static_cast<Eigen::Index>(i)], tm.y_m[static_cast<Eigen::Index>(i)]));
  return t;
}

Table group_table(const Inputs& in, const CoverageResult& cov, std::size_t group, bool with_geometry) {
  const auto& units = cov.groups.at(group);
  Table t;
  std::vector<std::string> ids;
  for (const auto& u : units) ids.push_back(u.id);
  t.add_text(in.hamlets.group_names[group], ids);
  add_area_columns(t, units, cov.households.condition_name);
  if (with_geometry) {
    std::map<std::string, std::vector<Wkb>> parts;
    for (std::size_t k = 0; k < in.hamlets.size(); ++k) parts[in.hamlets.groups[group][k]].push_back(in.hamlets.wkb[k]);
    t.geometry_kind = GeometryKind::multipolygon;
    // One union per unit, in parallel (GEOS contexts are per thread): the country's communes are
    // 100k hamlets in 10k unions per grouping.
    t.wkb.resize(ids.size());
    const std::vector<Wkb> none;
    parallel_for(
        ids.size(),
        [&](std::size_t b, std::size_t e, unsigned) {
          for (std::size_t k = b; k < e; ++k) {
            const auto it = parts.find(ids[k]);
            t.wkb[k] = union_all(it == parts.end() ? none : it->second);
          }
        },
        8);
  }
  return t;
}

Table proposed_sites_table(const Inputs& in, const PlacementResult& placement) {
  Table t;
  std::vector<std::string> id, kind, hamlet;
  std::vector<std::int64_t> rank;
  std::vector<double> mw, mh, cw, cost;
  std::vector<bool> hamlet_null;
  std::vector<std::vector<std::string>> groups(in.hamlets.group_names.size());
  std::vector<std::vector<bool>> group_null(groups.size());
  for (const auto& s : placement.sites) {
    id.push_back(s.site_id);
    kind.push_back(s.kind);
    rank.push_back(s.rank);
    mw.push_back(s.marginal_weight);
    mh.push_back(s.marginal_households);
    cw.push_back(s.cumulative_weight);
    cost.push_back(s.cost_vnd);
    const bool none = s.hamlet < 0;
    hamlet.push_back(none ? "" : in.hamlets.id[static_cast<std::size_t>(s.hamlet)]);
    hamlet_null.push_back(none);
    for (std::size_t g = 0; g < groups.size(); ++g) {
      groups[g].push_back(none ? "" : in.hamlets.groups[g][static_cast<std::size_t>(s.hamlet)]);
      group_null[g].push_back(none);
    }
    t.wkb.push_back(point_wkb(s.x_m, s.y_m));
  }
  t.add_text("site_id", std::move(id));
  t.add_text("kind", std::move(kind));
  t.add_integer("rank", std::move(rank));
  t.add_real("marginal_weight", std::move(mw));
  t.add_real("marginal_households", std::move(mh));
  t.add_real("cumulative_weight", std::move(cw));
  t.add_real("cost_vnd", std::move(cost));
  t.add_text("hamlet_id", std::move(hamlet), std::move(hamlet_null));
  for (std::size_t g = 0; g < groups.size(); ++g)
    t.add_text(in.hamlets.group_names[g], std::move(groups[g]), std::move(group_null[g]));
  // Where, in a planner's terms: the chosen candidate, its hamlet and commune by name, lon/lat.
  auto text = [&](const char* column, std::string ProposedSite::*field) {
    std::vector<std::string> v;
    std::vector<bool> null;
    for (const auto& s : placement.sites) {
      v.push_back(s.*field);
      null.push_back((s.*field).empty());
    }
    t.add_text(column, std::move(v), std::move(null));
  };
  text("candidate_id", &ProposedSite::candidate_id);
  text("candidate_name", &ProposedSite::candidate_name);
  text("candidate_type", &ProposedSite::candidate_type);
  text("hamlet_name", &ProposedSite::hamlet_name);
  text("commune_name", &ProposedSite::commune_name);
  for (double ProposedSite::*field : {&ProposedSite::lon, &ProposedSite::lat}) {
    std::vector<double> v;
    for (const auto& s : placement.sites) v.push_back(s.*field);
    auto null = nan_mask(v);
    t.add_real(field == &ProposedSite::lon ? "lon" : "lat", std::move(v), std::move(null));
  }
  t.geometry_kind = GeometryKind::point;
  return t;
}

std::vector<std::string> output_layer_names(const Scenario& sc, const Inputs& in, const PlacementResult* placement) {
  std::vector<std::string> names{"hamlets", "households"};
  if (sc.speakers) names.emplace_back("speakers");
  if (sc.teams) names.emplace_back("teams");
  for (const auto& g : in.hamlets.group_names) names.push_back(g);
  if (placement) names.emplace_back("proposed_sites");
  return names;
}

Table output_table(const Scenario& sc, const Inputs& in, const CoverageResult& cov, const PlacementResult* placement,
                   const std::string& name) {
  const std::vector<std::string> names = output_layer_names(sc, in, placement);
  if (std::find(names.begin(), names.end(), name) == names.end()) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
    std::string why = "no output layer '" + name + "'; the layers are " + list;
    if (!placement && name == "proposed_sites") why += " (proposed_sites needs a placement: run optimize first)";
    throw InvalidInput(ErrorCode::invalid_input, why);
  }
  if (name == "hamlets") return hamlets_table(in, cov, placement);
  if (name == "households") return households_table(in, cov);
  if (name == "speakers") return speakers_table(in, cov);
  if (name == "teams") return teams_table(in, cov);
  if (name == "proposed_sites") return proposed_sites_table(in, *placement);
  const auto& groups = in.hamlets.group_names;
  const auto g = static_cast<std::size_t>(std::find(groups.begin(), groups.end(), name) - groups.begin());
  return group_table(in, cov, g, true);
}

Table csv_view(const Table& table, bool by_rank) {
  Table out;
  if (!by_rank) {
    out.columns = table.columns;
    return out;
  }
  const Column& rank = table.column("rank");
  std::vector<std::size_t> order(table.rows());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&rank](std::size_t a, std::size_t b) { return rank.ints[a] < rank.ints[b]; });
  out = take_rows(table, order);
  out.geometry_kind = GeometryKind::none;  // the CSV view has no geometry
  out.wkb.clear();
  return out;
}

CsvFormat csv_format(const std::vector<std::string>& conditions) {
  CsvFormat f;
  for (const char* weight : {"target_weight", "gap_weight", "gap_weight_after", "marginal_weight", "cumulative_weight",
                             "expected_gap_weight"})
    f.decimals[weight] = 2;
  for (const auto& c : conditions) f.decimals["gap_weight_" + c] = 2;
  for (const char* rate : {"gap_rate", "gap_rate_after"}) f.decimals[rate] = 4;
  for (const char* whole : {"marginal_households", "cost_vnd"}) f.decimals[whole] = 0;
  for (const char* degrees : {"lon", "lat"}) f.decimals[degrees] = 6;
  return f;
}

}  // namespace infogap::detail
