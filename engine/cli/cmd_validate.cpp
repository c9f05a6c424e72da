// `infogap validate SCENARIO [--rejects FILE]`: loads and checks every input layer, prints every
// problem, writes nothing but the rejects CSV when asked. Exit 0 = the inputs are usable. The
// verdict and its text are the engine's (infogap/validate.hpp).
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "infogap/error.hpp"
#include "infogap/layers.hpp"
#include "infogap/parallel.hpp"
#include "infogap/scenario.hpp"
#include "infogap/validate.hpp"

namespace infogap::cli {
namespace {

struct ValidateArgs {
  std::string scenario;
  std::string rejects;
  std::size_t show = 50;
  unsigned threads = 0;
};

int validate(const ValidateArgs& a) {
  if (a.threads > 0) set_threads(a.threads);
  const ValidationReport report = infogap::validate(Scenario::from_yaml(a.scenario));
  std::fputs(format_report(report, a.show).c_str(), stdout);
  if (report.rejects.size() > a.show && a.rejects.empty())
    std::printf("(list every rejected row with --rejects FILE)\n");
  if (!a.rejects.empty()) {
    write_rejects_csv(report.rejects, a.rejects);
    std::printf("rejects written to %s\n", a.rejects.c_str());
  }
  std::printf("checked in %.2f s\n", report.seconds);
  std::fflush(stdout);
  for (const auto& p : report.problems)
    std::fprintf(stderr, "infogap: error: %s: %s\n", p.layer.c_str(), p.message.c_str());
  return report.ok ? 0 : 1;
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
