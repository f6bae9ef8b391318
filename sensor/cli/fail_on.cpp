#include "sensor/cli/fail_on.h"

#include <algorithm>

namespace parallax::cli {

void AddFailOnOption(CLI::App* cmd, std::string* severity) {
  cmd->add_option("--fail-on", *severity,
                  "Exit with status 3 when an alert at or above this severity was raised: "
                  "low, medium or high")
      ->check(CLI::IsMember({"low", "medium", "high"}));
}

bool FailOnTriggered(const std::string& severity, const std::vector<divergence::Alert>& alerts) {
  // Alert::severity counts as Suricata does: 1 high, 2 medium, 3 low.
  int threshold = 0;
  if (severity == "high") threshold = 1;
  if (severity == "medium") threshold = 2;
  if (severity == "low") threshold = 3;
  if (!threshold) return false;
  return std::any_of(alerts.begin(), alerts.end(),
                     [threshold](const divergence::Alert& a) { return a.severity <= threshold; });
}

}  // namespace parallax::cli
