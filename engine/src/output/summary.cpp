// summary.json of a run (DESIGN §5): inputs, the accounting identity, coverage, parameters,
// timings, the optimizer's proof, and the files written.
#include <nlohmann/json.hpp>

#include "infogap/version.hpp"
#include "output/output.hpp"
#include "output/staging.hpp"

namespace infogap::detail {
namespace {

/// Share of the run's target weight reached after placement.
double target_share_after(const RunView& run, const PlacementResult& p) {
  const double total = run.coverage ? run.coverage->target_weight : 0.0;
  return total > 0 ? p.weight_after / total : 0.0;
}

nlohmann::ordered_json coverage_block(const CoverageResult& c) {
  nlohmann::ordered_json j = {{"target_households", c.target_households},
                              {"target_weight", c.target_weight},
                              {"reached_speaker", c.reached_speaker},
                              {"reached_team", c.reached_team},
                              {"in_team_range", c.in_team_range},
                              {"reached_any", c.reached_any},
                              {"reached_weight", c.reached_weight},
                              {"gap_households", c.target_households - c.reached_any},
                              {"gap_weight", c.gap_weight},
                              {"reached_beyond_model_validity", c.paths_beyond_validity}};
  if (!c.households.condition_name.empty()) {
    // Listening conditions (acoustics.conditions): the gap under each, and its expected value.
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < c.households.condition_name.size(); ++k)
      list.push_back({{"name", c.households.condition_name[k]},
                      {"share", c.households.condition_share[k]},
                      {"reached_households", c.target_households - c.gap_households_in[k]},
                      {"gap_households", c.gap_households_in[k]},
                      {"gap_weight", c.gap_weight_in[k]}});
    j["conditions"] = list;
    j["expected_gap_weight"] = c.expected_gap_weight;
  }
  return j;
}

}  // namespace

std::string coverage_json(const CoverageResult& coverage) {
  return coverage_block(coverage).dump();
}

