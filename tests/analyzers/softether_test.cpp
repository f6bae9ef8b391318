#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

TEST_CASE("softether: DDNS registration and NAT-T PACK messages of the real capture") {
  AnalyzerHarness h("softether");
  if (!Load(h, "ndpi/softether.pcap")) {
    WARN("../shared/pcaps missing: skipped");
    return;
  }
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE_FALSE(fps.empty());
  bool ddns = false, pack = false;
  for (const auto& f : h.found) {
    CHECK(f.fp.product == "SoftEther");
    for (const auto& e : f.fp.evidence) {
      ddns = ddns || (e.key == "http" && e.value.find("ddns.aspx") != std::string::npos);
      pack = pack || e.key == "pack";
    }
  }
  CHECK(ddns);  // TCP/80 to *.softether-network.net (nDPI 4.2: HTTP)
  CHECK(pack);  // UDP/5004 (nDPI 4.2: Unknown)
}

TEST_CASE("softether: the /vpnsvc/connect.cgi handshake outside TLS, with its watermark") {
  AnalyzerHarness h("softether");
  TcpSession s{h, "10.0.0.2", "198.51.100.9", 50000, 5555};
  s.Open();
  s.Send(true, Cat(Text("POST /vpnsvc/connect.cgi HTTP/1.1\r\nHost: vpn.example.com\r\n"
                        "Content-Type: image/jpeg\r\nContent-Length: 1411\r\n\r\nGIF89a"),
                   Pseudorandom(200, 1)));
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].confidence >= 0.95);
}

TEST_CASE("softether: visiting the project's website and random UDP are not SoftEther") {
  AnalyzerHarness h("softether");
  TcpSession s{h, "10.0.0.2", "198.51.100.9", 50000, 80};
  s.Open();
  s.Send(true, Text("GET /en/ HTTP/1.1\r\nHost: www.softether.org\r\n\r\n"));
  UdpSession u{h, "10.0.0.2", "198.51.100.9", 50001, 5004};
  for (std::uint32_t i = 0; i < 4; ++i) u.Send(i % 2 == 0, Pseudorandom(64, i));
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}
