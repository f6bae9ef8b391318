// Geometry and UTC offsets.
#include "geoip/geometry.h"

#include <catch2/catch.hpp>
#include <numbers>

#include "geoip/utc_offset.h"

namespace parallax::geoip {
namespace {

TEST_CASE("great-circle distances", "[geometry]") {
  // London (51.5074, -0.1278) to New York (40.7128, -74.0060): ~5570 km.
  CHECK(HaversineKm(51.5074, -0.1278, 40.7128, -74.0060) == Approx(5570).margin(15));
  // Sydney (-33.8688, 151.2093) to Tokyo (35.6762, 139.6503): ~7820 km.
  CHECK(HaversineKm(-33.8688, 151.2093, 35.6762, 139.6503) == Approx(7820).margin(30));
  CHECK(HaversineKm(10, 20, 10, 20) == 0.0);
  // Antipodes: half the circumference, no NaN.
  CHECK(HaversineKm(0, 0, 0, 180) == Approx(std::numbers::pi * kEarthRadiusKm).epsilon(1e-9));
}

TEST_CASE("RTT floor and distance bound", "[geometry]") {
  CHECK(RttFloorMs(5570) == Approx(55.7));
  CHECK(RttFloorMs(5570, kGoodPathStretch) == Approx(83.55));
  CHECK(MaxDistanceKm(110) == Approx(11000));
  CHECK(MaxDistanceKm(110, kPoorPathStretch) == Approx(5500));
  CHECK(MaxDistanceKm(-3) == 0.0);
  // The two are inverses for any stretch.
  CHECK(MaxDistanceKm(RttFloorMs(1234, 1.7), 1.7) == Approx(1234));
}

TEST_CASE("UTC offsets from the tz database and the longitude fallback", "[utc_offset]") {
  constexpr std::int64_t kJan2024 = 1704110400;  // 2024-01-01T12:00:00Z
  constexpr std::int64_t kJul2024 = 1720094400;  // 2024-07-04T12:00:00Z
  CHECK(ZoneOffsetMinutes("America/New_York", kJan2024) == -300);
  CHECK(ZoneOffsetMinutes("America/New_York", kJul2024) == -240);
  CHECK(ZoneOffsetMinutes("Europe/London", kJan2024) == 0);
  CHECK(ZoneOffsetMinutes("Europe/London", kJul2024) == 60);
  CHECK(ZoneOffsetMinutes("Asia/Kolkata", kJan2024) == 330);
  CHECK(ZoneOffsetMinutes("Asia/Pyongyang", kJan2024) == 540);
  CHECK(ZoneOffsetMinutes("Asia/Shanghai", kJul2024) == 480);
  CHECK_FALSE(ZoneOffsetMinutes("Mars/Olympus_Mons", kJan2024).has_value());
  CHECK_FALSE(ZoneOffsetMinutes("../../etc/passwd", kJan2024).has_value());

  CHECK(LongitudeOffsetMinutes(-122.08) == -480);
  CHECK(LongitudeOffsetMinutes(125.32) == 480);
  CHECK(LongitudeOffsetMinutes(-7.4) == 0);

  auto o = UtcOffsetFor("Asia/Tokyo", 139.75, kJan2024);
  REQUIRE(o.has_value());
  CHECK(o->minutes == 540);
  CHECK(o->source == UtcOffsetSource::kTimeZone);
  o = UtcOffsetFor("", -122.085, kJan2024);  // DB-IP Lite: no time zone
  REQUIRE(o.has_value());
  CHECK(o->minutes == -480);
  CHECK(o->source == UtcOffsetSource::kLongitude);
  CHECK_FALSE(UtcOffsetFor("", std::nullopt, kJan2024).has_value());
  CHECK(FormatUtcOffset(330) == "+05:30");
  CHECK(FormatUtcOffset(-480) == "-08:00");
}

}  // namespace
}  // namespace parallax::geoip
