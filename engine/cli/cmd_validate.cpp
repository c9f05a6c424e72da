// `infogap validate SCENARIO [--rejects FILE]`: loads and checks every input layer, prints every
// problem, writes nothing but the rejects CSV when asked. Exit 0 = the inputs are usable.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "commands.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/parallel.hpp"
#include "infogap/scenario.hpp"

namespace infogap::cli {
namespace {

struct ValidateArgs {
  std::string scenario;
  std::string rejects;
  std::size_t show = 50;
  unsigned threads = 0;
};

std::string file_name(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

void print_layer(const char* key, const LayerInfo& l, const Inputs& in, bool hamlets) {
  std::printf("%-11s %s (layer '%s', %s)\n", key, l.path.c_str(), l.layer.c_str(), l.driver.c_str());
  std::string crs = l.source_crs.rfind("EPSG:", 0) == 0 ? l.source_crs : std::string("custom CRS");
  if (!l.crs_name.empty()) crs += " (" + l.crs_name + ")";
  std::printf("%-11s CRS %s → %s\n", "", crs.c_str(), in.working_crs.c_str());
  std::printf("%-11s %lld read, %lld kept, %lld rejected", "", static_cast<long long>(l.features),
              static_cast<long long>(l.accepted), static_cast<long long>(l.rejected));
  if (hamlets)
    std::printf("; %lld polygon(s) repaired (%lld non-polygonal part(s) dropped)",
                static_cast<long long>(in.repaired_polygons), static_cast<long long>(in.dropped_parts));
  std::printf("\n%-11s sha256 %s\n", "", l.sha256.c_str());
}

int validate(const ValidateArgs& a) {
  if (a.threads > 0) set_threads(a.threads);
  const auto t0 = std::chrono::steady_clock::now();
  Scenario scenario = Scenario::from_yaml(a.scenario);
  const OnBadRows policy = scenario.on_bad_rows;
  scenario.on_bad_rows = OnBadRows::reject;  // list every problem, then judge by the scenario's policy
  const Inputs in = check_inputs(scenario);  // every layer, even after one is unusable
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::printf("scenario    %s (\"%s\")\n", a.scenario.c_str(), scenario.name.c_str());
  std::printf("working CRS %s\n\n", in.working_crs.c_str());
  for (const char* key : {"hamlets", "households", "speakers", "teams", "candidates"}) {
    const auto it = in.layers.find(key);
    if (it == in.layers.end()) continue;
    print_layer(key, it->second, in, std::string(key) == "hamlets");
    const std::string summary = describe_layer_rejects(in, key);
    if (!summary.empty()) std::printf("%-11s %s\n", "", summary.c_str());
  }
  if (!in.problems.empty()) {
    std::printf("\nproblems (each makes its layer unusable):\n");
    for (const auto& p : in.problems) {
      std::printf("  - %s: %s\n", p.layer.c_str(), p.message.c_str());
      std::fprintf(stderr, "infogap: error: %s: %s\n", p.layer.c_str(), p.message.c_str());
    }
  }
  if (!in.notes.empty()) {
    std::printf("\nnotes:\n");
    for (const auto& n : in.notes) std::printf("  - %s\n", n.c_str());
  }
  std::printf("\nrejects: %zu\n", in.rejects.size());
  const std::size_t shown = std::min(in.rejects.size(), a.show);
  for (std::size_t i = 0; i < shown; ++i) {
    const Reject& r = in.rejects[i];
    std::printf("  %s [%s] feature %lld", file_name(r.file).c_str(), r.layer.c_str(),
                static_cast<long long>(r.feature_id));
    if (!r.id.empty()) std::printf(" id '%s'", r.id.c_str());
    if (!r.column.empty()) std::printf(" column '%s'", r.column.c_str());
    std::printf(": %s\n", r.reason.c_str());
  }
  if (in.rejects.size() > shown)
    std::printf("  ... and %zu more%s\n", in.rejects.size() - shown,
                a.rejects.empty() ? " (list them all with --rejects FILE)" : "");
  std::printf("\nhouseholds: input %lld = accepted %zu + rejected %lld\n", static_cast<long long>(in.households_input),
              in.households.size(), static_cast<long long>(in.households_rejected));
  if (!a.rejects.empty()) {
    write_rejects_csv(in.rejects, a.rejects);
    std::printf("rejects written to %s\n", a.rejects.c_str());
  }
  const bool usable = in.problems.empty() && (policy == OnBadRows::reject || in.rejects.empty());
  if (!in.problems.empty()) {
    std::printf("result: NOT usable — %zu problem(s) listed above — checked in %.2f s\n", in.problems.size(),
                seconds);
  } else if (usable) {
    std::printf("result: inputs are usable (%zu row(s) rejected; on_bad_rows: %s) — checked in %.2f s\n",
                in.rejects.size(), policy == OnBadRows::reject ? "reject" : "fail", seconds);
  } else {
    std::printf("result: NOT usable — %zu row(s) rejected and on_bad_rows: fail — checked in %.2f s\n",
                in.rejects.size(), seconds);
  }
  std::fflush(stdout);
  return usable ? 0 : 1;
}

}  // namespace

void add_validate_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ValidateArgs>();
  auto* cmd = app.add_subcommand("validate",
                                 "Check the scenario's input layers and print every problem "
                                 "(writes nothing but the rejects CSV if asked)");
  cmd->add_option("scenario", args->scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  cmd->add_option("--rejects", args->rejects, "Write every rejected row to this CSV file");
  cmd->add_option("--show", args->show, "List at most this many rejects (default 50)");
  cmd->add_option("--threads", args->threads, "Worker threads (default: INFOGAP_THREADS or all cores)");
  cmd->callback([args, &exit_code] { exit_code = validate(*args); });
}

}  // namespace infogap::cli
