// The eight detections. Each looks at one contractor's evidence in one window (and, where
// evidence builds over days, at their earlier windows in the look-back) and returns at most one
// alert; each lives in its own file with its thresholds explained (docs/detections.md).
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sensor/divergence/alert.h"
#include "sensor/divergence/divergence_options.h"
#include "sensor/divergence/evidence.h"
#include "sensor/divergence/rtt_judgement.h"
#include "sensor/roster/roster.h"

namespace parallax::divergence {

// A trip: a far egress in the claimed country, on an access network, seen on at most
// options.travel_max_days days of the look-back, while the contractor's home line (an egress
// near the claimed place) is in the look-back too.
struct Trip {
  std::string home_ip;
  int home_days = 0;
  int away_days = 0;
};

struct DetectionContext {
  const roster::Contractor& contractor;
  const ContractorWindow& window;
  const DivergenceOptions& options;
  core::TimeUs window_end;
  // The contractor's windows within the evidence look-back (this one last, oldest first).
  std::vector<const ContractorWindow*> lookback;
  // This window: public egress address -> contractors seen behind it.
  const std::map<std::string, std::set<std::string>>& egress_contractors;
  // The SOC's policy; null when none.
  const policy::Policy* policy = nullptr;
  // The sanctioned network an address belongs to (the company's own infrastructure), or null.
  const policy::SanctionedNetwork* Sanctioned(const GeoFact& g) const;
  // The handshake RTTs to one egress address over the look-back.
  RttEvidence RttOver(const std::string& egress_ip) const;
  // Windows of the look-back in which the contractor used this egress address.
  int WindowsWith(const std::string& egress_ip) const;
  // Whether this egress is a trip away from the contractor's home line (see Trip).
  std::optional<Trip> TripTo(const EgressEvidence& e) const;
};

std::optional<Alert> DetectLocationMismatch(const DetectionContext& ctx);
std::optional<Alert> DetectAnonymizedEgress(const DetectionContext& ctx);
std::optional<Alert> DetectLatencyInconsistent(const DetectionContext& ctx);
std::optional<Alert> DetectRemoteControlledDevice(const DetectionContext& ctx);
std::optional<Alert> DetectColocatedDesktop(const DetectionContext& ctx);
std::optional<Alert> DetectSharedEgress(const DetectionContext& ctx);
std::optional<Alert> DetectOffHours(const DetectionContext& ctx);
std::optional<Alert> DetectImpossibleTravel(const DetectionContext& ctx);

// Shared helpers for the detections.
Alert NewAlert(AlertKind kind, const DetectionContext& ctx);
nlohmann::ordered_json GeoJson(const GeoFact& g);
nlohmann::ordered_json ClaimedJson(const roster::Contractor& c);
std::string Km(double km);  // "8,123 km"
// What a finding is about, for suppression rules: the address and ASN of a geolocated party.
policy::Subject SubjectOf(const GeoFact& g);
// Residential, mobile or unknown: not hosting, VPN, proxy or Tor by any source.
bool AccessNetwork(const GeoFact& g);
// "Chicago, US" (or the country alone).
std::string Where(const GeoFact& g);

}  // namespace parallax::divergence
