// PacketView: a non-owning view of one captured frame. The bytes belong to the packet source and
// are valid only until the source reads the next packet.
#pragma once

#include <cstdint>

#include "sensor/core/link_type.h"
#include "sensor/core/time.h"

namespace parallax::core {

struct PacketView {
  TimeUs ts = 0;                     // capture timestamp (microseconds since the epoch)
  const std::uint8_t* data = nullptr;
  std::uint32_t caplen = 0;          // bytes present in data (may be less than wirelen: snaplen)
  std::uint32_t wirelen = 0;         // length of the frame on the wire
  LinkType link = LinkType::kEthernet;
};

}  // namespace parallax::core
