// Engine time: packet time in microseconds since the Unix epoch (Zeek's "network time").
// The wall clock is never read on the packet path; only sinks use wall time.
#pragma once

#include <cstdint>

namespace parallax::core {

using TimeUs = std::int64_t;

constexpr TimeUs kMicrosPerSecond = 1'000'000;
constexpr TimeUs kMicrosPerMilli = 1'000;

constexpr TimeUs Seconds(std::int64_t s) { return s * kMicrosPerSecond; }

// The timestamps the sensor accepts from a capture: 1970-01-01T00:00:00Z to
// 9999-12-31T23:59:59.999999Z. Outside it a packet counts as `timestamp_out_of_range` and takes
// the last time seen (pcapng's 64-bit timestamps in whole seconds reach far beyond int64 µs).
constexpr TimeUs kEarliestTime = 0;
constexpr TimeUs kLatestTime = Seconds(253'402'300'799) + 999'999;
constexpr bool InTimeRange(TimeUs t) { return t >= kEarliestTime && t <= kLatestTime; }

// seconds + microseconds since the epoch, without overflow: outside the accepted range the
// result is kLatestTime + 1 or kEarliestTime - 1, which InTimeRange refuses.
constexpr TimeUs EpochTime(std::int64_t sec, std::int64_t usec) {
  if (sec > kLatestTime / kMicrosPerSecond) return kLatestTime + 1;
  if (sec < 0) return kEarliestTime - 1;
  if (usec < 0 || usec >= kMicrosPerSecond) {  // not from libpcap; keep it honest anyway
    return sec * kMicrosPerSecond + (usec < 0 ? 0 : kMicrosPerSecond - 1);
  }
  return sec * kMicrosPerSecond + usec;
}

}  // namespace parallax::core
