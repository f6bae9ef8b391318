// --explain: a readable per-contractor summary of a run's alerts, most suspicious first, for an
// analyst at a terminal instead of JSON lines. With a policy, the findings its suppression rules
// held back follow the table (docs/policy.md): nothing suppressed is out of the analyst's sight.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include "sensor/divergence/alert.h"
#include "sensor/roster/roster.h"

namespace parallax::cli {

// `suppressed` (by alert id) and `suppressed_total` come from the engine; suppressed is null when
// no policy is in use (no section is printed then).
void PrintExplain(const roster::Roster& roster, const std::vector<divergence::Alert>& alerts,
                  const std::map<std::string, divergence::SuppressedFinding>* suppressed,
                  std::uint64_t suppressed_total, std::FILE* out);

}  // namespace parallax::cli
