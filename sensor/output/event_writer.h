// EventWriter: writes selected events as JSON lines (one object per line) to a stream.
// Thread-safety: REQUIRES external synchronization.
#pragma once

#include <cstdio>

#include <nlohmann/json.hpp>

#include "analyzers/fingerprint.h"
#include "sensor/core/flow.h"
#include "sensor/core/sensor_stats.h"
#include "sensor/divergence/alert.h"
#include "sensor/output/event_types.h"

namespace parallax::output {

class EventWriter {
 public:
  EventWriter(std::FILE* out, EventSelection selection) : out_(out), selection_(selection) {}

  void WriteFlow(const core::Flow& flow, core::FlowEndReason reason, bool interim);
  void WriteFingerprint(const core::Flow& flow, const analyzers::Fingerprint& fp, bool interim);
  void WriteAlert(const divergence::Alert& alert, core::TimeUs now);
  void WriteStats(const core::SensorStats& stats);
  void Write(EventType type, const nlohmann::ordered_json& event);
  void Flush() { std::fflush(out_); }

  const EventSelection& selection() const { return selection_; }
  std::uint64_t written() const { return written_; }

 private:
  std::FILE* out_;
  EventSelection selection_;
  std::uint64_t written_ = 0;
};

}  // namespace parallax::output
