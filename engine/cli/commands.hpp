#pragma once
// Each verb of the `infogap` command registers itself on the app; the callback runs it and
// returns the exit code (errors are thrown and mapped in main).
#include <CLI/CLI.hpp>

namespace infogap::cli {

/// `infogap acoustics absorption|level|range` (ACOUSTICS.md).
void add_acoustics_command(CLI::App& app, int& exit_code);

/// `infogap synth [--households N] [--seed S] [--scale province|national] -o DIR`.
void add_synth_command(CLI::App& app, int& exit_code);

/// `infogap validate SCENARIO [--rejects FILE]`.
void add_validate_command(CLI::App& app, int& exit_code);

/// `infogap partitions SCENARIO [--json]` and `infogap rollup SCENARIO -o DIR`.
void add_partition_commands(CLI::App& app, int& exit_code);
/// `infogap compare BEFORE AFTER -o DIR [--units before|after]`.
void add_compare_command(CLI::App& app, int& exit_code);

/// `infogap run | coverage | optimize | demo`.
void add_pipeline_commands(CLI::App& app, int& exit_code);

}  // namespace infogap::cli