std::string summary_json(const RunView& run, const std::vector<std::string>& files) {
  using nlohmann::ordered_json;
  const Scenario& sc = *run.scenario;
  ordered_json j;
  j["infogap_version"] = INFOGAP_VERSION_STRING;
  j["scenario"] = sc.name;
  j["scenario_path"] = sc.source_path;
  if (!run.output_dir.empty()) j["output_dir"] = normal_path(run.output_dir).string();
  if (run.inputs) {
    const Inputs& in = *run.inputs;
    j["working_crs"] = in.working_crs;
    ordered_json inputs = ordered_json::object();
    for (const auto& [name, info] : in.layers) {
      inputs[name] = {{"path", info.path},         {"layer", info.layer},       {"sha256", info.sha256},
                      {"features", info.features}, {"accepted", info.accepted}, {"crs", info.source_crs}};
    }
    j["inputs"] = inputs;
    ordered_json acc;
    acc["households"] = {{"input", in.households_input},
                         {"joined", run.coverage ? run.coverage->joined : 0},
                         {"outside", run.coverage ? run.coverage->outside : 0},
                         {"rejected", in.households_rejected}};
    if (run.coverage) {
      const auto& c = *run.coverage;
      acc["identity_holds"] = in.households_input == c.joined + c.outside + in.households_rejected;
    }
    std::map<std::string, std::int64_t> rejects_by_layer;
    for (const auto& r : in.rejects) ++rejects_by_layer[r.layer.empty() ? r.file : r.layer];
    acc["rejects_by_layer"] = rejects_by_layer;
    j["accounting"] = acc;
    // Which figures rest on approximate inputs: households placed inside their hamlet (no surveyed
    // point) and hamlet boundaries derived from their commune (DESIGN §3 communes, demand).
    const auto accepted = static_cast<std::int64_t>(in.households.size());
    const auto hamlets = static_cast<std::int64_t>(in.hamlets.size());
    j["locations"] = {{"households", {{"surveyed", accepted - in.households_placed}, {"placed", in.households_placed}}},
                      {"hamlets", {{"given", hamlets - in.hamlets_derived}, {"derived", in.hamlets_derived}}}};
    j["repaired_polygons"] = in.repaired_polygons;
    j["dropped_polygon_parts"] = in.dropped_parts;
  }
  if (run.coverage) {
    const auto& c = *run.coverage;
    j["overlaps"] = c.overlaps;
    j["coverage"] = coverage_block(c);
    if (!run.partition && !(sc.speakers && sc.speakers->model == SpeakerModel::radius) && run.inputs &&
        run.inputs->speakers.size() > 0) {
      // What each multi-cluster rule would decide (docs/ACOUSTICS.md "Several clusters").
      const char* names[] = {"u50", "energy_sum", "loudest"};
      ordered_json reached = ordered_json::object(), differs = ordered_json::object();
      for (std::size_t r = 0; r < 3; ++r) {
        reached[names[r]] = c.multi_cluster.reached_target[r];
        if (r != static_cast<std::size_t>(sc.acoustics.multi_cluster)) differs[names[r]] = c.multi_cluster.differs[r];
      }
      j["multi_cluster"] = {{"rule", names[static_cast<std::size_t>(sc.acoustics.multi_cluster)]},
                            {"reached_target_households", reached},
                            {"households_decided_otherwise_by", differs}};
    }
  }
  if (run.partition) {
    // Which partition this folder holds, its outline (for the national map) and the whole input's
    // accounting and coverage: the roll-up reads them back (DESIGN §5 "Partitioned runs").
    const PartitionNote& p = *run.partition;
    ordered_json part;
    part["column"] = p.column;
    part["value"] = p.value;
    part["folder"] = p.folder;
    part["hamlets"] = p.hamlets;
    part["outline"] = p.outline_geojson.empty() ? ordered_json(nullptr) : ordered_json::parse(p.outline_geojson);
    ordered_json whole;
    whole["accounting"] = {{"input", p.whole_input},
                           {"joined", p.whole_joined},
                           {"outside", p.whole_outside},
                           {"rejected", p.whole_rejected}};
    if (p.whole_coverage) whole["coverage"] = coverage_block(*p.whole_coverage);
    part["whole_input"] = whole;
    j["partition"] = part;
  }
  j["parameters"] = ordered_json::parse(sc.to_json());
  if (run.timings) j["timings_s"] = *run.timings;
  if (run.placement) {
    const auto& p = *run.placement;
    j["optimizer"] = {{"objective", p.objective},
                      {"bound", p.bound},
                      {"gap", p.gap},
                      {"solver", p.solver},
                      {"status", p.status},
                      {"seconds", p.seconds},
                      {"candidates", p.candidates},
                      {"rows", p.rows},
                      {"merged_rows", p.merged_rows},
                      {"existing_teams", p.existing_teams},
                      {"echoes",
                       {{"rounds", p.echo_rounds},
                        {"held_rows", p.held_rows},
                        {"settled", p.echo_settled},
                        {"model_objective", p.model_objective},
                        {"model_gap", p.model_gap}}},
                      {"sites", p.sites.size()},
                      {"before", {{"reached_weight", p.weight_before}, {"reached_households", p.households_before}}},
                      // after: coverage recomputed with the proposed sites in place; claimed_*: the
                      // optimizer's own figures, beside it (they differ where its model simplifies).
                      {"after",
                       {{"reached_weight", p.weight_after},
                        {"reached_households", p.households_after},
                        {"gap_weight_closed", p.weight_after - p.weight_before},
                        {"claimed_reached_weight", p.claimed_weight_after},
                        {"claimed_reached_households", p.claimed_households_after},
                        {"claimed_gap_weight_closed", p.claimed_weight_after - p.objective_weight_before}}}};
    auto& o = j["optimizer"];
    for (const auto& [name, member] : after_change_categories())
      o["after"]["changes"][name] = {{"households", (p.changes.*member).households},
                                     {"weight", (p.changes.*member).weight}};
    if (run.coverage && !run.coverage->households.reached_in.empty()) {
      // With listening conditions the objective (and the claim) is in its own terms.
      o["objective_kind"] = sc.optimize.objective == PlacementObjective::expected ? "expected" : "worst_case";
      o["before"]["objective_reached_weight"] = p.objective_weight_before;
      o["after"]["objective_reached_weight"] = p.objective_weight_after;
      o["after"]["objective_gap_weight_closed"] = p.objective_weight_after - p.objective_weight_before;
    }
    // The rules in force and whether the proposal meets them, said plainly (not only in "status").
    o["mode"] = p.mode;
    o["new_speakers"] = p.max_speakers;
    o["new_teams"] = p.max_teams;
    o["budget_vnd"] = p.budget_vnd ? ordered_json(*p.budget_vnd) : ordered_json(nullptr);
    o["rank_order"] = p.mode == "budget" ? "gain_per_vnd" : "gain";
    o["met"] = p.met();
    o["message"] = p.message;
    if (!p.met()) {
      ordered_json sf = ordered_json::object();
      if (p.coverage_target) {
        const double after = target_share_after(run, p);
        sf["coverage_target"] = {
            {"required", *p.coverage_target}, {"share_after", after}, {"reachable", p.target_reachable_share}};
      }
      ordered_json groups = ordered_json::array();
      for (const auto& g : p.shortfalls)
        groups.push_back({{"group", g.group},
                          {"unit", g.unit},
                          {"required", g.required},
                          {"share_after", g.share_after},
                          {"reachable", g.reachable}});
      sf["groups"] = groups;
      o["shortfall"] = sf;
    }
  }
  if (!files.empty()) j["outputs"] = files;
  return j.dump(2);
}

}  // namespace infogap::detail
