// OpenVPN server (2.3 to 2.6) status files and server logs. The kind is told by the first line.
// Status file (--status FILE [n] with --status-version 1, 2 or 3; the management interface's
// `status` output is the same text):
//   version 1: "OpenVPN CLIENT LIST", "Updated,...", the header "Common Name,Real Address,...",
//     client rows, "ROUTING TABLE", the header "Virtual Address,Common Name,Real Address,...",
//     route rows, "GLOBAL STATS", "END";
//   version 2 (',') and 3 (tab): TITLE, TIME, "HEADER,CLIENT_LIST,<columns>", "CLIENT_LIST,..."
//     rows, "HEADER,ROUTING_TABLE,<columns>", "ROUTING_TABLE,..." rows, GLOBAL_STATS, END.
// Columns are found by their header names, so versions that add columns (Virtual Address and
// Username in 2.4, Data Channel Cipher in 2.5) need nothing new. A client row binds its user to
// its Real Address (public) from Connected Since (the time_t column when present), with its
// Virtual Address when the row has one; a route row adds the virtual address to the client of
// the same Common Name and Real Address. The user is Username when set (not "UNDEF"), else the
// certificate's Common Name. Route rows for subnets (iroute) and MAC addresses (tap) are
// ignored.
// Server log: the line "CN/REAL MULTI_sva: pool returned IPv4=VIRTUAL, IPv6=..." written when a
// client is given its tunnel address, timestamped "Www Mmm dd hh:mm:ss yyyy" (OpenVPN's own),
// "yyyy-mm-dd hh:mm:ss" (--machine-readable-output) or a syslog header. Other log lines are
// ignored.
#include <map>
#include <vector>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/log_address.h"
#include "sensor/identity/log_time.h"
#include "sensor/roster/roster_fields.h"

namespace parallax::identity {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = s.find(sep, start);
    out.emplace_back(
        s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) break;
    start = at + 1;
  }
  return out;
}

struct Columns {
  std::map<std::string, std::size_t> index;
  std::size_t count = 0;
  std::optional<std::size_t> Of(const char* name) const {
    auto it = index.find(name);
    if (it == index.end()) return std::nullopt;
    return it->second;
  }
};

Columns ColumnsOf(const std::vector<std::string>& names, std::size_t first) {
  Columns c;
  for (std::size_t i = first; i < names.size(); ++i) c.index.emplace(names[i], i - first);
  c.count = names.size() - first;
  return c;
}

class OpenVpnAdapter : public IdentityAdapter {
 public:
  explicit OpenVpnAdapter(const AdapterOptions& options) : options_(options) {}

  LineResult Parse(std::string_view line) override {
    if (kind_ == Kind::kUnknown) {
      kind_ = line == "OpenVPN CLIENT LIST" || line.substr(0, 6) == "TITLE," ||
                      line.substr(0, 6) == "TITLE\t" || line.substr(0, 7) == "HEADER,"
                  ? Kind::kStatus
                  : Kind::kLog;
    }
    return kind_ == Kind::kStatus ? StatusLine(line) : LogLine(line);
  }

 private:
  enum class Kind { kUnknown, kStatus, kLog };
  enum class Section { kNone, kClients, kRoutes };
  struct Client {
    std::string user;
    core::TimeUs ts = 0;
  };

