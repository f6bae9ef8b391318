// DivergenceHub: the daemon's one divergence engine, shared by every worker. Workers hand it
// ended flows (FlowEndHook); the daemon's timer evaluates it, and each alert goes to the sinks
// (spooled, fsync'd) before the alert store records it as emitted, so a crash between the two
// repeats an alert (same id) rather than losing it. SIGHUP swaps in a new roster and identity
// events and the SOC's policy; evidence and alert history are kept.
// Thread-safety: thread-safe (one mutex; flows end far less often than packets arrive).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sensor/divergence/alert_store.h"
#include "sensor/divergence/engine.h"
#include "sensor/divergence_inputs.h"
#include "sensor/geo_network_intel.h"
#include "sensor/daemon/flow_end_hook.h"
#include "sensor/pipeline.h"
#include "sensor/daemon/sink_set.h"

namespace parallax::daemon {

class DivergenceHub final : public FlowEndHook {
 public:
  // geo may be null; store must be open; sinks must outlive the hub.
  DivergenceHub(DivergenceInputs inputs, divergence::DivergenceOptions options,
                const geoip::GeoIntelHolder* geo, std::unique_ptr<divergence::AlertStore> store,
                SinkSet* sinks);

  void OnFlowEnd(const core::Flow& flow,
                 const std::vector<analyzers::Fingerprint>& fingerprints) override;
  // Evaluates every window at time `now` and emits new and grown alerts, then retires windows
  // past retention (DivergenceEngine::Retire); returns the alerts emitted.
  std::size_t Evaluate(core::TimeUs now);
  void Reload(DivergenceInputs inputs);

  struct Counters {
    std::map<std::string, std::uint64_t> alerts_by_kind;
    std::uint64_t attributed_flows = 0;
    std::uint64_t late_flows = 0;
    std::uint64_t retired_windows = 0;
    std::size_t evidence_windows = 0;
    std::uint64_t store_errors = 0;
    std::size_t contractors = 0;
    std::uint64_t suppressed = 0;         // DivergenceEngine::suppressed_total
    std::size_t policy_sanctioned = 0;    // rules of the policy in use
    std::size_t policy_suppressions = 0;
  };
  Counters counters() const;

 private:
  static std::string AlertLine(const divergence::Alert& a, core::TimeUs now);

  mutable std::mutex mu_;
  DivergenceInputs inputs_;
  std::unique_ptr<GeoNetworkIntel> intel_;
  std::unique_ptr<divergence::AlertStore> store_;
  std::unique_ptr<divergence::DivergenceEngine> engine_;
  SinkSet* sinks_;
  std::map<std::string, std::uint64_t> alerts_by_kind_;
};

}  // namespace parallax::daemon
