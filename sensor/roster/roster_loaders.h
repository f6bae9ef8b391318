// The per-format readers behind Roster::Load. Each reads a whole file's text into one
// RosterRecord per contractor and reports syntax and structure problems (unknown columns or
// keys, wrong types); the values themselves are checked by RosterBuilder.
// Internal to parallax_roster. Thread-safe: no shared state.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sensor/roster/roster.h"
#include "sensor/roster/roster_record.h"

namespace parallax::roster {

void ReadCsvRoster(const std::string& file, std::string_view text,
                   std::vector<RosterRecord>* records, std::vector<RosterProblem>* problems);
void ReadJsonRoster(const std::string& file, std::string_view text,
                    std::vector<RosterRecord>* records, std::vector<RosterProblem>* problems);
void ReadYamlRoster(const std::string& file, std::string_view text,
                    std::vector<RosterRecord>* records, std::vector<RosterProblem>* problems);

}  // namespace parallax::roster
