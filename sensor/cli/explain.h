// --explain: a readable per-contractor summary of a run's alerts, most suspicious first, for an
// analyst at a terminal instead of JSON lines.
#pragma once

#include <cstdio>
#include <vector>

#include "sensor/divergence/alert.h"
#include "sensor/roster/roster.h"

namespace parallax::cli {

void PrintExplain(const roster::Roster& roster, const std::vector<divergence::Alert>& alerts,
                  std::FILE* out);

}  // namespace parallax::cli
