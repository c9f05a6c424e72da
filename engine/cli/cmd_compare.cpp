// `infogap compare BEFORE AFTER -o DIR [--units before|after] [--lang vi,en]`: progress between two
// runs (their output folders, or scenarios run first). The work is the engine's (infogap/compare.hpp).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "commands.hpp"
#include "infogap/compare.hpp"

namespace fs = std::filesystem;

namespace infogap::cli {
namespace {

struct CompareArgs {
  std::string before, after, output, units;
  std::vector<std::string> languages{"vi", "en"};
  unsigned threads = 0;
};

std::string signed_text(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%+.*f", decimals, v);
  return buf;
}

/// What changed, on stdout: the headline deltas, the accounting of both sides, the files.
void print_result(const CompareResult& r) {
  std::FILE* o = stdout;
  const auto& b = r.before;
  const auto& a = r.after;
  std::fprintf(o, "target households: %lld -> %lld (%s)\n", static_cast<long long>(b.target_households),
               static_cast<long long>(a.target_households),
               signed_text(static_cast<double>(a.target_households - b.target_households), 0).c_str());
  std::fprintf(o, "reached (any channel): %lld -> %lld (%s)\n", static_cast<long long>(b.reached),
               static_cast<long long>(a.reached), signed_text(static_cast<double>(a.reached - b.reached), 0).c_str());
  std::fprintf(o, "gap: %lld -> %lld households (%s), weight %.1f -> %.1f (%s)\n",
               static_cast<long long>(b.gap_households), static_cast<long long>(a.gap_households),
               signed_text(static_cast<double>(a.gap_households - b.gap_households), 0).c_str(), b.gap_weight,
               a.gap_weight, signed_text(a.gap_weight - b.gap_weight, 1).c_str());
  const auto& c = r.households_change.by_class;
  auto at = [&c](const char* k) {
    const auto it = c.find(k);
    return static_cast<long long>(it == c.end() ? 0 : it->second);
  };
  std::fprintf(o,
               "households before: %lld = %lld unchanged + %lld newly reached + %lld newly unreached + %lld status "
               "changed + %lld removed\n",
               static_cast<long long>(r.households_change.before), at("unchanged"), at("newly_reached"),
               at("newly_unreached"), at("status_changed"), at("removed"));
  std::fprintf(o,
               "households after: %lld = %lld unchanged + %lld newly reached + %lld newly unreached + %lld status "
               "changed + %lld added\n",
               static_cast<long long>(r.households_change.after), at("unchanged"), at("newly_reached"),
               at("newly_unreached"), at("status_changed"), at("added"));
  std::fprintf(o, "hamlets: %lld in both, %lld added, %lld removed\n", static_cast<long long>(r.hamlets_matched),
               static_cast<long long>(r.hamlets_added), static_cast<long long>(r.hamlets_removed));
  std::fprintf(o, "units: %s\n",
               r.units.empty() ? "each run's own (groupings both have)"
                               : (r.units + " run's, every hamlet mapped through its hamlet id").c_str());
  for (const auto& s : r.skipped) std::fprintf(o, "not compared: grouping %s (use --units)\n", s.c_str());
  for (const auto& [g, ids] : r.unmapped)
    std::fprintf(o, "unmapped: %zu hamlets have no %s unit on the units side\n", ids.size(), g.c_str());
  const fs::path folder(r.output_dir);
  for (const auto& f : r.files)
    if (f.rfind("report_change.", 0) == 0) std::fprintf(o, "report: %s\n", (folder / f).string().c_str());
  std::fprintf(o, "output folder: %s\n", r.output_dir.c_str());
  std::fflush(o);
}

}  // namespace

void add_compare_command(CLI::App& app, int& exit_code) {
  static CompareArgs args;
  auto* cmd = app.add_subcommand("compare",
                                 "Progress between two runs: output folders of run/coverage, or scenarios (run first)");
  cmd->add_option("before", args.before, "BEFORE: a run's output folder or a scenario file")->required();
  cmd->add_option("after", args.after, "AFTER: a run's output folder or a scenario file")->required();
  cmd->add_option("-o,--output", args.output, "Output folder (change.gpkg, change_<group>.csv, report_change.*)")
      ->required();
  cmd->add_option("--units", args.units,
                  "Whose group units to use: before | after (e.g. after: the post-2025 communes for both runs)")
      ->check(CLI::IsMember({"before", "after"}));
  cmd->add_option("--lang", args.languages, "Report languages (vi, en)")
      ->delimiter(',')
      ->check(CLI::IsMember({"vi", "en"}));
  cmd->add_option("--threads", args.threads, "Worker threads when a scenario is run first (default: all cores)");
  cmd->callback([&exit_code] {
    CompareOptions options;
    options.units = args.units;
    options.languages = args.languages;
    options.output_dir = args.output;
    options.threads = args.threads;
    print_result(compare_runs(args.before, args.after, options));
    exit_code = 0;
  });
}

}  // namespace infogap::cli
