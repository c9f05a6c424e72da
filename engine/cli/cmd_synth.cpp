// `infogap synth`: writes the deterministic SYNTHETIC Bạc Liêu province (or the national benchmark).
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "infogap/error.hpp"
#include "infogap/parallel.hpp"
#include "infogap/synth.hpp"
#include "progress.hpp"

namespace infogap::cli {

void add_synth_command(CLI::App& app, int& exit_code) {
  struct Args {
    std::int64_t households = 0;
    std::uint64_t seed = 2024;
    std::string scale = "province";
    std::string example = "province";
    int provinces = 0;
    std::string output;
    std::string boundaries;
    unsigned threads = 0;
    bool quiet = false;
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand("synth",
                                 "Write a deterministic SYNTHETIC Bạc Liêu province (DOMAIN.md) on the real commune "
                                 "outlines: hamlets, households, loudspeakers, teams, candidate sites and a "
                                 "scenario.yaml");
  cmd->add_option("--households", args->households,
                  "Number of households (default: 225,600 for the province, 27,000,000 nationally)");
  cmd->add_option("--seed", args->seed, "Random seed (same seed → same data)")->capture_default_str();
  cmd->add_option("--scale", args->scale, "province: Bạc Liêu; national: ≈10k communes, ≈27 M households (benchmarks)")
      ->check(CLI::IsMember({"province", "national"}))
      ->capture_default_str();
  cmd->add_option("--example", args->example,
                  "province: the whole province (data/bac_lieu); lists: what a commune holds, for four communes "
                  "(data/bac_lieu_lists: commune outlines, hamlet points, the household list as .xlsx without "
                  "coordinates, building footprints, loudspeakers, teams, candidate sites)")
      ->check(CLI::IsMember({"province", "lists"}))
      ->capture_default_str();
  cmd->add_option("--provinces", args->provinces,
                  "National scale: only the first K synthetic provinces (as in the whole set; a CI-sized "
                  "multi-province dataset)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("-o,--output", args->output, "Output folder (created if missing)")->required();
  cmd->add_option("--boundaries", args->boundaries,
                  "Folder with the real outlines bac_lieu_communes.geojson and bac_lieu_districts.geojson "
                  "(default: the bundled data/boundaries; province scale only)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores); the data do not depend on it");
  cmd->add_flag("-q,--quiet", args->quiet, "No progress output");
  cmd->callback([args, &exit_code] {
    if (args->households < 0) throw InvalidInput(ErrorCode::invalid_input, "--households must be >= 0");
    if (args->threads > 0) set_threads(args->threads);
    SynthOptions options;
    options.seed = args->seed;
    options.households = args->households;
    options.scale = args->scale == "national" ? SynthScale::national : SynthScale::province;
    options.boundaries = args->boundaries;
    options.provinces = args->provinces;
    if (args->provinces > 0 && options.scale != SynthScale::national)
      throw InvalidInput(ErrorCode::invalid_input, "--provinces needs --scale national");
    Progress progress(args->quiet);
    auto t0 = std::chrono::steady_clock::now();
    std::string last;
    const ProgressFn report = [&](const std::string& stage, double f) {
      if (stage != last && !last.empty()) {
        progress.done(last, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        t0 = std::chrono::steady_clock::now();
      }
      last = stage;
      progress.update(stage, f);
    };
    if (args->example == "lists" && options.scale != SynthScale::province)
      throw InvalidInput(ErrorCode::invalid_input, "--example lists goes with --scale province");
    const SynthSummary s = args->example == "lists" ? write_synth_lists(options, args->output, report)
                                                    : write_synth(options, args->output, report);
    if (!last.empty())
      progress.done(last, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    if (!args->quiet) {
      std::fprintf(
          stderr,
          "SYNTHETIC data written to %s in %.2f s: %lld districts, %lld communes, %lld hamlets, %lld households "
          "(%lld poor, %lld near-poor), %lld loudspeaker clusters (%lld horns), %lld teams (%lld members), "
          "%lld candidate sites%s\n",
          args->output.c_str(), s.seconds, static_cast<long long>(s.districts), static_cast<long long>(s.communes),
          static_cast<long long>(s.hamlets), static_cast<long long>(s.households), static_cast<long long>(s.poor),
          static_cast<long long>(s.near_poor), static_cast<long long>(s.clusters), static_cast<long long>(s.speakers),
          static_cast<long long>(s.teams), static_cast<long long>(s.team_members), static_cast<long long>(s.candidates),
          s.footprints > 0 ? (", " + std::to_string(s.footprints) + " building footprints").c_str() : "");
    }
    exit_code = 0;
  });
}

}  // namespace infogap::cli
