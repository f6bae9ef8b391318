// BuildReport: turns one finished read (roster, the engine's evidence, the alerts and the
// collected flows) into the report model, contractors most suspicious first.
// Thread-safety: pure function of its inputs.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sensor/core/sensor_stats.h"
#include "sensor/divergence/alert.h"
#include "sensor/divergence/engine.h"
#include "sensor/report/flow_collector.h"
#include "sensor/report/report_model.h"
#include "sensor/roster/roster.h"

namespace parallax::report {

struct ReportInputs {
  const roster::Roster* roster = nullptr;                  // required
  const divergence::DivergenceEngine* engine = nullptr;    // required
  const std::vector<divergence::Alert>* alerts = nullptr;  // required
  const FlowCollector* flows = nullptr;                    // required
  const core::SensorStats* stats = nullptr;                // required
  std::vector<std::string> inputs;
  // The policy file in use (docs/policy.md); unset: none (the engine's suppressed findings are
  // then always empty and no section is written).
  std::optional<std::string> policy_path;
  std::optional<double> sensor_latitude, sensor_longitude;
  // Sessions of one lane closer than this merge into one bar of the timeline.
  core::TimeUs session_gap = core::Seconds(600);
  // Heatmap rows kept (the most recent days); a longer capture says how many it left out.
  std::size_t max_heatmap_days = 62;
};

ReportModel BuildReport(const ReportInputs& in);

// Severity label of an alert severity (1..3), "none" for 4.
const char* SeverityLabel(int severity);

}  // namespace parallax::report
