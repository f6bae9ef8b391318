#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

TEST_CASE("l2tp: L2TPv3 over UDP and over IP, and an L2TPv2 PPP data packet (real captures)") {
  const char* files[] = {"kaorimatz-pcaps/l2tp/udp/l2tp-udp__ping__veth2.pcap",
                         "kaorimatz-pcaps/l2tp/ip/l2tp-ip__ping__veth2.pcap",
                         "packetnet/l2tp.pcap"};
  for (const char* f : files) {
    AnalyzerHarness h("l2tp");
    if (!Load(h, f)) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    INFO(f);
    auto fps = h.OfKind(Kind::kVpn);
    REQUIRE(fps.size() == 1);
    CHECK(fps[0].product == "L2TP");
    CHECK(fps[0].decided_by == "parallax");
  }
}

TEST_CASE("l2tp: a crafted L2TPv2 SCCRQ control message") {
  AnalyzerHarness h("l2tp");
  UdpSession s{h, "10.0.0.2", "198.51.100.9", 1701, 1701};
  Bytes m;
  Put16(m, 0xc802);  // T, L, S, version 2
  Put16(m, 0);       // length, patched below
  Put16(m, 0);       // tunnel id
  Put16(m, 0);       // session id
  Put16(m, 0);       // Ns
  Put16(m, 0);       // Nr
  Put16(m, 0x8008);  // M bit, AVP length 8
  Put16(m, 0);       // vendor
  Put16(m, 0);       // attribute: Message Type
  Put16(m, 1);       // SCCRQ
  m[2] = 0;
  m[3] = static_cast<std::uint8_t>(m.size());
  s.Send(true, m);
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].confidence >= 0.9);
}

TEST_CASE("l2tp: random datagrams on UDP 1701 are not L2TP") {
  AnalyzerHarness h("l2tp");
  UdpSession s{h, "10.0.0.2", "198.51.100.9", 1701, 1701};
  for (std::uint32_t i = 0; i < 6; ++i) s.Send(i % 2 == 0, Pseudorandom(100, 20 + i));
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}
