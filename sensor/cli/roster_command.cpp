// `parallax roster check FILE [--identity-events F]`: every problem of a roster (and of identity
// events) as FILE:LINE: FIELD: message, so an editor or CI log jumps straight to it. Contractors
// with no static selector are valid and listed as attributed only through identity events; with
// F, one that no event names gets a warning (exit status still 0).
#include "sensor/cli/roster_command.h"

#include <cstdio>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "sensor/core/terminal_text.h"
#include "sensor/roster/identity_events.h"
#include "sensor/roster/roster.h"
#include "sensor/roster/roster_fields.h"

namespace parallax::cli {
namespace {

struct RosterCheckArgs {
  std::string file;
  std::string identity_events;
};

std::string DescribePlace(const roster::ClaimedPlace& p) {
  std::string s = p.city;
  if (!p.country.empty()) s += (s.empty() ? "" : ", ") + p.country;
  if (p.latitude && p.longitude) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "(%.4f, %.4f)", *p.latitude, *p.longitude);
    s += (s.empty() ? "" : " ") + std::string(buf);
  }
  return s;
}

std::string DescribeHours(const roster::WorkingHours& h) {
  return roster::FormatWorkDays(h.days) + " " + roster::FormatClock(h.start_minute) + "-" +
         roster::FormatClock(h.end_minute);
}

std::string Selectors(const roster::Contractor& c) {
  const std::string head = c.id + ": " + (c.name.empty() ? "(no name)" : c.name) + "; claimed " +
                           DescribePlace(c.claimed) + "; " + c.time_zone + " " +
                           DescribeHours(c.hours) + "; ";
  if (c.IdentityOnly()) {
    return head + "no static selectors: attributed only through identity events";
  }
  const std::size_t selectors =
      c.device_addresses.size() + c.macs.size() + c.egress_addresses.size();
  return head + std::to_string(selectors) + (selectors == 1 ? " selector" : " selectors") + " (" +
         std::to_string(c.device_addresses.size()) + " device, " + std::to_string(c.macs.size()) +
         " MAC, " + std::to_string(c.egress_addresses.size()) + " egress)";
}

std::string Summary(const roster::Contractor& c) {
  std::string s = Selectors(c);
  if (c.identity_aliases.empty()) return s;
  s += "; known to identity logs as ";
  for (std::size_t i = 0; i < c.identity_aliases.size(); ++i) {
    s += (i ? ", " : "") + c.identity_aliases[i];
  }
  return s;
}

int RunRosterCheck(const RosterCheckArgs& a) {
  std::vector<roster::RosterProblem> problems;
  roster::Roster r;
  const bool roster_ok = roster::Roster::Load(a.file, &r, &problems).ok();
  std::vector<roster::IdentityEvent> events;
  if (!a.identity_events.empty()) {
    // Against a roster that failed, unknown ids cannot be told apart from its own problems.
    roster::LoadIdentityEvents(a.identity_events, roster_ok ? &r : nullptr, &events, &problems);
  }
  for (const auto& p : problems) std::cerr << p.ToString() << "\n";
  if (!problems.empty()) {
    std::cerr << "parallax roster check: " << problems.size()
              << (problems.size() == 1 ? " problem\n" : " problems\n");
    return 1;
  }
  for (const auto& c : r.contractors()) std::cout << core::ForTerminal(Summary(c)) << "\n";
  if (!a.identity_events.empty()) {
    std::set<std::string> who;
    for (const auto& e : events) who.insert(e.contractor);
    std::cout << core::ForTerminal(a.identity_events) << ": " << events.size()
              << " identity events for " << who.size() << " contractors\n";
    // Not an error (the events of a later day may name them), but as things stand nothing can
    // ever be attributed to such a contractor.
    for (const auto& c : r.contractors()) {
      if (!c.IdentityOnly() || who.count(c.id)) continue;
      const roster::RosterProblem warning{
          a.file, c.source_line, "",
          "warning: " + c.id + " has no static selectors and no event in " + a.identity_events +
              " names them: nothing can be attributed to them"};
      std::cerr << warning.ToString() << "\n";
    }
  }
  return 0;
}

}  // namespace

void AddRosterCommand(CLI::App& app, int& exit_code) {
  CLI::App* roster = app.add_subcommand("roster", "Contractor roster tools");
  roster->require_subcommand(1);
  auto args = std::make_shared<RosterCheckArgs>();
  CLI::App* check = roster->add_subcommand(
      "check",
      "Validate a roster (.csv, .json, .yaml) and report each problem with line and field");
  check->add_option("file", args->file, "Roster file")->required();
  check->add_option("--identity-events", args->identity_events,
                    "Identity-events file (JSON lines) to validate against the roster");
  check->callback([args, &exit_code] { exit_code = RunRosterCheck(*args); });
}

}  // namespace parallax::cli
