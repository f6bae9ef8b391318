// Community ID v1 flow hashing (corelight/community-id-spec): the same string Zeek, Suricata and
// Arkime print for a flow, so analysts can pivot between tools.
#pragma once

#include <cstdint>
#include <string>

#include "sensor/core/ip_address.h"

namespace parallax::core {

struct IcmpPorts {
  std::uint16_t src_port;
  std::uint16_t dst_port;
  bool one_way;  // no request/reply counterpart: the flow is never reordered
};
// The spec's (and Zeek's) ICMP/ICMPv6 "port equivalents" for a message type and code.
IcmpPorts IcmpPortEquivalents(std::uint8_t proto, std::uint8_t type, std::uint8_t code);

// Ports are the transport ports; for ICMP/ICMPv6 pass the type as src_port and the code as
// dst_port (the function applies the spec's request/reply mapping itself). has_ports is false
// for protocols without ports (GRE, ESP...), whose hash then covers addresses and protocol only.
std::string CommunityIdV1(const IpAddress& src, const IpAddress& dst, std::uint8_t proto,
                          std::uint16_t src_port, std::uint16_t dst_port, bool has_ports,
                          std::uint16_t seed = 0);

}  // namespace parallax::core
