// EventWriter: writes selected events as JSON lines (one object per line) to an output file, or
// hands each line to a callback (the daemon's sinks). Write errors are kept by the OutputFile
// (its Close() reports them); the writer goes on, so the caller decides when to look.
// Thread-safety: REQUIRES external synchronization.
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "analyzers/fingerprint.h"
#include "sensor/core/flow.h"
#include "sensor/core/sensor_stats.h"
#include "sensor/divergence/alert.h"
#include "sensor/output/event_types.h"
#include "sensor/output/output_file.h"

namespace parallax::output {

// One event as one JSON line (no newline); invalid UTF-8 from the wire (hostnames, banners) is
// replaced rather than thrown on.
std::string EventLine(const nlohmann::ordered_json& event);

class EventWriter {
 public:
  // (type, event, the event as one JSON line without newline)
  using LineCallback =
      std::function<void(EventType, const nlohmann::ordered_json&, std::string&&)>;

  // `out` must outlive the writer.
  EventWriter(OutputFile* out, EventSelection selection) : out_(out), selection_(selection) {}
  EventWriter(LineCallback callback, EventSelection selection)
      : out_(nullptr), callback_(std::move(callback)), selection_(selection) {}

  void WriteFlow(const core::Flow& flow, core::FlowEndReason reason, bool interim);
  void WriteFingerprint(const core::Flow& flow, const analyzers::Fingerprint& fp, bool interim);
  void WriteAlert(const divergence::Alert& alert, core::TimeUs now);
  void WriteStats(const core::SensorStats& stats);
  void Write(EventType type, const nlohmann::ordered_json& event);
  // Hands buffered lines to the file (a failure shows in ok() and in the file's Close()).
  void Flush() {
    if (out_ && !out_->Flush()) ok_ = false;
  }
  // True while every line so far was taken by the output (always, for a callback).
  bool ok() const { return ok_; }

  const EventSelection& selection() const { return selection_; }
  std::uint64_t written() const { return written_; }

 private:
  OutputFile* out_;
  LineCallback callback_;
  EventSelection selection_;
  std::uint64_t written_ = 0;
  bool ok_ = true;
};

}  // namespace parallax::output
