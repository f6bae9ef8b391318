// Reading one identity log (`--identity FORMAT:FILE`): every line through the format's adapter,
// users mapped to the roster, and a count of everything that did not become an event: records
// of no interest, users the roster does not have, lines not understood. Nothing is dropped
// without being counted, and one bad line never stops the rest of the file.
// Thread-safety: pure functions over their arguments.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sensor/core/status.h"
#include "sensor/identity/identity_adapter.h"
#include "sensor/roster/identity_events.h"
#include "sensor/roster/roster.h"

namespace parallax::identity {

struct IdentityLogReport {
  std::string format;
  std::string path;
  std::size_t lines = 0;    // non-blank lines read
  std::size_t events = 0;   // identity events made
  std::size_t ignored = 0;  // understood, binding no one (failures, logouts, other messages)
  std::map<std::string, std::size_t> unmapped_users;  // user -> records; not in the roster
  std::size_t unmapped_records = 0;
  struct BadLine {
    std::size_t line = 0;
    std::string message;
  };
  std::size_t bad_lines = 0;
  std::vector<BadLine> first_bad_lines;  // at most kKeptBadLines, in file order
  static constexpr std::size_t kKeptBadLines = 20;

  // "okta:FILE: 120 events, 4 records ignored, 3 users not in the roster (a@x, b@y, c@z),
  //  1 line not understood (line 57: ...)"
  std::string Summary() const;
  // "FILE:57: message", one per kept bad line.
  std::vector<std::string> BadLineMessages() const;
};

// "FORMAT:FILE" into its parts; the error names the known formats.
core::Status ParseIdentitySpec(const std::string& spec, std::string* format, std::string* path);

// Appends the file's events to *out (source = the format name, line = the file's line). Fails
// only when the format is unknown or the file cannot be read; bad lines are in the report.
// options.reference_time 0 is replaced by the file's modification time.
core::Status ReadIdentityLog(const std::string& format, const std::string& path,
                             const roster::Roster& roster, AdapterOptions options,
                             std::vector<roster::IdentityEvent>* out, IdentityLogReport* report);

}  // namespace parallax::identity
