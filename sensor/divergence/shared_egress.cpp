// shared_egress: more contractors than one person behind one public address in a window: several
// company laptops in one house (one Nevada address held two fake employees' laptops, both
// driven with AnyDesk through Astrill). A contractor counts behind an address when their traffic
// comes from it in the window, or when an identity event puts them there in a window in which
// the address carries traffic (at a remote-access gateway two people on one farm address are
// known only from the VPN/SSO log; their flows cannot be told apart on the wire).
#include "sensor/divergence/detections.h"

namespace parallax::divergence {

std::optional<Alert> DetectSharedEgress(const DetectionContext& ctx) {
  for (const auto& [ip, e] : ctx.window.egress) {
    if (ctx.Sanctioned(e.geo)) continue;  // an office NAT or corporate concentrator: expected
    auto it = ctx.egress_contractors.find(ip);
    if (it == ctx.egress_contractors.end()) continue;
    if (static_cast<int>(it->second.size()) <= ctx.options.max_contractors_per_egress) continue;
    Alert a = NewAlert(AlertKind::kSharedEgress, ctx);
    a.severity = 2;
    a.score = 60 + 10 * std::min<int>(3, static_cast<int>(it->second.size()) - 1);
    std::string others;
    for (const auto& id : it->second) {
      if (id == ctx.contractor.id) continue;
      others += (others.empty() ? "" : ", ") + id;
    }
    a.explanation = ctx.contractor.name + " shares the public address " + ip + " with " + others +
                    " in the same window: several company devices behind one connection.";
    a.observed = GeoJson(e.geo);
    a.evidence["egress_ip"] = ip;
    a.evidence["contractors"] = std::vector<std::string>(it->second.begin(), it->second.end());
    a.evidence["seen_by"] = e.how;
    a.evidence["flows"] = e.community_ids;
    a.subjects = {SubjectOf(e.geo)};
    a.mitre = {{"T1078", "Valid Accounts"}, {"T1219", "Remote Access Software"}};
    if (!e.community_ids.empty()) a.community_id = e.community_ids.front();
    return a;
  }
  return std::nullopt;
}

}  // namespace parallax::divergence
