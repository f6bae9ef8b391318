// Flow records as JSON lines (docs/flow-record.md): what `parallax read --records` writes and
// `parallax correlate` reads. Exact: integers for times (microseconds) and counts, doubles written
// so that they read back bit for bit, so a record judged from its line judges as the flow did.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sensor/core/status.h"
#include "sensor/record/flow_record.h"

namespace parallax::record {

nlohmann::ordered_json FlowRecordJson(const FlowRecord& record);
// One line, no newline; invalid UTF-8 (from a hostname or certificate) becomes U+FFFD.
std::string FlowRecordLine(const FlowRecord& record);

// Reads one line. Errors name the field ("fingerprints[1].kind: unknown kind 'x'"); the caller
// adds the file and line. A record of a newer version is refused, not guessed at.
core::Status ParseFlowRecord(std::string_view line, FlowRecord* out);

}  // namespace parallax::record
