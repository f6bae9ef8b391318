#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

// No public capture of SSTP outside TLS exists in ../shared/pcaps: inside TLS (the normal case)
// nothing distinguishes it, which the analyzer documents.
TEST_CASE("sstp: the SSTP_DUPLEX_POST request outside TLS, then an SSTP control packet") {
  AnalyzerHarness h("sstp");
  TcpSession s{h, "10.0.0.2", "198.51.100.9", 50000, 443};
  s.Open();
  s.Send(true, Text("SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1\r\n"
                    "Host: vpn.example.com\r\nContent-Length: 18446744073709551615\r\n"
                    "SSTPCORRELATIONID: {00000000-0000-0000-0000-000000000000}\r\n\r\n"));
  s.Send(false, Text("HTTP/1.1 200\r\nContent-Length: 18446744073709551615\r\n\r\n"));
  s.Send(true, Cat({0x10, 0x01, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x01}, Bytes{0, 0, 0, 0, 0, 6}));
  h.Finish();
  auto fps = h.OfKind(Kind::kVpn);
  REQUIRE(fps.size() == 1);
  CHECK(fps[0].product == "SSTP");
  CHECK(fps[0].confidence >= 0.95);
}

TEST_CASE("sstp: an ordinary HTTP POST is not SSTP") {
  AnalyzerHarness h("sstp");
  TcpSession s{h, "10.0.0.2", "198.51.100.9", 50000, 80};
  s.Open();
  s.Send(true, Text("POST /sra_upload HTTP/1.1\r\nHost: example.com\r\n\r\n"));
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}
