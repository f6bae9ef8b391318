// RFC 3339 timestamps ("2026-01-05T14:00:00Z", "2026-01-05T09:00:00.250-05:00") to engine time.
// Internal to parallax_roster. Thread-safe: pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sensor/core/time.h"

namespace parallax::roster {

// Accepts 'T', 't' or ' ' between date and time, 'Z'/'z' or a +hh:mm/-hh:mm offset, and up to
// nine fraction digits (kept to the microsecond). A leap second (:60) is read as :59.999999 so
// that time never runs backwards across it.
std::optional<core::TimeUs> ParseRfc3339(std::string_view text, std::string* error);

}  // namespace parallax::roster
