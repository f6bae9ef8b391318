// colocated_desktop: the contractor works through a remote desktop hosted in a datacenter (the
// "colocated remote Mac desktop accessed via VPN"): either a colocated_desktop fingerprint on
// their traffic, or their device connects in from a hosting network while being driven over a
// remote-desktop protocol. Reached through a VPN it is severe.
#include "sensor/divergence/detections.h"

namespace parallax::divergence {

std::optional<Alert> DetectColocatedDesktop(const DetectionContext& ctx) {
  const ColocatedEvidence* hit = ctx.window.colocated.empty() ? nullptr : &ctx.window.colocated[0];
  ColocatedEvidence derived;
  if (!hit) {
    // The device itself is hosted: its egress is a hosting network and it is being driven.
    for (const auto& [ip, e] : ctx.window.egress) {
      if (e.geo.network_type != "hosting") continue;
      for (const auto& r : ctx.window.remote) {
        derived.product = r.product;
        derived.host_ip = ip;
        derived.host = e.geo;
        derived.how = "the device connects in from a hosting network and is driven with " +
                      r.product + " from " + r.controller_ip;
        derived.ts = r.ts;
        derived.community_id = r.community_id;
        hit = &derived;
        break;
      }
      if (hit) break;
    }
  }
  if (!hit) return std::nullopt;
  bool via_vpn = false;
  for (const auto& r : ctx.window.remote) {
    const std::string& t = r.controller.network_type;
    if (t == "vpn" || t == "tor_exit" || t == "proxy") via_vpn = true;
  }
  for (const auto& [ip, e] : ctx.window.egress) {
    const std::string& t = e.geo.network_type;
    if (ip != hit->host_ip && (t == "vpn" || t == "tor_exit" || t == "proxy")) via_vpn = true;
  }
  Alert a = NewAlert(AlertKind::kColocatedDesktop, ctx);
  a.severity = via_vpn ? 1 : 2;
  a.score = via_vpn ? 85 : 70;
  a.explanation = ctx.contractor.name + " works on " + hit->host_ip + ", a " + hit->product +
                  " desktop in a datacenter (AS" + std::to_string(hit->host.asn) + " " +
                  hit->host.organisation + ")" + (via_vpn ? ", reached through a VPN" : "") + ".";
  a.observed = GeoJson(hit->host);
  a.evidence["host_ip"] = hit->host_ip;
  a.evidence["product"] = hit->product;
  a.evidence["how"] = hit->how;
  a.evidence["via_vpn"] = via_vpn;
  a.evidence["flows"] = {hit->community_id};
  a.mitre = {{"T1219", "Remote Access Software"}, {"T1133", "External Remote Services"}};
  a.community_id = hit->community_id;
  return a;
}

}  // namespace parallax::divergence
