// `parallax run --config FILE`: the egress daemon (sensor/daemon/daemon.h, docs/daemon.md).
// `--check` tries everything `run` would load at start-up (sensor/daemon/startup_check.h) and
// exits: 0 when `run` would start, 1 with every problem otherwise.
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>

#include "sensor/cli/commands.h"
#include "sensor/core/terminal_text.h"
#include "sensor/daemon/daemon.h"
#include "sensor/daemon/daemon_config.h"
#include "sensor/daemon/startup_check.h"
#include "sensor/divergence/divergence_inputs.h"

namespace parallax::cli {
namespace {

// `run --check`: every problem on its own line on stderr, then a count; exit 1 if any. The
// configuration's own problems come first; when it cannot be loaded the rest is not tried
// (its settings are not known).
int Check(const std::string& path, const core::Status& loaded, const daemon::DaemonConfig& c) {
  daemon::StartupCheck r;
  if (!loaded.ok()) {
    std::string line;
    std::istringstream in(loaded.message());
    while (std::getline(in, line)) r.problems.push_back(line);
  } else {
    r = daemon::CheckStartup(c);
  }
  for (const auto& w : r.warnings) {
    std::fprintf(stderr, "warning: %s\n", core::ForTerminal(w).c_str());
  }
  for (const auto& p : r.problems) std::fprintf(stderr, "%s\n", core::ForTerminal(p).c_str());
  if (!r.problems.empty()) {
    std::fprintf(stderr, "parallax run --check: %s: %zu problem(s)%s\n", path.c_str(),
                 r.problems.size(),
                 loaded.ok() ? "" : " in the configuration (its files are checked once it loads)");
    return 1;
  }
  std::printf("%s: configuration is valid (%zu interface(s), %u worker(s), %zu sink(s)%s)\n",
              path.c_str(), c.capture.interfaces.size(), c.workers, c.sinks.size(),
              r.loaded.c_str());
  return 0;
}

}  // namespace

void AddRunCommand(CLI::App& app, int& exit_code) {
  struct Args {
    std::string config;
    bool check = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run as a daemon: live capture, alerts to sinks, /metrics (docs/daemon.md)");
  cmd->add_option("-c,--config", args->config, "Configuration file (YAML)")->required();
  cmd->add_flag("--check", args->check,
                "Try everything run would load (files, interfaces, filter, user, sinks) and exit: "
                "0, or 1 with every problem");
  cmd->callback([args, &exit_code] {
    daemon::DaemonConfig config;
    const core::Status loaded = daemon::LoadDaemonConfig(args->config, &config);
    if (args->check) {
      exit_code = Check(args->config, loaded, config);
      return;
    }
    if (!loaded.ok()) {
      std::fprintf(stderr, "parallax run: %s\n", loaded.message().c_str());
      exit_code = 2;
      return;
    }
    exit_code = daemon::Daemon(std::move(config)).Run();
  });
}

}  // namespace parallax::cli
