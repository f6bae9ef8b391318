// Link-layer types the decoder understands. Values are our own; sensor/capture maps libpcap's
// DLT_* numbers onto them so that the core never includes <pcap.h>.
#pragma once

#include <cstdint>
#include <string_view>

namespace parallax::core {

enum class LinkType : std::uint8_t {
  kEthernet,   // DLT_EN10MB, with 802.1Q / 802.1ad (QinQ) tags
  kLinuxSll,   // DLT_LINUX_SLL: Linux "cooked" capture v1 (16-byte header)
  kLinuxSll2,  // DLT_LINUX_SLL2: Linux "cooked" capture v2 (20-byte header)
  kRaw,        // DLT_RAW / LINKTYPE_RAW: IPv4 or IPv6, version from the first nibble
  kIpv4,       // DLT_IPV4
  kIpv6,       // DLT_IPV6
  kNull,       // DLT_NULL: BSD loopback, 4-byte address family in host byte order
  kLoop,       // DLT_LOOP: OpenBSD loopback, 4-byte address family in network byte order
  kNflog,      // DLT_NFLOG: Linux netfilter log (iptables NFLOG / tcpdump -i nflog), TLVs
  kUnsupported,
};

std::string_view LinkTypeName(LinkType t);

}  // namespace parallax::core
