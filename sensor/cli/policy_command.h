// `parallax policy check FILE [--roster R]`: validates a policy file (sanctioned networks and
// suppression rules, docs/policy.md), and with a roster that every contractor a suppression names
// is in it; prints the rules, or every problem with its line.
#pragma once

#include <CLI/CLI.hpp>

namespace parallax::cli {

// Registers the "policy" subcommand. Its callback sets `exit_code`: 0 when the file is valid (one
// line per rule on stdout; an expired rule is said to be expired), 1 when there is any problem
// (each printed as FILE:LINE: FIELD: message on stderr). `exit_code` must outlive app.parse().
void AddPolicyCommand(CLI::App& app, int& exit_code);

}  // namespace parallax::cli
