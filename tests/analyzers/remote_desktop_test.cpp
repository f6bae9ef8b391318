#include "tests/analyzers/analyzer_harness.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

TEST_CASE("remote_desktop: real RDP capture is an RDP session with the server controlled") {
  AnalyzerHarness h("remote_desktop");
  if (!h.ReadFile(SharedPcap("ndpi/rdp.pcap"))) {
    WARN("../shared/pcaps missing: skipped");
    return;
  }
  h.Finish();
  auto fps = h.OfKind(Kind::kRemoteDesktop);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "RDP");
  REQUIRE(fps[0].remote);
  CHECK(fps[0].remote->controlled.ToString() == h.found[0].dst);
}

TEST_CASE("remote_desktop: NoMachine by its NX banner, which nDPI 4.2 does not know") {
  AnalyzerHarness h("remote_desktop");
  if (!h.ReadFile(SharedPcap("ndpi/nomachine.pcapng"))) {
    WARN("../shared/pcaps missing: skipped");
    return;
  }
  h.Finish();
  auto fps = h.OfKind(Kind::kRemoteDesktop);
  REQUIRE_FALSE(fps.empty());
  CHECK(fps[0].product == "NoMachine");
  CHECK(fps[0].decided_by == "parallax");
}

TEST_CASE("remote_desktop: the side sending the screen is the controlled one; hosted = colocated") {
  AnalyzerHarness h("remote_desktop");
  // A VNC-like session on 5900: the server (in a datacenter) streams the screen, the client sends
  // small input packets. nDPI needs the RFB banner to call it VNC.
  core::TimeUs t = core::Seconds(1000);
  auto tcp = [&](bool up, std::uint8_t flags, const Bytes& payload) {
    const char* a = up ? "192.168.1.10" : "198.51.100.80";
    const char* b = up ? "198.51.100.80" : "192.168.1.10";
    h.Feed(Ether(0x0800, Ipv4(a, b, 6, Tcp(up ? 51000 : 5900, up ? 5900 : 51000, flags, {}, payload))), t);
    t += 20'000;
  };
  h.intel.Set("198.51.100.80", {"hosting", "", 16509, "Amazon.com, Inc.", "US", "test", true});
  tcp(true, core::kTcpSyn, {});
  tcp(false, core::kTcpSyn | core::kTcpAck, {});
  tcp(true, core::kTcpAck, {});
  const std::string banner = "RFB 003.008\n";
  tcp(false, core::kTcpPsh | core::kTcpAck, Bytes(banner.begin(), banner.end()));
  tcp(true, core::kTcpPsh | core::kTcpAck, Bytes(banner.begin(), banner.end()));
  for (int i = 0; i < 200; ++i) {
    tcp(false, core::kTcpAck, Bytes(1400, 0x55));     // screen
    if (i % 5 == 0) tcp(true, core::kTcpPsh | core::kTcpAck, Bytes(10, 0x01));  // input
  }
  h.Finish();
  auto rd = h.OfKind(Kind::kRemoteDesktop);
  REQUIRE(rd.size() == 1);
  CHECK(rd[0].product == "VNC");
  REQUIRE(rd[0].remote);
  CHECK(rd[0].remote->role_known);
  CHECK(rd[0].remote->controlled.ToString() == "198.51.100.80");
  CHECK(rd[0].remote->controller.ToString() == "192.168.1.10");
  CHECK(rd[0].remote->screen_bytes > 10 * rd[0].remote->input_bytes);
  auto co = h.OfKind(Kind::kColocatedDesktop);
  REQUIRE(co.size() == 1);
  CHECK(co[0].product == "VNC");
}

TEST_CASE("remote_desktop: ordinary web browsing is not remote control") {
  AnalyzerHarness h("remote_desktop");
  if (!h.ReadFile(SharedPcap("ndpi/chrome.pcap"))) {
    WARN("../shared/pcaps missing: skipped");
    return;
  }
  h.Finish();
  CHECK(h.OfKind(Kind::kRemoteDesktop).empty());
}
