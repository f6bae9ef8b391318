#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

TEST_CASE("pptp: control connections and the GRE data channel of the real captures") {
  // flowcontainer/pptp.pcap and ndpi/gre.pcapng hold only enhanced-GRE PPP packets, which nDPI
  // 4.2 reports as GRE.
  const char* files[] = {"ndpi/pptp.pcap", "tcpdump/pptp.pcap", "flowcontainer/pptp.pcap",
                         "ndpi/gre.pcapng"};
  for (const char* f : files) {
    AnalyzerHarness h("pptp");
    if (!Load(h, f)) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    INFO(f);
    auto fps = h.OfKind(Kind::kVpn);
    REQUIRE_FALSE(fps.empty());
    for (const auto& fp : fps) CHECK(fp.product == "PPTP");
  }
}

TEST_CASE("pptp: crafted enhanced GRE; plain GRE keepalives and non-PPTP TCP/1723 are not PPTP") {
  AnalyzerHarness h("pptp");
  auto gre = [](std::uint16_t call, std::uint32_t seq, const Bytes& ppp) {
    Bytes g;
    Put16(g, 0x3001);  // K, S, version 1
    Put16(g, 0x880b);
    Put16(g, static_cast<std::uint16_t>(ppp.size()));
    Put16(g, call);
    Put32(g, seq);
    return Cat(g, ppp);
  };
  core::TimeUs t = core::Seconds(1000);
  for (std::uint32_t i = 0; i < 3; ++i) {
    h.Feed(Ether(0x0800, Ipv4("10.0.0.2", "198.51.100.9", 47,
                              gre(0x1234, i, Cat({0xff, 0x03, 0xc0, 0x21}, Pseudorandom(20, i))))),
           t += 1000);
  }
  // GRE version 0 carrying an unknown protocol: stays a GRE flow, not PPTP.
  Bytes g0;
  Put16(g0, 0x0000);
  Put16(g0, 0x88be);
  h.Feed(Ether(0x0800, Ipv4("10.0.0.5", "198.51.100.7", 47, Cat(g0, Pseudorandom(40, 1)))),
         t += 1000);
  TcpSession s{h, "10.0.0.3", "198.51.100.10", 50000, 1723};
  s.Open();
  s.Send(true, Text("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "PPTP");
  CHECK(h.found[0].dst == "198.51.100.9");
}
