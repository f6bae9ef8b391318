#include "analyzers/registry.h"
#include "tests/analyzers/flow_script.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;
using analyzers::NetworkInfo;

namespace {

std::string EvidenceOf(const analyzers::Fingerprint& fp, const std::string& key) {
  for (const auto& e : fp.evidence)
    if (e.key == key) return e.value;
  return "";
}

NetworkInfo Net(const char* type, const char* provider, std::uint32_t asn, const char* org,
                const char* decided_by) {
  NetworkInfo n;
  n.type = type;
  n.provider = provider;
  n.asn = asn;
  n.organisation = org;
  n.country = "NL";
  n.decided_by = decided_by;
  n.known = true;
  return n;
}

void ShortUdp(AnalyzerHarness& h, const char* server, std::uint16_t port) {
  FlowScript s(h, "192.168.1.10", server, 50100, port, core::kProtoUdp);
  s.Send(true, RandomBytes(148, 1));
  s.Send(false, RandomBytes(92, 2));
}

// A TLS-on-443-looking tunnel: random records both ways for `seconds`, after a ClientHello
// without SNI or ALPN (what a tunnel client may send; browsers always send both).
void Tls443Tunnel(AnalyzerHarness& h, const char* server, int seconds) {
  FlowScript s(h, "192.168.1.10", server, 51600, 443, core::kProtoTcp);
  s.Handshake(1460, 1460);
  std::uint32_t seed = 40;
  const Bytes rec = {0x17, 0x03, 0x03, 0x01, 0x00};
  for (int i = 0; i < seconds; ++i) {
    s.Send(true, Cat(rec, RandomBytes(256, seed++)), 20'000);
    s.Send(false, Cat(rec, RandomBytes(256, seed++)), 20'000);
    s.Send(false, Cat(rec, RandomBytes(256, seed++)), 950'000);
  }
}

}  // namespace

TEST_CASE("vpn_endpoint: a server in a named VPN network names the provider") {
  AnalyzerHarness h("vpn_endpoint");
  h.intel.Set("198.51.100.20", Net("vpn", "Mullvad", 39351, "31173 Services AB", "curated: AS39351"));
  ShortUdp(h, "198.51.100.20", 51820);
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "Mullvad");
  CHECK(fps[0].confidence == Approx(0.85));
  CHECK(EvidenceOf(fps[0], "vpn_side") == "responder");
  CHECK(EvidenceOf(fps[0], "server_asn") == "AS39351");
  CHECK(EvidenceOf(fps[0], "network_source") == "curated: AS39351");
  CHECK_FALSE(EvidenceOf(fps[0], "ndpi_protocol").empty());
  CHECK(EvidenceOf(fps[0], "server_network").find("31173 Services AB") != std::string::npos);
}

TEST_CASE("vpn_endpoint: an operator-listed Astrill exit is Astrill outright") {
  AnalyzerHarness h("vpn_endpoint");
  h.intel.Set("192.0.2.10", Net("vpn", "Astrill", 9009, "M247 Europe SRL", "operator_list: ops.txt:11"));
  Tls443Tunnel(h, "192.0.2.10", 5);
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "Astrill");
  CHECK(fps[0].confidence == Approx(0.9));
}

TEST_CASE("vpn_endpoint: Tor exit without a provider name is Tor") {
  AnalyzerHarness h("vpn_endpoint");
  h.intel.Set("198.51.100.21", Net("tor_exit", "", 0, "", "operator_list: tor-exits.txt:3"));
  ShortUdp(h, "198.51.100.21", 9001);
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "Tor");
}

TEST_CASE("vpn_endpoint: a controller arriving from a VPN exit is reported on its side") {
  AnalyzerHarness h("vpn_endpoint");
  h.intel.Set("198.51.100.22", Net("vpn", "NordVPN", 0, "", "anonymous_ip_db"));
  FlowScript s(h, "198.51.100.22", "192.168.1.10", 50200, 3389, core::kProtoTcp);
  s.Handshake(1460, 1460);
  s.Send(true, RandomBytes(40, 3));
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "NordVPN");
  CHECK(EvidenceOf(fps[0], "vpn_side") == "originator");
  CHECK(fps[0].confidence < 0.8);
}

TEST_CASE("vpn_endpoint: a long TLS/443 tunnel into a hosting network is Astrill (suspected)") {
  AnalyzerHarness h("vpn_endpoint");
  h.intel.Set("198.51.100.30", Net("hosting", "", 9009, "M247 Europe SRL", "curated: AS9009"));
  Tls443Tunnel(h, "198.51.100.30", 120);
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "Astrill (suspected)");
  CHECK(fps[0].confidence <= 0.6);
  CHECK(fps[0].confidence >= 0.45);
  CHECK(EvidenceOf(fps[0], "server_network").find("M247") != std::string::npos);
  CHECK_FALSE(EvidenceOf(fps[0], "reason").empty());
  CHECK_FALSE(EvidenceOf(fps[0], "payload_entropy").empty());
}

TEST_CASE("vpn_endpoint: the same tunnel to a residential network, or a short one, is not Astrill") {
  AnalyzerHarness h("vpn_endpoint");
  h.intel.Set("198.51.100.31", Net("residential", "", 7922, "Comcast", "asn_org_name"));
  h.intel.Set("198.51.100.32", Net("hosting", "", 16509, "Amazon.com, Inc.", "curated: AS16509"));
  Tls443Tunnel(h, "198.51.100.31", 120);
  Tls443Tunnel(h, "198.51.100.32", 20);
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}

TEST_CASE("vpn_endpoint: TLS to astrill.com names the Astrill client (or its website)") {
  AnalyzerHarness h("vpn_endpoint");
  FlowScript s(h, "192.168.1.10", "198.51.100.40", 51700, 443, core::kProtoTcp);
  s.Handshake(1460, 1460);
  s.Send(true, ClientHello("api.astrill.com"));
  s.Send(false, RandomBytes(200, 9));
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "Astrill");
  CHECK(fps[0].confidence <= 0.5);
  CHECK(EvidenceOf(fps[0], "hostname").rfind("api.astrill.com", 0) == 0);
}

TEST_CASE("vpn_endpoint: without network intelligence it says nothing about networks") {
  const analyzers::AnalyzerSpec* spec = analyzers::Registry::Get().Find("vpn_endpoint");
  REQUIRE(spec);
  auto a = spec->create();
  core::Flow f;
  f.proto = core::kProtoUdp;
  f.orig_addr = *core::IpAddress::Parse("192.168.1.10");
  f.resp_addr = *core::IpAddress::Parse("198.51.100.20");
  analyzers::AnalyzerContext ctx;  // intel == nullptr
  std::vector<analyzers::Fingerprint> out;
  a->OnFlowEnd(f, ctx, out);
  CHECK(out.empty());
}

TEST_CASE("vpn_endpoint: benign captures with every address unknown give nothing") {
  for (const char* rel : {"ndpi/chrome.pcap", "ndpi/sites.pcapng", "ndpi/quic.pcap"}) {
    AnalyzerHarness h("vpn_endpoint");
    if (!h.ReadFile(SharedPcap(rel))) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    h.Finish();
    INFO(rel);
    CHECK(h.found.empty());
  }
}
