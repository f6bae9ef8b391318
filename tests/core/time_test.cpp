#include <catch2/catch.hpp>
#include <cstdint>
#include <limits>

#include "sensor/core/time.h"

using namespace parallax::core;

TEST_CASE("EpochTime converts capture seconds and microseconds without overflow") {
  CHECK(EpochTime(1'767'225'600, 250'000) == 1'767'225'600'250'000);
  CHECK(InTimeRange(EpochTime(0, 0)));
  CHECK(InTimeRange(EpochTime(253'402'300'799, 999'999)));  // 9999-12-31T23:59:59.999999Z
  // pcapng in whole seconds reaches 2^64 s: these once overflowed int64 microseconds (UB).
  CHECK_FALSE(InTimeRange(EpochTime(253'402'300'800, 0)));
  CHECK_FALSE(InTimeRange(EpochTime(std::int64_t{1} << 62, 0)));
  CHECK_FALSE(InTimeRange(EpochTime(std::numeric_limits<std::int64_t>::max(), 999'999)));
  CHECK_FALSE(InTimeRange(EpochTime(-1, 0)));
  CHECK_FALSE(InTimeRange(EpochTime(std::numeric_limits<std::int64_t>::min(), 0)));
  CHECK(EpochTime(10, 2'000'000) == Seconds(10) + 999'999);  // out-of-range fraction clamped
}
