// The `parallax` subcommands. Each registers itself on the CLI11 app and sets exit_code when run.
#pragma once

#include <CLI/CLI.hpp>

namespace parallax::cli {

void AddReadCommand(CLI::App& app, int& exit_code);
void AddCorrelateCommand(CLI::App& app, int& exit_code);
void AddLiveCommand(CLI::App& app, int& exit_code);
void AddAnalyzersCommand(CLI::App& app, int& exit_code);
void AddRunCommand(CLI::App& app, int& exit_code);

}  // namespace parallax::cli
