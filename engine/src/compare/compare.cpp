// compare(): households matched by id, hamlets by id, group units by name (or mapped to one side's
// units through the hamlets' columns); every household of both sides gets one change class.
#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

#include "compare/change.hpp"
#include "infogap/compare.hpp"
#include "infogap/error.hpp"

namespace infogap {
namespace {

using detail::AreaFigures;
using detail::k_area_measures;

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

/// id → row of a text id column; a duplicate or NULL id is an error naming the side, layer and row.
std::unordered_map<std::string, std::size_t> index_of(const CompareSide& side, const Table& t, const std::string& layer,
                                                      const std::string& column) {
  const Column& c = t.column(column);
  std::unordered_map<std::string, std::size_t> idx;
  idx.reserve(t.rows());
  for (std::size_t i = 0; i < t.rows(); ++i) {
    if (c.is_null(i))
      throw InvalidInput(ErrorCode::invalid_input, side.label + ": a row without " + column,
                         {side.source, layer, column, static_cast<std::int64_t>(i + 1)});
    if (!idx.emplace(c.as_text(i), i).second)
      throw InvalidInput(ErrorCode::invalid_input,
                         side.label + ": duplicate " + column + " '" + c.as_text(i) + "': rows cannot be matched",
                         {side.source, layer, column, static_cast<std::int64_t>(i + 1)});
  }
  return idx;
}

/// The figures of every hamlet row of a side.
std::vector<AreaFigures> hamlet_figures(const Table& hamlets) {
  std::vector<AreaFigures> out(hamlets.rows());
  for (std::size_t k = 0; k < k_area_measures.size(); ++k) {
    const Column& c = hamlets.column(std::string(k_area_measures[k].source));
    for (std::size_t i = 0; i < out.size(); ++i) {
      const double v = c.as_real(i);
      out[i].v[k] = std::isfinite(v) ? v : 0.0;
    }
  }
  return out;
}

double rate(const AreaFigures& f) {
  return f.v[detail::k_target_weight] > 0 ? f.v[detail::k_gap_weight] / f.v[detail::k_target_weight] : k_nan;
}

/// Appends the before / after / delta columns of every measure, and of the gap rate, to t.
void add_figure_columns(Table& t, const std::vector<AreaFigures>& before, const std::vector<AreaFigures>& after) {
  const std::size_t n = before.size();
  for (std::size_t k = 0; k < k_area_measures.size(); ++k) {
    const std::string name(k_area_measures[k].name);
    if (k_area_measures[k].count) {
      std::vector<std::int64_t> b(n), a(n), d(n);
      for (std::size_t i = 0; i < n; ++i) {
        b[i] = std::llround(before[i].v[k]);
        a[i] = std::llround(after[i].v[k]);
        d[i] = a[i] - b[i];
      }
      t.add_integer(name + "_before", std::move(b));
      t.add_integer(name + "_after", std::move(a));
      t.add_integer(name + "_delta", std::move(d));
    } else {
      std::vector<double> b(n), a(n), d(n);
      for (std::size_t i = 0; i < n; ++i) {
        b[i] = before[i].v[k];
        a[i] = after[i].v[k];
        d[i] = a[i] - b[i];
      }
      t.add_real(name + "_before", std::move(b));
      t.add_real(name + "_after", std::move(a));
      t.add_real(name + "_delta", std::move(d));
    }
  }
  // NULL where there is no target weight (as gap_rate in coverage.gpkg): no rate, no change of it.
  std::vector<double> b(n), a(n), d(n);
  std::vector<bool> bn(n), an(n), dn(n);
  for (std::size_t i = 0; i < n; ++i) {
    b[i] = rate(before[i]);
    a[i] = rate(after[i]);
    d[i] = a[i] - b[i];
    bn[i] = std::isnan(b[i]);
    an[i] = std::isnan(a[i]);
    dn[i] = std::isnan(d[i]);
  }
  t.add_real("gap_rate_before", std::move(b), std::move(bn));
  t.add_real("gap_rate_after", std::move(a), std::move(an));
  t.add_real("gap_rate_delta", std::move(d), std::move(dn));
}

CompareTotals totals_of(const Table& households) {
  CompareTotals t;
  const Column& w = households.column("weight");
  const Column& r = households.column("reached");
  t.households = static_cast<std::int64_t>(households.rows());
  for (std::size_t i = 0; i < households.rows(); ++i) {
    const double weight = w.as_real(i);
    if (!(weight > 0)) continue;
    ++t.target_households;
    t.target_weight += weight;
    if (r.as_real(i) > 0) {
      ++t.reached;
    } else {
      ++t.gap_households;
      t.gap_weight += weight;
    }
  }
  t.gap_rate = t.target_weight > 0 ? t.gap_weight / t.target_weight : k_nan;
  return t;
}

/// Text of a nullable text cell (nullopt for NULL).
std::optional<std::string> cell(const Column& c, std::size_t i) {
  if (c.is_null(i)) return std::nullopt;
  return c.as_text(i);
}

/// Values and NULL flags of nullable cells (no flags when none is NULL).
template <class T>
std::pair<std::vector<T>, std::vector<bool>> unwrap(const std::vector<std::optional<T>>& values) {
  std::vector<T> v(values.size());
  std::vector<bool> null(values.size());
  bool any = false;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (values[i])
      v[i] = *values[i];
    else
      null[i] = any = true;
  }
  if (!any) null.clear();
  return {std::move(v), std::move(null)};
}

void add_nullable_text(Table& t, const std::string& name, const std::vector<std::optional<std::string>>& values) {
  auto [v, null] = unwrap(values);
  t.add_text(name, std::move(v), std::move(null));
}

void add_nullable_real(Table& t, const std::string& name, std::vector<double> values) {
  std::vector<bool> null(values.size());
  bool any = false;
  for (std::size_t i = 0; i < values.size(); ++i) null[i] = std::isnan(values[i]), any = any || null[i];
  if (!any) null.clear();
  t.add_real(name, std::move(values), std::move(null));
}

void add_nullable_int(Table& t, const std::string& name, const std::vector<std::optional<std::int64_t>>& values) {
  auto [v, null] = unwrap(values);
  t.add_integer(name, std::move(v), std::move(null));
}

/// Households matched by id: the households layer of change.gpkg and the counts per class.
void compare_households(const CompareSide& before, const CompareSide& after, CompareResult& r) {
  const Table& hb = before.households;
  const Table& ha = after.households;
  const auto ib = index_of(before, hb, "households", "household_id");
  index_of(after, ha, "households", "household_id");  // duplicates in after are an error too
  const Column &id_b = hb.column("household_id"), &id_a = ha.column("household_id");
  const Column &hm_b = hb.column("hamlet_id"), &hm_a = ha.column("hamlet_id");
  const Column &pv_b = hb.column("poverty"), &pv_a = ha.column("poverty");
  const Column &w_b = hb.column("weight"), &w_a = ha.column("weight");
  const Column &re_b = hb.column("reached"), &re_a = ha.column("reached");

  const std::size_t rows_hint = ha.rows() + hb.rows() / 16;
  std::vector<std::string> id, change;
  std::vector<std::optional<std::string>> hamlet_b, hamlet_a, pov_b, pov_a;
  std::vector<double> weight_b, weight_a;
  std::vector<std::optional<std::int64_t>> reached_b, reached_a;
  std::vector<std::uint8_t> status_changed;
  Table& t = r.households;
  for (auto* v : {&id, &change}) v->reserve(rows_hint);
  t.wkb.reserve(rows_hint);
  std::vector<bool> matched_b(hb.rows(), false);
  auto count = [&r](const std::string& cls, bool target, bool differs) {
    ++r.households_change.by_class[cls];
    if (differs) ++r.households_change.status_differs;
    if (target) {
      ++r.target_change.by_class[cls];
      if (differs) ++r.target_change.status_differs;
    }
  };
  auto push = [&](const std::string& hid, const std::string& cls, std::optional<std::size_t> b,
                  std::optional<std::size_t> a) {
    id.push_back(hid);
    change.push_back(cls);
    hamlet_b.push_back(b ? cell(hm_b, *b) : std::nullopt);
    hamlet_a.push_back(a ? cell(hm_a, *a) : std::nullopt);
    pov_b.push_back(b ? cell(pv_b, *b) : std::nullopt);
    pov_a.push_back(a ? cell(pv_a, *a) : std::nullopt);
    weight_b.push_back(b ? w_b.as_real(*b) : k_nan);
    weight_a.push_back(a ? w_a.as_real(*a) : k_nan);
    reached_b.push_back(b ? std::optional<std::int64_t>(re_b.as_real(*b) > 0) : std::nullopt);
    reached_a.push_back(a ? std::optional<std::int64_t>(re_a.as_real(*a) > 0) : std::nullopt);
    status_changed.push_back(b && a && pov_b.back() != pov_a.back() ? 1 : 0);
    // The point where the household is now (after), or was (removed).
    t.wkb.push_back(a ? (ha.wkb.empty() ? std::vector<std::uint8_t>{} : ha.wkb[*a])
                      : (hb.wkb.empty() ? std::vector<std::uint8_t>{} : hb.wkb[*b]));
  };
  for (std::size_t j = 0; j < ha.rows(); ++j) {
    const std::string hid = id_a.as_text(j);
    const auto it = ib.find(hid);
    const bool target_a = w_a.as_real(j) > 0;
    if (it == ib.end()) {
      push(hid, "added", std::nullopt, j);
      count("added", target_a, false);
      continue;
    }
    const std::size_t i = it->second;
    matched_b[i] = true;
    const bool rb = re_b.as_real(i) > 0, ra = re_a.as_real(j) > 0;
    const bool differs = cell(pv_b, i) != cell(pv_a, j);
    const char* cls = !rb && ra   ? "newly_reached"
                      : rb && !ra ? "newly_unreached"
                      : differs   ? "status_changed"
                                  : "unchanged";
    push(hid, cls, i, j);
    count(cls, target_a || w_b.as_real(i) > 0, differs);
  }
  for (std::size_t i = 0; i < hb.rows(); ++i) {
    if (matched_b[i]) continue;
    push(id_b.as_text(i), "removed", i, std::nullopt);
    count("removed", w_b.as_real(i) > 0, false);
  }
  t.add_text("household_id", std::move(id));
  t.add_text("change", std::move(change));
  add_nullable_text(t, "hamlet_id_before", hamlet_b);
  add_nullable_text(t, "hamlet_id_after", hamlet_a);
  add_nullable_text(t, "poverty_before", pov_b);
  add_nullable_text(t, "poverty_after", pov_a);
  add_nullable_real(t, "weight_before", std::move(weight_b));
  add_nullable_real(t, "weight_after", std::move(weight_a));
  add_nullable_int(t, "reached_before", reached_b);
  add_nullable_int(t, "reached_after", reached_a);
  t.add_flags("status_changed", status_changed);
  t.geometry_kind = ha.geometry_kind != GeometryKind::none ? ha.geometry_kind : hb.geometry_kind;
  if (t.geometry_kind == GeometryKind::none) t.wkb.clear();

  for (ChangeCounts* c : {&r.households_change, &r.target_change})
    for (const auto cls : k_change_classes) c->by_class.emplace(std::string(cls), 0);
  auto& all = r.households_change;
  all.before = static_cast<std::int64_t>(hb.rows());
  all.after = static_cast<std::int64_t>(ha.rows());
  all.matched = all.after - all.by_class["added"];
  auto& tc = r.target_change;
  tc.matched = tc.by_class["unchanged"] + tc.by_class["newly_reached"] + tc.by_class["newly_unreached"] +
               tc.by_class["status_changed"];
  tc.before = tc.matched + tc.by_class["removed"];
  tc.after = tc.matched + tc.by_class["added"];
}

/// The group units of one grouping on each side, as the hamlets' columns give them.
struct Mapping {
  /// unit of each hamlet row of a side (nullopt: unmapped)
  std::vector<std::optional<std::string>> before, after;
};

}  // namespace

