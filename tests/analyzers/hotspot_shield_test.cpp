#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

namespace {

Bytes DnsQuery(const std::string& name) {
  Bytes q = {0xab, 0xcd, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t dot = name.find('.', start);
    if (dot == std::string::npos) dot = name.size();
    q.push_back(static_cast<std::uint8_t>(dot - start));
    q.insert(q.end(), name.begin() + static_cast<long>(start), name.begin() + static_cast<long>(dot));
    start = dot + 1;
  }
  q.push_back(0);
  Put16(q, 1);
  Put16(q, 1);
  return q;
}

}  // namespace

// No Hotspot Shield capture is in ../shared/pcaps: the names come through nDPI's DNS dissector.
TEST_CASE("hotspot_shield: its backend names count, its marketing website does not") {
  AnalyzerHarness h("hotspot_shield");
  UdpSession a{h, "192.168.1.10", "192.168.1.1", 40000, 53};
  a.Send(true, DnsQuery("api.northghost.com"));
  UdpSession b{h, "192.168.1.10", "192.168.1.1", 40001, 53};
  b.Send(true, DnsQuery("www.hotspotshield.com"));
  UdpSession c{h, "192.168.1.10", "192.168.1.1", 40002, 53};
  c.Send(true, DnsQuery("notnorthghost.com"));
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "Hotspot Shield");
  CHECK(fps[0].confidence <= 0.5);
}
