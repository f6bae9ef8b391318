#include "sensor/output/event_types.h"

namespace parallax::output {

std::string_view EventTypeName(EventType t) {
  switch (t) {
    case EventType::kFlow: return "flow";
    case EventType::kFingerprint: return "fingerprint";
    case EventType::kAlert: return "alert";
    case EventType::kStats: return "stats";
    case EventType::kCount: break;
  }
  return "unknown";
}

EventSelection EventSelection::All() {
  EventSelection s;
  for (unsigned i = 0; i < static_cast<unsigned>(EventType::kCount); ++i) {
    s.Enable(static_cast<EventType>(i));
  }
  return s;
}

core::Status EventSelection::Parse(std::string_view list, EventSelection* out) {
  EventSelection s;
  std::size_t pos = 0;
  while (pos <= list.size()) {
    std::size_t comma = list.find(',', pos);
    if (comma == std::string_view::npos) comma = list.size();
    std::string_view item = list.substr(pos, comma - pos);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "all") {
      s = All();
    } else if (!item.empty()) {
      bool found = false;
      for (unsigned i = 0; i < static_cast<unsigned>(EventType::kCount); ++i) {
        if (EventTypeName(static_cast<EventType>(i)) == item) {
          s.Enable(static_cast<EventType>(i));
          found = true;
        }
      }
      if (!found) {
        std::string known;
        for (unsigned i = 0; i < static_cast<unsigned>(EventType::kCount); ++i) {
          known += (i ? ", " : "") + std::string(EventTypeName(static_cast<EventType>(i)));
        }
        return core::Status::Error("--events: unknown event type '" + std::string(item) +
                                   "' (known: " + known + ", all)");
      }
    }
    pos = comma + 1;
  }
  *out = s;
  return core::Status::Ok();
}

}  // namespace parallax::output
