#include "geoip/utc_offset.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

namespace parallax::geoip {
namespace {

// The parts of a TZif file (RFC 8536) needed to answer "offset at time t".
struct Zone {
  std::vector<std::int64_t> transitions;   // ascending UTC seconds
  std::vector<std::uint8_t> type_of;       // local time type in force from transitions[i]
  std::vector<std::int32_t> type_offsets;  // seconds east of UTC per local time type
  std::optional<std::int32_t> footer_std;  // fixed offset from a DST-free footer ("CST-8")
};

std::uint32_t Be32(const unsigned char* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

std::int64_t Be64(const unsigned char* p) {
  return static_cast<std::int64_t>((std::uint64_t{Be32(p)} << 32) | Be32(p + 4));
}

// A footer without a DST rule is "NAME[+-]hh[:mm[:ss]]", offset west of UTC (POSIX);
// e.g. "<+08>-8" or "CST-8". With a DST rule (a comma) we return nullopt and the caller keeps
// the last transition's type: fat TZif files (Debian's) list transitions up to 2037.
std::optional<std::int32_t> ParseFixedFooter(const std::string& tz) {
  if (tz.empty() || tz.find(',') != std::string::npos) return std::nullopt;
  std::size_t i = 0;
  if (tz[0] == '<') {
    i = tz.find('>');
    if (i == std::string::npos) return std::nullopt;
    ++i;
  } else {
    while (i < tz.size() && std::isalpha(static_cast<unsigned char>(tz[i]))) ++i;
  }
  if (i == tz.size()) return std::nullopt;
  int sign = 1;
  if (tz[i] == '+' || tz[i] == '-') sign = tz[i++] == '-' ? -1 : 1;
  int h = 0, m = 0, s = 0;
  const int n = std::sscanf(tz.c_str() + i, "%d:%d:%d", &h, &m, &s);
  if (n < 1) return std::nullopt;
  // A trailing DST name without rules ("EST5EDT") means DST exists: not a fixed offset.
  std::size_t j = i;
  while (j < tz.size() && (std::isdigit(static_cast<unsigned char>(tz[j])) || tz[j] == ':')) ++j;
  if (j != tz.size()) return std::nullopt;
  return static_cast<std::int32_t>(-sign * (h * 3600 + m * 60 + s));
}

std::shared_ptr<const Zone> LoadZone(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  const std::vector<unsigned char> f((std::istreambuf_iterator<char>(in)),
                                     std::istreambuf_iterator<char>());
  constexpr std::size_t kHeader = 44;
  if (f.size() < kHeader || f[0] != 'T' || f[1] != 'Z' || f[2] != 'i' || f[3] != 'f')
    return nullptr;
  auto counts = [&](std::size_t at, std::uint32_t c[6]) {
    for (int k = 0; k < 6; ++k) c[k] = Be32(&f[at + 20 + 4 * k]);
  };
  std::uint32_t c[6];  // isutcnt isstdcnt leapcnt timecnt typecnt charcnt
  counts(0, c);
  const int time_size = f[4] >= '2' ? 8 : 4;
  std::size_t at = kHeader;
  if (time_size == 8) {
    // Skip the v1 (32-bit) block to the v2+ header and its 64-bit block.
    const std::size_t v1 =
        std::size_t{c[3]} * 5 + std::size_t{c[4]} * 6 + c[5] + std::size_t{c[2]} * 8 + c[1] + c[0];
    at += v1;
    if (f.size() < at + kHeader) return nullptr;
    counts(at, c);
    at += kHeader;
  }
  const std::size_t timecnt = c[3], typecnt = c[4];
  const std::size_t block = timecnt * time_size + timecnt + typecnt * 6 + c[5] +
                            std::size_t{c[2]} * (time_size + 4) + c[1] + c[0];
  if (typecnt == 0 || f.size() < at + block) return nullptr;
  auto zone = std::make_shared<Zone>();
  for (std::size_t k = 0; k < timecnt; ++k) {
    zone->transitions.push_back(time_size == 8 ? Be64(&f[at + 8 * k])
                                               : static_cast<std::int32_t>(Be32(&f[at + 4 * k])));
  }
  at += timecnt * time_size;
  for (std::size_t k = 0; k < timecnt; ++k) {
    if (f[at + k] >= typecnt) return nullptr;
    zone->type_of.push_back(f[at + k]);
  }
  at += timecnt;
  for (std::size_t k = 0; k < typecnt; ++k) {
    zone->type_offsets.push_back(static_cast<std::int32_t>(Be32(&f[at + 6 * k])));
  }
  at += block - timecnt * time_size - timecnt;
  if (time_size == 8 && at < f.size() && f[at] == '\n') {
    const auto end = std::find(f.begin() + static_cast<std::ptrdiff_t>(at) + 1, f.end(), '\n');
    zone->footer_std =
        ParseFixedFooter(std::string(f.begin() + static_cast<std::ptrdiff_t>(at) + 1, end));
  }
  return zone;
}

bool ValidZoneName(std::string_view zone) {
  if (zone.empty() || zone.size() > 64 || zone.front() == '/' ||
      zone.find("..") != std::string_view::npos)
    return false;
  return std::all_of(zone.begin(), zone.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-' ||
           ch == '+';
  });
}

}  // namespace

std::string_view UtcOffsetSourceName(UtcOffsetSource source) {
  return source == UtcOffsetSource::kTimeZone ? "time_zone" : "longitude";
}

std::string FormatUtcOffset(int minutes) {
  char buf[16];
  const int a = std::abs(minutes);
  std::snprintf(buf, sizeof(buf), "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60 % 100, a % 60);
  return buf;
}

std::optional<int> ZoneOffsetMinutes(std::string_view zone, std::int64_t unix_seconds,
                                     const std::string& zoneinfo_dir) {
  if (!ValidZoneName(zone)) return std::nullopt;
  const std::string path = zoneinfo_dir + "/" + std::string(zone);
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Zone>> cache;  // nullptr: known bad
  std::shared_ptr<const Zone> z;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = cache.find(path);
    if (it == cache.end()) it = cache.emplace(path, LoadZone(path)).first;
    z = it->second;
  }
  if (!z) return std::nullopt;
  std::int32_t offset;
  const auto& t = z->transitions;
  if (t.empty() || unix_seconds < t.front()) {
    offset = z->type_offsets[0];  // RFC 8536: type 0 applies before the first transition
  } else {
    const auto idx = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), unix_seconds) -
                                              t.begin() - 1);
    offset = z->type_offsets[z->type_of[idx]];
    if (idx + 1 == t.size() && z->footer_std) offset = *z->footer_std;
  }
  return offset / 60;
}

int LongitudeOffsetMinutes(double longitude) {
  if (!std::isfinite(longitude)) return 0;
  longitude = std::clamp(longitude, -180.0, 180.0);
  return static_cast<int>(std::lround(longitude / 15.0)) * 60;
}

std::optional<UtcOffset> UtcOffsetFor(std::string_view zone, std::optional<double> longitude,
                                      std::int64_t unix_seconds) {
  if (!zone.empty()) {
    if (const auto m = ZoneOffsetMinutes(zone, unix_seconds))
      return UtcOffset{*m, UtcOffsetSource::kTimeZone};
  }
  if (longitude) return UtcOffset{LongitudeOffsetMinutes(*longitude), UtcOffsetSource::kLongitude};
  return std::nullopt;
}

}  // namespace parallax::geoip
