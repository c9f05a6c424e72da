#include "infogap/engine.hpp"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>

#include "adapters/gdal/gdal_io.hpp"
#include "infogap/error.hpp"
#include "infogap/version.hpp"
#include "pipeline/outputs.hpp"
#include "pipeline/stages.hpp"

namespace fs = std::filesystem;

namespace infogap {

struct Engine::Impl {
  Scenario scenario;
  std::optional<Inputs> inputs;
  std::optional<CoverageResult> coverage;
  std::optional<PlacementResult> placement;
  std::map<std::string, double> timings;
  ProgressFn progress;  ///< set during run(): load reports its fractions through it

  template <class Fn>
  auto timed(const std::string& stage, Fn&& fn) {
    const auto t0 = std::chrono::steady_clock::now();
    struct Guard {
      std::map<std::string, double>& timings;
      std::string stage;
      std::chrono::steady_clock::time_point t0;
      ~Guard() { timings[stage] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); }
    } guard{timings, stage, t0};
    return fn();
  }
};

Engine::Engine(Scenario scenario) : m_impl(std::make_unique<Impl>()) {
  detail::gdal_initialize();
  m_impl->scenario = std::move(scenario);
}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

const Scenario& Engine::scenario() const noexcept {
  return m_impl->scenario;
}

const Inputs& Engine::inputs() {
  if (!m_impl->inputs) {
    std::function<void(double)> fraction;
    if (m_impl->progress) fraction = [this](double f) { m_impl->progress("load", f); };
    m_impl->inputs = m_impl->timed("load", [&] { return load_inputs(m_impl->scenario, fraction); });
  }
  return *m_impl->inputs;
}

const CoverageResult& Engine::coverage() {
  const Inputs& in = inputs();
  if (!m_impl->coverage) {
    m_impl->coverage = m_impl->timed("coverage", [&] { return compute_coverage(m_impl->scenario, in); });
    for (const auto& [step, s] : m_impl->coverage->timings_s) m_impl->timings["coverage_" + step] = s;
  }
  return *m_impl->coverage;
}

const PlacementResult& Engine::optimize(const RunOptions& options) {
  const CoverageResult& cov = coverage();
  m_impl->placement =
      m_impl->timed("optimize", [&] { return detail::run_placement(m_impl->scenario, *m_impl->inputs, cov, options); });
  return *m_impl->placement;
}

bool Engine::has_placement() const noexcept {
  return m_impl->placement.has_value();
}

const PlacementResult& Engine::placement() const {
  if (!m_impl->placement) throw Error(ErrorCode::internal, "optimize() has not run");
  return *m_impl->placement;
}

const std::map<std::string, double>& Engine::timings() const noexcept {
  return m_impl->timings;
}

std::string Engine::summary_json() const {
  using nlohmann::ordered_json;
  const Scenario& sc = m_impl->scenario;
  ordered_json j;
  j["infogap_version"] = INFOGAP_VERSION_STRING;
  j["scenario"] = sc.name;
  j["scenario_path"] = sc.source_path;
  if (m_impl->inputs) {
    const Inputs& in = *m_impl->inputs;
    j["working_crs"] = in.working_crs;
    ordered_json inputs = ordered_json::object();
    for (const auto& [name, info] : in.layers) {
      inputs[name] = {{"path", info.path},         {"layer", info.layer},       {"sha256", info.sha256},
                      {"features", info.features}, {"accepted", info.accepted}, {"crs", info.source_crs}};
    }
    j["inputs"] = inputs;
    ordered_json acc;
    acc["households"] = {{"input", in.households_input},
                         {"joined", m_impl->coverage ? m_impl->coverage->joined : 0},
                         {"outside", m_impl->coverage ? m_impl->coverage->outside : 0},
                         {"rejected", in.households_rejected}};
    if (m_impl->coverage) {
      const auto& c = *m_impl->coverage;
      acc["identity_holds"] = in.households_input == c.joined + c.outside + in.households_rejected;
    }
    std::map<std::string, std::int64_t> rejects_by_layer;
    for (const auto& r : in.rejects) ++rejects_by_layer[r.layer.empty() ? r.file : r.layer];
    acc["rejects_by_layer"] = rejects_by_layer;
    j["accounting"] = acc;
    j["repaired_polygons"] = in.repaired_polygons;
    j["dropped_polygon_parts"] = in.dropped_parts;
  }
  if (m_impl->coverage) {
    const auto& c = *m_impl->coverage;
    j["overlaps"] = c.overlaps;
    j["coverage"] = {{"target_households", c.target_households},
                     {"target_weight", c.target_weight},
                     {"reached_speaker", c.reached_speaker},
                     {"reached_team", c.reached_team},
                     {"in_team_range", c.in_team_range},
                     {"reached_any", c.reached_any},
                     {"reached_weight", c.reached_weight},
                     {"gap_households", c.target_households - c.reached_any},
                     {"gap_weight", c.gap_weight},
                     {"reached_beyond_model_validity", c.paths_beyond_validity}};
  }
  j["parameters"] = ordered_json::parse(sc.to_json());
  j["timings_s"] = m_impl->timings;
  if (m_impl->placement) {
    const auto& p = *m_impl->placement;
    j["optimizer"] = {{"objective", p.objective},
                      {"bound", p.bound},
                      {"gap", p.gap},
                      {"solver", p.solver},
                      {"status", p.status},
                      {"seconds", p.seconds},
                      {"candidates", p.candidates},
                      {"rows", p.rows},
                      {"merged_rows", p.merged_rows},
                      {"sites", p.sites.size()},
                      {"before", {{"reached_weight", p.weight_before}, {"reached_households", p.households_before}}},
                      {"after", {{"reached_weight", p.weight_after}, {"reached_households", p.households_after}}}};
  }
  return j.dump(2);
}

void Engine::write_outputs(const std::string& dir_in, const RunOptions& options) {
  const std::string dir = dir_in.empty() ? m_impl->scenario.output.dir : dir_in;
  const Inputs& in = inputs();
  const CoverageResult& cov = coverage();
  m_impl->timed("write", [&] {
    detail::write_outputs(
        m_impl->scenario, in, cov, m_impl->placement ? &*m_impl->placement : nullptr, dir, options,
        [this] { return summary_json(); }, m_impl->timings);
    return 0;
  });
}

std::string Engine::run(const RunOptions& options) {
  const std::string dir = options.output_dir.empty() ? m_impl->scenario.output.dir : options.output_dir;
  detail::check_output_dir(m_impl->scenario, dir);
  if (options.progress) options.progress("load", 0.0);
  m_impl->progress = options.progress;
  struct Reset {
    ProgressFn& fn;
    ~Reset() { fn = nullptr; }
  } reset{m_impl->progress};
  inputs();
  if (options.progress) options.progress("load", 1.0);
  if (options.progress) options.progress("coverage", 0.0);
  coverage();
  if (options.progress) options.progress("coverage", 1.0);
  if (options.optimize && (m_impl->scenario.optimize.enabled || options.force_optimize)) {
    if (options.progress) options.progress("optimize", 0.0);
    optimize(options);
    if (options.progress) options.progress("optimize", 1.0);
  }
  if (options.progress) options.progress("write", 0.0);
  write_outputs(dir, options);
  if (options.progress) options.progress("write", 1.0);
  return dir;
}

}  // namespace infogap
