#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

namespace {

// ZeroTier packet: id (8), destination (5), source (5), flags (1), MAC (8), verb + payload.
Bytes ZtPacket(const Bytes& dst, const Bytes& src, std::uint8_t flags, const Bytes& body,
               std::uint32_t seed) {
  Bytes p = Pseudorandom(8, seed);
  p.insert(p.end(), dst.begin(), dst.end());
  p.insert(p.end(), src.begin(), src.end());
  p.push_back(flags);
  const Bytes mac = Pseudorandom(8, seed + 1);
  p.insert(p.end(), mac.begin(), mac.end());
  return Cat(p, body);
}

}  // namespace

// No ZeroTier capture is in ../shared/pcaps: crafted packets only.
TEST_CASE("zerotier: a HELLO and OK exchange with swapped 40-bit addresses") {
  AnalyzerHarness h("zerotier");
  const Bytes a = {0x8a, 0x11, 0x22, 0x33, 0x44}, b = {0x3c, 0x55, 0x66, 0x77, 0x88};
  UdpSession s{h, "192.168.1.10", "198.51.100.9", 9993, 9993};
  // HELLO: cipher suite 0 (not encrypted), verb 1, protocol 11, version 1.10.6, timestamp...
  s.Send(true, ZtPacket(b, a, 0x00, Cat({0x01, 11, 1, 10, 0x00, 0x06}, Pseudorandom(100, 3)), 1));
  s.Send(false, ZtPacket(a, b, 0x08, Pseudorandom(120, 4), 2));
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "ZeroTier");
  CHECK(fps[0].confidence >= 0.9);
}

TEST_CASE("zerotier: random datagrams on UDP 9993 are not ZeroTier") {
  AnalyzerHarness h("zerotier");
  UdpSession s{h, "192.168.1.10", "198.51.100.9", 40000, 9993};
  for (std::uint32_t i = 0; i < 6; ++i) s.Send(i % 2 == 0, Pseudorandom(90, 40 + i));
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}
