// vpn_hostname: a VPN app talking to its provider's API or tunnel front-ends, by host name (TLS
// SNI, DNS query, HTTP Host). Only control-plane and tunnel host names are listed, never the
// providers' marketing sites: visiting www.nordvpn.com is not using NordVPN (ndpi/sites.pcapng
// visits NordVPN's and Surfshark's websites and must stay silent).
#include <array>
#include <string_view>

#include "analyzers/flow_filters.h"
#include "analyzers/payload_bytes.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

struct HostRule {
  std::string_view suffix;   // matches the name itself or any sub-domain
  std::string_view product;
  double confidence;
  std::string_view source;   // where the name was seen
};

// Each name was seen in a public capture of the app (nDPI's test captures in ../shared/pcaps) or
// is in the provider's own documentation, as the source column says.
constexpr std::array kRules = {
    HostRule{"cloudflareclient.com", "Cloudflare WARP", 0.8,
             "WARP client API (ndpi/cloudflare-warp.pcap: api.cloudflareclient.com)"},
    HostRule{"sec-tunnel.com", "Opera VPN", 0.85,
             "Opera's VPN proxies (ndpi/opera-vpn.pcapng: eu0.sec-tunnel.com)"},
    HostRule{"api.surfshark.com", "Surfshark", 0.75, "Surfshark app API (mercury/surfshark.pcap)"},
    HostRule{"ux.surfshark.com", "Surfshark", 0.7, "Surfshark app (mercury/surfshark.pcap)"},
    HostRule{"polargrizzly.com", "TunnelBear", 0.8,
             "TunnelBear app API (ndpi/tunnelbear.pcap: api.polargrizzly.com)"},
    HostRule{"api.tunnelbear.com", "TunnelBear", 0.75, "TunnelBear app API (ndpi/tunnelbear.pcap)"},
    HostRule{"api.mullvad.net", "Mullvad", 0.75, "Mullvad app API (mullvad.net documentation)"},
    HostRule{"api.windscribe.com", "Windscribe", 0.7, "Windscribe app API (windscribe.com docs)"},
    HostRule{"astrill.com", "Astrill", 0.6,
             "Astrill's own domain: its apps log in and fetch server lists there (the marketing "
             "site is www.astrill.com, excluded below)"},
};

class VpnHostname final : public Analyzer {
 public:
  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    const std::string& name =
        flow.classification.tls.sni.empty() ? flow.classification.hostname
                                            : flow.classification.tls.sni;
    if (name.empty() || name.rfind("www.", 0) == 0) return;  // websites are not VPN use
    // A DNS lookup is not the session: its "server" would be the resolver.
    if (IsDnsFlow(flow)) return;
    for (const auto& r : kRules) {
      if (!payload::HostIsUnder(name, r.suffix)) continue;
      Fingerprint fp;
      fp.kind = Kind::kVpn;
      fp.product = std::string(r.product);
      fp.confidence = r.confidence;
      fp.decided_by = "parallax";
      fp.Add("hostname", name);
      fp.Add("why", "VPN app control-plane host: " + std::string(r.source));
      fp.Add("ndpi_protocol", flow.classification.protocol);
      out.push_back(std::move(fp));
      return;
    }
  }
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::VpnHostname;
PARALLAX_REGISTER_FLOW_END_ANALYZER(VpnHostname, "vpn_hostname",
                           "VPN apps talking to their provider's API/tunnel hosts (SNI, DNS, Host)",
                           parallax::analyzers::WantsTcpOrUdp)
