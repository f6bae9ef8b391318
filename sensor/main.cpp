// parallax: network-telemetry sensor for remote-access laundering. Entry point: subcommands.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <utility>

#include "sensor/cli/command_suggestion.h"
#include "sensor/cli/commands.h"
#if __has_include("sensor/cli/roster_command.h")
#include "sensor/cli/roster_command.h"
#define PARALLAX_HAVE_ROSTER 1
#endif
#if __has_include("sensor/cli/policy_command.h")
#include "sensor/cli/policy_command.h"
#define PARALLAX_HAVE_POLICY 1
#endif
#if __has_include("sensor/cli/report_command.h")
#include "sensor/cli/report_command.h"
#define PARALLAX_HAVE_REPORT 1
#endif
#if __has_include("sensor/cli/geo_command.h")
#include "sensor/cli/geo_command.h"
#define PARALLAX_HAVE_GEO 1
#endif

int main(int argc, char** argv) {
  CLI::App app{"Parallax: catch remote-access laundering from packets"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "parallax 0.1.0");
  int exit_code = 0;
  parallax::cli::AddReadCommand(app, exit_code);
  parallax::cli::AddCorrelateCommand(app, exit_code);
  parallax::cli::AddLiveCommand(app, exit_code);
  parallax::cli::AddAnalyzersCommand(app, exit_code);
  parallax::cli::AddRunCommand(app, exit_code);
#ifdef PARALLAX_HAVE_ROSTER
  parallax::cli::AddRosterCommand(app, exit_code);
#endif
#ifdef PARALLAX_HAVE_POLICY
  parallax::cli::AddPolicyCommand(app, exit_code);
#endif
#ifdef PARALLAX_HAVE_GEO
  parallax::cli::AddGeoCommand(app, exit_code);
#endif
#ifdef PARALLAX_HAVE_REPORT
  parallax::cli::AddReportCommand(app, exit_code);
#endif
  // A first argument that is not an option must name a subcommand; say which one was meant
  // rather than CLI11's "The following arguments were not expected".
  std::vector<std::string> names;
  bool known = false;
  for (const CLI::App* sub :
       std::as_const(app).get_subcommands([](const CLI::App*) { return true; })) {
    names.push_back(sub->get_name());
    if (argc > 1 && sub->check_name(argv[1])) known = true;
  }
  if (argc > 1 && argv[1][0] != '-' && !known) {
    std::cerr << "parallax: unknown command '" << argv[1] << "'";
    if (auto guess = parallax::cli::SuggestCommand(argv[1], names)) {
      std::cerr << "; did you mean '" << *guess << "'?";
    }
    std::cerr << " (parallax --help lists the commands)\n";
    return parallax::cli::kExitUsage;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // CLI11 exits 105-114 by error kind; every one of them is a usage error, status 2 like the
    // commands' own checks (docs/cli.md). --help and --version are "errors" with status 0.
    const int rc = app.exit(e);
    return rc == 0 ? 0 : parallax::cli::kExitUsage;
  }
  // What a command printed to standard output (tables, summaries) must have arrived: a full disk
  // or /dev/full is an error, not an exit 0 with nothing written. (`read`, `live` and `report`
  // check their own outputs, naming the command.)
  // std::cout shares stdout's buffer (sync_with_stdio), so one fflush flushes both and keeps
  // the failure's errno.
  errno = 0;
  const bool flushed = std::fflush(stdout) == 0;
  if (!flushed || std::ferror(stdout) || !std::cout.flush()) {
    const int e = errno ? errno : EIO;
    std::fprintf(stderr, "parallax: standard output: write error: %s\n", std::strerror(e));
    if (exit_code == 0) exit_code = 1;
  }
  return exit_code;
}
