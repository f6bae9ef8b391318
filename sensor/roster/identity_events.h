// Identity events: JSON lines from VPN gateways or SSO logs binding a contractor to a public
// and/or internal address from a time on, so flows are attributed over time, not only by the
// roster's static addresses (docs/roster.md).
// Thread-safety: REQUIRES external synchronization.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sensor/core/ip_address.h"
#include "sensor/core/status.h"
#include "sensor/core/time.h"
#include "sensor/roster/roster.h"

namespace parallax::roster {

struct IdentityEvent {
  core::TimeUs ts = 0;
  std::string contractor;                  // roster id
  std::optional<core::IpAddress> public_ip;
  std::optional<core::IpAddress> internal_ip;
  std::string source;                      // "vpn-gateway", "okta", ... free text
  std::size_t line = 0;
};

// Parses a JSON-lines file. Each malformed line is a problem (file:line: field: message); the
// status fails when there is at least one. Unknown contractor ids are problems when a roster is
// given.
core::Status LoadIdentityEvents(const std::string& path, const Roster* roster,
                                std::vector<IdentityEvent>* out,
                                std::vector<RosterProblem>* problems);
// Parses one line (used by the daemon when it tails the file).
bool ParseIdentityEvent(const std::string& line, IdentityEvent* out, std::string* field,
                        std::string* error);

// Who holds an address at a time: the latest binding at or before `ts`. Returned pointers stay
// valid until the next Add().
class IdentityBindings {
 public:
  void Add(const IdentityEvent& e);  // events may arrive in any order
  const std::string* ByPublic(const core::IpAddress& a, core::TimeUs ts) const;
  const std::string* ByInternal(const core::IpAddress& a, core::TimeUs ts) const;
  // Every public address bound to a contractor at or before ts (latest first).
  std::vector<core::IpAddress> PublicOf(const std::string& contractor, core::TimeUs ts) const;

 private:
  std::vector<IdentityEvent> events_;  // sorted by time
};

}  // namespace parallax::roster