CompareResult compare(const CompareSide& before, const CompareSide& after, const CompareOptions& options) {
  if (!options.units.empty() && options.units != "before" && options.units != "after")
    throw InvalidInput(ErrorCode::invalid_input, "--units must be 'before' or 'after', not '" + options.units + "'");
  if (before.epsg != 0 && after.epsg != 0 && before.epsg != after.epsg)
    throw InvalidInput(ErrorCode::invalid_input,
                       "the two runs are in different working CRSs (EPSG:" + std::to_string(before.epsg) +
                           " and EPSG:" + std::to_string(after.epsg) + "): their layers cannot be drawn together",
                       {after.source, "", "", {}});
  CompareResult r;
  r.units = options.units;
  r.before_source = before.source;
  r.after_source = after.source;
  r.epsg = after.epsg != 0 ? after.epsg : before.epsg;
  r.before = totals_of(before.households);
  r.after = totals_of(after.households);
  compare_households(before, after, r);

  // ---- hamlets, matched by id: after's order, then those only before ----
  const Table &hb = before.hamlets, &ha = after.hamlets;
  const auto ib = index_of(before, hb, "hamlets", "hamlet_id");
  const auto ia = index_of(after, ha, "hamlets", "hamlet_id");
  const auto fb = hamlet_figures(hb), fa = hamlet_figures(ha);
  struct Row {
    std::optional<std::size_t> b, a;
  };
  std::vector<Row> rows;
  rows.reserve(ha.rows() + hb.rows());
  for (std::size_t j = 0; j < ha.rows(); ++j) {
    const auto it = ib.find(ha.column("hamlet_id").as_text(j));
    rows.push_back({it == ib.end() ? std::nullopt : std::optional<std::size_t>(it->second), j});
  }
  for (std::size_t i = 0; i < hb.rows(); ++i)
    if (!ia.count(hb.column("hamlet_id").as_text(i))) rows.push_back({i, std::nullopt});
  for (const auto& row : rows) {
    if (row.a && row.b)
      ++r.hamlets_matched;
    else if (row.a)
      ++r.hamlets_added;
    else
      ++r.hamlets_removed;
  }

  // ---- groupings: whose units ----
  std::vector<std::string> groupings;
  if (options.units.empty()) {
    for (const auto& g : after.groupings)
      if (std::find(before.groupings.begin(), before.groupings.end(), g) != before.groupings.end())
        groupings.push_back(g);
      else
        r.skipped.push_back(g + " (after only)");
    for (const auto& g : before.groupings)
      if (std::find(after.groupings.begin(), after.groupings.end(), g) == after.groupings.end())
        r.skipped.push_back(g + " (before only)");
  } else {
    groupings = options.units == "after" ? after.groupings : before.groupings;
  }
  r.groupings = groupings;
  const CompareSide* units_side = options.units == "before" ? &before : options.units == "after" ? &after : nullptr;

  std::vector<Mapping> maps(groupings.size());
  for (std::size_t g = 0; g < groupings.size(); ++g) {
    const std::string& name = groupings[g];
    auto own = [&name](const Table& t, std::size_t i) -> std::optional<std::string> {
      const auto c = t.find(name);
      if (!c || t.columns[*c].is_null(i)) return std::nullopt;
      return t.columns[*c].as_text(i);
    };
    auto unit = [&](const CompareSide& side, std::size_t i) -> std::optional<std::string> {
      if (!units_side || units_side == &side) return own(side.hamlets, i);
      // The units side's value for this hamlet id; a hamlet it lacks keeps its own side's column.
      const std::string hid = side.hamlets.column("hamlet_id").as_text(i);
      const auto& idx = units_side == &after ? ia : ib;
      const auto it = idx.find(hid);
      if (it != idx.end()) return own(units_side->hamlets, it->second);
      return own(side.hamlets, i);
    };
    maps[g].before.resize(hb.rows());
    maps[g].after.resize(ha.rows());
    for (std::size_t i = 0; i < hb.rows(); ++i) maps[g].before[i] = unit(before, i);
    for (std::size_t j = 0; j < ha.rows(); ++j) maps[g].after[j] = unit(after, j);
  }

  // ---- the hamlets layer ----
  {
    Table& t = r.hamlets;
    std::vector<std::string> ids, presence;
    std::vector<std::optional<std::string>> names;
    std::vector<AreaFigures> b, a;
    std::vector<std::vector<std::optional<std::string>>> units(groupings.size());
    const auto name_b = hb.find("name"), name_a = ha.find("name");
    for (const auto& row : rows) {
      const bool in_a = row.a.has_value();
      const std::size_t k = in_a ? *row.a : *row.b;
      const Table& src = in_a ? ha : hb;
      ids.push_back(src.column("hamlet_id").as_text(k));
      presence.emplace_back(row.a && row.b ? "both" : in_a ? "added" : "removed");
      const auto nc = in_a ? name_a : name_b;
      names.push_back(nc && !src.columns[*nc].is_null(k) ? std::optional<std::string>(src.columns[*nc].as_text(k))
                                                         : std::nullopt);
      b.push_back(row.b ? fb[*row.b] : AreaFigures{});
      a.push_back(row.a ? fa[*row.a] : AreaFigures{});
      for (std::size_t g = 0; g < groupings.size(); ++g)
        units[g].push_back(in_a ? maps[g].after[*row.a] : maps[g].before[*row.b]);
      if (in_a ? !ha.wkb.empty() : !hb.wkb.empty()) t.wkb.push_back(src.wkb[k]);
    }
    t.add_text("hamlet_id", std::move(ids));
    add_nullable_text(t, "name", names);
    for (std::size_t g = 0; g < groupings.size(); ++g) add_nullable_text(t, groupings[g], units[g]);
    t.add_text("presence", std::move(presence));
    add_figure_columns(t, b, a);
    t.geometry_kind = t.wkb.size() == rows.size() ? GeometryKind::multipolygon : GeometryKind::none;
    if (t.geometry_kind == GeometryKind::none) t.wkb.clear();
  }

  // ---- one table per grouping: sums of the hamlets of each unit, on each side ----
  for (std::size_t g = 0; g < groupings.size(); ++g) {
    const std::string& name = groupings[g];
    std::map<std::string, std::pair<AreaFigures, AreaFigures>> units;
    std::pair<AreaFigures, AreaFigures> unmapped;
    bool any_unmapped = false;
    for (std::size_t i = 0; i < hb.rows(); ++i) {
      if (maps[g].before[i]) {
        units[*maps[g].before[i]].first += fb[i];
      } else {
        unmapped.first += fb[i];
        any_unmapped = true;
        r.unmapped[name].push_back(hb.column("hamlet_id").as_text(i));
      }
    }
    for (std::size_t j = 0; j < ha.rows(); ++j) {
      if (maps[g].after[j]) {
        units[*maps[g].after[j]].second += fa[j];
      } else {
        unmapped.second += fa[j];
        any_unmapped = true;
        auto& list = r.unmapped[name];
        const std::string hid = ha.column("hamlet_id").as_text(j);
        if (std::find(list.begin(), list.end(), hid) == list.end()) list.push_back(hid);
      }
    }
    // Unit geometry: the units side's group layer first, then the other side's.
    std::vector<const Table*> geometry_sources;
    if (units_side && units_side->groups.count(name)) geometry_sources.push_back(&units_side->groups.at(name));
    for (const CompareSide* s : {&after, &before})
      if (s->groups.count(name)) geometry_sources.push_back(&s->groups.at(name));
    std::map<std::string, const std::vector<std::uint8_t>*> geometry;
    for (auto it = geometry_sources.rbegin(); it != geometry_sources.rend(); ++it) {
      const Table* src = *it;
      if (!src || src->wkb.empty()) continue;
      const Column& c = src->column(name);
      for (std::size_t i = 0; i < src->rows(); ++i)
        if (!c.is_null(i)) geometry[c.as_text(i)] = &src->wkb[i];
    }
    Table t;
    std::vector<std::optional<std::string>> ids;
    std::vector<AreaFigures> b, a;
    for (const auto& [unit, fig] : units) {
      ids.emplace_back(unit);
      b.push_back(fig.first);
      a.push_back(fig.second);
      const auto it = geometry.find(unit);
      t.wkb.push_back(it == geometry.end() ? std::vector<std::uint8_t>{} : *it->second);
    }
    if (any_unmapped) {  // every row accounted for: the hamlets without a unit, as a NULL unit
      ids.emplace_back(std::nullopt);
      b.push_back(unmapped.first);
      a.push_back(unmapped.second);
      t.wkb.emplace_back();
    }
    add_nullable_text(t, name, ids);
    add_figure_columns(t, b, a);
    const bool any_geometry = !geometry.empty();
    t.geometry_kind = any_geometry ? GeometryKind::multipolygon : GeometryKind::none;
    if (!any_geometry) t.wkb.clear();
    r.groups.emplace(name, std::move(t));
  }
  return r;
}

}  // namespace infogap
