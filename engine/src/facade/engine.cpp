// infogap::Engine: load (io) → coverage → placement → outputs, each once, with timings and
// progress. The acoustic field of the existing loudspeakers is built once here and shared by
// coverage, placement and the rasters.
#include "infogap/engine.hpp"

#include <chrono>
#include <filesystem>
#include <optional>

#include "infogap/partition.hpp"

#include "acoustics/speaker_field.hpp"
#include "coverage/coverage_run.hpp"
#include "infogap/error.hpp"
#include "output/output.hpp"
#include "output/tables.hpp"
#include "partition/subset.hpp"
#include "placement/placement.hpp"

namespace infogap {

struct Engine::Impl {
  Scenario scenario;
  std::optional<Inputs> inputs;
  std::optional<detail::SpeakerField> field;
  std::optional<CoverageResult> coverage;
  std::optional<PlacementResult> placement;
  std::map<std::string, double> timings;
  std::string output_dir;  ///< the folder the last write_outputs wrote

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
  const detail::SpeakerField& speaker_field() {
    if (!field) field.emplace(scenario, inputs->speakers);
    return *field;
  }
};

Engine::Engine(Scenario scenario) : m_impl(std::make_unique<Impl>()) {
  m_impl->scenario = std::move(scenario);
}
Engine::~Engine() = default;
Engine::Engine(Engine&&) noexcept = default;
Engine& Engine::operator=(Engine&&) noexcept = default;

const Scenario& Engine::scenario() const noexcept {
  return m_impl->scenario;
}

const Inputs& Engine::inputs(const ProgressFn& progress) {
  if (!m_impl->inputs) {
    std::function<void(double)> fraction;
    if (progress) {
      progress("load", 0.0);
      fraction = [&progress](double f) {
        if (f < 1.0) progress("load", f);  // 1 is reported once, below
      };
    }
    m_impl->inputs = m_impl->timed("load", [&] { return load_inputs(m_impl->scenario, fraction); });
    if (progress) progress("load", 1.0);
  }
  return *m_impl->inputs;
}

const CoverageResult& Engine::coverage(const ProgressFn& progress) {
  const Inputs& in = inputs(progress);
  if (!m_impl->coverage) {
    std::function<void(double)> fraction;
    if (progress) fraction = [&progress](double f) { progress("coverage", f); };
    m_impl->coverage = m_impl->timed(
        "coverage", [&] { return detail::compute_coverage(m_impl->scenario, in, m_impl->speaker_field(), fraction); });
    for (const auto& [step, s] : m_impl->coverage->timings_s) m_impl->timings["coverage_" + step] = s;
  }
  return *m_impl->coverage;
}

const PlacementResult& Engine::optimize(const RunOptions& options) {
  const CoverageResult& cov = coverage(options.progress);
  m_impl->placement = m_impl->timed("optimize", [&] {
    return detail::run_placement(m_impl->scenario, *m_impl->inputs, cov, m_impl->speaker_field(), options);
  });
  return *m_impl->placement;
}

std::vector<std::string> Engine::table_names() {
  const Inputs& in = inputs();
  return detail::output_layer_names(m_impl->scenario, in, m_impl->placement ? &*m_impl->placement : nullptr);
}

Table Engine::table(const std::string& name) {
  const CoverageResult& cov = coverage();
  return detail::output_table(m_impl->scenario, *m_impl->inputs, cov, m_impl->placement ? &*m_impl->placement : nullptr,
                              name);
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
  detail::RunView run;
  run.scenario = &m_impl->scenario;
  run.inputs = m_impl->inputs ? &*m_impl->inputs : nullptr;
  run.coverage = m_impl->coverage ? &*m_impl->coverage : nullptr;
  run.placement = m_impl->placement ? &*m_impl->placement : nullptr;
  run.timings = &m_impl->timings;
  run.output_dir = m_impl->output_dir;
  return detail::summary_json(run);
}

void Engine::write_outputs(const std::string& dir_in, const RunOptions& options) {
  const std::string dir = dir_in.empty() ? m_impl->scenario.output.dir : dir_in;
  const Inputs& in = inputs(options.progress);
  const CoverageResult& cov = coverage(options.progress);
  m_impl->output_dir = dir;
  if (options.progress) options.progress("write", 0.0);
  m_impl->timed("write", [&] {
    detail::write_outputs(
        m_impl->scenario, in, cov, m_impl->speaker_field(), m_impl->placement ? &*m_impl->placement : nullptr, dir,
        options,
        [this](const std::vector<std::string>& files) {
          detail::RunView run;
          run.scenario = &m_impl->scenario;
          run.inputs = &*m_impl->inputs;
          run.coverage = &*m_impl->coverage;
          run.placement = m_impl->placement ? &*m_impl->placement : nullptr;
          run.timings = &m_impl->timings;
          run.output_dir = m_impl->output_dir;
          return detail::summary_json(run, files);
        },
        m_impl->timings);
    return 0;
  });
  if (options.progress) options.progress("write", 1.0);
}

namespace {

/// Progress of partition k of n within a stage: the stage's fraction grows across the partitions.
RunOptions partition_options(const RunOptions& options, std::size_t k, std::size_t n) {
  RunOptions o = options;
  if (options.progress)
    o.progress = [fn = options.progress, k, n](const std::string& stage, double f) {
      if (stage == "load" || stage == "coverage")
        fn(stage, f);
      else
        fn(stage, (static_cast<double>(k) + f) / static_cast<double>(n));
    };
  return o;
}

}  // namespace

std::string Engine::run_partitioned(const RunOptions& options, const std::string& dir) {
  const Scenario& sc = m_impl->scenario;
  // Which partitions: read from the hamlets layer before any household (a wrong name fails at once).
  const std::vector<PartitionInfo> all = partitions(sc);
  std::vector<PartitionInfo> todo = all;
  if (!options.partition.empty()) todo = {find_partition(all, options.partition)};
  coverage(options.progress);
  const bool place = options.optimize && (sc.optimize.enabled || options.force_optimize);
  for (std::size_t k = 0; k < todo.size(); ++k) {
    const RunOptions o = partition_options(options, k, todo.size());
    detail::PartitionRun part = m_impl->timed("partition", [&] {
      return detail::make_partition(sc, *m_impl->inputs, *m_impl->coverage, m_impl->speaker_field(), todo[k]);
    });
    std::optional<PlacementResult> placement;
    std::map<std::string, double> timings = m_impl->timings;
    if (place) {
      const auto t0 = std::chrono::steady_clock::now();
      placement = detail::run_placement(sc, *part.inputs, part.coverage, *part.field, o);
      timings["optimize"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      m_impl->timings["optimize"] += timings["optimize"];
    }
    const std::string folder = (std::filesystem::path(dir) / todo[k].folder).string();
    const auto t0 = std::chrono::steady_clock::now();
    detail::write_outputs(
        sc, *part.inputs, part.coverage, *part.field, placement ? &*placement : nullptr, folder, o,
        [&](const std::vector<std::string>& files) {
          timings["write"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          detail::RunView run;
          run.scenario = &sc;
          run.inputs = part.inputs.get();
          run.coverage = &part.coverage;
          run.placement = placement ? &*placement : nullptr;
          run.timings = &timings;
          run.output_dir = folder;
          run.partition = &part.note;
          return detail::summary_json(run, files);
        },
        timings);
    m_impl->timings["write"] += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
  m_impl->output_dir = dir;
  // The roll-up's summary gets the run's stage times so far (the partitions' placement and writing
  // summed), the roll-up's own below.
  if (options.partition.empty())
    m_impl->timed("rollup", [&] { write_rollup(sc, dir, options.progress, m_impl->timings); });
  return dir;
}

std::string Engine::run(const RunOptions& options) {
  const std::string dir = options.output_dir.empty() ? m_impl->scenario.output.dir : options.output_dir;
  // Fail fast (DESIGN §3): the output folder and the rasters, then (in load) every layer's header,
  // all before any household is read.
  detail::check_output_dir(m_impl->scenario, dir);
  check_raster_size(m_impl->scenario);
  if (!m_impl->scenario.output.partition_by.empty()) return run_partitioned(options, dir);
  if (!options.partition.empty())
    throw InvalidInput(ErrorCode::invalid_scenario,
                       "a partition ('" + options.partition +
                           "') was asked but the scenario has no output.partition_by (a hamlets.group_by column)",
                       {m_impl->scenario.source_path, "", "output.partition_by", {}});
  coverage(options.progress);
  if (options.optimize && (m_impl->scenario.optimize.enabled || options.force_optimize)) optimize(options);
  write_outputs(dir, options);
  return dir;
}

}  // namespace infogap
