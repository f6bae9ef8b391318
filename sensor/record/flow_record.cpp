#include "sensor/record/flow_record.h"

namespace parallax::record {
namespace {

HandshakeFacts Facts(const core::HandshakePacket& h) {
  HandshakeFacts f;
  f.seen = h.seen;
  f.ts = h.ts;
  f.ttl = h.ttl;
  f.dont_fragment = h.dont_fragment;
  f.window = h.window;
  if (h.options.has_mss) f.mss = h.options.mss;
  if (h.options.has_wscale) f.wscale = h.options.wscale;
  f.sack_permitted = h.options.sack_permitted;
  f.timestamps = h.options.has_timestamp;
  return f;
}

}  // namespace

FlowRecord MakeFlowRecord(const core::Flow& f, core::FlowEndReason reason,
                          std::vector<analyzers::Fingerprint> fingerprints,
                          const SensorIdentity& sensor) {
  FlowRecord r;
  r.sensor = sensor;
  r.flow_id = f.id;
  r.community_id = f.CommunityId();
  r.orig_addr = f.orig_addr;
  r.resp_addr = f.resp_addr;
  r.has_ports = f.has_ports;
  r.orig_port = f.orig_port;
  r.resp_port = f.resp_port;
  r.proto = f.proto;
  r.has_mac = f.has_mac;
  r.orig_mac = f.orig_mac;
  r.resp_mac = f.resp_mac;
  r.tunnel = f.encap;
  r.tunnel_src = f.encap_src;
  r.tunnel_dst = f.encap_dst;
  r.first_ts = f.first_ts;
  r.last_ts = f.last_ts;
  r.end_reason = reason;
  for (std::size_t i = 0; i < 2; ++i) {
    r.dir[i] = {f.dir[i].packets, f.dir[i].bytes, f.dir[i].payload_bytes, f.dir[i].tcp_flags};
  }
  r.responder_rtt_us = f.ResponderRttUs();
  r.originator_rtt_us = f.OriginatorRttUs();
  r.syn = Facts(f.syn);
  r.synack = Facts(f.synack);
  r.classification = f.classification;
  r.fingerprints = std::move(fingerprints);
  return r;
}

}  // namespace parallax::record
