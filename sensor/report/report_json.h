// ReportToJson: the report model as data (`parallax report --json`; docs/report.md). The same
// object is embedded in the HTML page, where the page's script draws it. Deterministic: stable
// order, rounded figures, packet-time timestamps; only `generated_at` is wall time.
// Thread-safety: pure function.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sensor/report/report_model.h"

namespace parallax::report {

// generated_at: wall-clock time of the run (omitted when empty).
nlohmann::ordered_json ReportToJson(const ReportModel& model, const std::string& generated_at);

}  // namespace parallax::report
