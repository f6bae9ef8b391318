#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

namespace {

void PutLe32(Bytes& b, std::size_t off, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) b[off + i] = static_cast<std::uint8_t>(v >> (8 * i));
}
Bytes WgMessage(std::uint8_t type, std::size_t size, std::uint32_t a, std::uint32_t b_idx,
                std::uint64_t counter = 0) {
  Bytes m = Pseudorandom(size, a ^ static_cast<std::uint32_t>(counter));
  m[0] = type;
  m[1] = m[2] = m[3] = 0;
  PutLe32(m, 4, a);
  if (type == 2) PutLe32(m, 8, b_idx);
  if (type == 4) {
    PutLe32(m, 8, static_cast<std::uint32_t>(counter));
    PutLe32(m, 12, static_cast<std::uint32_t>(counter >> 32));
  }
  return m;
}

}  // namespace

TEST_CASE("wireguard: real captures (plain, mid-session, TunnelBear, ProtonVPN on 443)") {
  for (const char* f : {"ndpi/wireguard.pcap", "ndpi/tunnelbear.pcap", "ndpi/protonvpn.pcap"}) {
    AnalyzerHarness h("wireguard");
    if (!h.ReadFile(SharedPcap(f))) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    h.Finish();
    auto fps = h.OfKind(Kind::kVpn);
    INFO(f);
    REQUIRE_FALSE(fps.empty());
    for (const auto& fp : fps) {
      CHECK(fp.product == "WireGuard");
      CHECK(fp.decided_by == "parallax");
      CHECK(fp.confidence >= 0.9);
    }
  }
}

TEST_CASE("wireguard: Tailscale by its disco packets (nDPI 4.2 says Unknown)") {
  AnalyzerHarness h("wireguard");
  if (!h.ReadFile(SharedPcap("ndpi/tailscale.pcap"))) {
    WARN("../shared/pcaps missing: skipped");
    return;
  }
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "Tailscale");
  CHECK(fps[0].confidence >= 0.9);
}

TEST_CASE("wireguard: Cloudflare WARP on UDP 2408 (nDPI 4.2 says Cloudflare)") {
  AnalyzerHarness h("wireguard");
  if (!h.ReadFile(SharedPcap("ndpi/cloudflare-warp.pcap"))) {
    WARN("../shared/pcaps missing: skipped");
    return;
  }
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "Cloudflare WARP");
  CHECK(h.found[0].dst == "162.159.192.7");
}

TEST_CASE("wireguard: Mullvad named by the network intelligence on the server address") {
  AnalyzerHarness h("wireguard");
  h.intel.Set("198.54.131.98", {"vpn", "Mullvad", 39351, "31173 Services AB", "SE", "test", true});
  if (!h.ReadFile(SharedPcap("ndpi/mullvad_wireguard.pcap"))) {
    WARN("../shared/pcaps missing: skipped");
    return;
  }
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "WireGuard (Mullvad)");
}

TEST_CASE("wireguard: crafted handshake and transport on an odd port") {
  AnalyzerHarness h("wireguard");
  UdpSession s{h, "192.168.1.10", "203.0.113.5", 40000, 53};
  s.Send(true, WgMessage(1, 148, 0x11111111, 0));
  s.Send(false, WgMessage(2, 92, 0x22222222, 0x11111111));
  for (std::uint64_t i = 0; i < 4; ++i) {
    s.Send(true, WgMessage(4, 16 + 16 + 64, 0x22222222, 0, i));
    s.Send(false, WgMessage(4, 16 + 16 + 128, 0x11111111, 0, i));
  }
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "WireGuard");
  CHECK(fps[0].confidence >= 0.95);
}

TEST_CASE("wireguard: random UDP on 51820 and a broken counter are not WireGuard") {
  AnalyzerHarness h("wireguard");
  UdpSession s{h, "192.168.1.10", "203.0.113.5", 40000, 51820};
  for (std::uint32_t i = 0; i < 10; ++i) s.Send(i % 2 == 0, Pseudorandom(148, i + 7));
  UdpSession s2{h, "192.168.1.11", "203.0.113.6", 40001, 51820};
  // Transport-shaped packets whose counter goes backwards and whose index changes.
  s2.Send(true, WgMessage(4, 96, 0x33333333, 0, 5));
  s2.Send(true, WgMessage(4, 96, 0x33333333, 0, 2));
  s2.Send(true, WgMessage(4, 96, 0x44444444, 0, 9));
  s2.Send(true, WgMessage(4, 96, 0x33333333, 0, 10));
  // One initiation-sized packet alone is not enough either.
  UdpSession s3{h, "192.168.1.12", "203.0.113.7", 40002, 51820};
  s3.Send(true, WgMessage(1, 148, 0x55555555, 0));
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}
