#pragma once
// Each verb of the `infogap` command registers itself on the app; the callback runs it and
// returns the exit code (errors are thrown and mapped in main).
#include <CLI/CLI.hpp>

namespace infogap::cli {

/// `infogap acoustics absorption|level|range` (ACOUSTICS.md).
void add_acoustics_command(CLI::App& app, int& exit_code);

}  // namespace infogap::cli
