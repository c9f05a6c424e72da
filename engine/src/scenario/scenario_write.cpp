// Scenario → key tree → YAML / JSON text, and the table of defaults derived from the same tree.
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "infogap/scenario.hpp"
#include "scenario/scenario_detail.hpp"

namespace infogap {
namespace detail {
namespace {

using Tree = nlohmann::ordered_json;

/// "" (not set) → null.
Tree optional_text(const std::string& s) {
  return s.empty() ? Tree(nullptr) : Tree(s);
}

Tree optional_number(const std::optional<double>& v) {
  return v ? Tree(*v) : Tree(nullptr);
}

/// A column name, a constant, or null. A value with both set is written as its column.
Tree column_or_number(const ColumnOrNumber& c) {
  if (!c.column.empty()) return Tree(c.column);
  if (c.value) return Tree(*c.value);
  return Tree(nullptr);
}

void add_layer(Tree& t, const LayerSource& l) {
  t["path"] = optional_text(l.path);
  t["layer"] = optional_text(l.layer);
  t["crs"] = optional_text(l.crs);
  t["x"] = l.x;
  t["y"] = l.y;
}

Tree hamlets_tree(const HamletsSource& h) {
  Tree t = Tree::object();
  add_layer(t, h);
  t["id"] = h.id;
  t["name"] = optional_text(h.name);
  t["group_by"] = h.group_by;
  t["commune"] = optional_text(h.commune);
  return t;
}

Tree households_tree(const HouseholdsSource& h) {
  Tree t = Tree::object();
  add_layer(t, h);
  t["id"] = h.id;
  t["status"] = h.status;
  Tree values = Tree::object();
  for (const auto& [label, status] : h.status_values) values[label] = status;
  t["status_values"] = std::move(values);
  t["members"] = optional_text(h.members);
  t["internet"] = optional_text(h.internet);
  t["devices"] = optional_text(h.devices);
  t["hamlet"] = optional_text(h.hamlet);
  t["commune"] = optional_text(h.commune);
  t["hamlet_name"] = optional_text(h.hamlet_name);
  Tree counts = Tree::object();
  counts["total"] = optional_text(h.counts.total);
  counts["poor"] = optional_text(h.counts.poor);
  counts["near_poor"] = optional_text(h.counts.near_poor);
  t["counts"] = std::move(counts);
  return t;
}

Tree communes_tree(const CommunesSource& c) {
  Tree t = Tree::object();
  add_layer(t, c);
  t["id"] = c.id;
  t["name"] = optional_text(c.name);
  return t;
}

Tree demand_tree(const DemandSource& d) {
  Tree footprints = Tree::object();
  add_layer(footprints, d.footprints);
  Tree t = Tree::object();
  t["footprints"] = std::move(footprints);
  t["raster"] = optional_text(d.raster);
  return t;
}

Tree speakers_tree(const SpeakersSource& s) {
  Tree t = Tree::object();
  add_layer(t, s);
  t["id"] = s.id;
  t["model"] = std::string(name_of(k_speaker_models, s.model));
  t["range_m"] = column_or_number(s.range_m);
  t["power_w"] = column_or_number(s.power_w);
  t["sensitivity_db"] = column_or_number(s.sensitivity_db);
  t["height_m"] = column_or_number(s.height_m);
  t["azimuth_deg"] = column_or_number(s.azimuth_deg);
  t["beamwidth_deg"] = column_or_number(s.beamwidth_deg);
  t["cluster"] = optional_text(s.cluster);
  return t;
}

Tree teams_tree(const TeamsSource& s) {
  Tree t = Tree::object();
  add_layer(t, s);
  t["id"] = s.id;
  t["members"] = column_or_number(s.members);
  t["reach_m"] = column_or_number(s.reach_m);
  t["households_per_member"] = column_or_number(s.households_per_member);
  return t;
}

Tree acoustics_tree(const AcousticsParams& a) {
  Tree t = Tree::object();
  t["ambient_dba"] = a.ambient_dba;
  t["required_snr_db"] = a.required_snr_db;
  t["temperature_c"] = a.temperature_c;
  t["humidity_pct"] = a.humidity_pct;
  t["pressure_kpa"] = a.pressure_kpa;
  t["ground_g"] = a.ground_g;
  t["receiver_height_m"] = a.receiver_height_m;
  t["facade_loss_db"] = a.facade_loss_db;
  t["default_power_w"] = a.default_power_w;
  t["default_sensitivity_db"] = a.default_sensitivity_db;
  t["default_height_m"] = a.default_height_m;
  t["default_beamwidth_deg"] = a.default_beamwidth_deg;
  t["multi_cluster"] = std::string(name_of(k_multi_cluster, a.multi_cluster));
  {
    Tree list = Tree::array();
    for (const auto& c : a.conditions) {
      Tree e = Tree::object();
      e["name"] = c.name;
      e["weight"] = c.weight;
      for (const auto& [key, value] : {std::pair{"ambient_dba", &c.ambient_dba},
                                       {"required_snr_db", &c.required_snr_db},
                                       {"temperature_c", &c.temperature_c},
                                       {"humidity_pct", &c.humidity_pct},
                                       {"facade_loss_db", &c.facade_loss_db},
                                       {"receiver_height_m", &c.receiver_height_m}})
        if (*value) e[key] = **value;
      list.push_back(std::move(e));
    }
    t["conditions"] = std::move(list);
  }
  return t;
}

Tree target_tree(const TargetParams& p) {
  Tree weights = Tree::object();
  weights["poor"] = p.weight_poor;
  weights["near_poor"] = p.weight_near_poor;
  weights["not_poor"] = p.weight_not_poor;
  Tree t = Tree::object();
  t["weights"] = std::move(weights);
  t["info_deprived_only"] = p.info_deprived_only;
  return t;
}

Tree optimize_tree(const OptimizeParams& o) {
  Tree candidates = Tree::object();
  add_layer(candidates, o.candidates);
  candidates["id"] = o.candidates.id;
  candidates["kind"] = optional_text(o.candidates.kind);
  candidates["name"] = optional_text(o.candidates.name);
  candidates["type"] = optional_text(o.candidates.type);
  candidates["grid_m"] = optional_number(o.candidates.grid_m);
  candidates["hamlet_centroids"] = o.candidates.hamlet_centroids;

  Tree speaker_template = Tree::object();
  speaker_template["power_w"] = o.template_power_w;
  speaker_template["sensitivity_db"] = o.template_sensitivity_db;
  speaker_template["height_m"] = o.template_height_m;
  speaker_template["range_m"] = o.template_range_m;
  Tree team_template = Tree::object();
  team_template["members"] = o.template_team_members;
  Tree costs = Tree::object();
  costs["speaker"] = o.cost_speaker_vnd;
  costs["team"] = o.cost_team_vnd;
  Tree min_group = Tree::object();
  for (const auto& [column, share] : o.min_group_coverage) min_group[column] = share;

  Tree t = Tree::object();
  t["enabled"] = o.enabled;
  t["new_speakers"] = o.new_speakers;
  t["new_teams"] = o.new_teams;
  t["candidates"] = std::move(candidates);
  t["speaker_template"] = std::move(speaker_template);
  t["team_template"] = std::move(team_template);
  t["budget"] = optional_number(o.budget_vnd);
  t["costs"] = std::move(costs);
  t["coverage_target"] = optional_number(o.coverage_target);
  t["min_group_coverage"] = std::move(min_group);
  t["solver"] = std::string(name_of(k_solvers, o.solver));
  t["objective"] = std::string(name_of(k_objectives, o.objective));
  t["time_limit_s"] = o.time_limit_s;
  t["echo_rounds"] = o.echo_rounds;
  return t;
}

Tree output_tree(const OutputParams& o) {
  Tree t = Tree::object();
  t["dir"] = o.dir;
  t["raster_cell_m"] = o.raster_cell_m;
  t["languages"] = o.languages;
  t["formats"] = o.formats;
  t["partition_by"] = o.partition_by.empty() ? Tree(nullptr) : Tree(o.partition_by);
  return t;
}

void append_yaml(const Tree& tree, int indent, std::string& out) {
  for (const auto& [key, value] : tree.items()) {
    out.append(static_cast<std::size_t>(indent), ' ');
    out += yaml_string(key, false);
    out += ':';
    if (value.is_object() && !value.empty()) {
      out += '\n';
      append_yaml(value, indent + 2, out);
    } else {
      out += ' ';
      out += yaml_inline(value, false);
      out += '\n';
    }
  }
}

void flatten(const Tree& tree, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& [key, value] : tree.items()) {
    const std::string dotted = prefix.empty() ? key : prefix + "." + key;
    if (value.is_object() && !value.empty()) {
      flatten(value, dotted, out);
    } else {
      out.emplace_back(dotted, yaml_inline(value, false));
    }
  }
}

}  // namespace

nlohmann::ordered_json to_tree(const Scenario& s) {
  Tree t = Tree::object();
  t["name"] = s.name;
  t["working_crs"] = s.working_crs;
  t["on_bad_rows"] = std::string(name_of(k_on_bad_rows, s.on_bad_rows));
  t["max_rejected_share"] = s.max_rejected_share;
  t["max_outside_share"] = s.max_outside_share;
  t["seed"] = s.seed;
  t["synthetic"] = s.synthetic;
  t["hamlets"] = hamlets_tree(s.hamlets);
  t["households"] = households_tree(s.households);
  t["communes"] = s.communes ? communes_tree(*s.communes) : Tree(nullptr);
  t["demand"] = demand_tree(s.demand);
  t["speakers"] = s.speakers ? speakers_tree(*s.speakers) : Tree(nullptr);
  t["teams"] = s.teams ? teams_tree(*s.teams) : Tree(nullptr);
  t["acoustics"] = acoustics_tree(s.acoustics);
  t["target"] = target_tree(s.target);
  t["optimize"] = optimize_tree(s.optimize);
  t["output"] = output_tree(s.output);
  return t;
}

std::string yaml_inline(const nlohmann::ordered_json& value, bool flow) {
  switch (value.type()) {
    case Tree::value_t::null:
      return "null";
    case Tree::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Tree::value_t::number_integer:
      return std::to_string(value.get<std::int64_t>());
    case Tree::value_t::number_unsigned:
      return std::to_string(value.get<std::uint64_t>());
    case Tree::value_t::number_float:
      return format_number(value.get<double>());
    case Tree::value_t::string:
      return yaml_string(value.get_ref<const std::string&>(), flow);
    case Tree::value_t::array: {
      std::string out = "[";
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ", ";
        out += yaml_inline(value[i], true);
      }
      return out + "]";
    }
    case Tree::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ", ";
        first = false;
        out += yaml_string(key, true) + ": " + yaml_inline(item, true);
      }
      return out + "}";
    }
    default:
      return "null";
  }
}

}  // namespace detail

bool OutputParams::wants(const std::string& format) const {
  return std::find(formats.begin(), formats.end(), format) != formats.end();
}

std::string Scenario::to_yaml() const {
  std::string out;
  detail::append_yaml(detail::to_tree(*this), 0, out);
  return out;
}

std::string Scenario::to_json() const {
  return detail::to_tree(*this).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::vector<std::pair<std::string, std::string>> scenario_defaults() {
  Scenario s;
  s.speakers.emplace();  // list the keys of the optional blocks with their defaults
  s.teams.emplace();
  s.communes.emplace();
  std::vector<std::pair<std::string, std::string>> out;
  detail::flatten(detail::to_tree(s), "", out);
  return out;
}

}  // namespace infogap
