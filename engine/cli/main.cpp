// The `infogap` command: a thin front on infogap::engine. Exit codes: 0 ok, 1 bad input, 2 internal.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <exception>
#include <string>

#include "commands.hpp"
#include "infogap/error.hpp"
#include "infogap/version.hpp"

int main(int argc, char** argv) {
  CLI::App app{"infogap — information-poverty coverage engine (loudspeakers, digital-technology teams)"};
  app.set_version_flag("--version", INFOGAP_VERSION_STRING);
  app.require_subcommand(1);
  int exit_code = 0;
  infogap::cli::add_pipeline_commands(app, exit_code);
  infogap::cli::add_acoustics_command(app, exit_code);
  infogap::cli::add_synth_command(app, exit_code);
  infogap::cli::add_validate_command(app, exit_code);
  infogap::cli::add_partition_commands(app, exit_code);
  infogap::cli::add_compare_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 1;
  } catch (const infogap::Error& e) {
    std::fprintf(stderr, "infogap: error: %s\n", e.what());
    return infogap::exit_code_for(e.code());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "infogap: internal error: %s\n", e.what());
    return 2;
  }
  return exit_code;
}
