// DivergenceHub: the daemon's one divergence stage (sensor/divergence/divergence_stage.h),
// shared by every worker behind a mutex. Workers hand it flow records and their capture clock;
// the daemon's timer evaluates it at the packet time reached, and each alert goes to the sinks
// (spooled, fsync'd) before the alert store records it as emitted, so a crash between the two
// repeats an alert (same id) rather than losing it. SIGHUP swaps in a new roster, identity
// events and policy; evidence and alert history are kept.
// Thread-safety: thread-safe (one mutex; flows end far less often than packets arrive).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sensor/daemon/sink_set.h"
#include "sensor/divergence/divergence_inputs.h"
#include "sensor/divergence/divergence_stage.h"
#include "sensor/record/flow_record.h"

namespace parallax::daemon {

class DivergenceHub final : public record::FlowRecordSink {
 public:
  // geo may be null; store must be open; sinks must outlive the hub.
  DivergenceHub(DivergenceInputs inputs, divergence::DivergenceOptions options,
                const geoip::GeoIntelHolder* geo, std::unique_ptr<divergence::AlertStore> store,
                SinkSet* sinks);

  void OnRecord(const record::FlowRecord& record) override;
  void OnClock(core::TimeUs now) override;
  // A worker's input ending is not the daemon's: the daemon evaluates at its own stop.
  void OnInputEnd() override {}

  // Evaluates every window at the packet time reached and emits new and grown alerts, then
  // retires windows past retention (DivergenceEngine::Retire); returns the alerts emitted.
  std::size_t Evaluate();
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
  mutable std::mutex mu_;
  SinkSet* sinks_;
  std::unique_ptr<divergence::DivergenceStage> stage_;
  std::map<std::string, std::uint64_t> alerts_by_kind_;
};

}  // namespace parallax::daemon
