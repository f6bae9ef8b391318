#include "sensor/core/fragment_tracker.h"

namespace parallax::core {

std::size_t FragmentTracker::DatagramIdHash::operator()(const DatagramId& d) const {
  std::size_t h = d.id * 0x9E3779B97F4A7C15ull ^ d.proto;
  for (std::size_t i = 0; i < 16; ++i) h = h * 31 + d.src.bytes()[i] * 7 + d.dst.bytes()[i];
  return h;
}

FragmentTracker::DatagramId FragmentTracker::IdOf(const DecodedPacket& p) {
  // For IPv6 the fragment header's "next header" is the transport protocol, already in p.proto.
  return DatagramId{p.src, p.dst, p.frag_id, p.proto};
}

void FragmentTracker::Trim(TimeUs now) {
  while (!order_.empty() &&
         (order_.size() > capacity_ || now - order_.front().second >= kTimeout)) {
    auto it = map_.find(order_.front().first);
    if (it != map_.end() && it->second.ts == order_.front().second) map_.erase(it);
    order_.pop_front();
  }
}

void FragmentTracker::RememberFirst(const DecodedPacket& p, const FlowKey& key) {
  const DatagramId id = IdOf(p);
  map_[id] = Entry{key, p.ts};
  order_.emplace_back(id, p.ts);
  Trim(p.ts);
}

bool FragmentTracker::Lookup(const DecodedPacket& p, FlowKey* key) {
  Trim(p.ts);
  auto it = map_.find(IdOf(p));
  if (it == map_.end()) return false;
  *key = it->second.key;
  return true;
}

}  // namespace parallax::core
