// Contractor records from a parsed JSON-shaped tree: the JSON and YAML rosters share one
// structure, so the YAML reader converts its document to nlohmann::json (with a line per path)
// and both go through RecordsFromTree. Internal to parallax_roster. Thread-safe: pure.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sensor/roster/roster.h"
#include "sensor/roster/roster_record.h"

namespace parallax::roster {

// The line where the value at `path` starts ("contractors[2].claimed.lat"); 0 when unknown.
using LineOfPath = std::function<std::size_t(const std::string& path)>;

// Expects {"contractors": [ {...}, ... ]}. Unknown keys and values of the wrong type are
// problems; scalars are kept as text (numbers too) for RosterBuilder to parse.
void RecordsFromTree(const std::string& file, const nlohmann::json& root, const LineOfPath& line_of,
                     std::vector<RosterRecord>* records, std::vector<RosterProblem>* problems);

}  // namespace parallax::roster
