// Engine time: packet time in microseconds since the Unix epoch (Zeek's "network time").
// The wall clock is never read on the packet path; only sinks use wall time.
#pragma once

#include <cstdint>

namespace parallax::core {

using TimeUs = std::int64_t;

constexpr TimeUs kMicrosPerSecond = 1'000'000;
constexpr TimeUs kMicrosPerMilli = 1'000;

constexpr TimeUs Seconds(std::int64_t s) { return s * kMicrosPerSecond; }

}  // namespace parallax::core
