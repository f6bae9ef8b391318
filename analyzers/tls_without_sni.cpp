// tls_without_sni: a TLS session with no server name, from a client to a bare address in a
// hosting network, or on a port TLS services do not use. Browsers always send SNI (RFC 6066;
// every modern web client does); VPN and circumvention apps talking to their servers by address
// often do not (Windscribe, PIA, Psiphon and UltraSurf in nDPI's captures). A weak, generic hint:
// confidence 0.4, never a named product.
#include <array>
#include <cstdint>

#include "analyzers/flow_filters.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

// The big platforms' own networks: their clients (Chrome, Android, Windows, iOS) talk to them by
// address without SNI in ordinary use, so they are not "someone's hosting network" here.
constexpr std::array<std::uint32_t, 9> kPlatformAsns = {15169, 396982, 36040, 32934, 714,
                                                        6185,  8075,   16509, 14618};
// Ports where TLS services live; anything else without SNI is unusual.
constexpr std::array<std::uint16_t, 10> kTlsPorts = {443, 8443, 993, 995, 465, 853,
                                                     5223, 5228, 636, 990};

template <typename A, typename T>
bool In(const A& arr, T v) {
  for (auto x : arr)
    if (x == v) return true;
  return false;
}

class TlsWithoutSni final : public Analyzer {
 public:
  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                 std::vector<Fingerprint>& out) override {
    const core::Classification& c = flow.classification;
    if (flow.proto != core::kProtoTcp || c.tls.version.empty() || !c.tls.sni.empty()) return;
    if (c.category == "RemoteAccess" || c.category == "VPN") return;  // named elsewhere
    if (!c.hostname.empty()) return;
    if (!ctx.intel) return;
    const NetworkInfo n = ctx.intel->Lookup(flow.resp_addr);
    if (!n.known || !n.IsPublic() || In(kPlatformAsns, n.asn)) return;
    const bool odd_port = !In(kTlsPorts, flow.resp_port);
    if (!n.IsHosting() && !n.IsAnonymizer() && !odd_port) return;
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "VPN/proxy (TLS without server name)";
    fp.confidence = 0.4;
    fp.generic = true;
    fp.decided_by = "parallax";
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
    fp.Add("server_network", n.type + (n.asn ? " AS" + std::to_string(n.asn) + " " + n.organisation
                                             : std::string()));
    fp.Add("tls", c.tls.version + (c.tls.alpn.empty() ? ", no ALPN" : ", ALPN " + c.tls.alpn) +
                      ", no SNI" + (odd_port ? ", unusual port" : ""));
    if (!c.tls.ja3_client.empty()) fp.Add("ja3", c.tls.ja3_client);
    out.push_back(std::move(fp));
  }
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::TlsWithoutSni;
PARALLAX_REGISTER_FLOW_END_ANALYZER(TlsWithoutSni, "tls_without_sni",
                           "TLS with no server name to a hosting network or an unusual port "
                           "(VPN apps' servers; weak hint)",
                           parallax::analyzers::WantsTcp)
