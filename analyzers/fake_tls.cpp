// fake_tls: TLS whose server name claims a large service that serves from its own network, sent
// to an address in someone else's hosting network: the "fake TLS" / domain-faking camouflage of
// censorship-circumvention VPNs (REALITY, ShadowTLS, FakeTLS-style apps such as the PotatoVPN
// capture in mercury's tests), which borrow a popular name so the tunnel looks like a visit.
// Needs the server's ASN (GeoIP data); without it this analyzer says nothing.
#include <array>
#include <initializer_list>
#include <string_view>

#include "analyzers/payload_bytes.h"
#include "analyzers/flow_filters.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

struct Brand {
  std::string_view domain;               // the name and its sub-domains
  std::array<std::uint32_t, 6> asns;     // where that service's front ends live (0 = unused)
};

// Only services that terminate TLS on their own networks (or, for Netflix, on AWS), so a
// different ASN is a contradiction rather than a CDN: Google's and Meta's front ends are theirs
// alone. Apple and Microsoft sites are served through Akamai and others: not listed.
constexpr std::array kBrands = {
    Brand{"google.com", {15169, 396982, 36040, 19527, 0, 0}},
    Brand{"youtube.com", {15169, 396982, 36040, 0, 0, 0}},
    Brand{"gstatic.com", {15169, 396982, 0, 0, 0, 0}},
    Brand{"googleapis.com", {15169, 396982, 0, 0, 0, 0}},
    Brand{"facebook.com", {32934, 0, 0, 0, 0, 0}},
    Brand{"instagram.com", {32934, 0, 0, 0, 0, 0}},
    Brand{"whatsapp.net", {32934, 0, 0, 0, 0, 0}},
    Brand{"netflix.com", {2906, 40027, 55095, 16509, 14618, 0}},
};

class FakeTls final : public Analyzer {
 public:
  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                 std::vector<Fingerprint>& out) override {
    if (!ctx.intel) return;
    const core::Classification& c = flow.classification;
    const std::string& sni = c.tls.sni;
    if (sni.empty() || flow.proto != core::kProtoTcp) return;
    for (const auto& b : kBrands) {
      if (!payload::HostIsUnder(sni, b.domain)) continue;
      const NetworkInfo n = ctx.intel->Lookup(flow.resp_addr);
      if (!n.known || n.asn == 0 || !n.IsPublic()) return;
      for (auto a : b.asns)
        if (a == n.asn) return;  // served where that service really lives
      Fingerprint fp;
      fp.kind = Kind::kVpn;
      fp.product = "fake-TLS tunnel";
      // A CDN or reseller could in principle carry such a name: a hint, not proof.
      fp.confidence = n.IsHosting() ? 0.6 : 0.45;
      fp.decided_by = "parallax";
      fp.Add("sni", sni);
      fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
      fp.Add("server_asn", "AS" + std::to_string(n.asn) + " " + n.organisation + " (" + n.type +
                               ")");
      fp.Add("why", std::string(b.domain) + " is served only from its own networks");
      out.push_back(std::move(fp));
      return;
    }
  }
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::FakeTls;
PARALLAX_REGISTER_FLOW_END_ANALYZER(FakeTls, "fake_tls",
                           "TLS naming Google/Meta/Netflix sent to another network's hosting "
                           "address (domain-faking VPNs)",
                           parallax::analyzers::WantsTcp)
