// Cisco ASA (and FTD) syslog, one message per line as a syslog server writes it:
//   [<PRI>]TIMESTAMP [HOST[ PROG[PID]]][ ]: %ASA-SEV-MSGID: BODY
// TIMESTAMP is "Mmm dd hh:mm:ss", Cisco's "Mmm dd yyyy hh:mm:ss" (`logging timestamp`) or
// RFC 3339 (`logging timestamp rfc5424`). The messages that bind a user (Cisco's syslog message
// guide):
//   722051  Group <g> User <u> IP <public> IPv4 Address <assigned> IPv6 address <assigned6>
//           assigned to session                             -> public and tunnel address
//   722022  Group g User u IP public TCP|UDP SVC connection established ...  -> public
//   113039  Group <g> User <u> IP <public> AnyConnect parent session started. -> public
//   716001  Group g User u IP public WebVPN session started.  -> public
// Values are bare words or in angle brackets (which may hold blanks). Every other message id is
// ignored; a line without a %ASA-/%FTD- tag is not understood.
#include <cctype>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/log_address.h"
#include "sensor/identity/log_time.h"

namespace parallax::identity {
namespace {

void SkipBlanks(std::string_view* s) {
  while (!s->empty() && s->front() == ' ') s->remove_prefix(1);
}

// `key` then one value (bare word or <bracketed>) at the front of *s, consumed.
bool KeyValue(std::string_view* s, std::string_view key, std::string* value) {
  SkipBlanks(s);
  if (s->substr(0, key.size()) != key || s->size() <= key.size() || (*s)[key.size()] != ' ') {
    return false;
  }
  s->remove_prefix(key.size());
  SkipBlanks(s);
  if (!s->empty() && s->front() == '<') {
    const std::size_t close = s->find('>');
    if (close == std::string_view::npos) return false;
    *value = std::string(s->substr(1, close - 1));
    s->remove_prefix(close + 1);
  } else {
    const std::size_t end = std::min(s->find(' '), s->size());
    *value = std::string(s->substr(0, end));
    s->remove_prefix(end);
  }
  return !value->empty();
}

// "::" and 0.0.0.0 are how the ASA says "none assigned".
std::optional<core::IpAddress> Address(const std::string& text) {
  core::IpAddress a;
  if (ParseLogAddress(text, &a) != AddressText::kAddress) return std::nullopt;
  return a;
}

class AsaAdapter : public IdentityAdapter {
 public:
  explicit AsaAdapter(const AdapterOptions& options) : options_(options) {}

  LineResult Parse(std::string_view line) override {
    std::size_t tag = line.find("%ASA-");
    if (tag == std::string_view::npos) tag = line.find("%FTD-");
    if (tag == std::string_view::npos) {
      return LineResult::Malformed("no %ASA- or %FTD- message tag");
    }
    std::string_view rest = line.substr(tag + 5);
    // SEV-MSGID: ("4-722051:")
    if (rest.size() < 9 || !std::isdigit(static_cast<unsigned char>(rest[0])) || rest[1] != '-') {
      return LineResult::Malformed("expected %ASA-SEVERITY-MSGID:");
    }
    const std::size_t colon = rest.find(':');
    if (colon == std::string_view::npos || colon < 3) {
      return LineResult::Malformed("expected %ASA-SEVERITY-MSGID:");
    }
    const std::string_view id = rest.substr(2, colon - 2);
    if (id != "722051" && id != "722022" && id != "113039" && id != "716001") {
      return LineResult::Ignored();
    }
    std::string_view body = rest.substr(colon + 1);

    std::string_view header = line.substr(0, tag);
    if (!header.empty() && header.front() == '<') {  // <PRI>
      const std::size_t close = header.find('>');
      if (close == std::string_view::npos) return LineResult::Malformed("unterminated <PRI>");
      header.remove_prefix(close + 1);
    }
    std::string error;
    auto ts = ConsumeSyslogTime(&header, options_, &error);
    if (!ts) return LineResult::Malformed(error);

    VendorLogin login;
    login.ts = *ts;
    std::string group, ip;
    if (!KeyValue(&body, "Group", &group) || !KeyValue(&body, "User", &login.user) ||
        !KeyValue(&body, "IP", &ip)) {
      return LineResult::Malformed(std::string(id) + ": expected Group ... User ... IP ...");
    }
    login.public_ip = Address(ip);
    if (!login.public_ip) {
      return LineResult::Malformed(std::string(id) + ": IP: not an address ('" + ip + "')");
    }
    if (id == "722051") {
      std::string v4, v6;
      if (KeyValue(&body, "IPv4 Address", &v4)) login.internal_ip = Address(v4);
      if (!login.internal_ip && KeyValue(&body, "IPv6 address", &v6)) {
        login.internal_ip = Address(v6);
      }
      if (!login.internal_ip && v4.empty() && v6.empty()) {
        return LineResult::Malformed("722051: expected IPv4 Address <...> or IPv6 address <...>");
      }
    }
    return LineResult::Login(std::move(login));
  }

 private:
  AdapterOptions options_;
};

}  // namespace

std::unique_ptr<IdentityAdapter> MakeAsaAdapter(const AdapterOptions& options) {
  return std::make_unique<AsaAdapter>(options);
}

}  // namespace parallax::identity
