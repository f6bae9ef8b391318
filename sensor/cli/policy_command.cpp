// `parallax policy check FILE [--roster R]`: every problem of a policy file as FILE:LINE: FIELD: message (as
// `roster check` does), else the rules as Parallax understood them. Expiry is judged against the
// wall clock: an expired rule loads and simply stops applying, and the check says so.
#include "sensor/cli/policy_command.h"

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "sensor/core/terminal_text.h"
#include "sensor/divergence/divergence_inputs.h"
#include "sensor/output/time_format.h"
#include "sensor/policy/policy.h"
#include "sensor/roster/roster.h"

namespace parallax::cli {
namespace {

struct PolicyCheckArgs {
  std::string file;
  std::string roster;  // optional: suppressions must name its contractors
};

std::string Networks(const std::vector<policy::NetworkSelector>& v) {
  if (v.empty()) return "any address";
  std::string s;
  for (const auto& n : v) s += (s.empty() ? "" : ", ") + n.ToString();
  return s;
}

int RunPolicyCheck(const PolicyCheckArgs& a) {
  std::vector<policy::PolicyProblem> problems;
  policy::Policy p;
  std::vector<std::string> lines;
  if (!policy::Policy::Load(a.file, &p, &problems).ok()) {
    for (const auto& pr : problems) lines.push_back(pr.ToString());
  } else if (!a.roster.empty()) {
    // Against a roster, a rule for a contractor it does not have is a problem here (a typo
    // never applies); `read` and the daemon only warn.
    std::vector<roster::RosterProblem> roster_problems;
    roster::Roster r;
    if (!roster::Roster::Load(a.roster, &r, &roster_problems).ok()) {
      for (const auto& pr : roster_problems) lines.push_back(pr.ToString());
    } else {
      lines = PolicyContractorsNotInRoster(p, r);
    }
  }
  if (!lines.empty()) {
    for (const auto& l : lines) std::cerr << l << "\n";
    std::cerr << "parallax policy check: " << lines.size()
              << (lines.size() == 1 ? " problem\n" : " problems\n");
    return 1;
  }
  const core::TimeUs now = std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::system_clock::now().time_since_epoch())
                               .count();
  for (const auto& n : p.sanctioned()) {
    // Names and reasons are the policy author's text: safe for a terminal.
    std::cout << "sanctioned " << n.selector.ToString() << ": " << core::ForTerminal(n.name);
    if (!n.reason.empty()) std::cout << " (" << core::ForTerminal(n.reason) << ")";
    std::cout << "\n";
  }
  std::size_t expired = 0;
  for (const auto& s : p.suppressions()) {
    std::cout << "suppression " << core::ForTerminal(s.id) << ": contractor "
              << (s.contractor.empty() ? "any" : core::ForTerminal(s.contractor)) << ", kind "
              << (s.kind.empty() ? "any" : s.kind) << ", " << Networks(s.networks) << "; ";
    if (!s.expires) {
      std::cout << "no expiry";
    } else if (*s.expires <= now) {
      std::cout << "EXPIRED " << output::FormatTimestamp(*s.expires) << " (no longer applies)";
      ++expired;
    } else {
      std::cout << "until " << output::FormatTimestamp(*s.expires);
    }
    std::cout << "; " << core::ForTerminal(s.reason) << " (" << core::ForTerminal(s.who) << ")\n";
  }
  std::cout << core::ForTerminal(a.file) << ": " << p.sanctioned().size() << " sanctioned networks, "
            << p.suppressions().size() << " suppressions";
  if (expired) std::cout << " (" << expired << " expired)";
  std::cout << "\n";
  return 0;
}

}  // namespace

void AddPolicyCommand(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("policy", "Sanctioned networks and suppression rules");
  cmd->require_subcommand(1);
  auto args = std::make_shared<PolicyCheckArgs>();
  CLI::App* check = cmd->add_subcommand(
      "check", "Validate a policy file (YAML) and report each problem with line and field");
  check->add_option("file", args->file, "Policy file (docs/policy.md)")->required();
  check->add_option("--roster", args->roster,
                    "Roster whose contractors the suppressions must name (CSV, JSON or YAML)");
  check->callback([args, &exit_code] { exit_code = RunPolicyCheck(*args); });
}

}  // namespace parallax::cli
