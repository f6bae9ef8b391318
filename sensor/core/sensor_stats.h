// SensorStats: the run's counters, as plain numbers for the closing `stats` event and metrics.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sensor/core/anomaly.h"
#include "sensor/core/time.h"

namespace parallax::core {

// One file or interface read, and how it went (the stats event's `inputs`).
struct InputStatus {
  InputStatus() = default;
  // Implicit on purpose: a name alone is an input read without trouble (a live interface, the
  // daemon's captures), and `inputs.push_back(name)` stays as short as it was.
  InputStatus(std::string n) : name(std::move(n)) {}  // NOLINT(google-explicit-constructor)
  std::string name;
  std::string status = "ok";  // "ok", "failed" (see error), "interrupted" (stopped before its end)
  std::string error;          // "failed": the message, naming the file and the packet
  std::optional<std::uint64_t> packets;    // packets read from it, where counted per input
  std::uint64_t timestamps_backwards = 0;  // packets earlier than their predecessor in it
};

struct SensorStats {
  TimeUs first_ts = 0;
  TimeUs last_ts = 0;
  std::uint64_t packets = 0;        // frames handed to the sensor
  std::uint64_t bytes = 0;          // their wire bytes
  std::uint64_t ip_packets = 0;     // decoded as IP and accounted to a flow
  std::uint64_t non_ip_packets = 0; // ARP, LLDP...
  std::uint64_t broken_packets = 0; // truncated/inconsistent headers (see anomalies)
  std::uint64_t fragments = 0;      // non-first IP fragments accounted to their flow
  std::uint64_t flows_created = 0;
  std::uint64_t flows_ended = 0;
  std::uint64_t flows_evicted = 0;
  std::uint64_t interim_records = 0;
  std::uint64_t peak_live_flows = 0;
  std::uint64_t fingerprints = 0;
  std::uint64_t alerts = 0;
  // Findings a suppression rule held back (docs/policy.md); unset when no policy is in use, so
  // that output without a policy is unchanged.
  std::optional<std::uint64_t> suppressed;
  std::uint64_t attributed_flows = 0;  // flows tied to a roster contractor
  std::uint64_t capture_received = 0;
  std::uint64_t capture_dropped = 0;     // pcap_stats ps_drop (live capture)
  std::uint64_t capture_if_dropped = 0;  // pcap_stats ps_ifdrop
  AnomalyCounters anomalies;
  std::vector<InputStatus> inputs;  // files or interfaces read, in the order they were merged
};

}  // namespace parallax::core
