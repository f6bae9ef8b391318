// RecordFanOut: hands each record, clock tick and end of input to several sinks in order (the
// divergence stage and a records file, say). Null sinks are skipped.
// Thread-safety: as its sinks.
#pragma once

#include <vector>

#include "sensor/record/flow_record.h"

namespace parallax::record {

class RecordFanOut final : public FlowRecordSink {
 public:
  explicit RecordFanOut(std::vector<FlowRecordSink*> sinks) {
    for (auto* s : sinks) {
      if (s) sinks_.push_back(s);
    }
  }
  bool empty() const { return sinks_.empty(); }
  void OnRecord(const FlowRecord& r) override {
    for (auto* s : sinks_) s->OnRecord(r);
  }
  void OnClock(core::TimeUs now) override {
    for (auto* s : sinks_) s->OnClock(now);
  }
  void OnInputEnd() override {
    for (auto* s : sinks_) s->OnInputEnd();
  }

 private:
  std::vector<FlowRecordSink*> sinks_;
};

}  // namespace parallax::record
