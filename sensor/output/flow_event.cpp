#include "sensor/core/mac_address.h"
#include "sensor/output/flow_event.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "sensor/output/time_format.h"

namespace parallax::output {
namespace {

using Json = nlohmann::ordered_json;

// Suricata's tcp_flags: the OR of the flags as two hex digits.
std::string HexFlags(std::uint8_t f) {
  char buf[3];
  std::snprintf(buf, sizeof buf, "%02x", f);
  return buf;
}

// p0f-style option layout: mss,nop,ws,sok,ts,eol,?N for unknown kinds.
std::string OptionLayout(const core::TcpOptions& o) {
  std::string s;
  for (std::size_t i = 0; i < o.layout_len; ++i) {
    if (!s.empty()) s += ',';
    switch (o.layout[i]) {
      case 0: s += "eol"; break;
      case 1: s += "nop"; break;
      case 2: s += "mss"; break;
      case 3: s += "ws"; break;
      case 4: s += "sok"; break;
      case 5: s += "sack"; break;
      case 8: s += "ts"; break;
      default: s += "?" + std::to_string(o.layout[i]);
    }
  }
  return s;
}

Json HandshakeJson(const core::HandshakePacket& h) {
  Json j;
  j["ttl"] = h.ttl;
  j["df"] = h.dont_fragment;
  j["window"] = h.window;
  if (h.options.has_mss) j["mss"] = h.options.mss;
  if (h.options.has_wscale) j["wscale"] = h.options.wscale;
  j["sack_permitted"] = h.options.sack_permitted;
  j["timestamps"] = h.options.has_timestamp;
  j["options"] = OptionLayout(h.options);
  return j;
}

double Ms(core::TimeUs us) { return static_cast<double>(us) / 1000.0; }

// Fixed precision keeps golden files stable: microsecond resolution in milliseconds.
double Round3(double v) { return static_cast<double>(static_cast<long long>(v * 1000.0 + (v >= 0 ? 0.5 : -0.5))) / 1000.0; }

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string ProtoName(std::uint8_t proto) {
  switch (proto) {
    case core::kProtoTcp: return "TCP";
    case core::kProtoUdp: return "UDP";
    case core::kProtoIcmp: return "ICMP";
    case core::kProtoIcmpv6: return "IPv6-ICMP";
    case core::kProtoGre: return "GRE";
    case core::kProtoEsp: return "ESP";
    case core::kProtoAh: return "AH";
    case core::kProtoSctp: return "SCTP";
    default: return std::to_string(proto);
  }
}

Json FlowIdentityJson(const core::Flow& f, const char* event_type) {
  const core::Classification& c = f.classification;
  const bool has_ports = f.proto == core::kProtoTcp || f.proto == core::kProtoUdp ||
                         f.proto == core::kProtoSctp;
  Json j;
  j["timestamp"] = FormatTimestamp(f.last_ts);
  j["flow_id"] = f.id;
  j["event_type"] = event_type;
  j["src_ip"] = f.orig_addr.ToString();
  if (has_ports) j["src_port"] = f.orig_port;
  j["dest_ip"] = f.resp_addr.ToString();
  if (has_ports) j["dest_port"] = f.resp_port;
  j["proto"] = ProtoName(f.proto);
  if (f.proto == core::kProtoIcmp || f.proto == core::kProtoIcmpv6) {
    j["icmp_type"] = f.icmp_type;
    j["icmp_code"] = f.icmp_code;
  }
  // eve's app_proto is the lower-case protocol the payload speaks: nDPI's master (TLS for
  // TLS.AnyDesk) or its single protocol; "failed" as Suricata says when nothing matched.
  std::string app = c.master_protocol.empty() ? c.app_protocol : c.master_protocol;
  j["app_proto"] = (app.empty() || app == "Unknown") ? "failed" : Lower(app);
  j["community_id"] = f.CommunityId();
  if (f.key.vlan[0] != 0 || f.key.vlan[1] != 0) {
    Json v = Json::array();
    v.push_back(f.key.vlan[0]);
    if (f.key.vlan[1] != 0) v.push_back(f.key.vlan[1]);
    j["vlan"] = v;
  }
  if (f.encap != core::Encap::kNone) {
    j["tunnel"] = {{"type", core::EncapName(f.encap)},
                   {"src_ip", f.encap_src.ToString()},
                   {"dest_ip", f.encap_dst.ToString()}};
  }
  if (f.has_mac) {
    j["ether"] = {{"src_mac", core::MacToString(f.orig_mac)}, {"dest_mac", core::MacToString(f.resp_mac)}};
  }

  return j;
}

Json FlowEventJson(const core::Flow& f, core::FlowEndReason reason, bool interim) {
  const core::Classification& c = f.classification;
  const auto& ts = f.dir[0];
  const auto& tc = f.dir[1];
  Json j = FlowIdentityJson(f, "flow");
  Json fl;
  fl["pkts_toserver"] = ts.packets;
  fl["pkts_toclient"] = tc.packets;
  fl["bytes_toserver"] = ts.bytes;
  fl["bytes_toclient"] = tc.bytes;
  fl["payload_bytes_toserver"] = ts.payload_bytes;
  fl["payload_bytes_toclient"] = tc.payload_bytes;
  fl["start"] = FormatTimestamp(f.first_ts);
  fl["end"] = FormatTimestamp(f.last_ts);
  fl["age"] = (f.last_ts - f.first_ts) / core::kMicrosPerSecond;
  fl["duration_ms"] = Round3(Ms(f.last_ts - f.first_ts));
  // Suricata's states: closed (FIN both ways or RST), established (both directions spoke),
  // new (one direction only). Why the record was written is in `reason`.
  fl["state"] = (f.proto == core::kProtoTcp && f.TcpClosed())
                    ? "closed"
                    : (ts.packets > 0 && tc.packets > 0 ? "established" : "new");
  fl["reason"] = interim ? "active_timeout" : core::FlowEndReasonName(reason);
  fl["interim"] = interim;
  if (interim) fl["interim_seq"] = f.interim_count;
  if (f.fragments) fl["fragments"] = f.fragments;
  j["flow"] = fl;

  if (f.proto == core::kProtoTcp) {
    Json t;
    t["tcp_flags"] = HexFlags(ts.tcp_flags | tc.tcp_flags);
    t["tcp_flags_ts"] = HexFlags(ts.tcp_flags);
    t["tcp_flags_tc"] = HexFlags(tc.tcp_flags);
    const std::uint8_t all = ts.tcp_flags | tc.tcp_flags;
    if (all & core::kTcpSyn) t["syn"] = true;
    if (all & core::kTcpFin) t["fin"] = true;
    if (all & core::kTcpRst) t["rst"] = true;
    if (all & core::kTcpPsh) t["psh"] = true;
    if (all & core::kTcpAck) t["ack"] = true;
    if (f.syn.seen) t["syn_packet"] = HandshakeJson(f.syn);
    if (f.synack.seen) t["synack_packet"] = HandshakeJson(f.synack);
    const core::TimeUs rr = f.ResponderRttUs(), ro = f.OriginatorRttUs();
    if (rr >= 0 || ro >= 0) {
      Json h;
      if (rr >= 0) h["rtt_responder_ms"] = Round3(Ms(rr));
      if (ro >= 0) h["rtt_originator_ms"] = Round3(Ms(ro));
      if (rr >= 0 && ro >= 0) h["rtt_total_ms"] = Round3(Ms(rr + ro));
      t["handshake"] = h;
    }
    j["tcp"] = t;
  }

  Json n;
  n["protocol"] = c.protocol.empty() ? "Unknown" : c.protocol;
  if (!c.master_protocol.empty()) n["master_protocol"] = c.master_protocol;
  n["app_protocol"] = c.app_protocol.empty() ? "Unknown" : c.app_protocol;
  if (!c.category.empty()) n["category"] = c.category;
  if (!c.confidence.empty()) n["confidence"] = c.confidence;
  n["guessed"] = c.guessed;
  n["packets_inspected"] = c.packets_inspected;
  if (!c.hostname.empty()) n["hostname"] = c.hostname;
  if (!c.risks.empty()) n["risks"] = c.risks;
  if (!c.tls.empty()) {
    Json t;
    if (!c.tls.version.empty()) t["version"] = c.tls.version;
    if (!c.tls.sni.empty()) t["sni"] = c.tls.sni;
    if (!c.tls.alpn.empty()) t["alpn"] = c.tls.alpn;
    if (!c.tls.ja3_client.empty()) t["ja3"] = c.tls.ja3_client;
    if (!c.tls.ja3_server.empty()) t["ja3s"] = c.tls.ja3_server;
    if (!c.tls.issuer_dn.empty()) t["issuerdn"] = c.tls.issuer_dn;
    if (!c.tls.subject_dn.empty()) t["subject"] = c.tls.subject_dn;
    n["tls"] = t;
  }
  if (!c.ssh.empty()) {
    n["ssh"] = {{"client_banner", c.ssh.client_banner},
                {"server_banner", c.ssh.server_banner},
                {"hassh", c.ssh.hassh_client},
                {"hassh_server", c.ssh.hassh_server}};
  }
  j["ndpi"] = n;

  // First packets: [offset_ms, direction (0 toserver, 1 toclient), payload bytes, tcp flags].
  Json pk = Json::array();
  for (std::size_t i = 0; i < f.sample_count; ++i) {
    const auto& s = f.samples[i];
    pk.push_back(Json::array({Round3(s.offset_us / 1000.0), s.direction, s.payload_len,
                              s.tcp_flags}));
  }
  j["first_packets"] = pk;
  return j;
}

}  // namespace parallax::output
