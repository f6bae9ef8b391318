// FragmentTracker: remembers which flow a first IP fragment went to, so the later fragments of the
// same datagram (which carry no ports) are accounted to that flow. Bounded: when full, the oldest
// datagrams are forgotten and their later fragments counted as fragment_without_first.
// Thread-safety: REQUIRES external synchronization (one per worker).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_map>

#include "sensor/core/decoded_packet.h"
#include "sensor/core/flow_key.h"
#include "sensor/core/time.h"

namespace parallax::core {

class FragmentTracker {
 public:
  // Fragments of one datagram arrive within milliseconds; 30 s covers pathological reordering
  // (Linux's ipfrag_time is 30 s too).
  static constexpr TimeUs kTimeout = Seconds(30);
  explicit FragmentTracker(std::size_t capacity = 16384) : capacity_(capacity) {}

  // Records the flow of a first fragment (p.is_first_fragment).
  void RememberFirst(const DecodedPacket& p, const FlowKey& key);
  // Finds the flow of a non-first fragment; nullptr-like false when unknown.
  bool Lookup(const DecodedPacket& p, FlowKey* key);
  std::size_t size() const { return map_.size(); }

 private:
  struct DatagramId {
    IpAddress src, dst;
    std::uint32_t id;
    std::uint8_t proto;
    friend bool operator==(const DatagramId&, const DatagramId&) = default;
  };
  struct DatagramIdHash {
    std::size_t operator()(const DatagramId& d) const;
  };
  struct Entry {
    FlowKey key;
    TimeUs ts;
  };
  static DatagramId IdOf(const DecodedPacket& p);
  void Trim(TimeUs now);

  std::size_t capacity_;
  std::unordered_map<DatagramId, Entry, DatagramIdHash> map_;
  std::deque<std::pair<DatagramId, TimeUs>> order_;  // insertion order, for bounded expiry
};

}  // namespace parallax::core
