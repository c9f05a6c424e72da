// Placeholder until the acoustics area lands: the verb exists and says so.
#include "commands.hpp"
#include "infogap/error.hpp"

namespace infogap::cli {
void add_acoustics_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("acoustics", "Loudspeaker acoustics (ISO 9613-1/-2): absorption, level, range");
  cmd->callback([&exit_code] { exit_code = 2; throw Error(ErrorCode::internal, "acoustics: not built yet"); });
}
}  // namespace infogap::cli
