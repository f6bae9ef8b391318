// libFuzzer target: identity events (JSON lines from VPN gateways and SSO logs). The input is a
// whole file given to LoadIdentityEvents (the loader only takes a path: it goes through a
// per-process temp file), checked against a small roster, then bound and queried as the
// divergence engine does. Seeds: tests/roster/data/*.jsonl and the scenarios' identity events.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sensor/roster/identity_events.h"
#include "tests/fuzz/fuzz_temp_file.h"

namespace {

parallax::roster::Roster MakeRoster() {
  parallax::roster::Roster roster;
  for (const char* id : {"c1", "c2", "c3", "jdoe", "mkim"}) {
    parallax::roster::Contractor c;
    c.id = id;
    roster.Add(c);
  }
  return roster;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static parallax::fuzz::TempFile file("identity-events.jsonl");
  static const parallax::roster::Roster roster = MakeRoster();

  std::vector<parallax::roster::IdentityEvent> events;
  std::vector<parallax::roster::RosterProblem> problems;
  // Even inputs are checked against the roster, odd ones not (both are real configurations).
  const bool with_roster = size > 0 && (data[size - 1] & 1) == 0;
  (void)parallax::roster::LoadIdentityEvents(file.Write(data, size),
                                             with_roster ? &roster : nullptr, &events, &problems);
  for (const auto& p : problems) (void)p.ToString();

  parallax::roster::IdentityBindings bindings;
  for (const auto& e : events) bindings.Add(e);
  for (const auto& e : events) {
    if (e.public_ip) (void)bindings.ByPublic(*e.public_ip, e.ts);
    if (e.internal_ip) (void)bindings.ByInternal(*e.internal_ip, e.ts + 1);
    (void)bindings.PublicOf(e.contractor, e.ts);
  }
  return 0;
}
