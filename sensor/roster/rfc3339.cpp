#include "sensor/roster/rfc3339.h"

#include <cctype>

namespace parallax::roster {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil), which
// avoids timegm() and the process time zone.
std::int64_t DaysFromCivil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

bool LeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && LeapYear(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at *pos.
bool Digits(std::string_view s, std::size_t* pos, int n, int* out) {
  if (*pos + static_cast<std::size_t>(n) > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    const char c = s[*pos + static_cast<std::size_t>(i)];
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
    v = v * 10 + (c - '0');
  }
  *pos += static_cast<std::size_t>(n);
  *out = v;
  return true;
}

bool Expect(std::string_view s, std::size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

}  // namespace

std::optional<core::TimeUs> ParseRfc3339(std::string_view s, std::string* error) {
  auto fail = [&](const char* why) {
    *error = "not an RFC 3339 time ('" + std::string(s) + "'): " + why;
    return std::nullopt;
  };
  std::size_t p = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0;
  if (!Digits(s, &p, 4, &y) || !Expect(s, &p, '-') || !Digits(s, &p, 2, &mo) ||
      !Expect(s, &p, '-') || !Digits(s, &p, 2, &d)) {
    return fail("expected YYYY-MM-DD");
  }
  if (p >= s.size() || (s[p] != 'T' && s[p] != 't' && s[p] != ' ')) {
    return fail("expected 'T' and a time after the date");
  }
  ++p;
  if (!Digits(s, &p, 2, &h) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &mi) ||
      !Expect(s, &p, ':') || !Digits(s, &p, 2, &sec)) {
    return fail("expected hh:mm:ss");
  }
  if (mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 || sec > 60) {
    return fail("date or time out of range");
  }
  core::TimeUs frac = 0;
  if (p < s.size() && s[p] == '.') {
    ++p;
    int digits = 0;
    core::TimeUs scale = 100'000;
    while (p < s.size() && std::isdigit(static_cast<unsigned char>(s[p]))) {
      if (digits < 6) frac += (s[p] - '0') * scale;
      scale /= 10;
      ++digits;
      ++p;
    }
    if (digits == 0 || digits > 9) return fail("expected 1 to 9 digits after '.'");
  }
  int offset_minutes = 0;
  if (p < s.size() && (s[p] == 'Z' || s[p] == 'z')) {
    ++p;
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int sign = s[p] == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    if (!Digits(s, &p, 2, &oh) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &om) || oh > 23 ||
        om > 59) {
      return fail("expected an offset +hh:mm or -hh:mm");
    }
    offset_minutes = sign * (oh * 60 + om);
  } else {
    return fail("expected 'Z' or an offset such as +01:00");
  }
  if (p != s.size()) return fail("unexpected text after the offset");
  if (sec == 60) {
    sec = 59;
    frac = core::kMicrosPerSecond - 1;
  }
  const std::int64_t days = DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  const std::int64_t seconds = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return core::Seconds(seconds) + frac;
}

}  // namespace parallax::roster
