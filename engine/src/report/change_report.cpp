// The change report report_change.<lang>.html (infogap compare): the planner report's look, pieces
// and script, on two runs' figures.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/atomic_file.hpp"
#include "core/markup.hpp"
#include "infogap/error.hpp"
#include "infogap/report.hpp"
#include "report/format.hpp"
#include "report/html.hpp"
#include "report/strings.hpp"

namespace infogap {
namespace {

using detail::cell_num;
using detail::cell_text;
using detail::escape_markup;
using detail::fill;
using detail::HtmlColumn;
using detail::section_open;
using detail::table_end;
using detail::table_head;
using detail::Writer;
using nlohmann::json;

constexpr std::size_t k_listed_hamlets = 20;
enum Measure : std::size_t {
  households,
  target_households,
  target_weight,
  reached,
  gap_households,
  gap_weight,
  gap_rate
};

double delta(const ChangeReportArea& a, std::size_t k) {
  return a.after[k] - a.before[k];
}

/// "before → after" of a measure, as the language writes numbers.
std::string pair_text(const Writer& w, double before, double after, std::size_t k) {
  auto f = [&](double v) {
    return k == gap_rate ? w.percent(v) : k == target_weight || k == gap_weight ? w.weight(v) : w.count(v);
  };
  return f(before) + " \u2192 " + f(after);
}
/// A change with its sign ("+12", "−3,5", "+2,1 điểm %").
std::string delta_text(const Writer& w, double d, std::size_t k) {
  if (!std::isfinite(d)) return "\u2013";
  const std::string sign = d > 0 ? "+" : d < 0 ? "\u2212" : "";
  const double v = std::abs(d);
  if (k == gap_rate) return sign + detail::format_number(100.0 * v, 1, w.language()) + " " + w.s("change_points");
  return sign + (k == target_weight || k == gap_weight ? w.weight(v) : w.count(v));
}

json parse_geometry(const std::string& text, const std::string& what) {
  if (text.empty()) return nullptr;
  json g = json::parse(text, nullptr, false);
  if (g.is_discarded() || !g.is_object() || !g.contains("type"))
    throw InvalidInput(ErrorCode::invalid_input, what + ": geometry is not a GeoJSON geometry object");
  return g;
}

json number_or_null(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json data_json(const ChangeReportModel& m, const Writer& w) {
  json data;
  const auto [group_sep, decimal_sep] = detail::number_separators(w.language());
  data["lang"] = to_code(w.language());
  data["separators"] = {{"group", std::string(1, group_sep)}, {"decimal", std::string(1, decimal_sep)}};
  json strings = json::object();
  for (const auto& [key, text] : w.strings()) strings[key] = text;
  data["strings"] = std::move(strings);
  data["group_names"] = json::array();
  data["group_labels"] = json::object();
  json features = json::array();
  double max_abs = 0;
  for (const auto& a : m.hamlets) {
    json p{{"id", a.id}, {"name", a.name.empty() ? a.id : a.name}, {"presence", a.presence}};
    for (std::size_t k = 0; k < k_change_measures.size(); ++k) {
      const std::string name = k_change_measures[k];
      p[name + "_before"] = number_or_null(a.before[k]);
      p[name + "_after"] = number_or_null(a.after[k]);
      p[name + "_delta"] = number_or_null(delta(a, k));
    }
    if (std::isfinite(delta(a, gap_weight))) max_abs = std::max(max_abs, std::abs(delta(a, gap_weight)));
    features.push_back(json{{"type", "Feature"},
                            {"id", a.id},
                            {"geometry", parse_geometry(a.geojson_geometry, "hamlet '" + a.id + "'")},
                            {"properties", std::move(p)}});
  }
  data["hamlets"] = json{{"type", "FeatureCollection"}, {"features", std::move(features)}};
  data["groups"] = json::object();
  data["speakers"] = json::array();
  data["teams"] = json::array();
  data["proposed"] = json::array();
  if (!(max_abs > 0)) max_abs = 1;
  const std::string half = w.weight(max_abs / 2);
  data["change"] = {
      {"attribute", "gap_weight_delta"},
      {"max_abs", max_abs},
      {"legend_title", w.s("change_legend_title")},
      {"legend",
       {fill(w.s("change_legend_down_more"), {{"value", half}}), w.s("change_legend_down"), w.s("change_legend_same"),
        w.s("change_legend_up"), fill(w.s("change_legend_up_more"), {{"value", half}})}},
      {"rows",
       {json{"target_households", 0, w.s("col_target_households")}, json{"reached", 0, w.s("col_reached_any")},
        json{"gap_households", 0, w.s("col_gap_households")}, json{"gap_weight", 1, w.s("col_gap_weight")},
        json{"gap_rate", "pct", w.s("col_gap_rate")}}}};
  return data;
}

void header(Writer& w, const ChangeReportModel& m) {
  w += "<header class=\"page-header\"><div class=\"header-inner\">\n";
  for (const auto& other : m.languages) {
    if (other == w.language()) continue;
    w += "<a class=\"lang-switch\" hreflang=\"" + std::string(to_code(other)) + "\" href=\"report_change." +
         to_code(other) + ".html\">" + escape_markup(detail::text_of(detail::report_strings(other), "lang_name")) +
         "</a>\n";
  }
  w += "<h1>" + w.h("change_title") + "</h1>\n<p class=\"subtitle\">" + w.h("change_subtitle") + "</p>\n";
  auto side = [](const std::string& name, const std::string& source) {
    return name.empty() ? source : name + " (" + source + ")";
  };
  w += "<dl class=\"meta\"><dt>" + w.h("change_before") + "</dt><dd class=\"before-source\">" +
       escape_markup(side(m.before_name, m.before_source)) + "</dd><dt>" + w.h("change_after") +
       "</dt><dd class=\"after-source\">" + escape_markup(side(m.after_name, m.after_source)) + "</dd><dt>" +
       w.h("generated_at") + "</dt><dd>" + escape_markup(m.generated_at) + "</dd><dt>" + w.h("engine_version") +
       "</dt><dd>" + escape_markup(m.engine_version) + "</dd>" +
       (m.output_dir.empty()
            ? std::string()
            : "<dt>" + w.h("output_dir") + "</dt><dd class=\"output-dir\">" + escape_markup(m.output_dir) + "</dd>") +
       "</dl>\n</div></header>\n";
  if (m.synthetic_data) w += "<div class=\"banner\" role=\"note\">" + w.h("synthetic_banner") + "</div>\n";
  w += "<nav class=\"toc\" aria-label=\"" + w.h("contents") + "\"><ul>";
  for (const auto& [anchor, key] :
       std::vector<std::pair<std::string, std::string>>{{"summary", "change_section_summary"},
                                                        {"accounting", "change_section_accounting"},
                                                        {"map-section", "section_map"},
                                                        {"improved", "change_section_improved"},
                                                        {"worsened", "change_section_worsened"},
                                                        {"groups", "section_groups"},
                                                        {"method", "section_method"}})
    w += "<li><a href=\"#" + anchor + "\">" + w.h(key) + "</a></li>";
  w += "</ul></nav>\n<main>\n";
}

void summary(Writer& w, const ChangeReportModel& m) {
  section_open(w, "summary", "change_section_summary");
  w += "<div class=\"cards\">\n";
  const std::vector<std::pair<std::size_t, std::string>> cards{{target_households, "card_target"},
                                                               {reached, "card_reached_any"},
                                                               {gap_households, "card_gap"},
                                                               {gap_weight, "col_gap_weight"},
                                                               {gap_rate, "col_gap_rate"}};
  for (const auto& [k, key] : cards) {
    const double d = m.after[k] - m.before[k];
    // Better is fewer gaps and more reached; the card's colour says which way it went.
    const bool better = k == reached ? d > 0 : (k == gap_households || k == gap_weight || k == gap_rate) && d < 0;
    const bool worse = k == reached ? d < 0 : (k == gap_households || k == gap_weight || k == gap_rate) && d > 0;
    detail::card(w,
                 better  ? "any"
                 : worse ? "gap"
                         : "",
                 w.s(key), delta_text(w, d, k), pair_text(w, m.before[k], m.after[k], k));
  }
  w += "</div>\n";
  // Whose units the groupings use.
  std::string units;
  if (m.units.empty())
    units = w.s("change_units_own");
  else
    units = w.s(m.units == "after" ? "change_units_after" : "change_units_before");
  w += "<p class=\"units\" id=\"units\">" + escape_markup(units) + "</p>\n";
  for (const auto& s : m.skipped)
    w += "<p class=\"caveat\">" + escape_markup(fill(w.s("change_skipped"), {{"grouping", s}})) + "</p>\n";
  for (const auto& [g, n] : m.unmapped)
    w += "<p class=\"caveat\">" +
         escape_markup(fill(w.s("change_unmapped"), {{"count", w.count(n)}, {"grouping", w.group_label(g)}})) +
         "</p>\n";
  w += "</section>\n";
}

void accounting(Writer& w, const ChangeReportModel& m) {
  section_open(w, "accounting", "change_section_accounting");
  auto c = [&m](const char* k) {
    const auto it = m.classes.find(k);
    return it == m.classes.end() ? 0.0 : it->second;
  };
  const double common = c("unchanged") + c("newly_reached") + c("newly_unreached") + c("status_changed");
  const bool holds = std::abs(m.households_before - (common + c("removed"))) < 0.5 &&
                     std::abs(m.households_after - (common + c("added"))) < 0.5;
  auto line = [&](const char* key, double total, const char* side_class) {
    return fill(w.s(key), {{"total", w.count(total)},
                           {"unchanged", w.count(c("unchanged"))},
                           {"newly_reached", w.count(c("newly_reached"))},
                           {"newly_unreached", w.count(c("newly_unreached"))},
                           {"status_changed", w.count(c("status_changed"))},
                           {"side", w.count(c(side_class))}});
  };
  w += std::string("<p class=\"accounting ") + (holds ? "ok" : "mismatch") + "\" id=\"accounting-before\">" +
       escape_markup(line("change_accounting_before", m.households_before, "removed")) + "</p>\n";
  w += std::string("<p class=\"accounting ") + (holds ? "ok" : "mismatch") + "\" id=\"accounting-after\">" +
       escape_markup(line("change_accounting_after", m.households_after, "added")) + " " +
       escape_markup(holds ? w.s("accounting_ok") : w.s("change_accounting_mismatch")) + "</p>\n";
  w += "<p>" + escape_markup(fill(w.s("change_status_differs"), {{"count", w.count(m.status_differs)}})) + " " +
       escape_markup(fill(w.s("change_hamlets"), {{"matched", w.count(m.hamlets_matched)},
                                                  {"added", w.count(m.hamlets_added)},
                                                  {"removed", w.count(m.hamlets_removed)}})) +
       "</p>\n";
  table_head(w, {{w.s("change_col_class"), false}, {w.s("col_households"), true}, {w.s("change_col_target"), true}},
             "sortable change-classes");
  for (const char* k : {"unchanged", "newly_reached", "newly_unreached", "status_changed", "added", "removed"}) {
    const auto t = m.target_classes.find(k);
    const double target = t == m.target_classes.end() ? 0.0 : t->second;
    w += std::string("<tr data-class=\"") + k + "\">";
    cell_text(w, w.s(std::string("change_class_") + k));
    cell_num(w, c(k), w.count(c(k)));
    cell_num(w, target, w.count(target));
    w += "</tr>\n";
  }
  table_end(w);
  w += "</section>\n";
}

void map_section(Writer& w, const ChangeReportModel& m) {
  map_section(w, "change_map_intro", m.hamlets.size());
}

std::vector<HtmlColumn> change_columns(const Writer& w) {
  return {{w.s("col_target_households"), true},    {w.s("change_col_reached_before"), true},
          {w.s("change_col_reached_after"), true}, {w.s("change_col_gap_before"), true},
          {w.s("change_col_gap_after"), true},     {w.s("change_col_gap_delta"), true},
          {w.s("change_col_rate_before"), true},   {w.s("change_col_rate_after"), true}};
}

void change_cells(Writer& w, const ChangeReportArea& a) {
  cell_num(w, a.after[target_households], w.count(a.after[target_households]));
  cell_num(w, a.before[reached], w.count(a.before[reached]));
  cell_num(w, a.after[reached], w.count(a.after[reached]));
  cell_num(w, a.before[gap_weight], w.weight(a.before[gap_weight]));
  cell_num(w, a.after[gap_weight], w.weight(a.after[gap_weight]));
  cell_num(w, delta(a, gap_weight), delta_text(w, delta(a, gap_weight), gap_weight));
  cell_num(w, a.before[gap_rate], w.percent(a.before[gap_rate]));
  cell_num(w, a.after[gap_rate], w.percent(a.after[gap_rate]));
}

/// The hamlets whose gap weight fell (improved) or rose (worsened) most.
void extremes(Writer& w, const ChangeReportModel& m, bool improved) {
  section_open(w, improved ? "improved" : "worsened", improved ? "change_section_improved" : "change_section_worsened");
  std::vector<const ChangeReportArea*> list;
  for (const auto& a : m.hamlets) {
    const double d = delta(a, gap_weight);
    if (improved ? d < 0 : d > 0) list.push_back(&a);
  }
  std::stable_sort(list.begin(), list.end(), [improved](const ChangeReportArea* a, const ChangeReportArea* b) {
    const double da = delta(*a, gap_weight), db = delta(*b, gap_weight);
    if (da != db) return improved ? da < db : da > db;
    return a->id < b->id;
  });
  if (list.empty()) {
    w += "<p>" + w.h(improved ? "change_none_improved" : "change_none_worsened") + "</p></section>\n";
    return;
  }
  const std::size_t shown = std::min(list.size(), k_listed_hamlets);
  w += "<p>" +
       escape_markup(fill(
           w.s(improved ? "change_improved_intro" : "change_worsened_intro"),
           {{"shown", w.count(static_cast<double>(shown))}, {"total", w.count(static_cast<double>(list.size()))}})) +
       "</p>\n";
  std::vector<HtmlColumn> columns{{w.s("col_hamlet"), false}, {w.s("col_id"), false}};
  for (auto& c : change_columns(w)) columns.push_back(std::move(c));
  table_head(w, columns, std::string("sortable ") + (improved ? "improved-table" : "worsened-table"));
  for (std::size_t i = 0; i < shown; ++i) {
    const ChangeReportArea& a = *list[i];
    w += "<tr data-hamlet=\"" + escape_markup(a.id) + "\">";
    cell_text(w, a.name.empty() ? a.id : a.name);
    cell_text(w, a.id);
    change_cells(w, a);
    w += "</tr>\n";
  }
  table_end(w);
  w += "</section>\n";
}

void groups(Writer& w, const ChangeReportModel& m) {
  section_open(w, "groups", "section_groups");
  if (m.groupings.empty()) w += "<p>" + w.h("change_no_groups") + "</p>\n";
  for (const auto& g : m.groupings) {
    const auto it = m.groups.find(g);
    if (it == m.groups.end()) continue;
    w += "<h3>" + escape_markup(w.group_label(g)) + " <span class=\"muted\">(" +
         escape_markup(fill(w.s("group_units_count"), {{"count", w.count(static_cast<double>(it->second.size()))}})) +
         ")</span></h3>\n";
    std::vector<HtmlColumn> columns{{w.s("col_unit"), false}};
    for (auto& c : change_columns(w)) columns.push_back(std::move(c));
    table_head(w, columns, "sortable group-change-table");
    for (const auto& a : it->second) {
      w += "<tr>";
      cell_text(w, a.id.empty() ? w.s("change_no_unit") : a.id);
      change_cells(w, a);
      w += "</tr>\n";
    }
    table_end(w);
  }
  w += "</section>\n";
}

}  // namespace

std::string render_change_report_html(const ChangeReportModel& m, Language language) {
  Writer w(detail::report_strings(language), language);
  const std::string data =
      detail::script_safe_json(data_json(m, w).dump(-1, ' ', false, json::error_handler_t::replace));
  detail::page_start(w, w.s("change_title"), m.engine_version);
  header(w, m);
  summary(w, m);
  accounting(w, m);
  map_section(w, m);
  extremes(w, m, true);
  extremes(w, m, false);
  groups(w, m);
  section_open(w, "method", "section_method");
  w += "<p>" + w.h("change_method") + "</p>\n</section>\n";
  detail::page_close(w, m.engine_version, data);
  return std::move(w.out());
}

void write_change_report(const ChangeReportModel& model, Language language, const std::string& path) {
  detail::write_file_atomic(path, render_change_report_html(model, language));
}

}  // namespace infogap
