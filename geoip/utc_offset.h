// UTC offset of a place: from its IANA time zone when the database gives one, otherwise from
// its longitude.
//
// Time zones are read from the system's compiled tz database (/usr/share/zoneinfo, Debian
// tzdata) by a small TZif reader, not through setenv("TZ")/localtime_r: changing TZ is
// process-global and would race with every other thread formatting local time.
// Fallback: round(longitude / 15) hours, the nominal solar zone. It ignores political borders
// (China is UTC+8 across 60 degrees of longitude) and daylight saving, so it is labelled as a
// fallback in every answer.
//
// Thread-safety: safe for concurrent access; loaded zones are cached behind a mutex.
#ifndef PARALLAX_GEOIP_UTC_OFFSET_H_
#define PARALLAX_GEOIP_UTC_OFFSET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parallax::geoip {

enum class UtcOffsetSource { kTimeZone, kLongitude };

struct UtcOffset {
  int minutes = 0;  // east of UTC, e.g. -300 for New York in winter
  UtcOffsetSource source = UtcOffsetSource::kLongitude;
};

std::string_view UtcOffsetSourceName(UtcOffsetSource source);  // "time_zone", "longitude"
// "+05:30", "-08:00", "+00:00".
std::string FormatUtcOffset(int minutes);

// Offset of IANA zone `zone` at `unix_seconds`, or nullopt when the zone is unknown or its file
// unreadable. `zoneinfo_dir` is for tests.
std::optional<int> ZoneOffsetMinutes(std::string_view zone, std::int64_t unix_seconds,
                                     const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

// round(longitude / 15) hours, in minutes; longitudes are clamped to [-180, 180].
int LongitudeOffsetMinutes(double longitude);

// The zone's offset when `zone` is known, else the longitude fallback when `longitude` is
// given, else nullopt.
std::optional<UtcOffset> UtcOffsetFor(std::string_view zone, std::optional<double> longitude,
                                      std::int64_t unix_seconds);

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_UTC_OFFSET_H_
