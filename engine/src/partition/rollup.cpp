// write_rollup: the national roll-up of a partitioned run, written from the partition folders
// alone (their summary.json and gap tables), so it can follow partitions run anywhere (DESIGN.md §5
// "Partitioned runs").
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "adapters/gdal/gdal_io.hpp"
#include "core/atomic_file.hpp"
#include "core/csv.hpp"
#include "infogap/coverage.hpp"
#include "infogap/error.hpp"
#include "infogap/partition.hpp"
#include "infogap/report.hpp"
#include "infogap/styles.hpp"
#include "infogap/version.hpp"
#include "output/products.hpp"
#include "output/staging.hpp"
#include "output/tables.hpp"
#include "report/format.hpp"

namespace fs = std::filesystem;

namespace infogap {
namespace {

using json = nlohmann::ordered_json;

/// How many of the worst hamlets the national report lists (every hamlet is in hamlet_gaps.csv).
constexpr std::size_t k_report_hamlets = 200;

/// The figures of a gap table that add up across partitions, in summary.json's "coverage" block.
constexpr const char* k_summed[] = {
    "target_households", "target_weight",  "reached_speaker", "reached_team", "in_team_range",
    "reached_any",       "reached_weight", "gap_households",  "gap_weight",   "reached_beyond_model_validity"};

struct PartFolder {
  PartitionInfo info;
  fs::path dir;
  json summary;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  if (!in) throw IoError(ErrorCode::io, "cannot read the file", {p.string(), "", "", {}});
  return buf.str();
}

/// A gap table of a partition folder as written (GDAL's CSV reader, every cell as text).
Table read_gap_csv(const fs::path& p) {
  std::error_code ec;
  if (!fs::exists(p, ec))
    throw InvalidInput(ErrorCode::invalid_input,
                       "the partition folder has no " + p.filename().string() +
                           " (the roll-up reads the partitions' gap tables: csv must be among output.formats)",
                       {p.string(), "", "", {}});
  detail::VectorReadOptions o;
  o.path = p.string();
  o.csv_autodetect = false;
  o.geometry_optional = true;
  return detail::read_vector(o).table;
}

std::string cell(const Table& t, const std::string& column, std::size_t row) {
  return detail::csv_text_value(t.column(column).as_text(row));
}

double number(const Table& t, const std::string& column, std::size_t row) {
  const Column& c = t.column(column);
  if (c.is_null(row) || c.as_text(row).empty()) return std::nan("");
  return std::stod(c.as_text(row));
}

std::int64_t whole(const Table& t, const std::string& column, std::size_t row) {
  const double v = number(t, column, row);
  return std::isfinite(v) ? std::llround(v) : 0;
}

/// The listening conditions of the scenario (acoustics.conditions): names and shares.
struct Conditions {
  std::vector<std::string> names;
  std::vector<double> shares;
  explicit Conditions(const Scenario& sc) {
    for (std::size_t k = 0; k < sc.acoustics.conditions.size(); ++k) {
      names.push_back(sc.acoustics.conditions[k].name);
      shares.push_back(sc.acoustics.condition_share(k));
    }
  }
};

/// The figures of one row of a gap table; with listening conditions the gap under each (the
/// expected gap follows from them, finish_area).
AreaGap area_of(const Table& t, const std::string& id_column, std::size_t row, const Conditions& conditions) {
  AreaGap a;
  a.id = cell(t, id_column, row);
  a.name = t.find("name") ? cell(t, "name", row) : a.id;
  a.households = whole(t, "households", row);
  a.target_households = whole(t, "target_households", row);
  a.target_weight = number(t, "target_weight", row);
  a.reached_speaker = whole(t, "reached_speaker", row);
  a.reached_team = whole(t, "reached_team", row);
  a.reached_any = whole(t, "reached_any", row);
  a.gap_households = whole(t, "gap_households", row);
  a.gap_weight = number(t, "gap_weight", row);
  a.reached_weight = a.target_weight - a.gap_weight;
  for (const std::string& name : conditions.names) {
    a.gap_households_in.push_back(whole(t, "gap_households_" + name, row));
    a.gap_weight_in.push_back(number(t, "gap_weight_" + name, row));
  }
  finish_area(a, conditions.shares);
  return a;
}

void add(AreaGap& to, const AreaGap& a) {
  to.households += a.households;
  to.target_households += a.target_households;
  to.target_weight += a.target_weight;
  to.reached_speaker += a.reached_speaker;
  to.reached_team += a.reached_team;
  to.reached_any += a.reached_any;
  to.reached_weight += a.reached_weight;
  to.gap_households += a.gap_households;
  to.gap_weight += a.gap_weight;
  to.gap_households_in.resize(a.gap_households_in.size(), 0);
  to.gap_weight_in.resize(a.gap_weight_in.size(), 0.0);
  for (std::size_t k = 0; k < a.gap_weight_in.size(); ++k) {
    to.gap_households_in[k] += a.gap_households_in[k];
    to.gap_weight_in[k] += a.gap_weight_in[k];
  }
}

/// The partition folders, each checked: present, finished (summary.json), of this partition and
/// scenario, from the same inputs as the others.
std::vector<PartFolder> read_partitions(const Scenario& sc, const std::string& dir) {
  const json parameters = json::parse(sc.to_json());
  std::vector<PartFolder> parts;
  std::vector<std::string> missing, foreign;
  for (const PartitionInfo& p : partitions(sc)) {
    PartFolder f{p, fs::path(dir) / p.folder, {}};
    const fs::path summary = f.dir / "summary.json";
    std::error_code ec;
    if (!fs::exists(summary, ec)) {
      missing.push_back(p.value + " (" + f.dir.string() + ")");
      continue;
    }
    f.summary = json::parse(read_text(summary), nullptr, false);
    if (f.summary.is_discarded() || !f.summary.contains("partition") ||
        f.summary["partition"].value("value", std::string()) != p.value ||
        f.summary.value("parameters", json()) != parameters) {
      foreign.push_back(p.value + " (" + summary.string() + ")");
      continue;
    }
    parts.push_back(std::move(f));
  }
  auto list = [](const std::vector<std::string>& v) {
    std::string t;
    for (std::size_t k = 0; k < v.size(); ++k) {
      if (k == 10) return t + ", … (" + std::to_string(v.size()) + " in all)";
      t += (k ? ", " : "") + v[k];
    }
    return t;
  };
  if (!missing.empty())
    throw InvalidInput(ErrorCode::invalid_input,
                       std::to_string(missing.size()) + " partition(s) not written yet (no summary.json): " +
                           list(missing) + "; run them (infogap run SCENARIO -o DIR --partition VALUE) first",
                       {dir, "", "", {}});
  if (!foreign.empty())
    throw InvalidInput(ErrorCode::invalid_input,
                       std::to_string(foreign.size()) +
                           " partition folder(s) written by another scenario or other settings: " + list(foreign) +
                           "; run them again with this scenario",
                       {dir, "", "", {}});
  for (const PartFolder& f : parts) {
    const auto& a = f.summary["partition"]["whole_input"];
    const auto& b = parts.front().summary["partition"]["whole_input"];
    if (a != b || f.summary.value("inputs", json()) != parts.front().summary.value("inputs", json()))
      throw InvalidInput(ErrorCode::invalid_input,
                         "the partition folders " + parts.front().info.folder + " and " + f.info.folder +
                             " were written from different input files; run every partition again",
                         {dir, "", "", {}});
  }
  return parts;
}

}  // namespace

void write_rollup(const Scenario& sc, const std::string& dir, const ProgressFn& progress,
                  const std::map<std::string, double>& timings_s) {
  using detail::CsvFormat;
  if (progress) progress("rollup", 0.0);
  const std::vector<PartFolder> parts = read_partitions(sc, dir);
  const std::string& column = sc.output.partition_by;
  const auto& group_by = sc.hamlets.group_by;
  const Conditions conditions(sc);
  detail::Staging st(dir);
  const CsvFormat format = detail::csv_format();
  const double steps = static_cast<double>(group_by.size()) + 3.0;
  double done = 0;
  auto step = [&] {
    if (progress) progress("rollup", std::min(1.0, ++done / steps));
  };

  // Every hamlet, ranked nationally (rows as the partitions wrote them).
  std::vector<AreaGap> hamlets;
  std::vector<std::string> sources;
  std::vector<std::vector<std::string>> hamlet_groups(group_by.size());
  std::map<std::string, std::pair<std::vector<double>, std::vector<bool>>> after;
  const char* after_columns[] = {"gap_households_after", "gap_weight_after", "gap_rate_after"};
  for (const PartFolder& f : parts) {
    const Table t = read_gap_csv(f.dir / "hamlet_gaps.csv");
    for (std::size_t i = 0; i < t.rows(); ++i) {
      AreaGap a = area_of(t, "hamlet_id", i, conditions);
      for (std::size_t g = 0; g < group_by.size(); ++g) {
        hamlet_groups[g].push_back(cell(t, group_by[g], i));
        a.groups.push_back(hamlet_groups[g].back());
      }
      sources.push_back(t.find("geometry_source") ? cell(t, "geometry_source", i) : std::string("given"));
      for (const char* c : after_columns) {
        auto& [values, null] = after[c];
        const double v = t.find(c) ? number(t, c, i) : std::nan("");
        values.push_back(v);
        null.push_back(!std::isfinite(v));
      }
      hamlets.push_back(std::move(a));
    }
  }
  hamlets = rank_areas(std::move(hamlets));
  {
    Table t;
    std::vector<std::string> ids, names;
    for (const auto& a : hamlets) {
      ids.push_back(a.id);
      names.push_back(a.name);
    }
    t.add_text("hamlet_id", std::move(ids));
    t.add_text("name", std::move(names));
    for (std::size_t g = 0; g < group_by.size(); ++g) t.add_text(group_by[g], hamlet_groups[g]);
    t.add_text("geometry_source", sources);
    detail::add_area_columns(t, hamlets, conditions.names);
    // Per-partition placements: each hamlet's gap after its partition's proposal (when placed).
    if (std::any_of(after["gap_weight_after"].second.begin(), after["gap_weight_after"].second.end(),
                    [](bool null) { return !null; })) {
      std::vector<std::int64_t> households;
      for (const double v : after["gap_households_after"].first)
        households.push_back(std::isfinite(v) ? std::llround(v) : 0);
      t.add_integer("gap_households_after", std::move(households), after["gap_households_after"].second);
      t.add_real("gap_weight_after", after["gap_weight_after"].first, after["gap_weight_after"].second);
      t.add_real("gap_rate_after", after["gap_rate_after"].first, after["gap_rate_after"].second);
    }
    detail::write_csv(detail::csv_view(t, true), st.path("hamlet_gaps.csv"), format);
  }
  step();

  // Every group, the partition column among them: units summed over the partitions.
  std::map<std::string, std::vector<AreaGap>> groups;
  for (const std::string& g : group_by) {
    std::map<std::string, AreaGap> units;
    for (const PartFolder& f : parts) {
      const Table t = read_gap_csv(f.dir / (g + "_gaps.csv"));
      for (std::size_t i = 0; i < t.rows(); ++i) {
        const AreaGap a = area_of(t, g, i, conditions);
        AreaGap& u = units[a.id];
        u.id = u.name = a.id;
        add(u, a);
      }
    }
    std::vector<AreaGap> list;
    for (auto& [id, u] : units) {
      finish_area(u, conditions.shares);
      list.push_back(std::move(u));
    }
    list = rank_areas(std::move(list));
    Table t;
    std::vector<std::string> ids;
    for (const auto& u : list) ids.push_back(u.id);
    t.add_text(g, std::move(ids));
    detail::add_area_columns(t, list, conditions.names);
    detail::write_csv(detail::csv_view(t, true), st.path(g + "_gaps.csv"), format);
    groups[g] = std::move(list);
    step();
  }

  // The input files' rejected rows (every partition folder holds the same rejects.csv).
  const fs::path rejects = parts.front().dir / "rejects.csv";
  std::error_code ec;
  if (fs::exists(rejects, ec)) detail::write_file_atomic(st.path("rejects.csv"), read_text(rejects));

  // The figures: the whole input's accounting and coverage, the sums of the partitions.
  const json& whole = parts.front().summary["partition"]["whole_input"];
  json sums = json::object();
  for (const char* k : k_summed) sums[k] = 0;
  json list = json::array();
  std::int64_t joined = 0, hamlets_total = 0, sites = 0;
  double objective = 0, bound = 0;
  bool placed = false;
  for (const PartFolder& f : parts) {
    const json& s = f.summary;
    const json& c = s["coverage"];
    for (const char* k : k_summed) {
      if (c[k].is_number_integer())
        sums[k] = sums[k].get<std::int64_t>() + c[k].get<std::int64_t>();
      else
        sums[k] = sums[k].get<double>() + c[k].get<double>();
    }
    // Listening conditions: each condition's counts and the expected gap, summed the same way.
    if (c.contains("conditions")) {
      if (!sums.contains("conditions")) {
        sums["conditions"] = json::array();
        for (const json& k : c["conditions"])
          sums["conditions"].push_back({{"name", k["name"]},
                                        {"share", k["share"]},
                                        {"reached_households", 0},
                                        {"gap_households", 0},
                                        {"gap_weight", 0.0}});
        sums["expected_gap_weight"] = 0.0;
      }
      for (std::size_t k = 0; k < c["conditions"].size(); ++k) {
        json& to = sums["conditions"][k];
        const json& from = c["conditions"][k];
        for (const char* field : {"reached_households", "gap_households"})
          to[field] = to[field].get<std::int64_t>() + from[field].get<std::int64_t>();
        to["gap_weight"] = to["gap_weight"].get<double>() + from["gap_weight"].get<double>();
      }
      sums["expected_gap_weight"] = sums["expected_gap_weight"].get<double>() + c["expected_gap_weight"].get<double>();
    }
    const std::int64_t j = s["accounting"]["households"]["joined"].get<std::int64_t>();
    joined += j;
    hamlets_total += s["partition"]["hamlets"].get<std::int64_t>();
    json item{{"value", f.info.value},
              {"folder", f.info.folder},
              {"hamlets", s["partition"]["hamlets"]},
              {"households", j},
              {"coverage", c}};
    if (s.contains("optimizer")) {
      const json& o = s["optimizer"];
      placed = true;
      sites += o["sites"].get<std::int64_t>();
      objective += o["objective"].get<double>();
      bound += o["bound"].get<double>();
      item["optimizer"] = {
          {"objective", o["objective"]}, {"bound", o["bound"]}, {"gap", o["gap"]}, {"solver", o["solver"]},
          {"status", o["status"]},       {"sites", o["sites"]}, {"met", o["met"]}};
    }
    list.push_back(std::move(item));
  }
  const json& acc = whole["accounting"];
  const std::int64_t input = acc["input"].get<std::int64_t>(), outside = acc["outside"].get<std::int64_t>(),
                     rejected = acc["rejected"].get<std::int64_t>();
  step();

  // The national report: the partitions on the map and ranked, every group ranked, the worst hamlets.
  if (sc.output.wants("html")) {
    ReportModel m;
    m.scenario_name = sc.name;
    m.generated_at = detail::generated_at_text();
    m.engine_version = INFOGAP_VERSION_STRING;
    m.synthetic_data = sc.synthetic;
    m.output_dir = detail::normal_path(dir).string();
    for (const auto& code : sc.output.languages) m.languages.push_back(language_from_code(code));
    m.rollup_column = column;
    m.rollup_partitions = static_cast<int>(parts.size());
    m.households_input = static_cast<double>(input);
    m.households_joined = static_cast<double>(acc["joined"].get<std::int64_t>());
    m.households_outside = static_cast<double>(outside);
    m.households_rejected = static_cast<double>(rejected);
    m.households_total = static_cast<double>(input - rejected);
    m.hamlets_total = static_cast<double>(hamlets_total);
    const json& wc = whole["coverage"];
    m.target_households = wc["target_households"].get<double>();
    m.target_weight = wc["target_weight"].get<double>();
    m.reached_speaker = wc["reached_speaker"].get<double>();
    m.reached_team = wc["reached_team"].get<double>();
    m.reached_any = wc["reached_any"].get<double>();
    m.gap_households = wc["gap_households"].get<double>();
    m.gap_weight = wc["gap_weight"].get<double>();
    m.reached_beyond_validity = wc["reached_beyond_model_validity"].get<double>();
    std::vector<const AreaGap*> worst;
    for (const auto& a : hamlets) worst.push_back(&a);
    std::sort(worst.begin(), worst.end(), [](const AreaGap* a, const AreaGap* b) { return a->rank < b->rank; });
    if (worst.size() > k_report_hamlets) worst.resize(k_report_hamlets);
    for (const AreaGap* a : worst) m.hamlets.push_back(detail::report_area(*a));
    m.group_names = group_by;
    std::map<std::string, std::string> outline;
    for (const PartFolder& f : parts)
      if (const json& o = f.summary["partition"]["outline"]; !o.is_null()) outline[f.info.value] = o.dump();
    for (const auto& [g, units] : groups) {
      auto& out = m.groups[g];
      for (const auto& u : units) {
        ReportArea r = detail::report_area(u);
        if (g == column && outline.count(u.id)) r.geojson_geometry = outline[u.id];
        out.push_back(std::move(r));
      }
    }
    m.parameters = detail::report_parameters(sc);
    for (const auto& [name, info] : parts.front().summary["inputs"].items())
      m.sources.emplace_back(name, info.value("path", std::string()) + " (sha256 " +
                                       info.value("sha256", std::string()).substr(0, 12) + "…, " +
                                       std::to_string(info.value("features", std::int64_t{0})) + " features)");
    m.speaker_model = sc.speakers && sc.speakers->model == SpeakerModel::radius ? "radius" : "iso9613";
    m.ambient_dba = sc.acoustics.ambient_dba;
    m.required_snr_db = sc.acoustics.required_snr_db;
    m.facade_loss_db = sc.acoustics.facade_loss_db;
    for (const Language l : m.languages) write_report(m, l, st.path(std::string("report.") + to_code(l) + ".html"));
  }

  // A QGIS project over the partitions' layers: the partition outlines with their gaps, and each
  // partition's hamlets and gap density in a group of its own.
  if (sc.output.wants("qgis") && sc.output.wants("gpkg")) {
    const Language lang = language_from_code(sc.output.languages.empty() ? "vi" : sc.output.languages.front());
    const std::string crs = parts.front().summary.value("working_crs", std::string());
    ProjectSpec p;
    p.title = sc.name;
    p.epsg = crs.rfind("EPSG:", 0) == 0 ? std::stoi(crs.substr(5)) : 0;
    ProjectGroup outlines{column, {}};
    std::vector<ProjectGroup> each;
    for (const PartFolder& f : parts) {
      const std::string gpkg = f.info.folder + "/coverage.gpkg|layername=";
      outlines.layers.push_back({f.info.value, gpkg + column, "ogr", gap_rate_qml(lang), true});
      ProjectGroup g{f.info.value, {}};
      g.layers.push_back({layer_title("hamlets", lang), gpkg + "hamlets", "ogr", gap_rate_qml(lang), false});
      if (sc.output.wants("tif")) {
        const fs::path qml = f.dir / "gap_density.qml";
        g.layers.push_back({layer_title("gap_density", lang), f.info.folder + "/gap_density.tif", "gdal",
                            fs::exists(qml, ec) ? read_text(qml) : std::string(), false});
      }
      each.push_back(std::move(g));
    }
    p.groups.push_back(std::move(outlines));
    for (auto& g : each) p.groups.push_back(std::move(g));
    write_qgis_project(st.path("infogap.qgs"), p);
  }

  json j;
  j["infogap_version"] = INFOGAP_VERSION_STRING;
  j["scenario"] = sc.name;
  j["scenario_path"] = sc.source_path;
  j["output_dir"] = detail::normal_path(dir).string();
  j["working_crs"] = parts.front().summary.value("working_crs", std::string());
  j["inputs"] = parts.front().summary.value("inputs", json::object());
  j["partition_by"] = column;
  j["accounting"] = {{"households", acc},
                     {"partitions_joined", joined},
                     {"identity_holds", input == acc["joined"].get<std::int64_t>() + outside + rejected},
                     {"partitions_hold_every_joined_household", joined == acc["joined"].get<std::int64_t>()}};
  j["coverage"] = sums;  // the sums of the partitions (households joined to a hamlet)
  j["whole_input"] = whole;
  if (placed)
    j["optimizer"] = {{"placement", "per_partition"}, {"sites", sites}, {"objective", objective}, {"bound", bound}};
  j["partitions"] = std::move(list);
  j["parameters"] = json::parse(sc.to_json());
  if (!timings_s.empty()) j["timings_s"] = timings_s;
  std::vector<std::string> files = st.files();
  files.emplace_back("summary.json");
  j["outputs"] = files;
  detail::write_file_atomic(st.path("summary.json"), j.dump(2));
  st.commit({"summary.json"});
  if (progress) progress("rollup", 1.0);
}

}  // namespace infogap
