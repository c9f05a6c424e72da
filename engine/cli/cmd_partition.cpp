// `infogap partitions SCENARIO [--json]` and `infogap rollup SCENARIO -o DIR`: the units of a
// partitioned run and its national roll-up (infogap/partition.hpp). The work is the engine's.
#include <chrono>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"
#include "infogap/partition.hpp"
#include "infogap/scenario.hpp"
#include "progress.hpp"

namespace infogap::cli {
namespace {

struct PartitionsArgs {
  std::string scenario;
  bool json = false;
};

int list(const PartitionsArgs& a) {
  const auto parts = partitions(Scenario::from_yaml(a.scenario));
  if (a.json) {
    nlohmann::ordered_json j = nlohmann::ordered_json::array();
    for (const auto& p : parts) j.push_back({{"value", p.value}, {"folder", p.folder}, {"hamlets", p.hamlets}});
    std::printf("%s\n", j.dump(2).c_str());
  } else {
    std::printf("%-24s %-24s %s\n", "value", "folder", "hamlets");
    for (const auto& p : parts)
      std::printf("%-24s %-24s %lld\n", p.value.c_str(), p.folder.c_str(), static_cast<long long>(p.hamlets));
    std::printf("%zu partition(s)\n", parts.size());
  }
  std::fflush(stdout);
  return 0;
}

struct RollupArgs {
  std::string scenario, output;
  bool quiet = false;
};

int rollup(const RollupArgs& a) {
  const auto t0 = std::chrono::steady_clock::now();
  const Scenario sc = Scenario::from_yaml(a.scenario);
  const std::string dir = a.output.empty() ? sc.output.dir : a.output;
  Progress progress(a.quiet);
  write_rollup(sc, dir, [&progress](const std::string& stage, double f) { progress.update(stage, f); });
  progress.done("rollup", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::printf("national roll-up: %s/summary.json\n", dir.c_str());
  std::fflush(stdout);
  return 0;
}

}  // namespace

void add_partition_commands(CLI::App& app, int& exit_code) {
  auto pa = std::make_shared<PartitionsArgs>();
  auto* list_cmd = app.add_subcommand(
      "partitions", "List the partitions of a scenario with output.partition_by (value, folder, hamlets)");
  list_cmd->add_option("scenario", pa->scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  list_cmd->add_flag("--json", pa->json, "Print a JSON list of {value, folder, hamlets}");
  list_cmd->callback([pa, &exit_code] { exit_code = list(*pa); });

  auto ra = std::make_shared<RollupArgs>();
  auto* roll = app.add_subcommand("rollup",
                                  "Write the national roll-up from the partition folders already in the output "
                                  "folder (after `run --partition` of every partition)");
  roll->add_option("scenario", ra->scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  roll->add_option("-o,--output", ra->output, "Output folder holding the partition folders (overrides output.dir)");
  roll->add_flag("-q,--quiet", ra->quiet, "No progress output on stderr");
  roll->callback([ra, &exit_code] { exit_code = rollup(*ra); });
}

}  // namespace infogap::cli
