#include <catch2/catch.hpp>

#include <vector>

#include "sensor/classify/ndpi_guards.h"

using parallax::classify::CarriesDtlsCertificate;

namespace {

std::vector<std::uint8_t> Record(std::uint8_t type, std::vector<std::uint8_t> body) {
  std::vector<std::uint8_t> r = {type, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 1,
                                 static_cast<std::uint8_t>(body.size() >> 8),
                                 static_cast<std::uint8_t>(body.size())};
  for (std::uint8_t b : body) r.push_back(b);
  return r;
}

bool Check(const std::vector<std::uint8_t>& v) {
  return CarriesDtlsCertificate(v.data(), static_cast<std::uint32_t>(v.size()));
}

}  // namespace

TEST_CASE("a DTLS datagram carrying a Certificate is recognised, wherever its record is") {
  const auto hello = Record(22, {2, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 4, 1, 2, 3, 4});
  const auto cert = Record(22, {11, 0, 0x02, 0x0b, 0, 1, 0, 0, 0, 0, 2, 0x0b, 0x30, 0x82});
  const auto ccs = Record(20, {1});
  std::vector<std::uint8_t> flight = hello;
  for (std::uint8_t b : cert) flight.push_back(b);
  CHECK(Check(cert));
  CHECK(Check(flight));  // the crasher fuzz_packet_path found: ServerHello, then Certificate
  CHECK_FALSE(Check(hello));
  CHECK_FALSE(Check(ccs));
  std::vector<std::uint8_t> hello_ccs = hello;
  for (std::uint8_t b : ccs) hello_ccs.push_back(b);
  CHECK_FALSE(Check(hello_ccs));
}

TEST_CASE("other UDP payloads and cut records are not DTLS certificates") {
  CHECK_FALSE(CarriesDtlsCertificate(nullptr, 0));
  const std::vector<std::uint8_t> tls_tcp_style = {22, 3, 3, 0, 5, 11, 0, 0, 1, 0};
  CHECK_FALSE(Check(tls_tcp_style));
  auto cert = Record(22, {11, 0, 0, 0});
  cert.resize(13);  // the header only: no message type captured
  CHECK_FALSE(Check(cert));
  const std::vector<std::uint8_t> quic(64, 0xc3);
  CHECK_FALSE(Check(quic));
}
