// `--fail-on SEVERITY` of `read` and `report`: for automation (CI jobs, cron), exit status 3 when
// this run raised an alert at or above SEVERITY, so a script needs no JSON parsing to know.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "sensor/cli/commands.h"  // kExitFailOn
#include "sensor/divergence/alert.h"

namespace parallax::cli {

// Registers --fail-on on `cmd`, storing low|medium|high (CLI11 refuses anything else: exit 2).
void AddFailOnOption(CLI::App* cmd, std::string* severity);

// Whether `alerts` hold one at or above `severity` ("" = never: --fail-on not given).
bool FailOnTriggered(const std::string& severity, const std::vector<divergence::Alert>& alerts);

}  // namespace parallax::cli
