// FortiGate (FortiOS 6.x/7.x) event logs, one per line: an optional syslog <PRI> and header,
// then key=value pairs (values bare or "quoted"), per the FortiOS Log Message Reference.
// A binding is a VPN tunnel coming up:
//   type=event subtype=vpn action=tunnel-up, with user (SSL VPN, log id 0101039947) or
//   xauthuser (IPsec dial-up, 0101037138) not "N/A": public address remip, tunnel address
//   tunnelip (SSL VPN) or assignip (IPsec).
// Time: eventtime (epoch in s, ms, us or ns, told apart by size) when present, else date and
// time with the tz="+hhmm" field, else date and time at the AdapterOptions offset.
// Everything else (tunnel-down, ssl-new-con, IPsec negotiation, FSSO, admin logins, traffic)
// is ignored; a line without type= and subtype= keys is not understood.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/log_address.h"
#include "sensor/identity/log_time.h"

namespace parallax::identity {
namespace {

// key=value pairs; false on an unterminated quote.
bool SplitPairs(std::string_view s, std::map<std::string, std::string, std::less<>>* out) {
  out->clear();
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    const std::size_t key_start = i;
    while (i < s.size() && s[i] != '=' && s[i] != ' ') ++i;
    if (i >= s.size() || s[i] != '=') continue;  // a word without '=' (syslog header)
    std::string key(s.substr(key_start, i - key_start));
    ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      const std::size_t close = s.find('"', i + 1);
      if (close == std::string_view::npos) return false;
      value = std::string(s.substr(i + 1, close - i - 1));
      i = close + 1;
    } else {
      const std::size_t end = std::min(s.find(' ', i), s.size());
      value = std::string(s.substr(i, end - i));
      i = end;
    }
    out->insert_or_assign(std::move(key), std::move(value));
  }
  return true;
}

bool Digits(std::string_view s) {  // for tz
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c));
  });
}

class FortiGateAdapter : public IdentityAdapter {
 public:
  explicit FortiGateAdapter(const AdapterOptions& options) : options_(options) {}

  LineResult Parse(std::string_view line) override {
    if (!line.empty() && line.front() == '<') {  // <PRI>
      line.remove_prefix(std::min(line.find('>') + 1, line.size()));
    }
    if (!SplitPairs(line, &kv_)) return LineResult::Malformed("unterminated quoted value");
    auto get = [&](std::string_view key) -> std::string {
      auto it = kv_.find(key);
      return it == kv_.end() ? std::string() : it->second;
    };
    if (get("type").empty() || get("subtype").empty()) {
      return LineResult::Malformed("no type= and subtype= keys (not a FortiOS log)");
    }
    if (get("type") != "event" || get("subtype") != "vpn" || get("action") != "tunnel-up") {
      return LineResult::Ignored();
    }
    VendorLogin login;
    login.user = get("user");
    if (login.user.empty() || login.user == "N/A") login.user = get("xauthuser");
    if (login.user.empty() || login.user == "N/A") return LineResult::Ignored();  // site-to-site

    std::string error;
    if (auto t = Time(get("eventtime"), get("date"), get("time"), get("tz"), &error)) {
      login.ts = *t;
    } else {
      return LineResult::Malformed(error);
    }
    core::IpAddress a;
    if (!ReadLogAddress(get("remip"), "remip", &login.public_ip, &error)) {
      return LineResult::Malformed(error);
    }
    const std::string inner = get("tunnelip").empty() ? get("assignip") : get("tunnelip");
    if (!ReadLogAddress(inner, "tunnelip/assignip", &login.internal_ip, &error)) {
      return LineResult::Malformed(error);
    }
    if (!login.public_ip && !login.internal_ip) return LineResult::Ignored();
    return LineResult::Login(std::move(login));
  }

 private:
  std::optional<core::TimeUs> Time(const std::string& eventtime, const std::string& date,
                                   const std::string& clock, const std::string& tz,
                                   std::string* error) const {
    if (!eventtime.empty()) {
      std::int64_t v = 0;
      const char* end = eventtime.data() + eventtime.size();
      const auto [ptr, ec] = std::from_chars(eventtime.data(), end, v);
      if (ec != std::errc() || ptr != end || v <= 0) {
        *error = "eventtime: not an epoch time ('" + eventtime + "')";
        return std::nullopt;
      }
      // FortiOS has logged seconds, then nanoseconds (6.2+), and microseconds or milliseconds
      // on some models: told apart by size, as any of them is years away from the others.
      if (v >= 100'000'000'000'000'000) {
        v /= 1000;  // ns
      } else if (v >= 100'000'000'000'000) {
        // us
      } else if (v >= 100'000'000'000) {
        v *= 1000;  // ms
      } else {
        v *= 1'000'000;  // s
      }
      if (!core::InTimeRange(v)) {
        *error = "eventtime: out of range ('" + eventtime + "')";
        return std::nullopt;
      }
      return v;
    }
    int offset = options_.utc_offset_minutes;
    if (!tz.empty()) {
      // "-0500", "+0530"
      if (tz.size() != 5 || (tz[0] != '+' && tz[0] != '-') || !Digits(tz.substr(1))) {
        *error = "tz: expected +hhmm ('" + tz + "')";
        return std::nullopt;
      }
      offset =
          (std::stoi(tz.substr(1, 2)) * 60 + std::stoi(tz.substr(3, 2))) * (tz[0] == '-' ? -1 : 1);
    }
    if (date.empty() || clock.empty()) {
      *error = "no eventtime, and no date= and time=";
      return std::nullopt;
    }
    auto t = ParseLocalDateTime(date + " " + clock, offset, error);
    if (!t) *error = "date/time: " + *error;
    return t;
  }

  AdapterOptions options_;
  std::map<std::string, std::string, std::less<>> kv_;  // reused across lines
};

}  // namespace

std::unique_ptr<IdentityAdapter> MakeFortiGateAdapter(const AdapterOptions& options) {
  return std::make_unique<FortiGateAdapter>(options);
}

}  // namespace parallax::identity
