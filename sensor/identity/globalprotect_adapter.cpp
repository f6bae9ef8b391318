// PAN-OS GlobalProtect logs (log type GLOBALPROTECT, PAN-OS 9.1 and later), one CSV record per
// line, as exported from the web interface or sent by syslog (the syslog header before the
// record is skipped). Columns (0-based) per the PAN-OS syslog field descriptions:
//    1 receive time   3 type (GLOBALPROTECT)   6 generated time   8 event id   12 source user
//   15 public IPv4   16 public IPv6   17 private IPv4   18 private IPv6   28 status
// A binding is a successful event of a connected or connecting user (portal-auth,
// portal-getconfig, gateway-auth, gateway-getconfig, gateway-register, gateway-setup-ipsec,
// gateway-setup-ssl, gateway-connected, gateway-hip-check, gateway-hip-report,
// gateway-tunnel-latency, gateway-switch-to-ssl): public address and, when the gateway assigned
// one, the private (tunnel) address. Pre-login, logout, config-release and disconnect events,
// failures, the machine's "pre-logon" user and other log types are ignored.
// Times: "yyyy/mm/dd hh:mm:ss" is the firewall's local time (AdapterOptions offset); the
// ISO 8601 form of PAN-OS's IETF syslog format carries its zone.
#include <array>
#include <cctype>
#include <vector>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/log_address.h"
#include "sensor/identity/log_time.h"

namespace parallax::identity {
namespace {

constexpr std::size_t kReceiveTime = 1, kType = 3, kGeneratedTime = 6, kEventId = 8,
                      kSourceUser = 12, kPublicV4 = 15, kPublicV6 = 16, kPrivateV4 = 17,
                      kPrivateV6 = 18, kStatus = 28;

constexpr std::array<std::string_view, 12> kBindingEvents = {
    "portal-auth",       "portal-getconfig",    "gateway-auth",           "gateway-getconfig",
    "gateway-register",  "gateway-setup-ipsec", "gateway-setup-ssl",      "gateway-connected",
    "gateway-hip-check", "gateway-hip-report",  "gateway-tunnel-latency", "gateway-switch-to-ssl"};

// RFC 4180 cells; false on an unterminated quote.
bool SplitCsv(std::string_view s, std::vector<std::string>* cells) {
  cells->clear();
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (quoted) {
      if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
        cell.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      cells->push_back(std::move(cell));
      cell.clear();
    } else {
      cell.push_back(c);
    }
  }
  cells->push_back(std::move(cell));
  return !quoted;
}

// Where the CSV record starts: its first field (FUTURE_USE, digits) followed by the receive
// time ("2021/03/24" or "2021-10-22T"), at the start or after a syslog header's blank.
std::size_t RecordStart(std::string_view line) {
  for (std::size_t p = 0; p < line.size(); ++p) {
    if (p > 0 && line[p - 1] != ' ') continue;
    std::size_t q = p;
    while (q < line.size() && std::isdigit(static_cast<unsigned char>(line[q]))) ++q;
    if (q == p || q + 6 > line.size() || line[q] != ',') continue;
    bool year = true;
    for (std::size_t k = q + 1; k < q + 5; ++k) {
      year = year && std::isdigit(static_cast<unsigned char>(line[k]));
    }
    if (year && (line[q + 5] == '/' || line[q + 5] == '-')) return p;
  }
  return std::string_view::npos;
}

class GlobalProtectAdapter : public IdentityAdapter {
 public:
  explicit GlobalProtectAdapter(const AdapterOptions& options) : options_(options) {}

  LineResult Parse(std::string_view line) override {
    const std::size_t start = RecordStart(line);
    if (start == std::string_view::npos) {
      return LineResult::Malformed("not a PAN-OS CSV log record");
    }
    if (!SplitCsv(line.substr(start), &cells_)) {
      return LineResult::Malformed("unterminated quoted field");
    }
    if (cells_.size() <= kType) return LineResult::Malformed("too few fields");
    if (cells_[kType] != "GLOBALPROTECT") return LineResult::Ignored();  // TRAFFIC, SYSTEM...
    if (cells_.size() <= kStatus) {
      return LineResult::Malformed(std::to_string(cells_.size()) +
                                   " fields; a GLOBALPROTECT record has at least " +
                                   std::to_string(kStatus + 1));
    }
    const std::string& event = cells_[kEventId];
    bool binding = false;
    for (std::string_view b : kBindingEvents) binding = binding || event == b;
    if (!binding || cells_[kStatus] != "success") return LineResult::Ignored();
    VendorLogin login;
    login.user = cells_[kSourceUser];
    if (login.user.empty() || login.user == "pre-logon") return LineResult::Ignored();

    std::string error;
    const std::string& when =
        cells_[kGeneratedTime].empty() ? cells_[kReceiveTime] : cells_[kGeneratedTime];
    std::optional<core::TimeUs> ts =
        when.find('T') != std::string::npos
            ? ParseIsoTime(when, &error)
            : ParseLocalDateTime(when, options_.utc_offset_minutes, &error);
    if (!ts) return LineResult::Malformed("generated time: " + error);
    login.ts = *ts;

    auto address = [&](std::size_t v4, std::size_t v6, std::optional<core::IpAddress>* out,
                       const char* what) {
      for (std::size_t col : {v4, v6}) {
        core::IpAddress a;
        switch (ParseLogAddress(cells_[col], &a)) {
          case AddressText::kAddress:
            if (!*out) *out = a;
            break;
          case AddressText::kNone:
            break;
          case AddressText::kInvalid:
            error = std::string(what) + " (column " + std::to_string(col + 1) +
                    "): not an address ('" + cells_[col] + "')";
            return false;
        }
      }
      return true;
    };
    if (!address(kPublicV4, kPublicV6, &login.public_ip, "public IP") ||
        !address(kPrivateV4, kPrivateV6, &login.internal_ip, "private IP")) {
      return LineResult::Malformed(error);
    }
    if (!login.public_ip && !login.internal_ip) return LineResult::Ignored();
    return LineResult::Login(std::move(login));
  }

 private:
  AdapterOptions options_;
  std::vector<std::string> cells_;  // reused across lines
};

}  // namespace

std::unique_ptr<IdentityAdapter> MakeGlobalProtectAdapter(const AdapterOptions& options) {
  return std::make_unique<GlobalProtectAdapter>(options);
}

}  // namespace parallax::identity
