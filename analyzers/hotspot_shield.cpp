// hotspot_shield: Hotspot Shield (Pango, formerly AnchorFree) by the service names its apps and
// its partner SDK talk to, as publicly documented in privacy analyses of the app. Low confidence:
// the names are the apps' control plane (authentication, server lists, config), not the tunnel
// itself (Hydra/Catapult over TLS or WireGuard to unnamed addresses), and a client may fetch them
// without connecting. Marketing websites (www.hotspotshield.com, pango.co's apex) are excluded:
// reading about a VPN is not running one.
#include <array>
#include <string>
#include <string_view>

#include "analyzers/payload_bytes.h"
#include "analyzers/flow_filters.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

struct ServiceName {
  std::string_view domain;
  bool any_subdomain;  // true: every name under it is a service (a backend-only domain)
};
// Backend-only domains count whole; product domains count only for API-style subdomains.
constexpr std::array kServiceNames = {
    ServiceName{"northghost.com", true},   // Pango's SDK/backend ("api.northghost.com")
    ServiceName{"anchorfree.net", true},   // AnchorFree infrastructure
    ServiceName{"hsselite.com", true},     // Hotspot Shield Elite backend
    ServiceName{"hotspotshield.com", false},
    ServiceName{"anchorfree.com", false},
    ServiceName{"pango.co", false},
};
constexpr std::array<std::string_view, 4> kApiPrefixes = {"api", "backend", "auth", "config"};
// Name-only evidence about the app's control plane: weak by design.
constexpr double kTlsConfidence = 0.5;    // SNI of a TLS/QUIC connection to the service
constexpr double kOtherConfidence = 0.4;  // a DNS query or HTTP Host naming it

bool ApiSubdomain(std::string_view host, std::string_view domain) {
  if (host.size() <= domain.size() + 1) return false;  // the apex itself
  const std::string_view sub = host.substr(0, host.size() - domain.size() - 1);
  for (std::string_view p : kApiPrefixes) {
    if (sub.substr(0, p.size()) == p) return true;
  }
  return false;
}

class HotspotShield final : public Analyzer {
 public:
  // Everything comes from the classifier's names at flow end: no per-packet work.
  bool Decided() const override { return true; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    const core::Classification& c = flow.classification;
    const bool tls = !c.tls.sni.empty();
    const std::string& host = tls ? c.tls.sni : c.hostname;
    if (host.empty()) return;
    for (const ServiceName& s : kServiceNames) {
      if (!payload::HostIsUnder(host, s.domain)) continue;
      if (!s.any_subdomain && !ApiSubdomain(host, s.domain)) continue;
      Fingerprint fp;
      fp.kind = Kind::kVpn;
      fp.product = "Hotspot Shield";
      fp.confidence = tls ? kTlsConfidence : kOtherConfidence;
      fp.decided_by = "parallax";
      fp.Add(tls ? "sni" : "hostname", host + " (" + c.protocol + ")");
      fp.Add("caveat", "the app's service name (control plane), not the tunnel itself");
      fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
      out.push_back(std::move(fp));
      return;
    }
  }
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::HotspotShield;
PARALLAX_REGISTER_FLOW_END_ANALYZER(HotspotShield, "hotspot_shield",
                           "Hotspot Shield / Pango by its service names (SNI, DNS, HTTP Host); "
                           "low confidence",
                           parallax::analyzers::WantsTcpOrUdp)
