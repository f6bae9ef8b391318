// anonymized_egress: the contractor's public egress is a VPN provider, a Tor exit, a proxy or a
// hosting network (where commercial VPN exits and rented desktops live: Astrill's exits sit in
// ordinary hosting networks, so "a home worker in a datacenter" is the tell whether or not a list
// names the provider). Sanctioned networks (the company's own cloud ranges and VPN concentrators,
// policy) are not anonymizers.
#include "sensor/divergence/detections.h"

namespace parallax::divergence {

std::optional<Alert> DetectAnonymizedEgress(const DetectionContext& ctx) {
  const EgressEvidence* hit = nullptr;
  int hit_rank = 0;
  for (const auto& [ip, e] : ctx.window.egress) {
    if (ctx.Sanctioned(e.geo)) continue;  // the company's own cloud or concentrator
    const std::string& t = e.geo.network_type;
    // Rank: a named anonymizer beats a hosting network.
    const int rank = (t == "tor_exit" || t == "vpn" || t == "proxy") ? 2 : (t == "hosting" ? 1 : 0);
    if (rank > hit_rank) {
      hit = &e;
      hit_rank = rank;
    }
  }
  if (!hit) return std::nullopt;
  const GeoFact& g = hit->geo;
  Alert a = NewAlert(AlertKind::kAnonymizedEgress, ctx);
  a.severity = hit_rank == 2 ? 1 : 2;
  a.score = hit_rank == 2 ? 85 : 65;
  std::string what;
  if (g.network_type == "tor_exit") {
    what = "a Tor exit";
  } else if (g.network_type == "vpn") {
    what = "the VPN provider " + (g.provider.empty() ? std::string("(unnamed)") : g.provider);
  } else if (g.network_type == "proxy") {
    what = "a proxy" + (g.provider.empty() ? std::string() : " (" + g.provider + ")");
  } else {
    what = "a hosting network (AS" + std::to_string(g.asn) + " " + g.organisation + ")";
  }
  a.explanation = ctx.contractor.name + " reaches the company through " + g.ip + ", " + what +
                  ", not a home or office connection.";
  a.observed = GeoJson(g);
  a.evidence["egress_ip"] = g.ip;
  a.evidence["network_type"] = g.network_type;
  if (!g.provider.empty()) a.evidence["provider"] = g.provider;
  a.evidence["decided_by"] = g.network_source;
  a.evidence["seen_by"] = hit->how;
  a.evidence["flows"] = hit->community_ids;
  a.evidence["days_seen"] = ctx.WindowsWith(g.ip);
  a.subjects = {SubjectOf(g)};
  a.mitre = {{"T1090", "Proxy"}, {"T1133", "External Remote Services"}};
  if (!hit->community_ids.empty()) a.community_id = hit->community_ids.front();
  return a;
}

}  // namespace parallax::divergence
