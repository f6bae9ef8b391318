// `parallax report CAPTURE... --roster R [--identity-events E] -o report.html [--json F]`: the
// same analysis as `read`, written as a forensics report (docs/report.md): one self-contained
// HTML page and/or the same content as JSON.
#pragma once

#include <CLI/CLI.hpp>

namespace parallax::cli {

// Registers the "report" subcommand; its callback sets `exit_code` (0 written, 1 analysis or
// output failure, 2 bad arguments). `exit_code` must outlive app.parse().
void AddReportCommand(CLI::App& app, int& exit_code);

}  // namespace parallax::cli
