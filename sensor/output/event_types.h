// The event types Parallax writes into one JSON-lines stream, and the selection of them that
// `--events` makes. Selection affects only what is printed, never what is analysed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sensor/core/status.h"

namespace parallax::output {

enum class EventType : std::uint8_t { kFlow, kFingerprint, kAlert, kStats, kCount };

std::string_view EventTypeName(EventType t);

class EventSelection {
 public:
  static EventSelection All();
  // Parses "flow,stats" (or "all"); errors name the unknown type.
  static core::Status Parse(std::string_view list, EventSelection* out);
  bool enabled(EventType t) const { return bits_ & (1u << static_cast<unsigned>(t)); }
  void Enable(EventType t) { bits_ |= 1u << static_cast<unsigned>(t); }

 private:
  std::uint32_t bits_ = 0;
};

}  // namespace parallax::output
