// Sharding: which worker a packet goes to. Every packet of a flow must reach the same worker, in
// both directions, including IP fragments that carry no ports; so the key is the unordered pair
// of (innermost) IP addresses, like PF_RING's 2-tuple cluster mode. Non-IP packets go to worker 0.
// Thread-safety: a Sharder holds decode scratch space: one per capture thread.
#pragma once

#include <cstddef>

#include "sensor/core/anomaly.h"
#include "sensor/core/decoded_packet.h"
#include "sensor/core/packet_view.h"

namespace parallax::daemon {

class Sharder {
 public:
  explicit Sharder(std::size_t workers) : workers_(workers) {}
  std::size_t ShardOf(const core::PacketView& packet);

 private:
  std::size_t workers_;
  core::DecodedPacket scratch_;
  core::AnomalyCounters ignored_;  // the worker counts anomalies when it decodes for real
};

}  // namespace parallax::daemon
