#pragma once
/// @file engine.hpp  The one facade the CLI, the Python bindings and the notebooks use:
/// load → coverage → (optimize) → outputs, with timings and progress.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/placement.hpp"
#include "infogap/run_options.hpp"
#include "infogap/scenario.hpp"
#include "infogap/table.hpp"

namespace infogap {

/// infogap's engine: owns the scenario, the loaded inputs and the results. Move-only.
class Engine final {
 public:
  /// @throws nothing; inputs are loaded on first use.
  explicit Engine(Scenario scenario);
  ~Engine();
  Engine(Engine&&) noexcept;
  Engine& operator=(Engine&&) noexcept;
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// The scenario after defaults.
  const Scenario& scenario() const noexcept;
  /// Loads and validates the inputs (once); progress (may be empty) gets stage "load" from 0 to 1,
  /// layer by layer. @throws InvalidInput, IoError
  const Inputs& inputs(const ProgressFn& progress = {});
  /// Computes coverage (once), loading the inputs first if needed; progress gets "load" (when it
  /// loads) and "coverage" from 0 to 1 step by step (join, speakers, teams, gaps).
  /// @throws InvalidInput, IoError, Error
  const CoverageResult& coverage(const ProgressFn& progress = {});
  /// Runs the placement optimizer (once per call), coverage first if needed; options.progress gets
  /// "load"/"coverage" when they run and "optimize" from 0 to 1 (candidates, coverage matrix,
  /// solve, coverage after). @throws Error(solver), InvalidInput
  const PlacementResult& optimize(const RunOptions& options = {});
  /// Whether optimize() has run.
  bool has_placement() const noexcept;
  const PlacementResult& placement() const;
  /// Writes every requested output into dir (atomically per file; summary.json last).
  /// @throws IoError, InvalidInput (output folder is an input folder)
  void write_outputs(const std::string& dir, const RunOptions& options = {});
  /// The layers of coverage.gpkg this engine writes, in file order: hamlets, households, speakers
  /// and teams (when the scenario has them), one per group_by column, proposed_sites (after
  /// optimize()). Computes coverage if needed.
  std::vector<std::string> table_names();
  /// One of those layers as the writers get it: the same columns, types, NULLs and geometry (WKB in
  /// the working CRS). @throws InvalidInput naming the layers there are
  Table table(const std::string& name);
  /// Seconds per stage ("load", "join", "coverage", "optimize", "write", ...).
  const std::map<std::string, double>& timings() const noexcept;
  /// The summary.json text (after coverage; includes the optimizer when run).
  std::string summary_json() const;
  /// Convenience: coverage (+ optimize if configured) + outputs. Returns the output folder.
  /// With output.partition_by: coverage once on the whole input, then each partition's folder
  /// `<dir>/<folder>/` (its own placement when optimizing) and the national roll-up in dir; with
  /// options.partition, that partition's folder alone (infogap/partition.hpp).
  std::string run(const RunOptions& options = {});

 private:
  std::string run_partitioned(const RunOptions& options, const std::string& dir);
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace infogap
