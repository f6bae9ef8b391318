// Structured, rate-limited logging for the daemon and its sinks: one JSON object per line on
// stderr (journald and container runtimes collect it), e.g.
//   {"ts":"2026-11-21T10:00:00.123Z","level":"warn","component":"sink","msg":"delivery failed",
//    "sink":"soc-webhook","error":"connection refused"}
// Each (component, msg) pair may log at most `burst` lines per minute; what is held back is
// counted and reported with the next line that passes ("suppressed":N). Nothing logs per packet.
// Thread-safety: thread-safe.
#pragma once

#include <chrono>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace parallax::log {

enum class Level { kDebug, kInfo, kWarn, kError };

using Field = std::pair<std::string_view, std::string>;

// "2026-11-21T10:00:00.123Z": RFC 3339 in UTC with milliseconds (log lines, syslog headers).
std::string Rfc3339Millis(std::chrono::system_clock::time_point t);

void SetLevel(Level min_level);
bool ParseLevel(std::string_view name, Level* out);
void SetBurst(unsigned lines_per_minute);

void Write(Level level, std::string_view component, std::string_view msg,
           std::initializer_list<Field> fields = {});
inline void Info(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kInfo, c, m, f);
}
inline void Warn(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kWarn, c, m, f);
}
inline void Error(std::string_view c, std::string_view m, std::initializer_list<Field> f = {}) {
  Write(Level::kError, c, m, f);
}

}  // namespace parallax::log
