#include "sensor/roster/roster_fields.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

namespace parallax::roster {
namespace {

constexpr const char* kDayNames[7] = {"monday", "tuesday",  "wednesday", "thursday",
                                      "friday", "saturday", "sunday"};
constexpr const char* kDayShort[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Quoted(std::string_view s) { return "'" + std::string(s) + "'"; }

// "mon", "monday" (any case) to 0..6; -1 otherwise.
int DayIndex(std::string_view token) {
  const std::string t = Lower(Trim(token));
  for (int i = 0; i < 7; ++i) {
    const std::string_view full = kDayNames[i];
    if (t == full || (t.size() == 3 && full.substr(0, 3) == t)) return i;
  }
  return -1;
}

std::string ZoneInfoDir() {
  // glibc honours TZDIR too; respecting it lets tests and unusual systems point elsewhere.
  const char* dir = std::getenv("TZDIR");
  return (dir && *dir) ? dir : "/usr/share/zoneinfo";
}

const std::set<std::string>& CountryCodes() {
  static const std::set<std::string> codes = [] {
    std::set<std::string> s;
    std::ifstream in(ZoneInfoDir() + "/iso3166.tab");
    std::string line;
    while (std::getline(in, line)) {
      if (line.size() >= 2 && line[0] != '#') s.insert(line.substr(0, 2));
    }
    return s;
  }();
  return codes;
}

}  // namespace

std::string_view Trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::vector<std::string> SplitList(std::string_view text) {
  std::vector<std::string> items;
  std::string cur;
  for (char c : text) {
    if (c == ';' || c == ',' || std::isspace(static_cast<unsigned char>(c))) {
      if (!cur.empty()) items.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) items.push_back(std::move(cur));
  return items;
}

std::optional<Cidr> ParseCidr(std::string_view text, std::string* error) {
  text = Trim(text);
  const auto slash = text.find('/');
  auto addr = core::IpAddress::Parse(text.substr(0, slash));
  if (!addr) {
    *error = "not an IP address or CIDR (" + Quoted(text) + ")";
    return std::nullopt;
  }
  const int max_prefix = addr->is_v4() ? 32 : 128;
  int prefix = max_prefix;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (p.empty() || ec != std::errc() || end != p.data() + p.size() || prefix < 0 ||
        prefix > max_prefix) {
      *error =
          "bad prefix length in " + Quoted(text) + " (0 to " + std::to_string(max_prefix) + ")";
      return std::nullopt;
    }
  }
  Cidr c{*addr, static_cast<std::uint8_t>(prefix)};
  // Masking the address and comparing tells whether any host bit was set.
  Cidr masked = c;
  std::uint8_t bytes[16];
  std::memcpy(bytes, addr->bytes(), addr->size());
  for (std::size_t i = 0; i < addr->size(); ++i) {
    const int bits = prefix - static_cast<int>(i) * 8;
    if (bits >= 8) continue;
    bytes[i] &= bits <= 0 ? 0 : static_cast<std::uint8_t>(0xFF << (8 - bits));
  }
  masked.network = addr->is_v4() ? core::IpAddress::V4(bytes) : core::IpAddress::V6(bytes);
  if (!(masked.network == c.network)) {
    *error = Quoted(text) + " has host bits set (did you mean " + masked.ToString() + "?)";
    return std::nullopt;
  }
  return c;
}

std::optional<std::array<std::uint8_t, 6>> ParseMac(std::string_view text, std::string* error) {
  text = Trim(text);
  std::array<std::uint8_t, 6> mac{};
  auto fail = [&] {
    *error = "not a MAC address (" + Quoted(text) + "; expected aa:bb:cc:dd:ee:ff)";
    return std::nullopt;
  };
  if (text.size() != 17) return fail();
  const char sep = text[2];
  if (sep != ':' && sep != '-') return fail();
  for (int i = 0; i < 6; ++i) {
    const std::size_t at = static_cast<std::size_t>(i) * 3;
    if (i > 0 && text[at - 1] != sep) return fail();
    auto [end, ec] = std::from_chars(text.data() + at, text.data() + at + 2, mac[i], 16);
    if (ec != std::errc() || end != text.data() + at + 2) return fail();
  }
  return mac;
}

std::string FormatMac(const std::array<std::uint8_t, 6>& mac) {
  static const char kHex[] = "0123456789abcdef";
  std::string s;
  for (std::size_t i = 0; i < mac.size(); ++i) {
    if (i) s.push_back(':');
    s.push_back(kHex[mac[i] >> 4]);
    s.push_back(kHex[mac[i] & 0xF]);
  }
  return s;
}

std::optional<int> ParseClock(std::string_view text, bool allow_end_of_day, std::string* error) {
  text = Trim(text);
  const auto colon = text.find(':');
  int h = -1, m = -1;
  bool ok =
      colon != std::string_view::npos && (colon == 1 || colon == 2) && text.size() == colon + 3;
  if (ok) {
    auto r1 = std::from_chars(text.data(), text.data() + colon, h);
    auto r2 = std::from_chars(text.data() + colon + 1, text.data() + text.size(), m);
    ok = r1.ec == std::errc() && r1.ptr == text.data() + colon && r2.ec == std::errc() &&
         r2.ptr == text.data() + text.size() && h >= 0 && m >= 0 && m < 60 &&
         (h < 24 || (allow_end_of_day && h == 24 && m == 0));
  }
  if (!ok) {
    *error = "not a time of day (" + Quoted(text) + "; expected HH:MM, 00:00 to " +
             (allow_end_of_day ? "24:00" : "23:59") + ")";
    return std::nullopt;
  }
  return h * 60 + m;
}

std::string FormatClock(int minutes) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60 % 100, minutes % 60);
  return buf;
}

