// The outputs of infogap compare (DESIGN.md §5b): change.gpkg, change_<group>.csv, the diverging
// .qml styles, report_change.<lang>.html and summary_change.json, staged and committed together.
#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

#include "adapters/gdal/gdal_io.hpp"
#include "adapters/geos/geojson.hpp"
#include "adapters/proj/transformer.hpp"
#include "compare/change.hpp"
#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "infogap/compare.hpp"
#include "infogap/error.hpp"
#include "infogap/report.hpp"
#include "infogap/styles.hpp"
#include "infogap/version.hpp"
#include "output/staging.hpp"
#include "output/tables.hpp"
#include "report/format.hpp"

namespace infogap {
namespace detail {
namespace {

using nlohmann::json;

json number_or_null(double v) {
  return std::isfinite(v) ? json(v) : json(nullptr);
}

json totals_json(const CompareTotals& t) {
  return json{{"households", t.households},
              {"target_households", t.target_households},
              {"target_weight", t.target_weight},
              {"reached", t.reached},
              {"gap_households", t.gap_households},
              {"gap_weight", t.gap_weight},
              {"gap_rate", number_or_null(t.gap_rate)}};
}

json counts_json(const ChangeCounts& c) {
  json j;
  for (const auto cls : k_change_classes) {
    const auto it = c.by_class.find(std::string(cls));
    j[std::string(cls)] = it == c.by_class.end() ? 0 : it->second;
  }
  auto at = [&c](const char* k) {
    const auto it = c.by_class.find(k);
    return it == c.by_class.end() ? std::int64_t{0} : it->second;
  };
  const std::int64_t common = at("unchanged") + at("newly_reached") + at("newly_unreached") + at("status_changed");
  j["before"] = c.before;
  j["after"] = c.after;
  j["matched"] = c.matched;
  j["status_differs"] = c.status_differs;
  // The identities the report prints: every household of each side in exactly one class.
  j["before_holds"] = c.before == common + at("removed");
  j["after_holds"] = c.after == common + at("added");
  return j;
}

/// The scenario name and synthetic flag a side's summary.json records (empty / false when none).
std::pair<std::string, bool> side_meta(const std::string& summary) {
  if (summary.empty()) return {"", false};
  const json j = json::parse(summary, nullptr, false);
  if (j.is_discarded() || !j.contains("parameters")) return {"", false};
  const json& p = j["parameters"];
  return {p.value("name", std::string()), p.value("synthetic", false)};
}

/// The CSV rounding of a change table: each `<measure>_before/_after/_delta` as the run's CSV
/// rounds `<measure>` (weights 2 decimals, rates 4).
CsvFormat change_csv_format(const Table& t) {
  const CsvFormat run = csv_format();
  CsvFormat f;
  for (const Column& c : t.columns) {
    for (const char* suffix : {"_before", "_after", "_delta"}) {
      const std::string s(suffix);
      if (c.name.size() > s.size() && c.name.compare(c.name.size() - s.size(), s.size(), s) == 0) {
        const auto it = run.decimals.find(c.name.substr(0, c.name.size() - s.size()));
        if (it != run.decimals.end()) f.decimals[c.name] = it->second;
      }
    }
  }
  return f;
}

double max_abs_of(const Table& t, const std::string& column) {
  double m = 0;
  const Column& c = t.column(column);
  for (std::size_t i = 0; i < c.size(); ++i)
    if (!c.is_null(i) && std::isfinite(c.reals[i])) m = std::max(m, std::abs(c.reals[i]));
  return m;
}

std::vector<ChangeReportArea> report_areas(const Table& t, const std::string& id_column, const std::string& name_column,
                                           const std::function<std::string(std::size_t)>& geometry) {
  std::vector<ChangeReportArea> out(t.rows());
  const Column& id = t.column(id_column);
  const auto name = name_column.empty() ? std::nullopt : t.find(name_column);
  const auto presence = t.find("presence");
  for (std::size_t k = 0; k < k_change_measures.size(); ++k) {
    const std::string m = k_change_measures[k];
    const Column &b = t.column(m + "_before"), &a = t.column(m + "_after");
    for (std::size_t i = 0; i < out.size(); ++i) {
      out[i].before[k] = b.as_real(i);
      out[i].after[k] = a.as_real(i);
    }
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].id = id.as_text(i);
    if (name) out[i].name = t.columns[*name].as_text(i);
    if (presence) out[i].presence = t.columns[*presence].as_text(i);
    if (geometry) out[i].geojson_geometry = geometry(i);
  }
  return out;
}

ChangeReportModel report_model(const CompareResult& r, const std::string& before_summary,
                               const std::string& after_summary, const std::vector<Language>& languages) {
  ChangeReportModel m;
  m.generated_at = generated_at_text();
  m.engine_version = INFOGAP_VERSION_STRING;
  m.output_dir = r.output_dir;
  m.languages = languages;
  const auto [bn, bs] = side_meta(before_summary);
  const auto [an, as] = side_meta(after_summary);
  m.before_name = bn;
  m.after_name = an;
  m.synthetic_data = bs || as;
  m.before_source = r.before_source;
  m.after_source = r.after_source;
  m.units = r.units;
  m.groupings = r.groupings;
  m.skipped = r.skipped;
  for (const auto& [g, ids] : r.unmapped) m.unmapped[g] = static_cast<double>(ids.size());
  auto totals = [](const CompareTotals& t) {
    return std::array<double, 7>{static_cast<double>(t.households),
                                 static_cast<double>(t.target_households),
                                 t.target_weight,
                                 static_cast<double>(t.reached),
                                 static_cast<double>(t.gap_households),
                                 t.gap_weight,
                                 t.gap_rate};
  };
  m.before = totals(r.before);
  m.after = totals(r.after);
  for (const auto& [k, v] : r.households_change.by_class) m.classes[k] = static_cast<double>(v);
  for (const auto& [k, v] : r.target_change.by_class) m.target_classes[k] = static_cast<double>(v);
  m.households_before = static_cast<double>(r.households_change.before);
  m.households_after = static_cast<double>(r.households_change.after);
  m.status_differs = static_cast<double>(r.households_change.status_differs);
  m.hamlets_matched = static_cast<double>(r.hamlets_matched);
  m.hamlets_added = static_cast<double>(r.hamlets_added);
  m.hamlets_removed = static_cast<double>(r.hamlets_removed);
  std::function<std::string(std::size_t)> geometry;
  std::optional<Transformer> to_lonlat;
  if (r.epsg != 0 && !r.hamlets.wkb.empty()) {
    to_lonlat.emplace("EPSG:" + std::to_string(r.epsg), "EPSG:4326");
    geometry = [&r, &to_lonlat](std::size_t i) -> std::string {
      if (r.hamlets.wkb[i].empty()) return {};
      auto lonlat = [&to_lonlat](double& x, double& y) {
        to_lonlat->transform(&x, &y, 1);
        return std::isfinite(x) && std::isfinite(y);
      };
      return to_geojson(transform_xy(simplify(r.hamlets.wkb[i], 5.0), lonlat), 5);
    };
  }
  m.hamlets = report_areas(r.hamlets, "hamlet_id", "name", geometry);
  for (const auto& g : r.groupings) m.groups[g] = report_areas(r.groups.at(g), g, "", {});
  return m;
}

/// Refuses an output folder that is one of the compared run folders (their files would mix).
void check_compare_output(const CompareResult& r, const std::string& dir) {
  const auto out = normal_path(dir);
  for (const auto& side : {r.before_source, r.after_source}) {
    if (normal_path(side) == out)
      throw InvalidInput(ErrorCode::invalid_input,
                         "the output folder is one of the compared runs' folders; choose another (-o DIR)",
                         {side, "", "", {}});
  }
}

}  // namespace

std::string change_summary_json(const CompareResult& r, const std::vector<std::string>& files) {
  json j;
  j["engine_version"] = INFOGAP_VERSION_STRING;
  j["before"] = {{"source", r.before_source}};
  j["after"] = {{"source", r.after_source}};
  j["units"] = r.units.empty() ? json(nullptr) : json(r.units);
  j["groupings"] = r.groupings;
  j["groupings_skipped"] = r.skipped;
  json unmapped = json::object();
  for (const auto& [g, ids] : r.unmapped) unmapped[g] = ids;
  j["unmapped_hamlets"] = std::move(unmapped);
  CompareTotals d;
  d.households = r.after.households - r.before.households;
  d.target_households = r.after.target_households - r.before.target_households;
  d.target_weight = r.after.target_weight - r.before.target_weight;
  d.reached = r.after.reached - r.before.reached;
  d.gap_households = r.after.gap_households - r.before.gap_households;
  d.gap_weight = r.after.gap_weight - r.before.gap_weight;
  d.gap_rate = r.after.gap_rate - r.before.gap_rate;
  j["totals"] = {{"before", totals_json(r.before)}, {"after", totals_json(r.after)}, {"delta", totals_json(d)}};
  j["households"] = counts_json(r.households_change);
  j["target_households"] = counts_json(r.target_change);
  j["hamlets"] = {{"matched", r.hamlets_matched}, {"added", r.hamlets_added}, {"removed", r.hamlets_removed}};
  if (!r.output_dir.empty()) j["output_dir"] = r.output_dir;
  j["outputs"] = files;
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace detail

CompareResult compare_runs(const std::string& before_path, const std::string& after_path,
                           const CompareOptions& options) {
  std::vector<Language> languages;
  for (const auto& code : options.languages) languages.push_back(language_from_code(code));
  const CompareSide before = read_compare_side(before_path, "before", options.threads);
  const CompareSide after = read_compare_side(after_path, "after", options.threads);
  CompareResult r = compare(before, after, options);
  if (options.output_dir.empty()) {
    r.summary_json = detail::change_summary_json(r, {});
    return r;
  }
  detail::check_compare_output(r, options.output_dir);
  r.output_dir = detail::normal_path(options.output_dir).string();
  std::set<std::string> own{"change.gpkg", "change_hamlets.csv", "change_hamlets.qml", "change_households.qml",
                            "summary_change.json"};
  for (const Language l : report_languages()) own.insert(std::string("report_change.") + to_code(l) + ".html");
  detail::Staging st(options.output_dir, own, "summary_change.json");
  const Language style_language = languages.empty() ? Language::vi : languages.front();

  // change.gpkg: hamlets, households, one layer per grouping, each with its default style.
  std::vector<std::pair<std::string, const Table*>> layers{{"hamlets", &r.hamlets}, {"households", &r.households}};
  for (const auto& g : r.groupings) layers.emplace_back(g, &r.groups.at(g));
  std::map<std::string, std::string> qml;
  for (const auto& [name, table] : layers)
    qml[name] = name == "households" ? household_change_qml(style_language)
                                     : gap_change_qml(style_language, "gap_weight_delta",
                                                      detail::max_abs_of(*table, "gap_weight_delta"));
  std::vector<detail::VectorLayerOut> out;
  // The households layer goes without an RTree: on the province it would take about half of the
  // verb's time (1.5 s of 3 s CPU for 225,600 points); QGIS draws the layer without it and builds
  // one on request (Layer Properties → Source → Create spatial index).
  for (const auto& [name, table] : layers) out.push_back({name, table, qml[name], name != "households"});
  detail::write_gpkg(st.path("change.gpkg"), out, r.epsg != 0 ? r.epsg : 4326);
  for (const auto& [name, table] : layers) write_qml(st.path("change_" + name + ".qml"), qml[name]);

  // change_hamlets.csv and change_<group>.csv: the same rows, rounded for reading.
  detail::write_csv(detail::csv_view(r.hamlets, false), st.path("change_hamlets.csv"),
                    detail::change_csv_format(r.hamlets));
  for (const auto& g : r.groupings)
    detail::write_csv(detail::csv_view(r.groups.at(g), false), st.path("change_" + g + ".csv"),
                      detail::change_csv_format(r.groups.at(g)));

  const ChangeReportModel model = detail::report_model(r, before.summary_json, after.summary_json, languages);
  for (const Language l : languages)
    write_change_report(model, l, st.path(std::string("report_change.") + to_code(l) + ".html"));

  std::vector<std::string> files = st.files();
  files.emplace_back("summary_change.json");
  r.files = files;
  r.summary_json = detail::change_summary_json(r, files);
  detail::write_file_atomic(st.path("summary_change.json"), r.summary_json);
  st.commit({"summary_change.json"});
  return r;
}

}  // namespace infogap
