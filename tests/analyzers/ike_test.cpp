#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

namespace {

Bytes IkeHeader(const Bytes& ispi, const Bytes& rspi, std::uint8_t np, std::uint8_t version,
                std::uint8_t exchange, std::uint8_t flags, std::size_t body) {
  Bytes h = Cat(ispi, rspi);
  h.push_back(np);
  h.push_back(version);
  h.push_back(exchange);
  h.push_back(flags);
  Put32(h, 0);  // message id
  Put32(h, static_cast<std::uint32_t>(28 + body));
  return Cat(h, Pseudorandom(body, 9));
}

}  // namespace

TEST_CASE("ike: IKEv1 and IKEv2 exchanges of the real captures, NAT-T and ESP in UDP") {
  const char* files[] = {"tcpdump/ikev2four.pcap", "tcpdump/ISAKMP_sa_setup.pcap",
                         "joy/ikev1.pcap",         "joy/ikev2.pcap",
                         "ndpi/ipsec_isakmp_esp.pcap", "flowcontainer/l2tp.pcap"};
  for (const char* f : files) {
    AnalyzerHarness h("ike");
    if (!Load(h, f)) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    INFO(f);
    auto fps = h.OfKind(Kind::kVpn);
    REQUIRE_FALSE(fps.empty());
    for (const auto& fp : fps) {
      CHECK(fp.product == "IPsec");
      CHECK(fp.confidence >= 0.85);
    }
  }
}

TEST_CASE("ike: a crafted IKEv2 IKE_SA_INIT exchange, and NAT-T with the non-ESP marker") {
  AnalyzerHarness h("ike");
  const Bytes ispi = Pseudorandom(8, 1), rspi = Pseudorandom(8, 2), zero(8, 0);
  UdpSession s{h, "10.0.0.2", "198.51.100.9", 500, 500};
  s.Send(true, IkeHeader(ispi, zero, 33, 0x20, 34, 0x08, 200));
  s.Send(false, IkeHeader(ispi, rspi, 33, 0x20, 34, 0x20, 180));
  UdpSession n{h, "10.0.0.2", "198.51.100.9", 4500, 4500};
  n.Send(true, Cat(Bytes(4, 0), IkeHeader(ispi, rspi, 46, 0x20, 35, 0x08, 300)));
  n.Send(false, Cat(Bytes(4, 0), IkeHeader(ispi, rspi, 46, 0x20, 35, 0x20, 250)));
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 2);
  bool natt = false;
  for (const auto& fp : fps) {
    CHECK(fp.confidence >= 0.95);
    for (const auto& e : fp.evidence) natt = natt || e.key == "nat_t";
  }
  CHECK(natt);
}

TEST_CASE("ike: a DNS packet and random bytes on UDP 500 are not IKE") {
  AnalyzerHarness h("ike");
  UdpSession s{h, "10.0.0.2", "198.51.100.9", 500, 500};
  const Bytes dns = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                     7,    'e',  'x',  'a',  'm',  'p',  'l',  'e',  3,    'c',  'o',  'm',
                     0,    0x00, 0x01, 0x00, 0x01};
  s.Send(true, dns);
  s.Send(false, Pseudorandom(80, 3));
  UdpSession r{h, "10.0.0.3", "198.51.100.9", 4500, 4500};
  for (std::uint32_t i = 0; i < 6; ++i) r.Send(i % 2 == 0, Pseudorandom(120, 10 + i));
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}
