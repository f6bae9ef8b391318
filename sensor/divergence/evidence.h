// Evidence: what the engine keeps per contractor and window: the public egress addresses seen
// (with geolocation, network and handshake RTTs), remote-control sessions on their devices,
// colocated desktops, and when they were active. Bounded: every list has a cap.
// Thread-safety: REQUIRES external synchronization.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sensor/core/ip_address.h"
#include "sensor/core/time.h"

namespace parallax::divergence {

// What geoip/ says about one address, copied (answers from the cache do not outlive it).
struct GeoFact {
  std::string ip;
  std::string country;
  std::string city;
  std::optional<double> latitude;
  std::optional<double> longitude;
  int accuracy_km = 0;          // 0: the database gives none
  std::string time_zone;
  std::string network_type = "unknown";
  std::string provider;
  std::uint32_t asn = 0;
  std::string organisation;
  std::string network_source;   // which source decided the network type
  bool located() const { return latitude.has_value() && longitude.has_value(); }
};

struct EgressEvidence {
  GeoFact geo;
  std::string how;                  // "gateway flow", "identity event", "roster"
  std::vector<double> rtt_ms;       // handshake RTTs sensor <-> egress (kept: the lowest 32)
  std::uint64_t flows = 0;
  core::TimeUs first_ts = 0;
  core::TimeUs last_ts = 0;
  std::vector<std::string> community_ids;  // a few flows behind it, for the analyst
};

struct RemoteControlEvidence {
  std::string product;
  std::string device_ip;        // the contractor's device (the controlled end)
  std::string controller_ip;
  GeoFact controller;
  bool relayed = false;
  std::string relay;
  bool role_known = false;
  std::string role_basis;
  double duration_s = 0;
  double input_events_per_min = 0;
  core::TimeUs ts = 0;
  std::string community_id;
};

struct ColocatedEvidence {
  std::string product;
  std::string host_ip;          // the datacenter machine being driven
  GeoFact host;
  std::string how;              // "fingerprint" or "hosted egress + remote session"
  double duration_s = 0;        // of the session
  core::TimeUs ts = 0;
  std::string community_id;
};

struct ContractorWindow {
  core::TimeUs window_start = 0;
  core::TimeUs first_ts = 0;
  core::TimeUs last_ts = 0;
  std::map<std::string, EgressEvidence> egress;    // by address text
  std::vector<RemoteControlEvidence> remote;
  std::vector<ColocatedEvidence> colocated;
  std::map<std::int64_t, std::uint32_t> activity;  // flow starts per UTC hour (hours since epoch)
  std::vector<std::string> devices;                // device addresses/MACs seen
  std::uint64_t flows = 0;
  // Flow ids already counted (stable across runs on the same input), so re-reading a capture
  // with the same store adds nothing twice. Bounded by kMaxSeenFlows.
  std::set<std::uint64_t> seen_flows;
};

constexpr std::size_t kMaxRttSamples = 32;
constexpr std::size_t kMaxListed = 16;
constexpr std::size_t kMaxSeenFlows = 200'000;

}  // namespace parallax::divergence
