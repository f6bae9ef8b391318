// ndpi_vpn: VPN and tunnel protocols as nDPI names them (OpenVPN, WireGuard, IPsec, PPTP,
// AnyConnect, FortiClient, Tor...), with the server's network (a VPN provider's address names
// the provider: "WireGuard (Mullvad)").
#include <array>
#include <string_view>

#include "analyzers/flow_filters.h"
#include "analyzers/ndpi_confidence.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

struct ProductName {
  std::string_view ndpi;     // nDPI's protocol name
  std::string_view product;  // what an analyst calls it
};
// nDPI 4.2's VPN/tunnel protocols, and names newer nDPI releases use for the same products.
constexpr std::array kVpnProtocols = {
    ProductName{"OpenVPN", "OpenVPN"},        ProductName{"WireGuard", "WireGuard"},
    ProductName{"IPsec", "IPsec"},            ProductName{"IPSec", "IPsec"},
    ProductName{"PPTP", "PPTP"},              ProductName{"L2TP", "L2TP"},
    ProductName{"CiscoVPN", "Cisco AnyConnect"}, ProductName{"FortiClient", "Fortinet SSL VPN"},
    ProductName{"Tor", "Tor"},                ProductName{"TINC", "Tinc"},
    ProductName{"Softether", "SoftEther"},    ProductName{"Tailscale", "Tailscale"},
    ProductName{"HotspotShield", "Hotspot Shield"}, ProductName{"OpenVPN", "OpenVPN"},
    ProductName{"Mullvad", "Mullvad"},        ProductName{"NordVPN", "NordVPN"},
    ProductName{"ProtonVPN", "ProtonVPN"},    ProductName{"Psiphon", "Psiphon"},
    ProductName{"UltraSurf", "UltraSurf"},    ProductName{"TunnelBear", "TunnelBear"},
    ProductName{"Windscribe", "Windscribe"},  ProductName{"CloudflareWarp", "Cloudflare WARP"},
    ProductName{"OperaVPN", "Opera VPN"},     ProductName{"PrivateInternetAccess", "PIA"},
};

std::string_view ProductFor(std::string_view name) {
  for (const auto& p : kVpnProtocols)
    if (p.ndpi == name) return p.product;
  return {};
}

class NdpiVpn final : public Analyzer {
 public:
  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                 std::vector<Fingerprint>& out) override {
    const core::Classification& c = flow.classification;
    std::string_view product = ProductFor(c.app_protocol);
    if (product.empty()) product = ProductFor(c.master_protocol);
    if (product.empty() && c.category == "VPN") {
      product = c.app_protocol;  // a VPN nDPI knows but this table does not name yet
    }
    if (product.empty()) return;
    // nDPI 4.2 labels TLS between Chromecast and phones on TCP 8009 "CiscoVPN" (ja4/tls3.pcapng).
    // AnyConnect runs on 443 (TLS and DTLS); the legacy Cisco VPN client on 500/4500/10000.
    if (product == "Cisco AnyConnect" && flow.resp_port != 443 && flow.resp_port != 500 &&
        flow.resp_port != 4500 && flow.resp_port != 10000) {
      return;
    }
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = std::string(product);
    fp.decided_by = "ndpi";
    fp.confidence = NdpiConfidence(c);
    fp.Add("ndpi_protocol", c.protocol + " (" + c.confidence + (c.guessed ? ", guessed" : "") + ")");
    if (!c.hostname.empty()) fp.Add("hostname", c.hostname);
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
    if (ctx.intel) {
      const NetworkInfo n = ctx.intel->Lookup(flow.resp_addr);
      if (n.IsAnonymizer() && !n.provider.empty() && n.provider != fp.product) {
        fp.product += " (" + n.provider + ")";
      }
      if (n.asn) fp.Add("server_asn", "AS" + std::to_string(n.asn) + " " + n.organisation);
      if (n.known) fp.Add("server_network", n.type + (n.provider.empty() ? "" : " " + n.provider));
    }
    out.push_back(std::move(fp));
  }
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::NdpiVpn;
PARALLAX_REGISTER_FLOW_END_ANALYZER(NdpiVpn, "ndpi_vpn",
                           "VPN/tunnel protocols nDPI recognises, with the server's provider",
                           parallax::analyzers::WantsAny)
