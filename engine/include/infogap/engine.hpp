#pragma once
/// @file engine.hpp  The one facade the CLI, the Python bindings and the notebooks use:
/// load → coverage → (optimize) → outputs, with timings and progress.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "infogap/coverage.hpp"
#include "infogap/layers.hpp"
#include "infogap/scenario.hpp"

namespace infogap {

/// Progress callback: stage name and fraction done in [0, 1]. May be called from the calling
/// thread only. Return value ignored.
using ProgressFn = std::function<void(const std::string& stage, double fraction)>;

/// One proposed site (DESIGN §5 proposed_sites).
struct ProposedSite {
  std::string site_id;
  std::string kind;       ///< "speaker" | "team"
  std::int32_t rank = 0;  ///< 1 = first to build (largest marginal gain)
  double x_m = 0, y_m = 0;
  double marginal_weight = 0, marginal_households = 0, cumulative_weight = 0;
  double cost_vnd = 0;
  double reach_m = 0;        ///< audible range (speaker template, on axis) or team reach
  std::int32_t hamlet = -1;  ///< hamlet index covering the site, -1 none
};

/// Result of the placement optimizer, with coverage before and after.
struct PlacementResult {
  std::vector<ProposedSite> sites;
  double objective = 0, bound = 0, gap = 0;  ///< as OptimizeResult (fewest sites: objective = sites)
  double reached_weight = 0;                 ///< target weight newly reached by the proposed sites
  std::string solver, status, message;
  double seconds = 0;
  std::int64_t candidates = 0, rows = 0, merged_rows = 0;
  double weight_before = 0, weight_after = 0;                ///< reached target weight
  std::int64_t households_before = 0, households_after = 0;  ///< reached target households
  std::vector<std::uint8_t> reached_after;                   ///< per household
  std::vector<AreaGap> hamlets_after;                        ///< hamlet gaps after placement
};

/// Options of a run beyond the scenario.
struct RunOptions {
  std::string output_dir;       ///< non-empty: overrides output.dir
  bool optimize = true;         ///< run the optimizer when the scenario has an optimize block
  bool force_optimize = false;  ///< optimize even without an optimize block (defaults)
  std::optional<int> new_speakers, new_teams;
  std::optional<double> budget;
  bool exact = false;        ///< force the exact solver
  bool write_report = true;  ///< HTML report and QGIS project (when formats ask)
  ProgressFn progress;
};

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
