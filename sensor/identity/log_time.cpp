#include "sensor/identity/log_time.h"

#include <cctype>
#include <cstring>

#include "sensor/roster/rfc3339.h"

namespace parallax::identity {
namespace {

constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

int MonthOf(std::string_view name) {
  if (name.size() != 3) return 0;
  for (int m = 0; m < 12; ++m) {
    if (name == kMonths[m]) return m + 1;
  }
  return 0;
}

// Digits at the front of *s (at most `max`), consumed; -1 when there are none.
int Number(std::string_view* s, std::size_t max) {
  std::size_t n = 0;
  int v = 0;
  while (n < s->size() && n < max && std::isdigit(static_cast<unsigned char>((*s)[n]))) {
    v = v * 10 + ((*s)[n] - '0');
    ++n;
  }
  if (n == 0) return -1;
  s->remove_prefix(n);
  return v;
}

bool Eat(std::string_view* s, char c) {
  if (s->empty() || s->front() != c) return false;
  s->remove_prefix(1);
  return true;
}

void SkipBlanks(std::string_view* s) {
  while (!s->empty() && (s->front() == ' ' || s->front() == '\t')) s->remove_prefix(1);
}

// "hh:mm:ss" with an optional ".fraction" (dropped: syslog fractions are milliseconds at most
// and a binding's second is precise enough).
bool Clock(std::string_view* s, int* h, int* m, int* sec) {
  *h = Number(s, 2);
  if (*h < 0 || !Eat(s, ':')) return false;
  *m = Number(s, 2);
  if (*m < 0 || !Eat(s, ':')) return false;
  *sec = Number(s, 2);
  if (*sec < 0) return false;
  if (Eat(s, '.')) Number(s, 9);
  return true;
}

std::optional<core::TimeUs> Local(int y, int mo, int d, int h, int mi, int s, int offset_minutes,
                                  std::string* error) {
  auto secs = CivilSeconds(y, mo, d, h, mi, s == 60 ? 59 : s);
  if (!secs) {
    *error = "no such date or time";
    return std::nullopt;
  }
  const core::TimeUs t = core::Seconds(*secs - std::int64_t{offset_minutes} * 60);
  if (!core::InTimeRange(t)) {
    *error = "time out of range";
    return std::nullopt;
  }
  return t;
}

}  // namespace

std::optional<std::int64_t> CivilSeconds(int year, int month, int day, int hour, int minute,
                                         int second) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1970 || year > 9999 || month < 1 || month > 12 || day < 1 || hour > 23 ||
      minute > 59 || second > 59 || hour < 0 || minute < 0 || second < 0) {
    return std::nullopt;
  }
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (day > kDays[month - 1] + (month == 2 && leap ? 1 : 0)) return std::nullopt;
  // Days from the civil date (H. Hinnant's algorithm, years starting in March).
  const int y = year - (month <= 2 ? 1 : 0);
  const int era = y / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  const std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
  return days * 86400 + hour * 3600 + minute * 60 + second;
}

std::optional<core::TimeUs> ParseIsoTime(std::string_view text, std::string* error) {
  return roster::ParseRfc3339(text, error);
}

