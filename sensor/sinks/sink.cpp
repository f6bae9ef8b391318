#include "sensor/sinks/sink.h"

#include <algorithm>

namespace parallax::sinks {

bool Sink::Wants(output::EventType t) const {
  const std::string_view name = output::EventTypeName(t);
  return std::find(config_.events.begin(), config_.events.end(), name) != config_.events.end();
}

}  // namespace parallax::sinks
