// validate: the verdict on a scenario's inputs (every layer, every rejected row, usable or not
// under on_bad_rows), and its text as `infogap validate` prints it.
#include "infogap/validate.hpp"

#include "infogap/error.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <utility>

namespace infogap {
namespace {

std::string printf_string(const char* format, auto... args) {
  const int n = std::snprintf(nullptr, 0, format, args...);
  std::string out(static_cast<std::size_t>(n > 0 ? n : 0), '\0');
  std::snprintf(out.data(), out.size() + 1, format, args...);
  return out;
}

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

}  // namespace

ValidationReport validate(const Scenario& scenario_in) {
  const auto t0 = std::chrono::steady_clock::now();
  Scenario scenario = scenario_in;
  scenario.on_bad_rows = OnBadRows::reject;  // list every problem, then judge by the scenario's policy
  // The rasters a run would write, from the hamlets' header (before any row is read).
  std::vector<InputProblem> output_problems;
  try {
    check_raster_size(scenario);
  } catch (const Error& e) {
    output_problems.push_back({"output", e.what()});
  }
  const Inputs in = check_inputs(scenario);  // every layer, even after one is unusable

  ValidationReport r;
  r.scenario_name = scenario_in.name;
  r.scenario_path = scenario_in.source_path;
  r.working_crs = in.working_crs;
  r.on_bad_rows = scenario_in.on_bad_rows;
  r.notes = in.notes;
  r.problems = in.problems;
  r.problems.insert(r.problems.end(), output_problems.begin(), output_problems.end());
  r.rejects = in.rejects;
  r.households_input = in.households_input;
  r.households_accepted = static_cast<std::int64_t>(in.households.size());
  r.households_rejected = in.households_rejected;
  r.repaired_polygons = in.repaired_polygons;
  r.dropped_parts = in.dropped_parts;
  // Every layer read, the usual ones first in their order, then the others (communes, demand…).
  std::vector<std::string> keys;
  for (const char* key : {"hamlets", "communes", "households", "speakers", "teams", "candidates"})
    if (in.layers.count(key) != 0) keys.emplace_back(key);
  for (const auto& [key, info] : in.layers)
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) keys.push_back(key);
  for (const std::string& key : keys) {
    const auto it = in.layers.find(key);
    LayerValidation l;
    l.name = key;
    l.info = it->second;
    for (const Reject& rej : in.rejects)
      if (rej.layer == key) l.problems.push_back(rej);
    l.reject_summary = describe_layer_rejects(in, key);
    r.layers.push_back(std::move(l));
  }
  std::map<std::pair<std::string, std::string>, RejectGroup> groups;
  for (const Reject& rej : in.rejects) {
    RejectGroup& g = groups[{rej.layer, rej.column}];
    if (g.rows++ == 0) {
      g.layer = rej.layer;
      g.column = rej.column;
      g.first_reason = rej.reason;
    }
  }
  for (auto& [key, g] : groups) r.reject_summary.push_back(std::move(g));
  std::stable_sort(r.reject_summary.begin(), r.reject_summary.end(),
                   [](const RejectGroup& a, const RejectGroup& b) { return a.rows > b.rows; });

  r.ok = r.problems.empty() && (r.on_bad_rows == OnBadRows::reject || r.rejects.empty());
  const std::size_t n = r.rejects.size();
  r.verdict = !r.problems.empty() ? printf_string("NOT usable — %zu problem(s) listed above", r.problems.size())
              : r.ok              ? printf_string("inputs are usable (%zu row(s) rejected; on_bad_rows: %s)", n,
                                     r.on_bad_rows == OnBadRows::reject ? "reject" : "fail")
                                  : printf_string("NOT usable — %zu row(s) rejected and on_bad_rows: fail", n);
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

std::string format_report(const ValidationReport& r, std::size_t show) {
  std::string out;
  out += printf_string("scenario    %s (\"%s\")\n", r.scenario_path.empty() ? "(in memory)" : r.scenario_path.c_str(),
                       r.scenario_name.c_str());
  out += printf_string("working CRS %s\n\n", r.working_crs.c_str());
  for (const LayerValidation& lv : r.layers) {
    const LayerInfo& l = lv.info;
    out += printf_string("%-11s %s (layer '%s', %s)\n", lv.name.c_str(), l.path.c_str(), l.layer.c_str(),
                         l.driver.c_str());
    std::string crs = l.source_crs.rfind("EPSG:", 0) == 0 ? l.source_crs : std::string("custom CRS");
    if (!l.crs_name.empty()) crs += " (" + l.crs_name + ")";
    out += printf_string("%-11s CRS %s → %s\n", "", crs.c_str(), r.working_crs.c_str());
    out += printf_string("%-11s %lld read, %lld kept, %lld rejected", "", static_cast<long long>(l.features),
                         static_cast<long long>(l.accepted), static_cast<long long>(l.rejected));
    if (lv.name == "hamlets")
      out += printf_string("; %lld polygon(s) repaired (%lld non-polygonal part(s) dropped)",
                           static_cast<long long>(r.repaired_polygons), static_cast<long long>(r.dropped_parts));
    out += printf_string("\n%-11s sha256 %s\n", "", l.sha256.c_str());
    if (!lv.reject_summary.empty()) out += printf_string("%-11s %s\n", "", lv.reject_summary.c_str());
  }
  if (!r.problems.empty()) {
    out += "\nproblems (each makes its layer unusable):\n";
    for (const auto& p : r.problems) out += "  - " + p.layer + ": " + p.message + "\n";
  }
  if (!r.notes.empty()) {
    out += "\nnotes:\n";
    for (const auto& n : r.notes) out += "  - " + n + "\n";
  }
  out += printf_string("\nrejects: %zu\n", r.rejects.size());
  if (r.reject_summary.size() > 1 || (r.reject_summary.size() == 1 && r.rejects.size() > show)) {
    for (const RejectGroup& g : r.reject_summary)
      out += printf_string("  %-11s %-16s %6lld row(s), e.g. %s\n", g.layer.c_str(),
                           g.column.empty() ? "(row)" : g.column.c_str(), static_cast<long long>(g.rows),
                           g.first_reason.c_str());
  }
  const std::size_t shown = std::min(r.rejects.size(), show);
  for (std::size_t i = 0; i < shown; ++i) {
    const Reject& j = r.rejects[i];
    out += printf_string("  %s [%s] feature %lld", file_name(j.file).c_str(), j.layer.c_str(),
                         static_cast<long long>(j.feature_id));
    if (!j.id.empty()) out += " id '" + j.id + "'";
    if (!j.column.empty()) out += " column '" + j.column + "'";
    out += ": " + j.reason + "\n";
  }
  if (r.rejects.size() > shown) out += printf_string("  ... and %zu more\n", r.rejects.size() - shown);
  out += printf_string("\nhouseholds: input %lld = accepted %lld + rejected %lld\n",
                       static_cast<long long>(r.households_input), static_cast<long long>(r.households_accepted),
                       static_cast<long long>(r.households_rejected));
  out += "result: " + r.verdict + "\n";
  return out;
}

}  // namespace infogap
