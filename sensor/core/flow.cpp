#include "sensor/core/flow.h"

#include <algorithm>

#include "sensor/core/community_id.h"

namespace parallax::core {

const char* FlowEndReasonName(FlowEndReason r) {
  switch (r) {
    case FlowEndReason::kIdleTimeout: return "timeout";
    case FlowEndReason::kTcpFin: return "tcp_fin";
    case FlowEndReason::kTcpRst: return "tcp_rst";
    case FlowEndReason::kActiveTimeout: return "active_timeout";
    case FlowEndReason::kEvicted: return "evicted";
    case FlowEndReason::kPortReuse: return "port_reuse";
    case FlowEndReason::kShutdown: return "shutdown";
  }
  return "unknown";
}

void Flow::Start(const FlowKey& k, bool from_lo, const DecodedPacket& p) {
  key = k;
  proto = p.proto;
  ip_version = p.ip_version;
  // A SYN-ACK seen first means the SYN was missed: its receiver is still the originator.
  const bool synack_first =
      p.proto == kProtoTcp && (p.tcp_flags & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck);
  const bool sender_is_orig = !synack_first;
  orig_is_lo = sender_is_orig ? from_lo : !from_lo;
  if (sender_is_orig) {
    orig_addr = p.src;
    resp_addr = p.dst;
    orig_port = p.src_port;
    resp_port = p.dst_port;
  } else {
    orig_addr = p.dst;
    resp_addr = p.src;
    orig_port = p.dst_port;
    resp_port = p.src_port;
  }
  if (p.proto == kProtoIcmp || p.proto == kProtoIcmpv6) {
    icmp_type = p.icmp_type;
    icmp_code = p.icmp_code;
    // Community ID hashes ICMP from the first message's sender with its type and code.
    icmp_first_from_orig = sender_is_orig;
  }
  has_ports = p.has_ports;
  encap = p.encap;
  encap_src = p.encap_src;
  encap_dst = p.encap_dst;
  first_ts = last_ts = last_report_ts = p.ts;
  // Deterministic id: the key hash mixed with the start time, kept below 2^53 so that JSON
  // consumers that parse numbers as doubles (JavaScript, some SIEMs) keep every digit.
  std::uint64_t h = k.Hash() ^ (static_cast<std::uint64_t>(p.ts) * 0x9E3779B97F4A7C15ull);
  h ^= h >> 29;
  id = h & ((1ull << 53) - 1);
}

void Flow::Update(const DecodedPacket& p, Direction d) {
  const auto di = static_cast<std::size_t>(d);
  DirectionStats& s = dir[di];
  if (s.packets == 0) s.first_ts = p.ts;
  s.packets += 1;
  s.bytes += p.wirelen;
  s.payload_bytes += p.payload_wire_len;
  s.last_ts = p.ts;
  last_ts = std::max(last_ts, p.ts);
  if (p.has_mac && !has_mac) {
    has_mac = true;
    orig_mac = d == Direction::kToServer ? p.src_mac : p.dst_mac;
    resp_mac = d == Direction::kToServer ? p.dst_mac : p.src_mac;
  }
  if (p.is_fragment && !p.is_first_fragment) ++fragments;

  if (proto == kProtoTcp && p.has_ports) {
    s.tcp_flags |= p.tcp_flags;
    const std::uint8_t f = p.tcp_flags;
    const bool syn_only = (f & (kTcpSyn | kTcpAck)) == kTcpSyn;
    const bool is_synack = (f & (kTcpSyn | kTcpAck)) == (kTcpSyn | kTcpAck);
    auto record = [&p](HandshakePacket& h) {
      h.seen = true;
      h.ts = p.ts;
      h.ttl = p.ttl;
      h.dont_fragment = p.dont_fragment;
      h.window = p.tcp_window;
      h.options = p.tcp_options;
    };
    if (syn_only && d == Direction::kToServer && !syn.seen) record(syn);
    if (is_synack && d == Direction::kToClient && !synack.seen) record(synack);
    if (!(f & kTcpSyn) && (f & kTcpAck) && d == Direction::kToServer && synack.seen &&
        handshake_ack_ts == 0) {
      handshake_ack_ts = p.ts;
    }
    if (f & kTcpFin) fin_seen[di] = true;
    if (f & kTcpRst) rst_seen = true;
  }

  if (sample_count < kMaxSamples) {
    const TimeUs off = std::clamp<TimeUs>(p.ts - first_ts, 0, 0xFFFFFFFF);
    samples[sample_count++] = PacketSample{static_cast<std::uint32_t>(off),
                                           static_cast<std::uint16_t>(std::min<std::uint32_t>(
                                               p.payload_wire_len, 0xFFFF)),
                                           static_cast<std::uint8_t>(d), p.tcp_flags};
  }
}

const std::string& Flow::CommunityId() const {
  if (community_id_.empty()) {
    if (proto == kProtoIcmp || proto == kProtoIcmpv6) {
      const IpAddress& s = icmp_first_from_orig ? orig_addr : resp_addr;
      const IpAddress& d = icmp_first_from_orig ? resp_addr : orig_addr;
      community_id_ = CommunityIdV1(s, d, proto, icmp_type, icmp_code, has_ports);
    } else {
      community_id_ = CommunityIdV1(orig_addr, resp_addr, proto, orig_port, resp_port, has_ports);
    }
  }
  return community_id_;
}

TimeUs Flow::ResponderRttUs() const {
  if (!syn.seen || !synack.seen || synack.ts < syn.ts) return -1;
  return synack.ts - syn.ts;
}

TimeUs Flow::OriginatorRttUs() const {
  if (!synack.seen || handshake_ack_ts == 0 || handshake_ack_ts < synack.ts) return -1;
  return handshake_ack_ts - synack.ts;
}

}  // namespace parallax::core
