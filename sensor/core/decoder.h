// Decode: link layer → IPv4/IPv6 → TCP/UDP/ICMP, never trusting the packet. Tunnels a span port
// commonly carries are stripped to the inner packet (IP-in-IP and 6in4, GRE with IP, transparent
// Ethernet or ERSPAN II/III, VXLAN on UDP 4789), at most kMaxEncapDepth deep; the outer endpoints
// stay in DecodedPacket::encap_*. PPTP's enhanced GRE (version 1, PPP inside) is not stripped: the
// GRE flow is itself the VPN. Every length is
// checked against the captured bytes; what does not add up becomes a named anomaly counter.
// Thread-safety: a pure function; the counters passed in REQUIRE external synchronization.
#pragma once

#include "sensor/core/anomaly.h"
#include "sensor/core/decoded_packet.h"
#include "sensor/core/packet_view.h"

namespace parallax::core {

constexpr int kMaxEncapDepth = 3;

enum class DecodeStatus {
  kOk,      // an IP packet; out is filled (a non-first fragment has no ports)
  kNotIp,   // a well-formed frame that carries no IP (ARP, LLDP...): counted, not an error
  kBroken,  // truncated or inconsistent headers: an anomaly was counted
};

DecodeStatus Decode(const PacketView& packet, DecodedPacket& out, AnomalyCounters& anomalies);

// Decodes from an IP header (used by Decode and by tests); len is the captured IP bytes.
DecodeStatus DecodeIp(const std::uint8_t* data, std::uint32_t len, bool snaplen_cut,
                      DecodedPacket& out, AnomalyCounters& anomalies);

}  // namespace parallax::core
