// `parallax roster check FILE [--identity-events F]`: validates a contractor roster (CSV, JSON,
// YAML) and optionally an identity-events file against it (docs/roster.md).
#pragma once

#include <CLI/CLI.hpp>

namespace parallax::cli {

// Registers the "roster" subcommand. Its callback sets `exit_code`: 0 when every file is valid
// (one summary line per contractor on stdout), 1 when there is any problem (each printed as
// FILE:LINE: FIELD: message on stderr). `exit_code` must outlive app.parse().
void AddRosterCommand(CLI::App& app, int& exit_code);

}  // namespace parallax::cli
