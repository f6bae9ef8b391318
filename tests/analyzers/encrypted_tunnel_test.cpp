#include "tests/analyzers/flow_script.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

namespace {

std::string EvidenceOf(const analyzers::Fingerprint& fp, const std::string& key) {
  for (const auto& e : fp.evidence)
    if (e.key == key) return e.value;
  return "";
}

// A TCP tunnel on an unassigned port: `seconds` of browsing carried inside (each second a request
// up and a few responses down, with the inner ACKs going up), random payload unless `text`.
void TcpTunnel(AnalyzerHarness& h, int seconds, bool text, int down_per_up = 3,
               std::uint16_t port = 40443, const char* server = "198.51.100.70") {
  FlowScript s(h, "192.168.1.10", server, 51515, port, core::kProtoTcp);
  s.Handshake(1460, 1460);
  const Bytes filler = TextBytes(std::string(
      "GET /index.html HTTP/1.1\r\nHost: www.example.com\r\nAccept: text/html\r\n\r\n"));
  std::uint32_t seed = 1;
  for (int i = 0; i < seconds; ++i) {
    s.Send(true, text ? filler : RandomBytes(180, seed++), 20'000);
    for (int k = 0; k < down_per_up; ++k) {
      s.Send(false, text ? Bytes(900, 'a') : RandomBytes(900, seed++), 20'000);
    }
    s.Wait(1'000'000 - 20'000 * (down_per_up + 1) - 4'000);
  }
}

}  // namespace

TEST_CASE("encrypted_tunnel: long, steady, random, balanced TCP flow nDPI cannot name") {
  AnalyzerHarness h("encrypted_tunnel");
  TcpTunnel(h, 120, false);
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "encrypted tunnel");
  CHECK(fps[0].decided_by == "parallax");
  CHECK(fps[0].confidence <= 0.6);
  CHECK(fps[0].confidence >= 0.4);
  CHECK(EvidenceOf(fps[0], "peer") == "198.51.100.70:40443/tcp");
  CHECK(std::stod(EvidenceOf(fps[0], "payload_entropy")) >= 7.5);
  CHECK_FALSE(EvidenceOf(fps[0], "duration").empty());
  CHECK_FALSE(EvidenceOf(fps[0], "payload_balance").empty());
  CHECK_FALSE(EvidenceOf(fps[0], "max_idle_gap").empty());
}

TEST_CASE("encrypted_tunnel: UDP tunnel idling on a periodic keepalive scores higher") {
  AnalyzerHarness h("encrypted_tunnel");
  FlowScript s(h, "192.168.1.10", "198.51.100.71", 50000, 40000, core::kProtoUdp);
  std::uint32_t seed = 10;
  for (int i = 0; i < 20; ++i) {  // 20 s of traffic
    s.Send(true, RandomBytes(120, seed++), 50'000);
    s.Send(false, RandomBytes(1000, seed++), 50'000);
    s.Send(false, RandomBytes(1000, seed++), 900'000);
  }
  for (int i = 0; i < 10; ++i) {  // then keepalives both ways every 10 s for 100 s
    s.Wait(10'000'000);
    s.Send(true, RandomBytes(32, seed++), 20'000);
    s.Send(false, RandomBytes(32, seed++), 0);
  }
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "encrypted tunnel");
  CHECK(fps[0].confidence == Approx(0.5));
  CHECK(EvidenceOf(fps[0], "keepalives").rfind("periodic", 0) == 0);
  CHECK(EvidenceOf(fps[0], "peer") == "198.51.100.71:40000/udp");
}

TEST_CASE("encrypted_tunnel: plain-text payload is not a tunnel") {
  AnalyzerHarness h("encrypted_tunnel");
  TcpTunnel(h, 120, true);
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}

TEST_CASE("encrypted_tunnel: short flows are not tunnels") {
  AnalyzerHarness h("encrypted_tunnel");
  TcpTunnel(h, 30, false);
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}

TEST_CASE("encrypted_tunnel: a one-sided download is not a tunnel") {
  AnalyzerHarness h("encrypted_tunnel");
  TcpTunnel(h, 120, false, /*down_per_up=*/30);
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}

TEST_CASE("encrypted_tunnel: a silence longer than any keepalive breaks the steady test") {
  AnalyzerHarness h("encrypted_tunnel");
  FlowScript s(h, "192.168.1.10", "198.51.100.72", 50001, 40001, core::kProtoUdp);
  std::uint32_t seed = 99;
  for (int phase = 0; phase < 2; ++phase) {
    for (int i = 0; i < 20; ++i) {
      s.Send(true, RandomBytes(200, seed++), 100'000);
      s.Send(false, RandomBytes(800, seed++), 400'000);
    }
    if (phase == 0) s.Wait(core::Seconds(200));
  }
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}

TEST_CASE("encrypted_tunnel: TLS with SNI and web ALPN is browsing, not a tunnel") {
  AnalyzerHarness h("encrypted_tunnel");
  FlowScript s(h, "192.168.1.10", "198.51.100.73", 51000, 443, core::kProtoTcp);
  s.Handshake(1460, 1460);
  s.Send(true, ClientHello("app.example.org", "h2"));
  std::uint32_t seed = 500;
  for (int i = 0; i < 120; ++i) {
    Bytes rec = {0x17, 0x03, 0x03, 0x00, 0xb4};
    Bytes up = Cat(rec, RandomBytes(180, seed++));
    s.Send(true, up, 20'000);
    s.Send(false, Cat(rec, RandomBytes(180, seed++)), 960'000);
  }
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}

TEST_CASE("encrypted_tunnel: no fingerprint on the benign captures (browsing, QUIC, video, DNS)") {
  const char* benign[] = {
      "ndpi/chrome.pcap",       "ndpi/firefox.pcap",     "ndpi/safari.pcap",
      "ndpi/quic.pcap",         "ndpi/youtube_quic.pcap", "ndpi/dns.pcap",
      "ndpi/sites.pcapng",      "ndpi/netflix.pcap",     "ndpi/reddit.pcap",
      "ja4/tls3.pcapng",        "mercury/top_100_fingerprints.pcap", "joy/firefox58.pcap",
  };
  for (const char* rel : benign) {
    AnalyzerHarness h("encrypted_tunnel");
    if (!h.ReadFile(SharedPcap(rel))) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    h.Finish();
    std::string seen;
    for (const auto& f : h.found) seen += f.src + " -> " + f.dst + " " + f.fp.product + "; ";
    INFO(rel << ": " << seen);
    CHECK(h.found.empty());
  }
}
