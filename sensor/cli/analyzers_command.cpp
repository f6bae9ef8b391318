// `parallax analyzers`: the registered analyzers, one line each (name and description).
#include <cstdio>

#include "analyzers/registry.h"
#include "sensor/cli/commands.h"

namespace parallax::cli {

void AddAnalyzersCommand(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("analyzers", "List the registered analyzers");
  cmd->callback([&exit_code] {
    for (const auto& s : analyzers::Registry::Get().all()) {
      std::printf("%-18s %s\n", s.name, s.description);
    }
    exit_code = 0;
  });
}

}  // namespace parallax::cli
