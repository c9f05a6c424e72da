#pragma once
/// @file engine.hpp  The one facade the CLI, the Python bindings and the notebooks use:
/// load → coverage → (optimize) → outputs, with timings and progress.

#include <map>
#include <memory>
#include <string>

#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/placement.hpp"
#include "infogap/run_options.hpp"
#include "infogap/scenario.hpp"

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
  /// Loads and validates the inputs (once). @throws InvalidInput, IoError
  const Inputs& inputs();
  /// Computes coverage (once). @throws InvalidInput, IoError, Error
  const CoverageResult& coverage();
  /// Runs the placement optimizer (once per call). @throws Error(solver), InvalidInput
  const PlacementResult& optimize(const RunOptions& options = {});
  /// Whether optimize() has run.
  bool has_placement() const noexcept;
  const PlacementResult& placement() const;
  /// Writes every requested output into dir (atomically per file; summary.json last).
  /// @throws IoError, InvalidInput (output folder is an input folder)
  void write_outputs(const std::string& dir, const RunOptions& options = {});
  /// Seconds per stage ("load", "join", "coverage", "optimize", "write", ...).
  const std::map<std::string, double>& timings() const noexcept;
  /// The summary.json text (after coverage; includes the optimizer when run).
  std::string summary_json() const;
  /// Convenience: coverage (+ optimize if configured) + outputs. Returns the output folder.
  std::string run(const RunOptions& options = {});

 private:
  struct Impl;
  std::unique_ptr<Impl> m_impl;
};

}  // namespace infogap
