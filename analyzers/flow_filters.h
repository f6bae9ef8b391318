// Predicates shared by analyzers: the common `wants` filters for registration, and what kind of
// flow a name came from (a DNS lookup names a service without being a session with it).
#pragma once

#include "sensor/core/decoded_packet.h"
#include "sensor/core/flow.h"

namespace parallax::analyzers {

inline bool WantsAny(const core::Flow&, const core::DecodedPacket&) { return true; }
inline bool WantsTcp(const core::Flow& flow, const core::DecodedPacket&) {
  return flow.proto == core::kProtoTcp;
}
inline bool WantsTcpOrUdp(const core::Flow& flow, const core::DecodedPacket&) {
  return flow.proto == core::kProtoTcp || flow.proto == core::kProtoUdp;
}

// A DNS/mDNS exchange: its "server" is the resolver, and its name is a lookup, not a session.
inline bool IsDnsFlow(const core::Flow& flow) {
  const core::Classification& c = flow.classification;
  return c.app_protocol == "DNS" || c.master_protocol == "DNS" || flow.resp_port == 53 ||
         flow.resp_port == 5353;
}

}  // namespace parallax::analyzers
