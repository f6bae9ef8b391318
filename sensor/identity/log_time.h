// The timestamp spellings of identity logs, to engine time: RFC 3339 (JSON logs, RFC 5424
// syslog), RFC 3164 syslog ("Oct 10 12:34:56", and Cisco's "Oct 10 2018 12:34:56"), PAN-OS
// ("2021/03/24 11:30:00") and ctime ("Thu Jun 13 10:00:00 2019", OpenVPN). Zone-less forms take
// AdapterOptions::utc_offset_minutes; year-less ones its reference_time.
// Thread-safe: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sensor/core/time.h"
#include "sensor/identity/identity_adapter.h"

namespace parallax::identity {

// Seconds since the epoch of a civil UTC date and time; nullopt when a field is out of range
// (month 13, Feb 30, 25:00).
std::optional<std::int64_t> CivilSeconds(int year, int month, int day, int hour, int minute,
                                         int second);

// An RFC 3339 text (the whole text).
std::optional<core::TimeUs> ParseIsoTime(std::string_view text, std::string* error);

// A syslog header timestamp at the front of *text, consumed with the blanks after it:
// "Mmm dd hh:mm:ss", "Mmm dd yyyy hh:mm:ss" or an RFC 3339 token.
std::optional<core::TimeUs> ConsumeSyslogTime(std::string_view* text, const AdapterOptions& options,
                                              std::string* error);

// "yyyy/mm/dd hh:mm:ss" or "yyyy-mm-dd hh:mm:ss" (the whole text), in the zone `offset_minutes`
// east of UTC.
std::optional<core::TimeUs> ParseLocalDateTime(std::string_view text, int offset_minutes,
                                               std::string* error);

// "Www Mmm dd hh:mm:ss yyyy" (C's ctime, the whole text), local at `offset_minutes`.
std::optional<core::TimeUs> ParseCtime(std::string_view text, int offset_minutes,
                                       std::string* error);

}  // namespace parallax::identity
