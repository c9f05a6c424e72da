// YAML text → Scenario: every key of DESIGN.md §3, typed and range-checked, unknown keys refused.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "adapters/gdal/text.hpp"
#include "infogap/error.hpp"
#include "infogap/language.hpp"
#include "infogap/scenario.hpp"
#include "scenario/scenario_detail.hpp"
#include "scenario/scenario_yaml.hpp"

namespace infogap {
namespace {

namespace fs = std::filesystem;
using namespace scenario_yaml;  // Value, Block, Source, Range and fail

bool ends_with_csv(const std::string& path) {
  if (path.size() < 4) return false;
  std::string ext = path.substr(path.size() - 4);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return ext == ".csv";
}

std::string resolve(const Source& src, const std::string& path) {
  if (path.empty()) return {};
  fs::path p(path);
  if (p.is_relative()) p = src.base_dir / p;
  return p.lexically_normal().string();
}

/// path, layer, crs, x, y.
void read_layer(Block& b, LayerSource& l) {
  if (auto v = b.get("path")) l.path = resolve(v->source(), v->text(true));
  if (auto v = b.get("layer")) l.layer = v->text(true);
  if (auto v = b.get("crs")) l.crs = v->text(true);
  if (auto v = b.get("x")) l.x = v->text(false);
  if (auto v = b.get("y")) l.y = v->text(false);
}

/// After read_layer and finish: a CSV without crs is EPSG:4326.
void complete_layer(LayerSource& l) {
  if (l.crs.empty() && ends_with_csv(l.path)) l.crs = "EPSG:4326";
}

void require_path(const Source& src, const Block& b, const LayerSource& l, const std::string& what) {
  if (l.path.empty()) fail(src, b.mark(), "'" + b.dotted("path") + "' is required: " + what);
}

HamletsSource read_hamlets(const Value& v) {
  HamletsSource h;
  Block b(v);
  read_layer(b, h);
  if (auto x = b.get("id")) h.id = x->text(false);
  if (auto x = b.get("name")) h.name = x->text(true);
  if (auto x = b.get("group_by")) h.group_by = x->text_list();
  if (auto x = b.get("commune")) h.commune = x->text(true);
  b.finish();
  complete_layer(h);
  require_path(v.source(), b, h, "the hamlet polygons layer");
  return h;
}

HouseholdsSource read_households(const Value& v) {
  HouseholdsSource h;
  Block b(v);
  read_layer(b, h);
  if (auto x = b.get("id")) h.id = x->text(false);
  if (auto x = b.get("status")) h.status = x->text(false);
  if (auto m = b.get("status_values")) {
    Block mb(*m);
    const std::vector<std::string> allowed(detail::k_statuses.begin(), detail::k_statuses.end());
    for (const auto& [label, status] : mb.take_all()) {
      if (detail::fold_key(label).empty()) status.fail("needs a label of the status column as its key");
      const std::string s = status.text(false);
      if (std::find(allowed.begin(), allowed.end(), s) == allowed.end())
        status.fail("has unknown value '" + s + "'" + Value::suggestion(s, allowed) +
                    "; allowed: " + quoted_list(allowed));
      h.status_values[label] = s;
    }
  }
  if (auto x = b.get("members")) h.members = x->text(true);
  if (auto x = b.get("internet")) h.internet = x->text(true);
  if (auto x = b.get("devices")) h.devices = x->text(true);
  if (auto x = b.get("hamlet")) h.hamlet = x->text(true);
  if (auto x = b.get("commune")) h.commune = x->text(true);
  if (auto x = b.get("hamlet_name")) h.hamlet_name = x->text(true);
  if (auto x = b.get("counts"); x && !x->is_null()) {
    Block cb(*x);
    if (auto c = cb.get("total")) h.counts.total = c->text(true);
    if (auto c = cb.get("poor")) h.counts.poor = c->text(true);
    if (auto c = cb.get("near_poor")) h.counts.near_poor = c->text(true);
    cb.finish();
    if (h.counts.total.empty() && !(h.counts.poor.empty() && h.counts.near_poor.empty()))
      fail(v.source(), cb.mark(), "'" + cb.dotted("total") + "' is required in counts");
  }
  b.finish();
  if (!h.hamlet_name.empty() && h.commune.empty())
    fail(v.source(), b.mark(), "'" + b.dotted("hamlet_name") + "' needs '" + b.dotted("commune") + "' too");
  if (!h.commune.empty() && h.hamlet_name.empty())
    fail(v.source(), b.mark(), "'" + b.dotted("commune") + "' needs '" + b.dotted("hamlet_name") + "' too");
  if (!h.hamlet.empty() && !h.hamlet_name.empty())
    fail(v.source(), b.mark(),
         "give either '" + b.dotted("hamlet") + "' or '" + b.dotted("hamlet_name") + "', not both");
  if (!h.counts.total.empty() && h.hamlet.empty() && h.hamlet_name.empty())
    fail(v.source(), b.mark(),
         "'" + b.dotted("counts") + "' needs '" + b.dotted("hamlet") + "' or '" + b.dotted("commune") + "' + '" +
             b.dotted("hamlet_name") + "'");
  complete_layer(h);
  require_path(v.source(), b, h, "the household points layer");
  return h;
}

CommunesSource read_communes(const Value& v) {
  CommunesSource c;
  Block b(v);
  read_layer(b, c);
  if (auto x = b.get("id")) c.id = x->text(false);
  if (auto x = b.get("name")) c.name = x->text(true);
  b.finish();
  complete_layer(c);
  require_path(v.source(), b, c, "the commune polygons layer (or remove the communes block)");
  return c;
}

DemandSource read_demand(const Value& v) {
  DemandSource d;
  Block b(v);
  if (auto x = b.get("footprints"); x && !x->is_null()) {
    Block fb(*x);
    read_layer(fb, d.footprints);
    fb.finish();
    complete_layer(d.footprints);
  }
  if (auto x = b.get("raster")) d.raster = resolve(x->source(), x->text(true));
  b.finish();
  if (!d.raster.empty() && !d.footprints.path.empty())
    fail(v.source(), b.mark(), "give '" + b.dotted("footprints") + "' or '" + b.dotted("raster") + "', not both");
  return d;
}

SpeakersSource read_speakers(const Value& v) {
  SpeakersSource s;
  Block b(v);
  read_layer(b, s);
  if (auto x = b.get("id")) s.id = x->text(false);
  if (auto x = b.get("model")) s.model = x->choice(detail::k_speaker_models);
  if (auto x = b.get("range_m")) s.range_m = x->column_or_number(k_positive, true);
  if (auto x = b.get("power_w")) s.power_w = x->column_or_number(k_positive, true);
  if (auto x = b.get("sensitivity_db")) s.sensitivity_db = x->column_or_number(k_any, true);
  if (auto x = b.get("height_m")) s.height_m = x->column_or_number(k_non_negative, true);
  if (auto x = b.get("azimuth_deg")) s.azimuth_deg = x->column_or_number(k_angle, true);
  if (auto x = b.get("beamwidth_deg")) s.beamwidth_deg = x->column_or_number(k_beamwidth, true);
  if (auto x = b.get("cluster")) s.cluster = x->text(true);
  b.finish();
  complete_layer(s);
  require_path(v.source(), b, s, "the loudspeaker layer (or remove the speakers block)");
  if (s.model == SpeakerModel::radius && s.range_m.empty()) {
    fail(v.source(), b.mark(), "'" + b.dotted("range_m") + "' is required by model: radius");
  }
  // A column given under its default name is the default, whether written or not (a scenario
  // written back by to_yaml names every key): a layer without it falls back, with a note.
  const SpeakersSource d;
  for (auto [c, def] : {std::pair{&s.range_m, &d.range_m},
                        {&s.power_w, &d.power_w},
                        {&s.sensitivity_db, &d.sensitivity_db},
                        {&s.height_m, &d.height_m},
                        {&s.azimuth_deg, &d.azimuth_deg},
                        {&s.beamwidth_deg, &d.beamwidth_deg}})
    if (!def->column.empty() && c->column == def->column) c->named = false;
  return s;
}

TeamsSource read_teams(const Value& v) {
  TeamsSource t;
  Block b(v);
  read_layer(b, t);
  if (auto x = b.get("id")) t.id = x->text(false);
  if (auto x = b.get("members")) t.members = x->column_or_number(k_non_negative, false);
  if (auto x = b.get("reach_m")) t.reach_m = x->column_or_number(k_non_negative, false);
  if (auto x = b.get("households_per_member")) t.households_per_member = x->column_or_number(k_non_negative, false);
  b.finish();
  complete_layer(t);
  require_path(v.source(), b, t, "the team layer (or remove the teams block)");
  const TeamsSource d;  // a column under its default name is the default (see read_speakers)
  for (auto [c, def] : {std::pair{&t.members, &d.members},
                        {&t.reach_m, &d.reach_m},
                        {&t.households_per_member, &d.households_per_member}})
    if (!def->column.empty() && c->column == def->column) c->named = false;
  return t;
}

/// acoustics.conditions: a list of mappings, each a named condition overriding some acoustics keys
/// (the same ranges as there), with an optional weight > 0.
std::vector<ListeningCondition> read_conditions(const Value& v) {
  std::vector<ListeningCondition> out;
  if (v.is_null()) return out;
  if (!v.node().IsSequence())
    v.fail("must be a list of conditions, each a mapping such as {name: market, ambient_dba: 60}");
  for (std::size_t i = 0; i < v.node().size(); ++i) {
    const YAML::Node item = v.node()[i];
    const Value e(v.source(), item, item.IsNull() ? v.mark() : item.Mark(), v.path() + "[" + std::to_string(i) + "]");
    if (!item.IsMap()) e.fail("must be a mapping such as {name: market, ambient_dba: 60}");
    ListeningCondition c;
    Block b(e);
    const auto name = b.get("name");
    if (!name) e.fail("needs a name (e.g. name: market)");
    c.name = name->text(false);
    // The name becomes a column suffix (reached_<name>) and a raster band description.
    const bool plain = std::all_of(c.name.begin(), c.name.end(), [](char ch) {
      return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
    });
    if (!plain || !(c.name.front() >= 'a' && c.name.front() <= 'z'))
      name->fail(
          "must be a lower-case name of letters a-z, digits and _ starting with a letter (it names columns "
          "such as reached_" +
          c.name + "), got '" + c.name + "'");
    for (const auto& o : out)
      if (o.name == c.name) name->fail("repeats the condition name '" + c.name + "'");
    if (auto x = b.get("weight")) c.weight = x->number(k_positive);
    if (auto x = b.get("ambient_dba")) c.ambient_dba = x->number(k_any);
    if (auto x = b.get("required_snr_db")) c.required_snr_db = x->number(k_any);
    if (auto x = b.get("temperature_c")) c.temperature_c = x->number(Range{-40.0, 60.0});
    if (auto x = b.get("humidity_pct")) c.humidity_pct = x->number(Range{0.0, 100.0});
    if (auto x = b.get("facade_loss_db")) c.facade_loss_db = x->number(k_non_negative);
    if (auto x = b.get("receiver_height_m")) c.receiver_height_m = x->number(k_non_negative);
    b.finish();
    out.push_back(std::move(c));
  }
  return out;
}

AcousticsParams read_acoustics(const Value& v) {
  AcousticsParams a;
  Block b(v);
  if (auto x = b.get("ambient_dba")) a.ambient_dba = x->number(k_any);
  if (auto x = b.get("required_snr_db")) a.required_snr_db = x->number(k_any);
  if (auto x = b.get("temperature_c")) a.temperature_c = x->number(Range{-40.0, 60.0});
  if (auto x = b.get("humidity_pct")) a.humidity_pct = x->number(Range{0.0, 100.0});
  if (auto x = b.get("pressure_kpa")) a.pressure_kpa = x->number(Range{50.0, 110.0});
  if (auto x = b.get("ground_g")) a.ground_g = x->number(k_share);
  if (auto x = b.get("receiver_height_m")) a.receiver_height_m = x->number(k_non_negative);
  if (auto x = b.get("facade_loss_db")) a.facade_loss_db = x->number(k_non_negative);
  if (auto x = b.get("default_power_w")) a.default_power_w = x->number(k_positive);
  if (auto x = b.get("default_sensitivity_db")) a.default_sensitivity_db = x->number(k_any);
  if (auto x = b.get("default_height_m")) a.default_height_m = x->number(k_non_negative);
  if (auto x = b.get("default_beamwidth_deg")) a.default_beamwidth_deg = x->number(k_beamwidth);
  if (auto x = b.get("multi_cluster")) a.multi_cluster = x->choice(detail::k_multi_cluster);
  if (auto x = b.get("conditions")) a.conditions = read_conditions(*x);
  b.finish();
  return a;
}

TargetParams read_target(const Value& v) {
  TargetParams t;
  Block b(v);
  if (auto w = b.get("weights")) {
    Block wb(*w);
    if (auto x = wb.get("poor")) t.weight_poor = x->number(k_non_negative);
    if (auto x = wb.get("near_poor")) t.weight_near_poor = x->number(k_non_negative);
    if (auto x = wb.get("not_poor")) t.weight_not_poor = x->number(k_non_negative);
    wb.finish();
  }
  if (auto x = b.get("info_deprived_only")) t.info_deprived_only = x->boolean();
  b.finish();
  return t;
}

CandidatesSource read_candidates(const Value& v) {
  CandidatesSource c;
  Block b(v);
  read_layer(b, c);
  if (auto x = b.get("id")) c.id = x->text(false);
  if (auto x = b.get("kind")) c.kind = x->text(true);
  if (auto x = b.get("name")) c.name = x->text(true);
  if (auto x = b.get("type")) c.type = x->text(true);
  if (auto x = b.get("grid_m")) c.grid_m = x->optional_number(k_positive);
  if (auto x = b.get("hamlet_centroids")) c.hamlet_centroids = x->boolean();
  b.finish();
  complete_layer(c);
  return c;
}

OptimizeParams read_optimize(const Value& v) {
  constexpr int k_max_sites = 1000000;
  OptimizeParams o;
  o.enabled = true;  // the block is present
  Block b(v);
  if (auto x = b.get("enabled")) o.enabled = x->boolean();
  if (auto x = b.get("new_speakers")) o.new_speakers = x->integer(0, k_max_sites);
  if (auto x = b.get("new_teams")) o.new_teams = x->integer(0, k_max_sites);
  if (auto x = b.get("candidates")) o.candidates = read_candidates(*x);
  if (auto t = b.get("speaker_template")) {
    Block tb(*t);
    if (auto x = tb.get("power_w")) o.template_power_w = x->number(k_positive);
    if (auto x = tb.get("sensitivity_db")) o.template_sensitivity_db = x->number(k_any);
    if (auto x = tb.get("height_m")) o.template_height_m = x->number(k_non_negative);
    if (auto x = tb.get("range_m")) o.template_range_m = x->number(k_positive);
    tb.finish();
  }
  if (auto t = b.get("team_template")) {
    Block tb(*t);
    if (auto x = tb.get("members")) o.template_team_members = x->number(k_positive);
    tb.finish();
  }
  if (auto x = b.get("budget")) o.budget_vnd = x->optional_number(k_non_negative);
  if (auto c = b.get("costs")) {
    Block cb(*c);
    if (auto x = cb.get("speaker")) o.cost_speaker_vnd = x->number(k_positive);
    if (auto x = cb.get("team")) o.cost_team_vnd = x->number(k_positive);
    cb.finish();
  }
  if (auto x = b.get("coverage_target")) o.coverage_target = x->optional_number(Range{0.0, 1.0, true, false});
  if (auto m = b.get("min_group_coverage")) {
    Block mb(*m);
    for (const auto& [column, share] : mb.take_all()) {
      if (column.empty()) share.fail("needs a group column name as its key");
      o.min_group_coverage[column] = share.number(k_share);
    }
  }
  if (auto x = b.get("solver")) o.solver = x->choice(detail::k_solvers);
  if (auto x = b.get("objective")) o.objective = x->choice(detail::k_objectives);
  if (auto x = b.get("time_limit_s")) o.time_limit_s = x->number(k_positive);
  if (auto x = b.get("echo_rounds")) o.echo_rounds = x->integer(0, OptimizeParams::k_max_echo_rounds);
  b.finish();
  return o;
}

OutputParams read_output(const Value& v) {
  OutputParams o;
  Block b(v);
  if (auto x = b.get("dir")) o.dir = x->text(false);
  if (auto x = b.get("raster_cell_m")) o.raster_cell_m = x->number(k_positive);
  if (auto x = b.get("languages")) o.languages = x->choice_list(k_language_codes);
  if (auto x = b.get("formats")) o.formats = x->choice_list(detail::k_formats);
  if (auto x = b.get("partition_by")) o.partition_by = x->is_null() ? std::string() : x->text(false);
  b.finish();
  o.dir = resolve(v.source(), o.dir);
  return o;
}

/// output.partition_by names a hamlets.group_by column (its values name the partitions, and the
/// roll-up's partition table is that column's gap table), and the roll-up reads the partitions'
/// gap tables: csv must be among the formats. Checked when the scenario is read, before any layer.
void check_partition_by(const Source& src, const Scenario& s) {
  const std::string& column = s.output.partition_by;
  if (column.empty()) return;
  const auto& groups = s.hamlets.group_by;
  if (std::find(groups.begin(), groups.end(), column) == groups.end())
    fail(
        src, YAML::Mark::null_mark(),
        "output.partition_by: '" + column + "' is not a hamlets.group_by column; add it to hamlets.group_by (now [" +
            [&] {
              std::string t;
              for (const auto& g : groups) t += (t.empty() ? "" : ", ") + g;
              return t;
            }() +
            "])");
  if (!s.output.wants("csv"))
    fail(src, YAML::Mark::null_mark(),
         "output.partition_by needs csv in output.formats (the national roll-up reads the partitions' gap tables)");
}

/// "auto" or "EPSG:<code>" (any case of "epsg"; written back as "EPSG:<code>").
std::string read_working_crs(const Value& v) {
  const std::string t = v.text(false);
  if (t == "auto") return t;
  if (t.size() > 5) {
    std::string prefix = t.substr(0, 5);
    std::transform(prefix.begin(), prefix.end(), prefix.begin(),
                   [](char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; });
    const std::string code = t.substr(5);
    if (prefix == "EPSG:" && std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return "EPSG:" + code;
    }
  }
  v.fail("must be auto or EPSG:<code> (e.g. EPSG:32648), got '" + t + "'");
}

void check_utf8(const Source& src, const std::string& text) {
  const std::size_t bad = detail::invalid_utf8_offset(text);
  if (bad == std::string::npos) return;
  const std::size_t line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
  const std::size_t first = (line_start == std::string::npos || bad == 0) ? 0 : line_start + 1;
  const auto line = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(bad), '\n') + 1;
  // column in characters: count the bytes that start a character
  const auto column =
      std::count_if(text.begin() + static_cast<std::ptrdiff_t>(first), text.begin() + static_cast<std::ptrdiff_t>(bad),
                    [](char c) { return (static_cast<unsigned char>(c) & 0xC0u) != 0x80u; }) +
      1;
  static constexpr char k_hex[] = "0123456789ABCDEF";
  const auto byte = static_cast<unsigned char>(text[bad]);
  const std::string hex = std::string("0x") + k_hex[byte >> 4] + k_hex[byte & 0x0F];
  throw InvalidInput(ErrorCode::invalid_scenario,
                     "line " + std::to_string(line) + ", column " + std::to_string(column) + ": byte " + hex +
                         " is not valid UTF-8; save the scenario file as UTF-8",
                     ErrorContext{src.name, {}, {}, {}});
}

/// Records where each YAML document starts (the parser's events are otherwise ignored).
class DocumentStarts final : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark& mark) override { starts.push_back(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

/// The documents of the text. Not YAML::LoadAll: yaml-cpp 0.7 loops forever on a ',' outside a
/// flow collection where a document may start (e.g. a file that is just ","), because the token is
/// never consumed; a document starting where the previous one started is that stall.
std::vector<YAML::Node> load_documents(const Source& src, const std::string& text) {
  std::vector<YAML::Node> docs;
  try {
    std::istringstream in(text);
    YAML::Parser parser(in);
    DocumentStarts events;
    while (parser.HandleNextDocument(events)) {
      const auto& s = events.starts;
      if (s.size() >= 2 && s[s.size() - 1].pos == s[s.size() - 2].pos) {
        const auto pos = static_cast<std::size_t>(s.back().pos);
        const std::string what = pos < text.size() ? "'" + std::string(1, text[pos]) + "'" : "end of file";
        fail(src, s.back(), "YAML syntax error: unexpected " + what);
      }
    }
    if (events.starts.size() > 1)
      fail(src, events.starts[1], "the file holds more than one YAML document ('---'); a scenario is one");
    if (!events.starts.empty()) docs.push_back(YAML::Load(text));
  } catch (const YAML::Exception& e) {
    fail(src, e.mark, "YAML syntax error: " + e.msg);
  }
  return docs;
}

Scenario parse(const Source& src, const std::string& text) {
  check_utf8(src, text);
  const std::vector<YAML::Node> docs = load_documents(src, text);
  if (docs.empty() || docs.front().IsNull()) {
    fail(src, YAML::Mark::null_mark(), "the scenario is empty; hamlets.path and households.path are required");
  }
  const Value root(src, docs.front(), docs.front().Mark(), "");
  Block b(root);
  Scenario s;
  if (auto v = b.get("name")) s.name = v->text(true);
  if (auto v = b.get("working_crs")) s.working_crs = read_working_crs(*v);
  if (auto v = b.get("on_bad_rows")) s.on_bad_rows = v->choice(detail::k_on_bad_rows);
  if (auto v = b.get("max_rejected_share")) s.max_rejected_share = v->number(k_share);
  if (auto v = b.get("max_outside_share")) s.max_outside_share = v->number(k_share);
  if (auto v = b.get("seed")) s.seed = v->unsigned64();
  if (auto v = b.get("synthetic")) s.synthetic = v->boolean();
  const auto hamlets = b.get("hamlets");
  if (hamlets) s.hamlets = read_hamlets(*hamlets);
  const auto households = b.get("households");
  if (households) s.households = read_households(*households);
  if (auto v = b.get("communes"); v && !v->is_null()) s.communes = read_communes(*v);
  if (auto v = b.get("demand")) s.demand = read_demand(*v);
  if (auto v = b.get("speakers"); v && !v->is_null()) s.speakers = read_speakers(*v);
  if (auto v = b.get("teams"); v && !v->is_null()) s.teams = read_teams(*v);
  if (auto v = b.get("acoustics")) s.acoustics = read_acoustics(*v);
  if (auto v = b.get("target")) s.target = read_target(*v);
  if (auto v = b.get("optimize")) s.optimize = read_optimize(*v);
  if (auto v = b.get("output")) {
    s.output = read_output(*v);
  } else {
    s.output.dir = resolve(src, s.output.dir);
  }
  b.finish();
  check_partition_by(src, s);
  if (!hamlets) {
    fail(src, YAML::Mark::null_mark(), "'hamlets' is required, with hamlets.path: the hamlet polygons layer");
  }
  if (!households) {
    fail(src, YAML::Mark::null_mark(), "'households' is required, with households.path: the household points layer");
  }
  return s;
}

fs::path absolute_normal(const std::string& dir) {
  std::error_code ec;
  fs::path p = dir.empty() ? fs::current_path(ec) : fs::absolute(dir, ec);
  if (ec) throw IoError(ErrorCode::io, "cannot resolve the folder '" + dir + "': " + ec.message(), {dir, {}, {}, {}});
  return p.lexically_normal();
}

}  // namespace

Scenario Scenario::from_yaml(const std::string& path) {
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    std::string why = "scenario file not found";
    if (fs::path(path).is_relative()) {
      std::error_code cwd_ec;
      why += " (a relative path starts from the current folder " + fs::current_path(cwd_ec).string() + ")";
    }
    throw IoError(ErrorCode::io, why, {path, {}, {}, {}});
  }
  if (fs::is_directory(st)) throw IoError(ErrorCode::io, "is a folder, not a scenario file", {path, {}, {}, {}});
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  if (in) buf << in.rdbuf();
  if (!in || in.bad()) throw IoError(ErrorCode::io, "cannot read the scenario file", {path, {}, {}, {}});
  const fs::path file = absolute_normal(path);
  Scenario s = parse(Source{path, file.parent_path()}, buf.str());
  s.source_path = file.string();
  s.base_dir.path = file.parent_path().string();
  return s;
}

Scenario Scenario::from_yaml_string(const std::string& text, const std::string& base_dir,
                                    const std::string& source_name) {
  const fs::path dir = absolute_normal(base_dir);
  Scenario s = parse(Source{source_name, dir}, text);
  s.base_dir.path = dir.string();
  return s;
}

}  // namespace infogap
