// FlowKey: the bidirectional identity of a flow. Endpoints are stored in canonical order (lower
// address/port first) so that either direction of a conversation finds the same flow; VLAN tags
// are part of the key because the same addresses on two VLANs are two networks.
// Thread-safety: immutable value type.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>

#include "sensor/core/decoded_packet.h"
#include "sensor/core/ip_address.h"

namespace parallax::core {

struct FlowKey {
  IpAddress lo_addr;
  IpAddress hi_addr;
  std::uint16_t lo_port = 0;
  std::uint16_t hi_port = 0;
  std::uint8_t proto = 0;
  std::array<std::uint16_t, 2> vlan{};

  // Builds the key of a decoded packet; sets *from_lo to whether the packet's source is lo_addr.
  static FlowKey FromPacket(const DecodedPacket& p, bool* from_lo);

  friend bool operator==(const FlowKey&, const FlowKey&) = default;

  // A direction-independent hash (the key is canonical), used to shard flows to workers too.
  std::size_t Hash() const;
};

struct FlowKeyHash {
  std::size_t operator()(const FlowKey& k) const { return k.Hash(); }
};

}  // namespace parallax::core
