// encrypted_tunnel: a generic heuristic for tunnels no signature names (obfuscated OpenVPN,
// StealthVPN-style TLS wrappers, home-made WireGuard ports...): a flow that lasts, keeps
// flowing, carries random-looking payload in both directions with the balance of carried traffic,
// and that nDPI does not name as an ordinary application. The measurements live in TunnelMeter
// (analyzers/tunnel_meter.h), shared with vpn_endpoint's "Astrill (suspected)" rule.
//
// Reported with lower confidence (<= 0.6) and every measured number as evidence. What it cannot
// see: whether this flow is the host's only peer (that needs state across flows).
#include <string>

#include "analyzers/flow_filters.h"
#include "analyzers/registry.h"
#include "analyzers/tunnel_meter.h"

namespace parallax::analyzers {
namespace {

class EncryptedTunnel final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    meter_.OnPacket(flow, p, d);
    if (meter_.Rejected(flow)) decided_ = true;
  }
  bool Decided() const override { return decided_; }
  bool Disposable() const override { return decided_; }  // decided only ever means rejected

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                 std::vector<Fingerprint>& out) override {
    if (decided_) return;  // rejected on the packet path
    const TunnelAssessment a = meter_.Assess(flow);
    if (!a.tunnel_like) return;
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "encrypted tunnel";
    fp.generic = true;
    fp.confidence = a.confidence;
    fp.decided_by = "parallax";
    fp.Add("peer", Endpoint(flow.resp_addr, flow.resp_port) +
                       (flow.proto == core::kProtoTcp ? "/tcp" : "/udp"));
    a.AddEvidence(fp);
    if (ctx.intel) {
      const NetworkInfo n = ctx.intel->Lookup(flow.resp_addr);
      if (n.known) {
        fp.Add("server_network", n.type + (n.provider.empty() ? "" : " " + n.provider) +
                                     (n.asn ? " AS" + std::to_string(n.asn) + " " +
                                                  n.organisation
                                            : ""));
      }
    }
    out.push_back(std::move(fp));
  }

 private:
  TunnelMeter meter_;
  bool decided_ = false;
};

// Tunnels ride on TCP or UDP; ESP/GRE are named by protocol number elsewhere.

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::EncryptedTunnel;
PARALLAX_REGISTER_ANALYZER(EncryptedTunnel, "encrypted_tunnel",
                           "Unnamed encrypted tunnels: long-lived, steady, high-entropy, "
                           "balanced flows nDPI does not name (lower confidence)",
                           parallax::analyzers::WantsTcpOrUdp)
