// `infogap run | coverage | optimize | demo`: the pipeline verbs.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <optional>

#include "commands.hpp"
#include "infogap/engine.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "progress.hpp"

namespace fs = std::filesystem;

namespace infogap::cli {
namespace {

struct PipelineArgs {
  std::string scenario;
  std::string output;
  std::optional<int> new_speakers, new_teams;
  std::optional<double> budget;
  bool exact = false;
  bool quiet = false;
  unsigned threads = 0;
};

void print_result(const Engine& engine, const std::string& dir, bool quiet) {
  if (quiet) return;
  const auto& t = engine.timings();
  double total = 0;
  for (const auto& [k, v] : t)
    if (k.rfind("write_", 0) != 0) total += v;
  std::fprintf(stderr, "outputs written to %s (%.2f s)\n", dir.c_str(), total);
}

int run_pipeline(const PipelineArgs& a, bool optimize, bool force_optimize) {
  if (a.threads > 0) set_threads(a.threads);
  Progress progress(a.quiet);
  Scenario sc = Scenario::from_yaml(a.scenario);
  Engine engine(std::move(sc));
  RunOptions opt;
  opt.output_dir = a.output;
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
  print_result(engine, dir, a.quiet);
  return 0;
}

void common_options(CLI::App* cmd, PipelineArgs& a, bool with_scenario) {
  if (with_scenario)
    cmd->add_option("scenario", a.scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", a.output, "Output folder (overrides output.dir)");
  cmd->add_flag("-q,--quiet", a.quiet, "No progress output");
  cmd->add_option("--threads", a.threads, "Worker threads (default: all cores)");
}

void optimize_options(CLI::App* cmd, PipelineArgs& a) {
  cmd->add_option("--new-speakers", a.new_speakers, "Number of new loudspeaker clusters to place")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--new-teams", a.new_teams, "Number of new teams to place")->check(CLI::NonNegativeNumber);
  cmd->add_option("--budget", a.budget, "Budget in VND (replaces the counts)")->check(CLI::NonNegativeNumber);
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
