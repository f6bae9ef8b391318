// The `parallax` subcommands. Each registers itself on the CLI11 app and sets exit_code when run.
#pragma once

#include <CLI/CLI.hpp>

namespace parallax::cli {

// Exit statuses shared by every command (the table is in docs/cli.md): 0 done, 1 an input or
// output failed (missing, unreadable or corrupt file, invalid roster, cannot write), 2 the command
// line cannot be acted on (unknown command or flag, bad value, missing argument), 3 --fail-on.
constexpr int kExitInput = 1;
constexpr int kExitUsage = 2;
// A run whose analysis completed and raised an alert at or above --fail-on. 1 and 2 take
// precedence over it: an incomplete run is reported as such.
constexpr int kExitFailOn = 3;

void AddReadCommand(CLI::App& app, int& exit_code);
void AddCorrelateCommand(CLI::App& app, int& exit_code);
void AddLiveCommand(CLI::App& app, int& exit_code);
void AddAnalyzersCommand(CLI::App& app, int& exit_code);
void AddRunCommand(CLI::App& app, int& exit_code);

}  // namespace parallax::cli
