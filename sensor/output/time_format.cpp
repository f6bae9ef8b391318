#include "sensor/output/time_format.h"

#include <cstdio>
#include <ctime>

namespace parallax::output {

std::string FormatTimestamp(core::TimeUs ts) {
  std::time_t secs = static_cast<std::time_t>(ts / core::kMicrosPerSecond);
  long usec = static_cast<long>(ts % core::kMicrosPerSecond);
  if (usec < 0) {  // times before 1970 (corrupt captures): floor, not truncate
    usec += core::kMicrosPerSecond;
    --secs;
  }
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06ld+0000", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, usec);
  return buf;
}

}  // namespace parallax::output
