// SinkSet: the configured sinks as one destination. Emit() hands an event line to every sink
// that wants its type (sinks copy what they keep; an alert is durable when Emit returns).
// Thread-safety: Emit and stats are thread-safe (the sinks are); Start/Flush/Stop are called by
// the daemon's main thread.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "sensor/output/event_types.h"
#include "sensor/sinks/sink.h"

namespace parallax::daemon {

class SinkSet {
 public:
  void Add(std::unique_ptr<sinks::Sink> sink) { sinks_.push_back(std::move(sink)); }

  void Emit(output::EventType type, const std::string& id, const std::string& line) {
    for (auto& s : sinks_) {
      if (s->Wants(type)) s->Submit(sinks::Record{type, id, line});
    }
  }
  bool Wants(output::EventType type) const {
    for (const auto& s : sinks_) {
      if (s->Wants(type)) return true;
    }
    return false;
  }

  void Start() {
    for (auto& s : sinks_) s->Start();
  }
  // Gives every sink up to `timeout` in all; true when everything was delivered.
  bool Flush(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool all = true;
    for (auto& s : sinks_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      all = s->Flush(std::max(left, std::chrono::milliseconds(1))) && all;
    }
    return all;
  }
  void Stop() {
    for (auto& s : sinks_) s->Stop();
  }

  const std::vector<std::unique_ptr<sinks::Sink>>& sinks() const { return sinks_; }

 private:
  std::vector<std::unique_ptr<sinks::Sink>> sinks_;
};

}  // namespace parallax::daemon
