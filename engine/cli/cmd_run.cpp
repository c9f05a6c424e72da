// `infogap run | coverage | optimize | demo`: the pipeline verbs.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "commands.hpp"
#include "infogap/engine.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "infogap/partition.hpp"
#include "progress.hpp"

namespace fs = std::filesystem;

namespace infogap::cli {
namespace {

struct PipelineArgs {
  std::string scenario;
  std::string output;
  std::string partition;
  std::optional<int> new_speakers, new_teams;
  std::optional<double> budget;
  bool exact = false;
  bool quiet = false;
  unsigned threads = 0;
};

double share(double part, double whole) {
  return whole > 0 ? 100.0 * part / whole : 0.0;
}

/// What happened, on stdout (stderr keeps the progress): the accounting, coverage by channel, the
/// gap, the three worst hamlets, the proposal with its proof (and what it does not meet), where
/// the report and the QGIS project are, and the wall time of the whole command. Figures are plain
/// numbers, as in summary.json.
void print_result(Engine& engine, const std::string& dir, double wall_s) {
  const Inputs& in = engine.inputs();
  const CoverageResult& c = engine.coverage();
  std::FILE* o = stdout;
  std::fprintf(o, "households: %lld input = %lld joined + %lld outside every hamlet + %lld rejected (rejects.csv)\n",
               static_cast<long long>(in.households_input), static_cast<long long>(c.joined),
               static_cast<long long>(c.outside), static_cast<long long>(in.households_rejected));
  std::fprintf(o, "target households: %lld (target weight %.1f)\n", static_cast<long long>(c.target_households),
               c.target_weight);
  const auto th = static_cast<double>(c.target_households);
  std::fprintf(o, "reached: speaker %lld (%.1f %%), team %lld (%.1f %%), any %lld (%.1f %%) of target households\n",
               static_cast<long long>(c.reached_speaker), share(static_cast<double>(c.reached_speaker), th),
               static_cast<long long>(c.reached_team), share(static_cast<double>(c.reached_team), th),
               static_cast<long long>(c.reached_any), share(static_cast<double>(c.reached_any), th));
  if (c.target_weight > 0)
    std::fprintf(o, "gap: %lld households, weight %.1f (%.1f %% of the target weight)\n",
                 static_cast<long long>(c.target_households - c.reached_any), c.gap_weight,
                 share(c.gap_weight, c.target_weight));
  else
    std::fprintf(o, "gap: 0 households, weight 0.0 (no target households: no gap rate)\n");
  if (c.paths_beyond_validity > 0)
    std::fprintf(o, "caveat: %lld target households hear a loudspeaker only beyond 1 km (ISO 9613-2's range)\n",
                 static_cast<long long>(c.paths_beyond_validity));
  std::vector<const AreaGap*> worst;
  for (const auto& a : c.hamlets)
    if (a.rank >= 1 && a.rank <= 3 && a.gap_weight > 0) worst.push_back(&a);
  std::sort(worst.begin(), worst.end(), [](const AreaGap* a, const AreaGap* b) { return a->rank < b->rank; });
  if (!worst.empty()) std::fprintf(o, "worst hamlets:\n");
  for (const AreaGap* a : worst)
    std::fprintf(o, "  %d. %s [%s]: gap weight %.1f, rate %.1f %%\n", a->rank, a->name.c_str(), a->id.c_str(),
                 a->gap_weight, 100.0 * a->gap_rate);
  if (engine.has_placement()) {
    const PlacementResult& p = engine.placement();
    int speakers = 0, teams = 0;
    double cost = 0;
    for (const auto& site : p.sites) {
      (site.kind == "speaker" ? speakers : teams) += 1;
      cost += site.cost_vnd;
    }
    // Coverage recomputed with the sites in place; the optimizer's own figure beside it.
    std::fprintf(o,
                 "proposed sites: %zu (%d speakers, %d teams), +%.1f target weight, +%lld households, cost %.0f VND "
                 "(coverage recomputed with the sites; the optimizer claimed +%.1f)\n",
                 p.sites.size(), speakers, teams, p.weight_after - p.weight_before,
                 static_cast<long long>(p.households_after - p.households_before), cost,
                 p.claimed_weight_after - p.objective_weight_before);
    if (p.mode == "budget")
      std::fprintf(o, "budget: %.0f VND for %s; sites ranked by gain per VND\n", p.budget_vnd.value_or(0.0),
                   p.max_speakers > 0 && p.max_teams > 0 ? "loudspeakers and teams"
                   : p.max_speakers > 0                  ? "loudspeakers only (new teams 0)"
                   : p.max_teams > 0                     ? "teams only (new speakers 0)"
                                                         : "nothing (both counts 0)");
    std::fprintf(o, "optimizer: objective %.1f, bound %.1f, gap %.2f %% (solver %s, status %s)\n", p.objective, p.bound,
                 100.0 * p.gap, p.solver.c_str(), p.status.c_str());
    if (!p.met()) {
      std::fprintf(o, "NOT MET: the proposal is a best effort, not a solution: %s\n", p.message.c_str());
      if (p.coverage_target) {
        const double after = c.target_weight > 0 ? p.weight_after / c.target_weight : 0.0;
        std::fprintf(o,
                     "NOT MET: coverage target %.1f %% of the target weight: %.1f %% reached, at most %.1f %% with "
                     "every candidate\n",
                     100.0 * *p.coverage_target, 100.0 * after, 100.0 * p.target_reachable_share);
      }
      constexpr std::size_t k_listed = 10;  // the rest: summary.json and the report list every unit
      for (std::size_t k = 0; k < p.shortfalls.size() && k < k_listed; ++k) {
        const auto& f = p.shortfalls[k];
        std::fprintf(o, "NOT MET: %s %s: %.1f %% reached, %.1f %% asked, at most %.1f %% with every candidate\n",
                     f.group.c_str(), f.unit.c_str(), 100.0 * f.share_after, 100.0 * f.required, 100.0 * f.reachable);
      }
      if (p.shortfalls.size() > k_listed)
        std::fprintf(o, "NOT MET: and %zu more units below their minimum (summary.json optimizer.shortfall, report)\n",
                     p.shortfalls.size() - k_listed);
    }
  }
  const fs::path folder = fs::absolute(dir).lexically_normal();
  std::error_code ec;
  for (const auto& lang : engine.scenario().output.languages) {
    const fs::path r = folder / ("report." + lang + ".html");
    if (fs::exists(r, ec)) std::fprintf(o, "report: %s\n", r.string().c_str());
  }
  if (fs::exists(folder / "infogap.qgs", ec))
    std::fprintf(o, "QGIS project: %s\n", (folder / "infogap.qgs").string().c_str());
  std::fprintf(o, "output folder: %s\n", folder.string().c_str());
  std::fprintf(o, "total time: %.1f s (wall)\n", wall_s);
  std::fflush(o);
}

/// A partitioned run: the whole input's figures, then where the partition folders and the roll-up are.
void print_partitioned(Engine& engine, const std::string& dir, const std::string& partition, double wall_s) {
  const Inputs& in = engine.inputs();
  const CoverageResult& c = engine.coverage();
  std::FILE* o = stdout;
  std::fprintf(o, "households: %lld input = %lld joined + %lld outside every hamlet + %lld rejected (rejects.csv)\n",
               static_cast<long long>(in.households_input), static_cast<long long>(c.joined),
               static_cast<long long>(c.outside), static_cast<long long>(in.households_rejected));
  std::fprintf(o, "target households: %lld, reached by any channel %lld (%.1f %%), gap weight %.1f\n",
               static_cast<long long>(c.target_households), static_cast<long long>(c.reached_any),
               share(static_cast<double>(c.reached_any), static_cast<double>(c.target_households)), c.gap_weight);
  const fs::path folder = fs::absolute(dir).lexically_normal();
  const auto parts = partitions(engine.scenario());
  if (!partition.empty()) {
    std::fprintf(o, "partition folder: %s\n", (folder / find_partition(parts, partition).folder).string().c_str());
  } else {
    std::fprintf(o, "partitions: %zu folders by %s in %s\n", parts.size(),
                 engine.scenario().output.partition_by.c_str(), folder.string().c_str());
    std::fprintf(o, "national roll-up: %s\n", (folder / "summary.json").string().c_str());
    std::error_code ec;
    for (const auto& lang : engine.scenario().output.languages) {
      const fs::path r = folder / ("report." + lang + ".html");
      if (fs::exists(r, ec)) std::fprintf(o, "report: %s\n", r.string().c_str());
    }
  }
  std::fprintf(o, "total time: %.1f s (wall)\n", wall_s);
  std::fflush(o);
}

int run_pipeline(const PipelineArgs& a, bool optimize, bool force_optimize) {
  const auto wall0 = std::chrono::steady_clock::now();
  if (a.threads > 0) set_threads(a.threads);
  Progress progress(a.quiet);
  Scenario sc = Scenario::from_yaml(a.scenario);
  Engine engine(std::move(sc));
  RunOptions opt;
  opt.output_dir = a.output;
  opt.partition = a.partition;
  opt.optimize = optimize;
  opt.force_optimize = force_optimize;
  opt.new_speakers = a.new_speakers;
  opt.new_teams = a.new_teams;
  opt.budget = a.budget;
  opt.exact = a.exact;
  auto t0 = std::chrono::steady_clock::now();
  std::string last;
  opt.progress = [&](const std::string& stage, double f) {
    if (stage != last && !last.empty()) {
      progress.done(last, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      t0 = std::chrono::steady_clock::now();
    }
    last = stage;
    progress.update(stage, f);
  };
  const std::string dir = engine.run(opt);
  if (!last.empty()) progress.done(last, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall0).count();
  if (engine.scenario().output.partition_by.empty())
    print_result(engine, dir, wall);
  else
    print_partitioned(engine, dir, a.partition, wall);
  return 0;
}

void common_options(CLI::App* cmd, PipelineArgs& a, bool with_scenario) {
  if (with_scenario)
    cmd->add_option("scenario", a.scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", a.output, "Output folder (overrides output.dir)");
  cmd->add_flag("-q,--quiet", a.quiet, "No progress output on stderr (the result still goes to stdout)");
  cmd->add_option("--threads", a.threads, "Worker threads (default: all cores)");
  if (with_scenario)
    cmd->add_option("--partition", a.partition,
                    "With output.partition_by: write only this partition's folder (its value or folder name, see "
                    "`infogap partitions`), exactly as the whole run writes it");
}

void optimize_options(CLI::App* cmd, PipelineArgs& a) {
  cmd->add_option("--new-speakers", a.new_speakers, "Number of new loudspeaker clusters to place")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--new-teams", a.new_teams, "Number of new teams to place")->check(CLI::NonNegativeNumber);
  cmd->add_option("--budget", a.budget, "Budget in VND (replaces the counts; a count of 0 still leaves that kind out)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--exact", a.exact, "Solve exactly with CBC");
}

/// The bundled data folder: $INFOGAP_DATA_DIR, <prefix>/share/infogap/data, or the source tree.
std::string bundled_scenario() {
  std::vector<fs::path> dirs;
  if (const char* env = std::getenv("INFOGAP_DATA_DIR")) dirs.emplace_back(env);
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) dirs.push_back(exe.parent_path().parent_path() / "share" / "infogap" / "data");
  dirs.emplace_back(INFOGAP_SOURCE_DATA_DIR);
  for (const auto& d : dirs) {
    const fs::path s = d / "bac_lieu" / "scenario.yaml";
    if (fs::exists(s, ec)) return s.string();
  }
  throw IoError(ErrorCode::io, "bundled data not found (set INFOGAP_DATA_DIR to the folder holding bac_lieu/)",
                {(fs::path(INFOGAP_SOURCE_DATA_DIR) / "bac_lieu" / "scenario.yaml").string(), "", "", {}});
}

}  // namespace

void add_pipeline_commands(CLI::App& app, int& exit_code) {
  static PipelineArgs run_args, cov_args, opt_args, demo_args;
  auto* run = app.add_subcommand("run", "Coverage + optimization (if configured) + every output + report");
  common_options(run, run_args, true);
  optimize_options(run, run_args);
  run->callback([&exit_code] { exit_code = run_pipeline(run_args, true, false); });

  auto* cov = app.add_subcommand("coverage", "Coverage and gaps only");
  common_options(cov, cov_args, true);
  cov->callback([&exit_code] { exit_code = run_pipeline(cov_args, false, false); });

  auto* opt = app.add_subcommand("optimize", "Coverage + placement of new loudspeakers and teams");
  common_options(opt, opt_args, true);
  optimize_options(opt, opt_args);
  opt->callback([&exit_code] { exit_code = run_pipeline(opt_args, true, true); });

  auto* demo = app.add_subcommand("demo", "`run` on the bundled Bạc Liêu scenario (default output ./infogap-demo)");
  common_options(demo, demo_args, false);
  demo->callback([&exit_code] {
    demo_args.scenario = bundled_scenario();
    if (demo_args.output.empty()) demo_args.output = "infogap-demo";
    exit_code = run_pipeline(demo_args, true, false);
  });
}

}  // namespace infogap::cli
