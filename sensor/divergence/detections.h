// The seven detections. Each looks at one contractor's evidence in one window and returns at
// most one alert; each lives in its own file with its thresholds explained (docs/detections.md).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sensor/divergence/alert.h"
#include "sensor/divergence/divergence_options.h"
#include "sensor/divergence/evidence.h"
#include "sensor/roster/roster.h"

namespace parallax::divergence {

struct DetectionContext {
  const roster::Contractor& contractor;
  const ContractorWindow& window;
  const DivergenceOptions& options;
  core::TimeUs window_end;
  // The contractor's windows within the off-hours lookback (including this one).
  std::vector<const ContractorWindow*> lookback;
  // This window: public egress address -> contractors seen behind it.
  const std::map<std::string, std::set<std::string>>& egress_contractors;
  // The SOC's policy; null when none.
  const policy::Policy* policy = nullptr;
  // The sanctioned network an address belongs to (the company's own infrastructure), or null.
  const policy::SanctionedNetwork* Sanctioned(const GeoFact& g) const;
};

std::optional<Alert> DetectLocationMismatch(const DetectionContext& ctx);
std::optional<Alert> DetectAnonymizedEgress(const DetectionContext& ctx);
std::optional<Alert> DetectLatencyInconsistent(const DetectionContext& ctx);
std::optional<Alert> DetectRemoteControlledDevice(const DetectionContext& ctx);
std::optional<Alert> DetectColocatedDesktop(const DetectionContext& ctx);
std::optional<Alert> DetectSharedEgress(const DetectionContext& ctx);
std::optional<Alert> DetectOffHours(const DetectionContext& ctx);

// Shared helpers for the detections.
Alert NewAlert(AlertKind kind, const DetectionContext& ctx);
nlohmann::ordered_json GeoJson(const GeoFact& g);
nlohmann::ordered_json ClaimedJson(const roster::Contractor& c);
std::string Km(double km);  // "8,123 km"

}  // namespace parallax::divergence
