// RFC 5424 syslog messages for records, and RFC 6587 octet-counting framing for TCP:
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - MSG
// MSGID is the event type ("alert", "flow"...), MSG the record's JSON, no structured data. PRI
// is facility * 8 + severity; alerts map their Suricata-style `alert.severity` 1 -> crit (2),
// 2 -> err (3), 3 -> warning (4) (missing or other values: warning); other events are notice (5).
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "sensor/sinks/sink.h"

namespace parallax::sinks {

struct SyslogHeader {
  int facility = 16;  // local0
  std::string hostname;
  std::string app_name = "parallax";
  std::string procid;  // empty: "-"
};

// "kern", "user", ... "local7" -> facility code; false for unknown names.
bool ParseSyslogFacility(std::string_view name, int* code);
int SyslogSeverity(const Record& record);
// The message with a millisecond UTC timestamp; header fields are cut to RFC 5424's lengths and
// anything but printable US-ASCII in them becomes '_'.
std::string FormatSyslog(const Record& record, const SyslogHeader& header,
                         std::chrono::system_clock::time_point now);
// RFC 6587 octet counting: "LEN SP MSG".
std::string OctetCountingFrame(std::string_view message);

}  // namespace parallax::sinks
