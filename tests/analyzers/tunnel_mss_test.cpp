#include "tests/analyzers/flow_script.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

namespace {

std::string EvidenceOf(const analyzers::Fingerprint& fp, const std::string& key) {
  std::string all;
  for (const auto& e : fp.evidence)
    if (e.key == key) all += (all.empty() ? "" : " | ") + e.value;
  return all;
}

// The generated tunnel-mss-wireguard.pcap session, built here without build/: a peer behind a
// WireGuard MTU of 1420 opens SSH to a local server; its SYN carries MSS 1380.
void SshBehindWireGuard(AnalyzerHarness& h) {
  FlowScript s(h, "203.0.113.51", "192.168.1.10", 50522, 22, core::kProtoTcp);
  s.Handshake(1380, 1460);
  s.Send(false, TextBytes("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n"));
  s.Send(true, TextBytes("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3\r\n"));
  for (int i = 0; i < 20; ++i) {
    s.Send(true, RandomBytes(36, 100 + i), 150'000);
    s.Send(false, RandomBytes(36, 200 + i), 150'000);
  }
}

}  // namespace

TEST_CASE("tunnel_mss: SSH whose SYN carries MSS 1380 comes from behind WireGuard's 1420 MTU") {
  AnalyzerHarness h("tunnel_mss");
  SshBehindWireGuard(h);
  h.Finish();
  auto fps = h.OfKind(Kind::kTunnelInner);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "WireGuard");
  CHECK(fps[0].confidence <= 0.6);
  CHECK(fps[0].confidence >= 0.4);
  CHECK(EvidenceOf(fps[0], "behind_tunnel").find("originator 203.0.113.51") != std::string::npos);
  CHECK(EvidenceOf(fps[0], "mss") == "1380 over IPv4");
  CHECK(EvidenceOf(fps[0], "implied_mtu").rfind("1420", 0) == 0);
  CHECK(EvidenceOf(fps[0], "candidates").find("WireGuard") != std::string::npos);
}

TEST_CASE("tunnel_mss: the SYN-ACK side can be the one behind a tunnel (MSS 1360: IPsec/VPN)") {
  AnalyzerHarness h("tunnel_mss");
  FlowScript s(h, "192.168.1.10", "198.51.100.9", 41000, 443, core::kProtoTcp);
  s.Handshake(1460, 1360);
  s.Send(true, RandomBytes(100, 1));
  h.Finish();
  auto fps = h.OfKind(Kind::kTunnelInner);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "IPsec/VPN");
  CHECK(EvidenceOf(fps[0], "behind_tunnel").find("responder 198.51.100.9") != std::string::npos);
  // MTU 1400 is also inside OpenVPN's mssfix band: both candidates are named.
  CHECK(EvidenceOf(fps[0], "candidates").find("OpenVPN") != std::string::npos);
}

TEST_CASE("tunnel_mss: PPPoE (MSS 1452) is an ordinary DSL line, reported lowest") {
  AnalyzerHarness h("tunnel_mss");
  FlowScript s(h, "192.168.1.10", "198.51.100.9", 41001, 80, core::kProtoTcp);
  s.Handshake(1452, 1460);
  h.Finish();
  auto fps = h.OfKind(Kind::kTunnelInner);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "PPPoE/DSL");
  CHECK(fps[0].confidence <= 0.2);
  CHECK_FALSE(EvidenceOf(fps[0], "note").empty());
}

TEST_CASE("tunnel_mss: Ethernet MSS, a missing MSS option and UDP say nothing") {
  AnalyzerHarness h("tunnel_mss");
  FlowScript a(h, "192.168.1.10", "198.51.100.9", 41002, 443, core::kProtoTcp);
  a.Handshake(1460, 1460);
  FlowScript b(h, "192.168.1.10", "198.51.100.9", 41003, 443, core::kProtoTcp);
  b.Handshake(0, 0);
  FlowScript c(h, "2001:db8::10", "2001:db8::20", 41004, 443, core::kProtoTcp);
  c.Handshake(1440, 1440);  // IPv6 over Ethernet: 1500 - 60
  FlowScript d(h, "192.168.1.10", "198.51.100.9", 41005, 53, core::kProtoUdp);
  d.Send(true, DnsQuery("example.com"));
  h.Finish();
  CHECK(h.OfKind(Kind::kTunnelInner).empty());
}

TEST_CASE("tunnel_mss: IPv6 subtracts 60: MSS 1360 over IPv6 is MTU 1420, WireGuard") {
  AnalyzerHarness h("tunnel_mss");
  FlowScript s(h, "2001:db8::10", "2001:db8::20", 41006, 22, core::kProtoTcp);
  s.Handshake(1360, 1440);
  h.Finish();
  auto fps = h.OfKind(Kind::kTunnelInner);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "WireGuard");
  CHECK(EvidenceOf(fps[0], "mss") == "1360 over IPv6");
}

TEST_CASE("tunnel_mss: real browsing captures: Ethernet clients clean, a DSL server is PPPoE") {
  // In nDPI's chrome/firefox/safari captures the client announces MSS 1460 (Ethernet) and the
  // server 146.48.58.18 answers with MSS 1452: p0f's DSL value, so only the low PPPoE hint.
  for (const char* rel : {"ndpi/chrome.pcap", "ndpi/firefox.pcap", "ndpi/safari.pcap"}) {
    AnalyzerHarness h("tunnel_mss");
    if (!h.ReadFile(SharedPcap(rel))) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    h.Finish();
    INFO(rel);
    auto fps = h.OfKind(Kind::kTunnelInner);
    CHECK_FALSE(fps.empty());
    for (const auto& fp : fps) {
      CHECK(fp.product == "PPPoE/DSL");
      CHECK(fp.confidence <= 0.2);
      CHECK(EvidenceOf(fp, "behind_tunnel").find("responder 146.48.58.18") != std::string::npos);
      CHECK(EvidenceOf(fp, "behind_tunnel").find("originator") == std::string::npos);
    }
  }
}
