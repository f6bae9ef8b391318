// The JSON roster: {"contractors": [ {...}, ... ]}, the same structure as the YAML one.
#include <nlohmann/json.hpp>

#include "sensor/roster/json_positions.h"
#include "sensor/roster/roster_loaders.h"
#include "sensor/roster/roster_tree.h"

namespace parallax::roster {

void ReadJsonRoster(const std::string& file, std::string_view text,
                    std::vector<RosterRecord>* records, std::vector<RosterProblem>* problems) {
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based and points at the last byte read: the one that broke the syntax.
    const LineColumn at = PositionOf(text, e.byte ? e.byte - 1 : 0);
    std::string what = e.what();
    // Drop nlohmann's "[json.exception.parse_error.101] parse error at line 1, column 2: "; the
    // position is ours to print.
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    problems->push_back({file, at.line, "", "column " + std::to_string(at.column) + ": " + what});
    return;
  } catch (const nlohmann::json::exception& e) {
    // Not a syntax error but still a bad file: out_of_range.406 for a number beyond a double
    // ("1e309"). It carries no position (and must not escape: it would end the process), so
    // the numbers are found again in the text, each with its line and field.
    const JsonPositions positions(text);
    for (const auto& o : positions.overflows()) {
      problems->push_back({file, o.line, o.path,
                           "number out of range ('" + o.literal + "' is beyond a double)"});
    }
    if (!positions.overflows().empty()) return;
    std::string what = e.what();
    if (auto bracket = what.find("] "); bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    problems->push_back({file, 0, "", what});
    return;
  }
  const JsonPositions positions(text);
  for (const auto& d : positions.repeated_keys()) {
    problems->push_back({file, d.line, d.path,
                         "given twice (first on line " + std::to_string(d.first_line) + ")"});
  }
  RecordsFromTree(
      file, root, [&](const std::string& path) { return positions.LineOf(path); }, records,
      problems);
}

}  // namespace parallax::roster
