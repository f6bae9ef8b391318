#include "sensor/core/flow_key.h"

#include <cstring>

namespace parallax::core {

FlowKey FlowKey::FromPacket(const DecodedPacket& p, bool* from_lo) {
  FlowKey k;
  k.proto = p.proto;
  k.vlan = p.vlan;
  const bool src_first =
      p.src < p.dst || (p.src == p.dst && p.src_port <= p.dst_port);
  if (src_first) {
    k.lo_addr = p.src;
    k.hi_addr = p.dst;
    k.lo_port = p.src_port;
    k.hi_port = p.dst_port;
  } else {
    k.lo_addr = p.dst;
    k.hi_addr = p.src;
    k.lo_port = p.dst_port;
    k.hi_port = p.src_port;
  }
  *from_lo = src_first;
  return k;
}

std::size_t FlowKey::Hash() const {
  // FNV-1a over the canonical fields: cheap, stable across runs (deterministic flow ids).
  std::uint64_t h = 1469598103934665603ull;
  auto mix = [&h](const void* data, std::size_t n) {
    auto p = static_cast<const std::uint8_t*>(data);
    for (std::size_t i = 0; i < n; ++i) {
      h ^= p[i];
      h *= 1099511628211ull;
    }
  };
  mix(lo_addr.bytes(), 16);
  mix(hi_addr.bytes(), 16);
  mix(&lo_port, sizeof lo_port);
  mix(&hi_port, sizeof hi_port);
  mix(&proto, sizeof proto);
  mix(vlan.data(), sizeof vlan);
  return static_cast<std::size_t>(h);
}

}  // namespace parallax::core
