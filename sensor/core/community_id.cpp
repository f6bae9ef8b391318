#include "sensor/core/community_id.h"

#include <utility>

#include "sensor/core/decoded_packet.h"
#include "sensor/core/sha1.h"

namespace parallax::core {
namespace {

std::string Base64(const std::uint8_t* p, std::size_t n) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((n + 2) / 3 * 4);
  for (std::size_t i = 0; i < n; i += 3) {
    std::uint32_t v = std::uint32_t{p[i]} << 16;
    if (i + 1 < n) v |= std::uint32_t{p[i + 1]} << 8;
    if (i + 2 < n) v |= p[i + 2];
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < n ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < n ? kAlphabet[v & 63] : '=';
  }
  return out;
}

}  // namespace

IcmpPorts IcmpPortEquivalents(std::uint8_t proto, std::uint8_t type, std::uint8_t code) {
  // Router solicitation maps to advertisement but not back (as in Zeek's ICMP4_counterpart).
  static constexpr std::pair<int, int> kV4[] = {{8, 0},   {0, 8},   {13, 14}, {14, 13}, {15, 16},
                                                {16, 15}, {10, 9},  {17, 18}, {18, 17}};
  static constexpr std::pair<int, int> kV6[] = {{128, 129}, {129, 128}, {133, 134}, {134, 133},
                                                {135, 136}, {136, 135}, {130, 131}, {131, 130},
                                                {139, 140}, {140, 139}, {144, 145}, {145, 144}};
  if (proto == kProtoIcmp) {
    for (auto [a, b] : kV4)
      if (a == type) return {type, static_cast<std::uint16_t>(b), false};
  } else {
    for (auto [a, b] : kV6)
      if (a == type) return {type, static_cast<std::uint16_t>(b), false};
  }
  return {type, code, true};
}

std::string CommunityIdV1(const IpAddress& src, const IpAddress& dst, std::uint8_t proto,
                          std::uint16_t src_port, std::uint16_t dst_port, bool has_ports,
                          std::uint16_t seed) {
  IpAddress a = src, b = dst;
  std::uint16_t pa = src_port, pb = dst_port;
  bool one_way = false;
  if (has_ports && (proto == kProtoIcmp || proto == kProtoIcmpv6)) {
    const IcmpPorts m = IcmpPortEquivalents(proto, static_cast<std::uint8_t>(src_port),
                                            static_cast<std::uint8_t>(dst_port));
    pa = m.src_port;
    pb = m.dst_port;
    one_way = m.one_way;
  }
  // Order the endpoints so both directions hash alike; one-way ICMP keeps the sender first.
  const bool swap = !one_way && (b < a || (a == b && pb < pa));
  if (swap) {
    std::swap(a, b);
    std::swap(pa, pb);
  }
  Sha1 h;
  const std::uint8_t seed_be[2] = {static_cast<std::uint8_t>(seed >> 8),
                                   static_cast<std::uint8_t>(seed)};
  h.Update(seed_be, 2);
  h.Update(a.bytes(), a.size());
  h.Update(b.bytes(), b.size());
  const std::uint8_t proto_pad[2] = {proto, 0};
  h.Update(proto_pad, 2);
  if (has_ports) {
    const std::uint8_t ports[4] = {static_cast<std::uint8_t>(pa >> 8), static_cast<std::uint8_t>(pa),
                                   static_cast<std::uint8_t>(pb >> 8), static_cast<std::uint8_t>(pb)};
    h.Update(ports, 4);
  }
  const auto digest = h.Final();
  return "1:" + Base64(digest.data(), digest.size());
}

}  // namespace parallax::core
