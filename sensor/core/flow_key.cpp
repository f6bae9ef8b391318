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
  // Eight-byte words through a multiply-xorshift mix: cheap on the packet path (this runs for
  // every packet) and stable across runs, so flow ids are deterministic.
  auto word = [](const std::uint8_t* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  };
  auto mix = [](std::uint64_t h, std::uint64_t v) {
    h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    h *= 0xBF58476D1CE4E5B9ull;
    return h ^ (h >> 31);
  };
  std::uint64_t h = proto;
  h = mix(h, word(lo_addr.bytes()));
  h = mix(h, word(lo_addr.bytes() + 8));
  h = mix(h, word(hi_addr.bytes()));
  h = mix(h, word(hi_addr.bytes() + 8));
  h = mix(h, (std::uint64_t{lo_port} << 48) | (std::uint64_t{hi_port} << 32) |
                 (std::uint64_t{vlan[0]} << 16) | vlan[1]);
  return static_cast<std::size_t>(h);
}

}  // namespace parallax::core