  LineResult StatusLine(std::string_view line) {
    // Version 3 separates with tabs; a tab in the line's first 20 characters says so (names
    // in version 2 may not contain commas, nor in 3 tabs).
    const char sep = line.substr(0, 20).find('\t') != std::string_view::npos ? '\t' : ',';
    std::vector<std::string> cells = Split(line, sep);
    const std::string& head = cells.front();
    // Version 1's section titles and headers.
    if (line == "OpenVPN CLIENT LIST") return Enter(Section::kClients);
    if (line == "ROUTING TABLE") return Enter(Section::kRoutes);
    if (line == "GLOBAL STATS" || line == "END") return Enter(Section::kNone);
    if (head == "Common Name" && section_ == Section::kClients) {
      clients_cols_ = ColumnsOf(cells, 0);
      return LineResult::Ignored();
    }
    if (head == "Virtual Address" && section_ == Section::kRoutes) {
      routes_cols_ = ColumnsOf(cells, 0);
      return LineResult::Ignored();
    }
    // Versions 2 and 3.
    if (head == "HEADER" && cells.size() > 1) {
      if (cells[1] == "CLIENT_LIST") clients_cols_ = ColumnsOf(cells, 2);
      if (cells[1] == "ROUTING_TABLE") routes_cols_ = ColumnsOf(cells, 2);
      return LineResult::Ignored();
    }
    if (head == "CLIENT_LIST") return ClientRow(cells, 1);
    if (head == "ROUTING_TABLE") return RouteRow(cells, 1);
    if (head == "TITLE" || head == "TIME" || head == "GLOBAL_STATS" || head == "Updated") {
      return LineResult::Ignored();
    }
    if (section_ == Section::kClients) return ClientRow(cells, 0);
    if (section_ == Section::kRoutes) return RouteRow(cells, 0);
    if (section_ == Section::kNone && cells.size() == 2) return LineResult::Ignored();  // stats
    return LineResult::Malformed("not a line of an OpenVPN status file");
  }

  LineResult Enter(Section s) {
    section_ = s;
    return LineResult::Ignored();
  }

  // The cell of `name`, or "" when the header lacks it.
  static std::string Cell(const std::vector<std::string>& cells, std::size_t first,
                          const Columns& cols, const char* name) {
    auto i = cols.Of(name);
    return i && first + *i < cells.size() ? cells[first + *i] : std::string();
  }

  LineResult ClientRow(const std::vector<std::string>& cells, std::size_t first) {
    if (clients_cols_.count == 0) return LineResult::Malformed("client row before its header");
    if (cells.size() - first != clients_cols_.count) {
      return LineResult::Malformed(std::to_string(cells.size() - first) +
                                   " cells but the client header has " +
                                   std::to_string(clients_cols_.count));
    }
    VendorLogin login;
    const std::string cn = Cell(cells, first, clients_cols_, "Common Name");
    const std::string username = Cell(cells, first, clients_cols_, "Username");
    login.user = !username.empty() && username != "UNDEF" ? username : cn;
    if (login.user.empty() || login.user == "UNDEF") return LineResult::Ignored();
    const std::string real = Cell(cells, first, clients_cols_, "Real Address");
    core::IpAddress a;
    if (ParseAddressWithPort(real, &a) != AddressText::kAddress) {
      return LineResult::Malformed("Real Address: not an address ('" + real + "')");
    }
    login.public_ip = a;
    std::string error;
    if (!Since(cells, first, &login.ts, &error)) return LineResult::Malformed(error);
    const std::string virt = Cell(cells, first, clients_cols_, "Virtual Address");
    if (!ReadLogAddress(virt, "Virtual Address", &login.internal_ip, &error)) {
      return LineResult::Malformed(error);
    }
    clients_[cn + "|" + real] = Client{login.user, login.ts};
    return LineResult::Login(std::move(login));
  }

  bool Since(const std::vector<std::string>& cells, std::size_t first, core::TimeUs* out,
             std::string* error) {
    const std::string epoch = Cell(cells, first, clients_cols_, "Connected Since (time_t)");
    if (!epoch.empty()) {
      std::string_view digits = epoch;
      std::int64_t v = 0;
      // At most 12 digits (year 33658): more would overflow the sum (found by fuzzing).
      bool ok = !digits.empty() && digits.size() <= 12;
      for (std::size_t i = 0; ok && i < digits.size(); ++i) {
        ok = digits[i] >= '0' && digits[i] <= '9';
        v = v * 10 + (digits[i] - '0');
      }
      if (!ok) {
        *error = "Connected Since (time_t): not a time ('" + epoch + "')";
        return false;
      }
      *out = core::Seconds(v);
      return true;
    }
    const std::string text = Cell(cells, first, clients_cols_, "Connected Since");
    auto t = ParseCtime(text, options_.utc_offset_minutes, error);
    if (!t) {
      *error = "Connected Since: " + *error;
      return false;
    }
    *out = *t;
    return true;
  }