std::optional<core::TimeUs> ConsumeSyslogTime(std::string_view* text, const AdapterOptions& options,
                                              std::string* error) {
  std::string_view s = *text;
  if (!s.empty() && std::isdigit(static_cast<unsigned char>(s.front()))) {
    // RFC 5424 / "logging timestamp rfc5424": one token.
    const std::size_t end = std::min(s.find(' '), s.size());
    auto t = ParseIsoTime(s.substr(0, end), error);
    if (!t) return std::nullopt;
    s.remove_prefix(end);
    SkipBlanks(&s);
    *text = s;
    return t;
  }
  const int month = MonthOf(s.substr(0, 3));
  if (month == 0) {
    *error = "expected a syslog timestamp (\"Oct 10 12:34:56\") at the start";
    return std::nullopt;
  }
  s.remove_prefix(3);
  SkipBlanks(&s);  // RFC 3164 pads the day with a blank: "May  5"
  const int day = Number(&s, 2);
  SkipBlanks(&s);
  int year = -1;
  std::string_view peek = s;
  if (int y = Number(&peek, 4); y >= 1000 && !peek.empty() && peek.front() == ' ') {
    year = y;
    s = peek;
    SkipBlanks(&s);
  }
  int h = 0, mi = 0, sec = 0;
  // Cisco writes "Jun 22 2022 13:29:12: %ASA-..." when no device id follows the time.
  if (day < 1 || !Clock(&s, &h, &mi, &sec) ||
      (!s.empty() && s.front() != ' ' && s.front() != ':')) {
    *error = "expected a syslog timestamp (\"Oct 10 12:34:56\") at the start";
    return std::nullopt;
  }
  SkipBlanks(&s);
  std::optional<core::TimeUs> t;
  if (year >= 0) {
    t = Local(year, month, day, h, mi, sec, options.utc_offset_minutes, error);
  } else {
    if (options.reference_time <= 0) {
      *error = "syslog timestamp without a year and no reference time to infer it";
      return std::nullopt;
    }
    // The latest year that does not put the time more than a day after the reference (clock
    // skew between the gateway and the host that wrote the file): the rule syslog readers use.
    const std::int64_t ref_s = options.reference_time / core::kMicrosPerSecond;
    const int ref_year = 1970 + static_cast<int>(ref_s / 31'556'952);  // close; corrected below
    for (int y = ref_year + 1; y >= ref_year - 8 && !t; --y) {         // 8: Feb 29 across 2100
      std::string ignored;
      auto c = Local(y, month, day, h, mi, sec, options.utc_offset_minutes, &ignored);
      if (c && *c <= options.reference_time + core::Seconds(86400)) t = c;
    }
    if (!t) {
      *error = "no such date or time";
      return std::nullopt;
    }
  }
  if (!t) return std::nullopt;
  *text = s;
  return t;
}

std::optional<core::TimeUs> ParseLocalDateTime(std::string_view text, int offset_minutes,
                                               std::string* error) {
  std::string_view s = text;
  const int y = Number(&s, 4);
  const char sep = s.empty() ? 0 : s.front();
  int mo = -1, d = -1, h = 0, mi = 0, sec = 0;
  if (y >= 0 && (sep == '/' || sep == '-') && Eat(&s, sep)) {
    mo = Number(&s, 2);
    if (Eat(&s, sep)) d = Number(&s, 2);
  }
  if (d < 0 || !Eat(&s, ' ') || !Clock(&s, &h, &mi, &sec) || !s.empty()) {
    *error = "expected yyyy/mm/dd hh:mm:ss ('" + std::string(text) + "')";
    return std::nullopt;
  }
  return Local(y, mo, d, h, mi, sec, offset_minutes, error);
}

std::optional<core::TimeUs> ParseCtime(std::string_view text, int offset_minutes,
                                       std::string* error) {
  std::string_view s = text;
  int mo = 0, d = -1, y = -1, h = 0, mi = 0, sec = 0;
  if (s.size() > 8 && s[3] == ' ') {
    s.remove_prefix(4);  // the weekday says nothing the date does not
    mo = MonthOf(s.substr(0, 3));
    s.remove_prefix(3);
    SkipBlanks(&s);
    d = Number(&s, 2);
    SkipBlanks(&s);
  }
  bool ok = mo > 0 && d > 0 && Clock(&s, &h, &mi, &sec);
  if (ok) {
    SkipBlanks(&s);
    y = Number(&s, 4);
    ok = y > 0 && s.empty();
  }
  if (!ok) {
    *error = "expected a time such as 'Thu Jun 13 10:00:00 2019' ('" + std::string(text) + "')";
    return std::nullopt;
  }
  return Local(y, mo, d, h, mi, sec, offset_minutes, error);
}

}  // namespace parallax::identity
