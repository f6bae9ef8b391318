#include "tests/analyzers/vpn_test_util.h"

using namespace parallax;
using namespace parallax::test;
using analyzers::Kind;

namespace {

std::string Evidence(const analyzers::Fingerprint& fp, const std::string& key) {
  for (const auto& e : fp.evidence)
    if (e.key == key) return e.value;
  return {};
}

// No-HMAC control records: opcode|key, session id, ACK array, (remote session id), packet-id.
Bytes Reset(std::uint8_t opcode, const Bytes& sid, const Bytes* ack_sid, std::uint32_t msg_id) {
  Bytes r;
  r.reserve(32);
  r.push_back(static_cast<std::uint8_t>(opcode << 3));
  r.insert(r.end(), sid.begin(), sid.end());
  if (ack_sid) {
    r.push_back(1);
    Put32(r, 0);
    r.insert(r.end(), ack_sid->begin(), ack_sid->end());
  } else {
    r.push_back(0);
  }
  Put32(r, msg_id);
  return r;
}
Bytes Framed(const Bytes& record) {
  Bytes b;
  Put16(b, static_cast<std::uint16_t>(record.size()));
  return Cat(b, record);
}

}  // namespace

TEST_CASE("openvpn: every OpenVPN flow of the real captures, with its variant") {
  struct Case {
    const char* file;
    std::size_t flows;
    const char* variant;  // of the first fingerprint; "" = not checked
  };
  const Case cases[] = {
      {"ndpi/openvpn.pcap", 10, ""},  // nDPI 4.2 misses 5 of these (see ndpi42_differences)
      {"ndpi/443-opvn.pcap", 1, "tls-auth (HMAC-SHA1"},
      {"ndpi/openvpn-tlscrypt.pcap", 1, "tls-crypt-v2"},
      {"ndpi/openvpn_nohmac.pcapng", 1, "no HMAC"},
      {"ndpi/openvpn_nohmac_tcp.pcapng", 1, "no HMAC"},
      {"mercury/openvpn_tcp_single.pcap", 1, "tls-auth (HMAC-SHA256"},
  };
  for (const Case& c : cases) {
    AnalyzerHarness h("openvpn");
    if (!Load(h, c.file)) {
      WARN("../shared/pcaps missing: skipped");
      return;
    }
    INFO(c.file);
    auto fps = h.OfKind(Kind::kVpn);
    CHECK(fps.size() == c.flows);
    for (const auto& fp : fps) {
      CHECK(fp.product == "OpenVPN");
      CHECK(fp.decided_by == "parallax");
    }
    if (!fps.empty() && *c.variant) CHECK(Evidence(fps[0], "variant").rfind(c.variant, 0) == 0);
  }
}

TEST_CASE("openvpn: NordVPN's obfuscated servers: XOR-scrambled TCP/UDP and a split reset") {
  AnalyzerHarness h("openvpn");
  if (!Load(h, "ndpi/openvpn_obfuscated.pcapng")) {
    WARN("../shared/pcaps missing: skipped");
    return;
  }
  int scrambled = 0, plain = 0;
  for (const auto& f : h.found) {
    CHECK(f.fp.product == "OpenVPN");
    if (Evidence(f.fp, "variant") == "obfuscated (XOR scramble)") {
      ++scrambled;
      CHECK(f.fp.confidence < 0.8);
    } else {
      ++plain;  // TCP/443 whose client reset arrives in 9-byte segments (nDPI 4.2: TLS)
    }
  }
  CHECK(scrambled == 2);
  CHECK(plain == 1);
}

TEST_CASE("openvpn: crafted no-HMAC handshake over UDP and over TCP in one-byte segments") {
  const Bytes csid = Pseudorandom(8, 1), ssid = Pseudorandom(8, 2);
  const Bytes client_reset = Reset(7, csid, nullptr, 0);
  const Bytes server_reset = Reset(8, ssid, &csid, 0);
  const Bytes client_ack = [&] {
    Bytes r;
    r.reserve(32);
    r.push_back(5 << 3);
    r.insert(r.end(), csid.begin(), csid.end());
    r.push_back(1);
    Put32(r, 0);
    r.insert(r.end(), ssid.begin(), ssid.end());
    return r;
  }();
  {
    AnalyzerHarness h("openvpn");
    UdpSession s{h, "10.0.0.2", "198.51.100.9", 50000, 1194};
    s.Send(true, client_reset);
    s.Send(false, server_reset);
    s.Send(true, client_ack);
    h.Finish();
    auto fps = h.OfKind(Kind::kVpn);
    REQUIRE(fps.size() == 1);
    CHECK(fps[0].product == "OpenVPN");
    CHECK_FALSE(Evidence(fps[0], "session_id_echo").empty());
  }
  {
    AnalyzerHarness h("openvpn");
    TcpSession s{h, "10.0.0.2", "198.51.100.9", 50001, 443};
    s.Open();
    for (std::uint8_t byte : Framed(client_reset)) s.Send(true, Bytes(1, byte));
    s.Send(false, Framed(server_reset));
    s.Send(true, Framed(client_ack));
    h.Finish();
    auto fps = h.OfKind(Kind::kVpn);
    REQUIRE(fps.size() == 1);
    CHECK(Evidence(fps[0], "transport").rfind("TCP", 0) == 0);
  }
}

TEST_CASE("openvpn: a reset-shaped first byte without the protocol's invariants is not OpenVPN") {
  AnalyzerHarness h("openvpn");
  // Random datagrams whose first byte happens to be 0x38 (hard reset client) then 0x40.
  UdpSession s{h, "10.0.0.2", "198.51.100.9", 50000, 1194};
  Bytes a = Pseudorandom(40, 3), b = Pseudorandom(60, 4), c = Pseudorandom(50, 5);
  a[0] = 0x38;
  b[0] = 0x40;
  c[0] = 0x28;
  s.Send(true, a);
  s.Send(false, b);
  s.Send(true, c);
  // A TLS connection on 443: the first two bytes are not a plausible record length.
  TcpSession t{h, "10.0.0.3", "198.51.100.10", 50002, 443};
  t.Open();
  t.Send(true, Cat({0x16, 0x03, 0x01, 0x02, 0x00, 0x01}, Pseudorandom(200, 6)));
  t.Send(false, Cat({0x16, 0x03, 0x03, 0x00, 0x7a, 0x02}, Pseudorandom(200, 7)));
  h.Finish();
  CHECK(h.OfKind(Kind::kVpn).empty());
}