std::optional<std::uint8_t> ParseWorkDays(std::string_view text, std::string* error) {
  std::uint8_t days = 0;
  for (const auto& token : SplitList(text)) {
    const auto dash = token.find('-');
    const int from = DayIndex(std::string_view(token).substr(0, dash));
    const int to = dash == std::string::npos ? from : DayIndex(token.substr(dash + 1));
    if (from < 0 || to < 0) {
      *error = "not a day or day range (" + Quoted(token) + "; expected e.g. Mon-Fri, Mon,Wed,Fri)";
      return std::nullopt;
    }
    // Ranges run forward through the week and wrap, so "Sun-Thu" is Sunday to Thursday.
    for (int d = from;; d = (d + 1) % 7) {
      days |= static_cast<std::uint8_t>(1u << d);
      if (d == to) break;
    }
  }
  if (days == 0) {
    *error = "no working days given";
    return std::nullopt;
  }
  return days;
}

std::string FormatWorkDays(std::uint8_t days) {
  days &= 0x7F;
  if (days == 0x7F) return "Mon-Sun";
  // Print from Monday, except that a run wrapping over the weekend ("Sun-Thu") comes first.
  int start = 0;
  if ((days & 0x01) && (days & 0x40)) {
    start = 6;
    while (days & (1u << ((start + 6) % 7))) start = (start + 6) % 7;
  }
  std::string out;
  for (int i = 0; i < 7; ++i) {
    const int d = (start + i) % 7;
    if (!(days & (1u << d))) continue;
    if (days & (1u << ((d + 6) % 7))) continue;  // not the first day of its run
    int len = 1;
    while (days & (1u << ((d + len) % 7))) ++len;
    if (!out.empty()) out += ",";
    out += kDayShort[d];
    if (len == 2) out += std::string(",") + kDayShort[(d + 1) % 7];
    if (len >= 3) out += std::string("-") + kDayShort[(d + len - 1) % 7];
  }
  return out;
}

std::optional<double> ParseNumber(std::string_view text, std::string* error) {
  text = Trim(text);
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
    *error = "not a number (" + Quoted(text) + ")";
    return std::nullopt;
  }
  return v;
}

bool IsCountryCode(const std::string& code, std::string* error) {
  const bool shape = code.size() == 2 && std::isupper(static_cast<unsigned char>(code[0])) &&
                     std::isupper(static_cast<unsigned char>(code[1]));
  const auto& codes = CountryCodes();
  if (shape && (codes.empty() || codes.count(code))) return true;
  *error = "not an ISO 3166-1 alpha-2 country code (" + Quoted(code) + ")";
  // The usual slip: the United Kingdom's code is GB.
  if (code == "UK") *error += "; the United Kingdom is GB";
  return false;
}

bool IsTimeZone(const std::string& name, std::string* error) {
  const std::string dir = ZoneInfoDir();
  bool ok = !name.empty() && name[0] != '/' && name.find("..") == std::string::npos;
  for (char c : name) {
    ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '/' || c == '_' || c == '-' ||
                c == '+');
  }
  if (ok) {
    std::error_code ec;
    const std::string path = dir + "/" + name;
    char magic[4] = {0, 0, 0, 0};
    if (std::filesystem::is_regular_file(path, ec)) {
      std::ifstream in(path, std::ios::binary);
      in.read(magic, 4);
    }
    ok = std::string_view(magic, 4) == "TZif";
  }
  if (!ok) {
    *error = "unknown time zone (" + Quoted(name) + " is not an IANA zone in " + dir + ")";
  }
  return ok;
}

std::optional<std::size_t> InvalidUtf8At(std::string_view text) {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    const unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned char lo = 0x80, hi = 0xBF;  // the allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;  // overlong
      if (c == 0xED) hi = 0x9F;  // surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;  // overlong
      if (c == 0xF4) hi = 0x8F;  // beyond U+10FFFF
    } else {
      return i;
    }
    if (i + len > n || p[i + 1] < lo || p[i + 1] > hi) return i;
    for (std::size_t k = 2; k < len; ++k) {
      if ((p[i + k] & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return std::nullopt;
}

}  // namespace parallax::roster
