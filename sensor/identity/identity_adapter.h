// IdentityAdapter: reads one product's log (Okta, Entra ID, Cisco ASA, ...) line by line and says
// of each line whether it is a sign-in or VPN session that binds a user to addresses, a record
// of no interest (ignored), or a line it cannot understand (malformed). The user is the product's
// own name for them; UserMap ties it to the roster (docs/inputs.md).
// Thread-safety: REQUIRES external synchronization (an adapter may keep state across lines, as
// the OpenVPN status file's header rows do).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sensor/core/ip_address.h"
#include "sensor/core/time.h"

namespace parallax::identity {

struct AdapterOptions {
  // Minutes east of UTC for timestamps that carry no zone (syslog headers, PAN-OS
  // "YYYY/MM/DD hh:mm:ss", OpenVPN's ctime text). 0: such times are UTC, the usual setting of
  // log collectors; a wrong value shifts bindings, so it is a documented flag, never a guess.
  int utc_offset_minutes = 0;
  // For RFC 3164 syslog timestamps, which have no year: the year that puts the time at most one
  // day after this instant (the file's modification time by default). 0: a year-less timestamp
  // is a malformed line.
  core::TimeUs reference_time = 0;
};

// What a line says: `user` held `public_ip` (the address the service saw) and/or `internal_ip`
// (the tunnel address a VPN assigned) from `ts` on.
struct VendorLogin {
  std::string user;
  core::TimeUs ts = 0;
  std::optional<core::IpAddress> public_ip;
  std::optional<core::IpAddress> internal_ip;
};

enum class LineVerdict {
  kLogin,      // `login` is filled
  kIgnored,    // understood, but no binding (a failed sign-in, a logout, another message id)
  kMalformed,  // `error` says why
};

struct LineResult {
  LineVerdict verdict = LineVerdict::kIgnored;
  VendorLogin login;
  std::string error;

  static LineResult Ignored() { return {}; }
  static LineResult Malformed(std::string why) {
    LineResult r;
    r.verdict = LineVerdict::kMalformed;
    r.error = std::move(why);
    return r;
  }
  static LineResult Login(VendorLogin l) {
    LineResult r;
    r.verdict = LineVerdict::kLogin;
    r.login = std::move(l);
    return r;
  }
};

class IdentityAdapter {
 public:
  virtual ~IdentityAdapter() = default;
  // One line of the file, without its line end; blank lines are not passed. Never throws.
  virtual LineResult Parse(std::string_view line) = 0;
};

}  // namespace parallax::identity
