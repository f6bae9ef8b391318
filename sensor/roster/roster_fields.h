// Text-to-value parsers for roster fields, shared by the CSV, JSON and YAML loaders so that the
// three formats accept exactly the same spellings. Each returns nullopt/false and sets *error to a
// message that quotes the offending text; the caller adds the file, line and field.
// The CLI uses the Format* functions to print values as a roster spells them.
// Thread-safe: pure functions (the country table is built once).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sensor/roster/roster.h"

namespace parallax::roster {

// Leading and trailing spaces, tabs, CR and LF removed.
std::string_view Trim(std::string_view s);

// Splits a list cell on ';', ',' and whitespace; empty items are dropped.
std::vector<std::string> SplitList(std::string_view text);

// "a.b.c.d", "a.b.c.d/nn", "2001:db8::1", "2001:db8::/32". Host bits must be zero so that a
// typo such as 10.0.0.5/24 is caught instead of silently widened.
std::optional<Cidr> ParseCidr(std::string_view text, std::string* error);

// "aa:bb:cc:dd:ee:ff" or "aa-bb-cc-dd-ee-ff", either case.
std::optional<std::array<std::uint8_t, 6>> ParseMac(std::string_view text, std::string* error);
std::string FormatMac(const std::array<std::uint8_t, 6>& mac);  // lower case, ':'

// "HH:MM" (or "H:MM") to minutes after midnight. "24:00" only when allow_end_of_day.
std::optional<int> ParseClock(std::string_view text, bool allow_end_of_day, std::string* error);
std::string FormatClock(int minutes);

// "Mon-Fri", "Mon,Wed,Fri", "Sun-Thu" (ranges wrap), full names, any case. Bit 0 = Monday.
std::optional<std::uint8_t> ParseWorkDays(std::string_view text, std::string* error);
std::string FormatWorkDays(std::uint8_t days);

// A finite decimal number, the whole text.
std::optional<double> ParseNumber(std::string_view text, std::string* error);

// ISO 3166-1 alpha-2, upper case. Checked against tzdata's iso3166.tab when it is installed,
// else only the shape (two letters) is checked.
bool IsCountryCode(const std::string& code, std::string* error);

// An IANA zone present in the zoneinfo database ($TZDIR or /usr/share/zoneinfo): a regular file
// starting with the TZif magic, so that the tables beside the zones
// ("zone.tab", "iso3166.tab") are refused.
bool IsTimeZone(const std::string& name, std::string* error);

// The offset of the first byte that is not well-formed UTF-8 (RFC 3629: no overlong forms,
// surrogates or code points beyond U+10FFFF), or none. A roster saved as Latin-1 or Windows-1252
// is refused with that position rather than carried into alerts and reports.
std::optional<std::size_t> InvalidUtf8At(std::string_view text);

}  // namespace parallax::roster
