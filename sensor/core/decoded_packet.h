// DecodedPacket: the fields of one frame the rest of the sensor needs, filled by Decode().
// Pointers (l3, payload) point into the PacketView's bytes and share its lifetime.
#pragma once

#include <array>
#include <cstdint>

#include "sensor/core/ip_address.h"
#include "sensor/core/time.h"

namespace parallax::core {

// TCP flag bits as they appear in the header.
enum TcpFlag : std::uint8_t {
  kTcpFin = 0x01,
  kTcpSyn = 0x02,
  kTcpRst = 0x04,
  kTcpPsh = 0x08,
  kTcpAck = 0x10,
  kTcpUrg = 0x20,
  kTcpEce = 0x40,
  kTcpCwr = 0x80,
};

// IP protocol numbers we treat specially.
enum IpProto : std::uint8_t {
  kProtoIcmp = 1,
  kProtoTcp = 6,
  kProtoUdp = 17,
  kProtoGre = 47,
  kProtoEsp = 50,
  kProtoAh = 51,
  kProtoIcmpv6 = 58,
  kProtoSctp = 132,
};

// TCP options of interest for p0f-style fingerprints (MSS reveals the sender's link MTU).
struct TcpOptions {
  std::uint16_t mss = 0;
  std::uint8_t wscale = 0;
  bool has_mss = false;
  bool has_wscale = false;
  bool sack_permitted = false;
  bool has_timestamp = false;
  std::uint32_t tsval = 0;
  std::uint32_t tsecr = 0;
  // Option kinds in the order they appeared (EOL/NOP included), up to kMaxLayout of them.
  static constexpr std::size_t kMaxLayout = 16;
  std::array<std::uint8_t, kMaxLayout> layout{};
  std::uint8_t layout_len = 0;
};

// A tunnel the decoder stripped to reach the inner packet (Zeek's tunnel.log types).
enum class Encap : std::uint8_t { kNone, kIpInIp, kGre, kErspan, kVxlan };
const char* EncapName(Encap e);

struct DecodedPacket {
  TimeUs ts = 0;
  std::uint32_t wirelen = 0;  // frame length on the wire (counted as the packet's bytes)
  std::uint32_t caplen = 0;

  // Link layer.
  std::array<std::uint16_t, 2> vlan{};  // outer first; vlan_count says how many are valid
  std::uint8_t vlan_count = 0;
  bool has_mac = false;
  std::array<std::uint8_t, 6> src_mac{};
  std::array<std::uint8_t, 6> dst_mac{};

  // The outermost tunnel stripped, if any, and its endpoints.
  Encap encap = Encap::kNone;
  std::uint8_t encap_depth = 0;
  IpAddress encap_src;
  IpAddress encap_dst;

  // Network layer (the innermost IP header). l3 points at the IP header; l3_len is min(IP total length, captured bytes).
  const std::uint8_t* l3 = nullptr;
  std::uint32_t l3_len = 0;
  std::uint8_t ip_version = 0;
  IpAddress src;
  IpAddress dst;
  std::uint8_t proto = 0;      // transport protocol (after IPv6 extension headers)
  std::uint8_t ttl = 0;        // IPv4 TTL or IPv6 hop limit
  std::uint16_t ip_id = 0;     // IPv4 identification (Bellovin host counting); 0 for IPv6
  bool dont_fragment = false;
  bool has_ip_options = false;

  // Fragmentation. A non-first fragment carries no transport header.
  bool is_fragment = false;
  bool is_first_fragment = false;
  std::uint32_t frag_id = 0;   // IPv4 identification or IPv6 fragment header identification
  std::uint16_t frag_offset = 0;  // in bytes
  bool more_fragments = false;

  // Transport layer. For ICMP/ICMPv6 the "ports" are the Community ID mapping of type/code.
  bool has_ports = false;
  std::uint16_t src_port = 0;
  std::uint16_t dst_port = 0;
  std::uint8_t tcp_flags = 0;
  std::uint32_t tcp_seq = 0;
  std::uint32_t tcp_ack = 0;
  std::uint16_t tcp_window = 0;
  TcpOptions tcp_options;
  std::uint8_t icmp_type = 0;
  std::uint8_t icmp_code = 0;
  bool icmp_one_way = false;   // no request/reply counterpart (Community ID rule)

  // Application payload: captured bytes, and the length the headers declare (>= captured when
  // the capture was cut by snaplen).
  const std::uint8_t* payload = nullptr;
  std::uint32_t payload_len = 0;
  std::uint32_t payload_wire_len = 0;
};

}  // namespace parallax::core
