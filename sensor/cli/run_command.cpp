// `parallax run --config FILE`: the egress daemon (sensor/daemon/daemon.h, docs/daemon.md).
// `--check` validates the configuration and exits.
#include <cstdio>
#include <memory>
#include <string>

#include "sensor/cli/commands.h"
#include "sensor/daemon/daemon.h"
#include "sensor/daemon/daemon_config.h"
#include "sensor/divergence/divergence_inputs.h"

namespace parallax::cli {

void AddRunCommand(CLI::App& app, int& exit_code) {
  struct Args {
    std::string config;
    bool check = false;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "run", "Run as a daemon: live capture, alerts to sinks, /metrics (docs/daemon.md)");
  cmd->add_option("-c,--config", args->config, "Configuration file (YAML)")->required();
  cmd->add_flag("--check", args->check, "Validate the configuration and exit");
  cmd->callback([args, &exit_code] {
    daemon::DaemonConfig config;
    if (auto s = daemon::LoadDaemonConfig(args->config, &config); !s.ok()) {
      std::fprintf(stderr, "parallax run: %s\n", s.message().c_str());
      exit_code = 2;
      return;
    }
    if (args->check) {
      // The policy is the file an analyst edits most; a broken one would stop the daemon.
      std::string policy_note;
      if (!config.policy.empty()) {
        std::shared_ptr<const policy::Policy> p;
        if (auto s = LoadPolicyFile(config.policy, &p); !s.ok()) {
          std::fprintf(stderr, "parallax run: %s\n", s.message().c_str());
          exit_code = 2;
          return;
        }
        policy_note = ", policy: " + std::to_string(p->sanctioned().size()) +
                      " sanctioned network(s), " + std::to_string(p->suppressions().size()) +
                      " suppression(s)";
      }
      std::printf("%s: configuration is valid (%zu interface(s), %u worker(s), %zu sink(s)%s)\n",
                  args->config.c_str(), config.capture.interfaces.size(), config.workers,
                  config.sinks.size(), policy_note.c_str());
      return;
    }
    exit_code = daemon::Daemon(std::move(config)).Run();
  });
}

}  // namespace parallax::cli