  LineResult RouteRow(const std::vector<std::string>& cells, std::size_t first) {
    if (routes_cols_.count == 0) return LineResult::Malformed("route row before its header");
    if (cells.size() - first != routes_cols_.count) {
      return LineResult::Malformed(std::to_string(cells.size() - first) +
                                   " cells but the routing header has " +
                                   std::to_string(routes_cols_.count));
    }
    VendorLogin login;
    core::IpAddress virt;
    // Subnets behind a client (iroute) and tap MAC addresses are not the client's address.
    if (ParseLogAddress(Cell(cells, first, routes_cols_, "Virtual Address"), &virt) !=
        AddressText::kAddress) {
      return LineResult::Ignored();
    }
    const std::string cn = Cell(cells, first, routes_cols_, "Common Name");
    const std::string real = Cell(cells, first, routes_cols_, "Real Address");
    auto it = clients_.find(cn + "|" + real);
    if (it == clients_.end()) {
      return LineResult::Malformed("route for " + cn + " at " + real +
                                   ", which the client list does not have");
    }
    core::IpAddress pub;
    if (ParseAddressWithPort(real, &pub) != AddressText::kAddress) {
      return LineResult::Malformed("Real Address: not an address ('" + real + "')");
    }
    login.user = it->second.user;
    login.ts = it->second.ts;
    login.public_ip = pub;
    login.internal_ip = virt;
    return LineResult::Login(std::move(login));
  }

  LineResult LogLine(std::string_view line) {
    static constexpr std::string_view kPool = " MULTI_sva: pool returned IPv4=";
    const std::size_t at = line.find(kPool);
    if (at == std::string_view::npos) return LineResult::Ignored();
    // "CN/REAL" is the word before.
    const std::size_t word = line.rfind(' ', at == 0 ? 0 : at - 1);
    const std::string_view who =
        word == std::string_view::npos ? line.substr(0, at) : line.substr(word + 1, at - word - 1);
    const std::size_t slash = who.rfind('/');
    if (slash == std::string_view::npos || slash == 0) {
      return LineResult::Malformed("MULTI_sva: expected CN/ADDRESS:PORT before it");
    }
    VendorLogin login;
    login.user = std::string(who.substr(0, slash));
    core::IpAddress a;
    if (ParseAddressWithPort(who.substr(slash + 1), &a) != AddressText::kAddress) {
      return LineResult::Malformed("MULTI_sva: not an address ('" +
                                   std::string(who.substr(slash + 1)) + "')");
    }
    login.public_ip = a;
    std::string_view v4 = line.substr(at + kPool.size());
    v4 = v4.substr(0, std::min(v4.find(','), v4.size()));
    if (ParseLogAddress(v4, &a) == AddressText::kAddress) login.internal_ip = a;

    // The timestamp before the word.
    const std::string_view prefix =
        roster::Trim(word == std::string_view::npos ? std::string_view() : line.substr(0, word));
    std::string error;
    std::optional<core::TimeUs> ts;
    if (prefix.size() >= 24 && prefix[3] == ' ' && prefix[7] == ' ') {
      ts = ParseCtime(prefix.substr(0, 24), options_.utc_offset_minutes, &error);
    } else if (prefix.size() >= 19 && prefix[4] == '-' && prefix[10] == ' ') {
      ts = ParseLocalDateTime(prefix.substr(0, 19), options_.utc_offset_minutes, &error);
    } else {
      std::string_view s = prefix;
      ts = ConsumeSyslogTime(&s, options_, &error);
    }
    if (!ts) return LineResult::Malformed("timestamp: " + error);
    login.ts = *ts;
    return LineResult::Login(std::move(login));
  }

  AdapterOptions options_;
  Kind kind_ = Kind::kUnknown;
  Section section_ = Section::kNone;
  Columns clients_cols_, routes_cols_;
  std::map<std::string, Client> clients_;  // "CN|Real Address" -> user and time
};

}  // namespace

std::unique_ptr<IdentityAdapter> MakeOpenVpnAdapter(const AdapterOptions& options) {
  return std::make_unique<OpenVpnAdapter>(options);
}

}  // namespace parallax::identity
