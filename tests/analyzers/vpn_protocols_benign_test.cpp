#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;

// The protocol analyzers of the VPN issue must stay silent on ordinary browsing, DNS and QUIC.
TEST_CASE("vpn protocol analyzers: no fingerprint on the benign captures") {
  const char* files[] = {"ndpi/chrome.pcap", "ndpi/firefox.pcap",      "ndpi/safari.pcap",
                         "ndpi/quic.pcap",   "ndpi/youtube_quic.pcap", "ndpi/dns.pcap",
                         "ndpi/sites.pcapng", "ndpi/netflix.pcap",     "ndpi/reddit.pcap"};
  for (const char* f : files) {
    AnalyzerHarness h(
        "wireguard,openvpn,ike,l2tp,pptp,sstp,softether,zerotier,hotspot_shield");
    if (!Load(h, f)) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    INFO(f);
    for (const auto& found : h.found) {
      INFO(found.src + " -> " + found.dst + ": " + found.fp.product + " by " + found.fp.analyzer);
      CHECK(false);
    }
  }
}
