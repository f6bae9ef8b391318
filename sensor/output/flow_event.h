// The `flow` event: eve.json's top-level keys (timestamp, flow_id, event_type, src_ip...,
// community_id, app_proto) with Parallax's flow details nested under `flow`, `tcp` and `ndpi`.
// docs/events.md documents every field.
#pragma once

#include <nlohmann/json.hpp>

#include "sensor/core/flow.h"

namespace parallax::output {

nlohmann::ordered_json FlowEventJson(const core::Flow& flow, core::FlowEndReason reason,
                                     bool interim);

// The eve.json identity keys of a flow (timestamp, flow_id, event_type, endpoints, proto,
// app_proto, community_id, vlan, tunnel, ether), shared by every flow-bound event.
nlohmann::ordered_json FlowIdentityJson(const core::Flow& flow, const char* event_type);

// "TCP", "UDP", "ICMP", "IPv6-ICMP" (Suricata's names) or the protocol number.
std::string ProtoName(std::uint8_t proto);

}  // namespace parallax::output
