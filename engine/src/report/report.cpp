#include "infogap/report.hpp"
#include "core/atomic_file.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/markup.hpp"
#include "infogap/error.hpp"
#include "report/assets.hpp"
#include "report/chart.hpp"
#include "report/format.hpp"
#include "report/html.hpp"
#include "report/strings.hpp"

namespace infogap {
namespace {

using detail::card;
using detail::cell_num;
using detail::cell_text;
using detail::escape_markup;
using detail::fill;
using detail::format_number;
using detail::format_percent;
using detail::ratio;
using detail::section_open;
using detail::StringTable;
using detail::table_end;
using detail::table_head;
using detail::text_of;
using detail::Writer;
using nlohmann::json;
using Column = detail::HtmlColumn;

constexpr std::size_t k_worst_hamlets = 50;

/// Areas by decreasing gap weight (NaN last), then rank, then id.
std::vector<const ReportArea*> ranked(const std::vector<ReportArea>& areas) {
  std::vector<const ReportArea*> out;
  out.reserve(areas.size());
  for (const auto& a : areas) out.push_back(&a);
  std::stable_sort(out.begin(), out.end(), [](const ReportArea* a, const ReportArea* b) {
    const double ga = std::isfinite(a->gap_weight) ? a->gap_weight : -std::numeric_limits<double>::infinity();
    const double gb = std::isfinite(b->gap_weight) ? b->gap_weight : -std::numeric_limits<double>::infinity();
    if (ga != gb) return ga > gb;
    const int ra = a->rank > 0 ? a->rank : std::numeric_limits<int>::max();
    const int rb = b->rank > 0 ? b->rank : std::numeric_limits<int>::max();
    if (ra != rb) return ra < rb;
    return a->id < b->id;
  });
  return out;
}

json parse_geometry(const std::string& text, const std::string& what) {
  if (text.empty()) return nullptr;
  json geometry = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (geometry.is_discarded() || !geometry.is_object() || !geometry.contains("type")) {
    throw InvalidInput(ErrorCode::invalid_input, what + ": geometry is not a GeoJSON geometry object");
  }
  return geometry;
}

json area_properties(const ReportArea& a, int rank) {
  return json{{"id", a.id},
              {"name", a.name.empty() ? a.id : a.name},
              {"households", a.households},
              {"target_households", a.target_households},
              {"target_weight", a.target_weight},
              {"reached_speaker", a.reached_speaker},
              {"reached_team", a.reached_team},
              {"reached_any", a.reached_any},
              {"gap_households", a.gap_households},
              {"gap_weight", a.gap_weight},
              {"gap_rate", a.gap_rate},
              {"rank", rank}};
}

json feature_collection(const std::vector<ReportArea>& areas, const std::vector<std::string>& group_names,
                        const std::string& what) {
  json features = json::array();
  const auto order = ranked(areas);
  std::map<const ReportArea*, int> rank_of;
  for (std::size_t i = 0; i < order.size(); ++i) {
    rank_of[order[i]] = order[i]->rank > 0 ? order[i]->rank : static_cast<int>(i + 1);
  }
  for (const auto& a : areas) {
    json props = area_properties(a, rank_of[&a]);
    json groups = json::object();
    for (std::size_t g = 0; g < group_names.size() && g < a.groups.size(); ++g) groups[group_names[g]] = a.groups[g];
    props["groups"] = std::move(groups);
    features.push_back(json{{"type", "Feature"},
                            {"id", a.id},
                            {"geometry", parse_geometry(a.geojson_geometry, what + " '" + a.id + "'")},
                            {"properties", std::move(props)}});
  }
  return json{{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

json points_json(const std::vector<ReportPoint>& points) {
  json out = json::array();
  for (const auto& p : points) {
    out.push_back(json{
        {"id", p.id}, {"kind", p.kind}, {"lon", p.lon}, {"lat", p.lat}, {"reach_m", p.reach_m}, {"label", p.label}});
  }
  return out;
}

/// What a planner calls a proposed site: the candidate's name, else its id, else the site id.
std::string site_label(const ReportSite& s) {
  if (!s.name.empty()) return s.name;
  return s.candidate_id.empty() ? s.id : s.candidate_id;
}

std::vector<ReportSite> sites_by_rank(const std::vector<ReportSite>& sites) {
  std::vector<ReportSite> out = sites;
  std::stable_sort(out.begin(), out.end(), [](const ReportSite& a, const ReportSite& b) { return a.rank < b.rank; });
  return out;
}

/// The data block read by report.js.
json data_json(const ReportModel& m, const Writer& w) {
  json data;
  const auto [group_sep, decimal_sep] = detail::number_separators(w.language());
  data["lang"] = to_code(w.language());
  data["separators"] = {{"group", std::string(1, group_sep)}, {"decimal", std::string(1, decimal_sep)}};
  json strings = json::object();
  for (const auto& [key, text] : w.strings()) strings[key] = text;
  data["strings"] = std::move(strings);
  data["group_names"] = m.group_names;
  json group_labels = json::object();
  for (const auto& name : m.group_names) group_labels[name] = w.group_label(name);
  data["group_labels"] = std::move(group_labels);
  data["hamlets"] = feature_collection(m.hamlets, m.group_names, "hamlet");
  json groups = json::object();
  for (const auto& [name, units] : m.groups) {
    bool any_geometry = false;
    for (const auto& u : units) any_geometry = any_geometry || !u.geojson_geometry.empty();
    if (any_geometry) groups[name] = feature_collection(units, {}, name);
  }
  data["groups"] = std::move(groups);
  data["speakers"] = points_json(m.speakers);
  data["teams"] = points_json(m.teams);
  json proposed = json::array();
  for (const auto& s : sites_by_rank(m.proposed)) {
    proposed.push_back(json{{"id", s.id},
                            {"kind", s.kind},
                            {"rank", s.rank},
                            {"lon", s.lon},
                            {"lat", s.lat},
                            {"reach_m", s.reach_m},
                            {"marginal_weight", s.marginal_weight},
                            {"marginal_households", s.marginal_households},
                            {"cumulative_weight", s.cumulative_weight},
                            {"cost_vnd", s.cost_vnd},
                            {"hamlet_id", s.hamlet_id},
                            {"name", site_label(s)},
                            {"hamlet", s.hamlet_name.empty() ? s.hamlet_id : s.hamlet_name},
                            {"commune", s.commune_name}});
  }
  data["proposed"] = std::move(proposed);
  return data;
}

// ---- HTML pieces ----------------------------------------------------------------------------

void area_cells(Writer& w, const ReportArea& a) {
  cell_num(w, a.households, w.count(a.households));
  cell_num(w, a.target_households, w.count(a.target_households));
  cell_num(w, a.reached_speaker, w.count(a.reached_speaker));
  cell_num(w, a.reached_team, w.count(a.reached_team));
  cell_num(w, a.reached_any, w.count(a.reached_any));
  cell_num(w, a.gap_households, w.count(a.gap_households));
  cell_num(w, a.gap_weight, w.weight(a.gap_weight));
  cell_num(w, a.gap_rate, w.percent(a.gap_rate));
}

std::vector<Column> area_columns(const Writer& w) {
  return {{w.s("col_households"), true},   {w.s("col_target_households"), true}, {w.s("col_reached_speaker"), true},
          {w.s("col_reached_team"), true}, {w.s("col_reached_any"), true},       {w.s("col_gap_households"), true},
          {w.s("col_gap_weight"), true},   {w.s("col_gap_rate"), true}};
}

void summary_section(Writer& w, const ReportModel& m) {
  section_open(w, "summary", "section_summary");
  w += "<div class=\"cards\">\n";
  const double target = m.target_households;
  card(w, "", w.s("card_households"), w.count(m.households_joined), "");
  card(w, "", w.s("card_target"), w.count(target),
       fill(w.s("card_target_note"), {{"weight", w.weight(m.target_weight)}}));
  card(w, "speaker", w.s("card_reached_speaker"), w.count(m.reached_speaker),
       fill(w.s("share_of_target"), {{"share", w.percent(ratio(m.reached_speaker, target))}}));
  card(w, "team", w.s("card_reached_team"), w.count(m.reached_team),
       fill(w.s("share_of_target"), {{"share", w.percent(ratio(m.reached_team, target))}}));
  card(w, "any", w.s("card_reached_any"), w.count(m.reached_any),
       fill(w.s("share_of_target"), {{"share", w.percent(ratio(m.reached_any, target))}}));
  card(w, "gap", w.s("card_gap"), w.count(m.gap_households),
       fill(w.s("card_gap_note"),
            {{"weight", w.weight(m.gap_weight)}, {"rate", w.percent(ratio(m.gap_weight, m.target_weight))}}));
  w += "</div>\n";

  const double accounted = m.households_joined + m.households_outside + m.households_rejected;
  const double difference = m.households_input - accounted;
  const bool holds = std::abs(difference) < 0.5;
  w += std::string("<p class=\"accounting ") + (holds ? "ok" : "mismatch") + "\" id=\"accounting\">" +
       escape_markup(fill(w.s("accounting"), {{"input", w.count(m.households_input)},
                                              {"joined", w.count(m.households_joined)},
                                              {"outside", w.count(m.households_outside)},
                                              {"rejected", w.count(m.households_rejected)}})) +
       " " +
       escape_markup(holds ? w.s("accounting_ok")
                           : fill(w.s("accounting_mismatch"), {{"difference", w.count(difference)}})) +
       "</p>\n";
  if (m.reached_beyond_validity > 0) {
    w += "<p class=\"caveat\" id=\"beyond-validity\">" +
         escape_markup(fill(w.s("beyond_validity"),
                            {{"count", w.count(m.reached_beyond_validity)},
                             {"share", w.percent(ratio(m.reached_beyond_validity, m.reached_speaker))}})) +
         "</p>\n";
  }
  // Figures that rest on approximate inputs: placed households, derived hamlet boundaries.
  if (m.households_placed > 0)
    w += "<p class=\"approximate\" id=\"approximate-households\">" +
         escape_markup(
             fill(w.s("approx_placed"), {{"placed", w.count(m.households_placed)},
                                         {"households", w.count(m.households_total)},
                                         {"share", w.percent(ratio(m.households_placed, m.households_total))}})) +
         "</p>\n";
  if (m.hamlets_derived > 0)
    w += "<p class=\"approximate\" id=\"approximate-hamlets\">" +
         escape_markup(fill(w.s("approx_derived"),
                            {{"derived", w.count(m.hamlets_derived)}, {"hamlets", w.count(m.hamlets_total)}})) +
         "</p>\n";

  if (!m.by_status.empty()) {
    w += "<h3>" + w.h("by_status_title") + "</h3>\n";
    table_head(w,
               {{w.s("col_status"), false},
                {w.s("col_households"), true},
                {w.s("col_reached"), true},
                {w.s("col_not_reached"), true},
                {w.s("col_reached_share"), true}},
               "sortable by-status");
    std::vector<std::string> order;
    for (const char* known : {"poor", "near_poor", "not_poor"}) {
      if (m.by_status.count(known) != 0) order.emplace_back(known);
    }
    for (const auto& [status, values] : m.by_status) {
      if (std::find(order.begin(), order.end(), status) == order.end()) order.push_back(status);
    }
    for (const auto& status : order) {
      const auto& v = m.by_status.at(status);
      w += "<tr>";
      cell_text(w, w.status_label(status));
      cell_num(w, v[0], w.count(v[0]));
      cell_num(w, v[1], w.count(v[1]));
      cell_num(w, v[2], w.count(v[2]));
      const double share = ratio(v[1], v[0]);
      cell_num(w, share, w.percent(share));
      w += "</tr>\n";
    }
    table_end(w);
  }
  if (!m.conditions.empty()) {
    // Listening conditions: the gap under each, and its expected value over the broadcasts.
    w += "<h3>" + w.h("conditions_title") + "</h3>\n<p>" +
         escape_markup(fill(w.s("conditions_intro"), {{"expected", w.weight(m.expected_gap_weight)}})) + "</p>\n";
    table_head(w,
               {{w.s("col_condition"), false},
                {w.s("col_condition_share"), true},
                {w.s("col_gap_households"), true},
                {w.s("col_gap_weight"), true}},
               "sortable conditions-table");
    for (const auto& c : m.conditions) {
      w += "<tr>";
      cell_text(w, c.name);
      cell_num(w, c.share, w.percent(c.share));
      cell_num(w, static_cast<double>(c.gap_households), w.count(static_cast<double>(c.gap_households)));
      cell_num(w, c.gap_weight, w.weight(c.gap_weight));
      w += "</tr>\n";
    }
    table_end(w);
  }
  w += "</section>\n";
}

void map_section(Writer& w, const ReportModel& m) {
  map_section(w, "map_intro", m.hamlets.size());
}

void hamlets_section(Writer& w, const ReportModel& m) {
  section_open(w, "hamlets", "section_hamlets");
  if (m.hamlets.empty()) {
    w += "<p>" + w.h("no_hamlets") + "</p></section>\n";
    return;
  }
  const auto order = ranked(m.hamlets);
  const std::size_t shown = std::min(order.size(), k_worst_hamlets);
  w += "<p>" +
       escape_markup(fill(w.s("hamlets_intro"), {{"shown", w.count(static_cast<double>(shown))},
                                                 {"total", w.count(static_cast<double>(order.size()))}})) +
       "</p>\n";
  std::vector<Column> columns = {{w.s("col_rank"), true}, {w.s("col_hamlet"), false}, {w.s("col_id"), false}};
  for (const auto& g : m.group_names) columns.push_back({w.group_label(g), false});
  for (auto& c : area_columns(w)) columns.push_back(std::move(c));
  table_head(w, columns, "sortable hamlets-table");
  for (std::size_t i = 0; i < shown; ++i) {
    const ReportArea& a = *order[i];
    const int rank = a.rank > 0 ? a.rank : static_cast<int>(i + 1);
    w += "<tr data-hamlet=\"" + escape_markup(a.id) + "\">";
    cell_num(w, rank, std::to_string(rank));
    cell_text(w, a.name.empty() ? a.id : a.name);
    cell_text(w, a.id);
    for (std::size_t g = 0; g < m.group_names.size(); ++g) cell_text(w, g < a.groups.size() ? a.groups[g] : "");
    area_cells(w, a);
    w += "</tr>\n";
  }
  table_end(w);
  w += "</section>\n";
}

void groups_section(Writer& w, const ReportModel& m) {
  section_open(w, "groups", "section_groups");
  std::vector<std::string> names = m.group_names;
  for (const auto& [name, units] : m.groups) {
    if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
  }
  bool any = false;
  for (const auto& name : names) {
    const auto it = m.groups.find(name);
    if (it == m.groups.end()) continue;
    if (!any) w += "<p>" + w.h("groups_intro") + "</p>\n";
    any = true;
    const auto order = ranked(it->second);
    w += "<h3>" + escape_markup(w.group_label(name)) + " <span class=\"muted\">(" +
         escape_markup(fill(w.s("group_units_count"), {{"count", w.count(static_cast<double>(order.size()))}})) +
         ")</span></h3>\n";
    std::vector<Column> columns = {{w.s("col_rank"), true}, {w.s("col_unit"), false}};
    for (auto& c : area_columns(w)) columns.push_back(std::move(c));
    table_head(w, columns, "sortable group-table");
    for (std::size_t i = 0; i < order.size(); ++i) {
      const ReportArea& a = *order[i];
      const int rank = a.rank > 0 ? a.rank : static_cast<int>(i + 1);
      w += "<tr>";
      cell_num(w, rank, std::to_string(rank));
      cell_text(w, a.name.empty() ? a.id : a.name);
      area_cells(w, a);
      w += "</tr>\n";
    }
    table_end(w);
  }
  if (!any) w += "<p>" + w.h("no_groups") + "</p>\n";
  w += "</section>\n";
}

/// A coverage target or group minimum that the proposal does not meet, said first and plainly:
/// what was asked, what the sites reach, and the most any placement could reach.
void unmet_block(Writer& w, const ReportModel& m) {
  w += "<div class=\"unmet\" role=\"alert\" id=\"unmet\"><p><strong>" + w.h("unmet_title") + "</strong> " +
       w.h("unmet_intro") + "</p>\n";
  if (!m.optimizer_message.empty())
    w += "<p>" + escape_markup(fill(w.s("unmet_message"), {{"message", m.optimizer_message}})) + "</p>\n";
  if (m.coverage_target > 0 && m.target_share_after + 1e-12 < m.coverage_target) {
    w += "<p>" +
         escape_markup(fill(w.s("unmet_target"), {{"required", w.percent(m.coverage_target)},
                                                  {"after", w.percent(m.target_share_after)},
                                                  {"reachable", w.percent(m.target_reachable_share)}})) +
         "</p>\n";
  }
  if (!m.shortfalls.empty()) {
    w += "<p>" + w.h("unmet_groups") + "</p>\n";
    table_head(w,
               {{w.s("col_group"), false},
                {w.s("col_unit"), false},
                {w.s("col_required_share"), true},
                {w.s("col_share_after"), true},
                {w.s("col_reachable_share"), true}},
               "sortable unmet-table");
    for (const auto& f : m.shortfalls) {
      const std::string key = "group_" + f.group;
      const auto label = w.strings().find(key);
      w += "<tr>";
      cell_text(w, label == w.strings().end() ? f.group : label->second);
      cell_text(w, f.unit);
      cell_num(w, f.required, w.percent(f.required));
      cell_num(w, f.share_after, w.percent(f.share_after));
      cell_num(w, f.reachable, w.percent(f.reachable));
      w += "</tr>\n";
    }
    table_end(w);
  }
  w += "</div>\n";
}

void proposed_section(Writer& w, const ReportModel& m) {
  section_open(w, "proposed", "section_proposed");
  if (m.proposed.empty()) {
    w += "<p>" + w.h("no_proposed") + "</p></section>\n";
    return;
  }
  if (!m.optimizer_met) unmet_block(w, m);
  const bool budget = m.optimizer_mode == "budget";
  w += "<p class=\"rank-order\">" + w.h(budget ? "proposed_intro_budget" : "proposed_intro") + "</p>\n";
  if (budget) {
    const char* kinds = m.optimizer_speakers && !m.optimizer_teams   ? "budget_kinds_speakers"
                        : !m.optimizer_speakers && m.optimizer_teams ? "budget_kinds_teams"
                                                                     : "budget_kinds_both";
    w += "<p class=\"budget-kinds\">" + escape_markup(fill(w.s(kinds), {{"budget", w.count(m.optimizer_budget_vnd)}})) +
         "</p>\n";
  }
  w += "<p>" + w.h("proposed_gains_note") + "</p>\n";
  if (!m.optimizer_solver.empty()) {
    w += "<p class=\"optimizer\">" +
         escape_markup(fill(w.s("optimizer_summary"), {{"solver", m.optimizer_solver},
                                                       {"status", m.optimizer_status},
                                                       {"objective", w.weight(m.optimizer_objective)},
                                                       {"bound", w.weight(m.optimizer_bound)},
                                                       {"gap", format_percent(m.optimizer_gap, 2, w.language())}})) +
         "</p>\n";
  }
  if (m.gap_weight_closed || m.claimed_gap_weight_closed)
    w += "<p class=\"after-recomputed\">" +
         escape_markup(fill(w.s("after_recomputed"), {{"closed", w.weight(m.gap_weight_closed)},
                                                      {"claimed", w.weight(m.claimed_gap_weight_closed)}})) +
         "</p>\n<p class=\"after-changes\">" +
         escape_markup(fill(w.s("after_changes"), {{"heard", w.weight(m.after_heard)},
                                                   {"new_teams", w.weight(m.after_new_teams)},
                                                   {"existing_teams", w.weight(m.after_existing_teams)},
                                                   {"lost_to_echo", w.weight(m.after_lost_to_echo)},
                                                   {"left_by_teams", w.weight(m.after_left_by_teams)}})) +
         "</p>\n";
  const auto sites = sites_by_rank(m.proposed);
  const double gap_before = m.gap_weight;
  w += "<figure class=\"chart-figure\">" + detail::marginal_gain_svg(sites, gap_before, w.strings(), w.language()) +
       "</figure>\n";
  const std::string cost_svg = detail::cost_curve_svg(sites, gap_before, w.strings(), w.language());
  const bool costs = !cost_svg.empty();
  if (costs) w += "<figure class=\"chart-figure\">" + cost_svg + "</figure>\n";

  // Names, not ids: the candidate's name (else its id), its type, the hamlet's and commune's names.
  bool any_type = false, any_commune = false;
  for (const auto& s : sites) {
    any_type = any_type || !s.type.empty();
    any_commune = any_commune || !s.commune_name.empty();
  }
  std::vector<Column> columns = {{w.s("col_rank"), true}, {w.s("col_site"), false}};
  if (any_type) columns.push_back({w.s("col_site_type"), false});
  columns.push_back({w.s("col_kind"), false});
  columns.push_back({w.s("col_hamlet"), false});
  if (any_commune) columns.push_back({w.s("col_commune"), false});
  for (Column c : std::vector<Column>{{w.s("col_marginal_weight"), true},
                                      {w.s("col_marginal_households"), true},
                                      {w.s("col_cumulative_weight"), true},
                                      {w.s("col_cumulative_share"), true}})
    columns.push_back(std::move(c));
  if (costs) {
    columns.push_back({w.s("col_cost"), true});
    columns.push_back({w.s("col_cumulative_cost"), true});
  }
  columns.push_back({w.s("col_lon"), true});
  columns.push_back({w.s("col_lat"), true});
  table_head(w, columns, "sortable proposed-table");
  double denominator = gap_before;
  for (const auto& s : sites) denominator = std::max(denominator, s.cumulative_weight);
  double cumulative_cost = 0;
  for (const auto& s : sites) {
    cumulative_cost += s.cost_vnd;
    const std::string kind_key = "kind_" + s.kind;
    const auto kind = w.strings().find(kind_key);
    w += "<tr>";
    cell_num(w, s.rank, std::to_string(s.rank));
    cell_text(w, site_label(s));
    if (any_type) {
      const auto type = w.strings().find("site_type_" + s.type);
      cell_text(w, type == w.strings().end() ? s.type : type->second);
    }
    cell_text(w, kind == w.strings().end() ? s.kind : kind->second);
    cell_text(w, s.hamlet_name.empty() ? s.hamlet_id : s.hamlet_name);
    if (any_commune) cell_text(w, s.commune_name);
    cell_num(w, s.marginal_weight, w.weight(s.marginal_weight));
    cell_num(w, s.marginal_households, w.count(s.marginal_households));
    cell_num(w, s.cumulative_weight, w.weight(s.cumulative_weight));
    const double share = ratio(s.cumulative_weight, denominator);
    cell_num(w, share, w.percent(share));
    if (costs) {
      cell_num(w, s.cost_vnd, w.count(s.cost_vnd));
      cell_num(w, cumulative_cost, w.count(cumulative_cost));
    }
    cell_num(w, s.lon, format_number(s.lon, 5, w.language()));
    cell_num(w, s.lat, format_number(s.lat, 5, w.language()));
    w += "</tr>\n";
  }
  table_end(w);
  w += "</section>\n";
}

void method_section(Writer& w, const ReportModel& m) {
  section_open(w, "method", "section_method");
  w += "<p>" + w.h("method_reached") + "</p>\n";
  if (m.speaker_model == "radius") {
    w += "<p>" + w.h("method_speaker_radius") + "</p>\n";
  } else {
    w += "<p>" +
         escape_markup(fill(w.s("method_speaker_iso"), {{"facade", format_number(m.facade_loss_db, 1, w.language())},
                                                        {"snr", format_number(m.required_snr_db, 1, w.language())},
                                                        {"ambient", format_number(m.ambient_dba, 1, w.language())}})) +
         "</p>\n";
    w += "<p>" + w.h("method_limits") + "</p>\n";
  }
  w += "<p>" + w.h("method_teams") + "</p>\n";
  if (!m.proposed.empty()) w += "<p>" + w.h("method_optimizer") + "</p>\n";
  w += "</section>\n";
}

void parameters_section(Writer& w, const ReportModel& m) {
  section_open(w, "parameters", "section_parameters");
  if (m.parameters.empty()) {
    w += "<p>" + w.h("no_parameters") + "</p>\n";
  } else {
    w += "<p>" + w.h("parameters_intro") + "</p>\n";
    table_head(w, {{w.s("col_parameter"), false}, {w.s("col_value"), false}}, "sortable parameters-table");
    for (const auto& [key, value] : m.parameters) {
      w += "<tr>";
      cell_text(w, key);
      cell_text(w, value);
      w += "</tr>\n";
    }
    table_end(w);
  }
  w += "</section>\n";
  section_open(w, "sources", "section_sources");
  if (m.sources.empty()) {
    w += "<p>" + w.h("no_sources") + "</p>\n";
  } else {
    table_head(w, {{w.s("col_layer"), false}, {w.s("col_source"), false}}, "sortable sources-table");
    for (const auto& [layer, source] : m.sources) {
      w += "<tr>";
      cell_text(w, layer);
      cell_text(w, source);
      w += "</tr>\n";
    }
    table_end(w);
  }
  w += "</section>\n";
}

}  // namespace

std::vector<Language> report_languages() {
  return {k_languages.begin(), k_languages.end()};
}

std::string render_report_html(const ReportModel& m, Language language) {
  Writer w(detail::report_strings(language), language);
  const std::string data =
      detail::script_safe_json(data_json(m, w).dump(-1, ' ', /*ensure_ascii=*/false, json::error_handler_t::replace));

  detail::page_start(w, w.s("title") + (m.scenario_name.empty() ? "" : " \u2014 " + m.scenario_name), m.engine_version);

  // header
  w += "<header class=\"page-header\"><div class=\"header-inner\">\n";
  for (const auto& other : m.languages) {
    if (other == language) continue;
    const auto& other_strings = detail::report_strings(other);
    w += "<a class=\"lang-switch\" hreflang=\"" + std::string(to_code(other)) + "\" href=\"report." + to_code(other) +
         ".html\">" + escape_markup(text_of(other_strings, "lang_name")) + "</a>\n";
  }
  w += "<h1>" + w.h("title") + "</h1>\n<p class=\"subtitle\">" + w.h("subtitle") + "</p>\n";
  w += "<dl class=\"meta\"><dt>" + w.h("scenario") + "</dt><dd>" + escape_markup(m.scenario_name) + "</dd><dt>" +
       w.h("generated_at") + "</dt><dd>" + escape_markup(m.generated_at) + "</dd><dt>" + w.h("engine_version") +
       "</dt><dd>" + escape_markup(m.engine_version) + "</dd>" +
       (m.output_dir.empty()
            ? std::string()
            : "<dt>" + w.h("output_dir") + "</dt><dd class=\"output-dir\">" + escape_markup(m.output_dir) + "</dd>") +
       "</dl>\n";
  w += "</div></header>\n";
  if (m.synthetic_data) w += "<div class=\"banner\" role=\"note\">" + w.h("synthetic_banner") + "</div>\n";
  if (!m.rollup_column.empty())
    w += "<p class=\"rollup\" role=\"note\">" +
         escape_markup(fill(w.s("rollup_note"), {{"count", w.count(static_cast<double>(m.rollup_partitions))},
                                                 {"column", w.group_label(m.rollup_column)}})) +
         "</p>\n";

  w += "<nav class=\"toc\" aria-label=\"" + w.h("contents") + "\"><ul>";
  for (const auto& [anchor, key] :
       std::vector<std::pair<std::string, std::string>>{{"summary", "section_summary"},
                                                        {"map-section", "section_map"},
                                                        {"hamlets", "section_hamlets"},
                                                        {"groups", "section_groups"},
                                                        {"proposed", "section_proposed"},
                                                        {"method", "section_method"},
                                                        {"parameters", "section_parameters"},
                                                        {"sources", "section_sources"}}) {
    w += "<li><a href=\"#" + anchor + "\">" + w.h(key) + "</a></li>";
  }
  w += "</ul></nav>\n<main>\n";

  summary_section(w, m);
  map_section(w, m);
  hamlets_section(w, m);
  groups_section(w, m);
  proposed_section(w, m);
  method_section(w, m);
  parameters_section(w, m);
  detail::page_close(w, m.engine_version, data);
  return std::move(w.out());
}

void write_report(const ReportModel& model, Language language, const std::string& path) {
  detail::write_file_atomic(path, render_report_html(model, language));
}

}  // namespace infogap
