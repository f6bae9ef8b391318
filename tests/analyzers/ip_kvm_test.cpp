#include "tests/analyzers/flow_script.h"
#include <set>

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

namespace {

std::string EvidenceOf(const analyzers::Fingerprint& fp, const std::string& key) {
  for (const auto& e : fp.evidence)
    if (e.key == key) return e.value;
  return "";
}

void HttpExchange(AnalyzerHarness& h, const char* server, std::uint16_t cport,
                  const std::string& request, const std::string& response) {
  FlowScript s(h, "192.168.1.10", server, cport, 80, core::kProtoTcp);
  s.Handshake(1460, 1460);
  s.Send(true, TextBytes(request));
  s.Send(false, TextBytes(response));
}

// A DNS/mDNS message for a single name from 192.168.1.10 on the given port.
void Dns(AnalyzerHarness& h, const std::string& name, std::uint16_t port, bool response = false) {
  const char* dst = port == 5353 ? "224.0.0.251" : "192.168.1.1";
  FlowScript s(h, "192.168.1.10", dst, port == 5353 ? 5353 : 50300, port, core::kProtoUdp);
  s.Send(true, DnsQuery(name, port == 5353 ? 0 : 0x4242, response));
}

}  // namespace

TEST_CASE("ip_kvm: the web UI's page title names PiKVM") {
  AnalyzerHarness h("ip_kvm");
  HttpExchange(h, "192.168.1.50", 52000, "GET / HTTP/1.1\r\nHost: 192.168.1.50\r\n\r\n",
               "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: text/html\r\n\r\n"
               "<!DOCTYPE html><html><head><title>PiKVM Index</title></head><body></body></html>");
  h.Finish();
  auto fps = h.OfKind(Kind::kIpKvm);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "PiKVM");
  CHECK(fps[0].confidence == Approx(0.8));
  CHECK(EvidenceOf(fps[0], "page_title") == "PiKVM Index");
  CHECK(EvidenceOf(fps[0], "device") == "192.168.1.50:80");
}

TEST_CASE("ip_kvm: uStreamer's MJPEG stream is the PiKVM/TinyPilot family") {
  AnalyzerHarness h("ip_kvm");
  HttpExchange(h, "192.168.1.51", 52001, "GET /streamer/stream?key=0 HTTP/1.1\r\n\r\n",
               "HTTP/1.0 200 OK\r\nAccess-Control-Allow-Origin: *\r\n"
               "Set-Cookie: stream_client=0/5f0c; path=/; max-age=30\r\n"
               "Content-Type: multipart/x-mixed-replace;boundary=boundarydonotcross\r\n\r\n"
               "--boundarydonotcross\r\nContent-Type: image/jpeg\r\n");
  h.Finish();
  auto fps = h.OfKind(Kind::kIpKvm);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "PiKVM/TinyPilot (uStreamer)");
  CHECK(fps[0].confidence == Approx(0.7));  // 0.6 + MJPEG corroboration
  CHECK_FALSE(EvidenceOf(fps[0], "video").empty());
}

TEST_CASE("ip_kvm: an IP camera's MJPEG alone is not an IP-KVM") {
  AnalyzerHarness h("ip_kvm");
  HttpExchange(h, "192.168.1.52", 52002, "GET /?action=stream HTTP/1.1\r\n\r\n",
               "HTTP/1.0 200 OK\r\nServer: MJPG-Streamer/0.2\r\n"
               "Content-Type: multipart/x-mixed-replace;boundary=boundarydonotcross\r\n\r\n");
  h.Finish();
  CHECK(h.OfKind(Kind::kIpKvm).empty());
}

TEST_CASE("ip_kvm: mDNS and DNS names that are the products' default host names") {
  AnalyzerHarness h("ip_kvm");
  Dns(h, "pikvm.local", 5353, /*response=*/true);
  Dns(h, "tinypilot.lan", 53);
  h.Finish();
  auto fps = h.OfKind(Kind::kIpKvm);
  REQUIRE(fps.size() == 2);
  std::set<std::string> products;
  for (const auto& fp : fps) {
    products.insert(fp.product);
    CHECK(fp.confidence <= 0.6);
    CHECK_FALSE(EvidenceOf(fp, "seen_in").empty());
  }
  CHECK(products == std::set<std::string>{"PiKVM", "TinyPilot"});
}

TEST_CASE("ip_kvm: names that merely contain the token are not the device") {
  AnalyzerHarness h("ip_kvm");
  Dns(h, "pikvmfans.example.com", 53);
  Dns(h, "www.mypikvm.example", 53);
  h.Finish();
  CHECK(h.OfKind(Kind::kIpKvm).empty());
}

TEST_CASE("ip_kvm: TLS SNI naming a PiKVM") {
  AnalyzerHarness h("ip_kvm");
  FlowScript s(h, "192.168.1.10", "192.168.1.53", 52003, 443, core::kProtoTcp);
  s.Handshake(1460, 1460);
  s.Send(true, ClientHello("pikvm-office.example.net"));
  s.Send(false, RandomBytes(300, 4));
  h.Finish();
  auto fps = h.OfKind(Kind::kIpKvm);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "PiKVM");
  CHECK(EvidenceOf(fps[0], "hostname").rfind("pikvm-office.example.net", 0) == 0);
}

TEST_CASE("ip_kvm: no IP-KVM in ordinary browsing, DNS and video captures") {
  for (const char* rel : {"ndpi/chrome.pcap", "ndpi/dns.pcap", "ndpi/sites.pcapng",
                          "ndpi/netflix.pcap", "joy/firefox58.pcap"}) {
    AnalyzerHarness h("ip_kvm");
    if (!h.ReadFile(SharedPcap(rel))) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    h.Finish();
    INFO(rel);
    CHECK(h.found.empty());
  }
}
