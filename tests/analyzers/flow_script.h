// Scripted sessions for analyzer tests: a TCP or UDP conversation between two addresses fed
// through an AnalyzerHarness with explicit timing, plus the few payloads the tests need (a TLS
// ClientHello with SNI, a DNS query, deterministic random bytes).
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "tests/analyzers/analyzer_harness.h"

namespace parallax::test {

// Deterministic pseudo-random bytes (what encrypted payload looks like to an entropy test).
inline Bytes RandomBytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  Bytes b(n);
  for (auto& x : b) x = static_cast<std::uint8_t>(rng() & 0xff);
  return b;
}

inline Bytes TextBytes(const std::string& s) { return Bytes(s.begin(), s.end()); }

// TCP MSS option (kind 2, length 4).
inline Bytes MssOption(std::uint16_t mss) {
  return {0x02, 0x04, static_cast<std::uint8_t>(mss >> 8), static_cast<std::uint8_t>(mss)};
}

// One TCP or UDP conversation over IPv4 (or IPv6 when the addresses contain ':').
class FlowScript {
 public:
  FlowScript(AnalyzerHarness& h, std::string client, std::string server, std::uint16_t cport,
             std::uint16_t sport, std::uint8_t proto, core::TimeUs start = core::Seconds(1000))
      : h_(h), client_(std::move(client)), server_(std::move(server)), cport_(cport),
        sport_(sport), proto_(proto), t_(start) {}

  // SYN (with the client's MSS, 0 = none), SYN-ACK (server's MSS), ACK.
  void Handshake(std::uint16_t client_mss, std::uint16_t server_mss) {
    Tcp(true, core::kTcpSyn, client_mss ? MssOption(client_mss) : Bytes{}, {});
    Tcp(false, core::kTcpSyn | core::kTcpAck, server_mss ? MssOption(server_mss) : Bytes{}, {});
    Tcp(true, core::kTcpAck, {}, {});
  }
  // One packet with payload; `up` is client → server. Time advances by dt after it.
  void Send(bool up, const Bytes& payload, core::TimeUs dt = 10'000) {
    if (proto_ == core::kProtoTcp) {
      Tcp(up, core::kTcpPsh | core::kTcpAck, {}, payload);
    } else {
      Frame(up, Udp(up ? cport_ : sport_, up ? sport_ : cport_, payload));
    }
    t_ += dt;
  }
  void Wait(core::TimeUs dt) { t_ += dt; }
  core::TimeUs now() const { return t_; }

 private:
  void Tcp(bool up, std::uint8_t flags, const Bytes& options, const Bytes& payload) {
    Frame(up, parallax::test::Tcp(up ? cport_ : sport_, up ? sport_ : cport_, flags, options,
                                  payload, up ? seq_up_ : seq_down_, 1));
    (up ? seq_up_ : seq_down_) += static_cast<std::uint32_t>(payload.size());
    t_ += 1'000;
  }
  void Frame(bool up, const Bytes& l4) {
    const std::string& a = up ? client_ : server_;
    const std::string& b = up ? server_ : client_;
    if (a.find(':') != std::string::npos) {
      h_.Feed(Ether(0x86dd, Ipv6(a.c_str(), b.c_str(), proto_, l4)), t_);
    } else {
      h_.Feed(Ether(0x0800, Ipv4(a.c_str(), b.c_str(), proto_, l4)), t_);
    }
  }

  AnalyzerHarness& h_;
  std::string client_, server_;
  std::uint16_t cport_, sport_;
  std::uint8_t proto_;
  core::TimeUs t_;
  std::uint32_t seq_up_ = 1000, seq_down_ = 5000;
};

// A TLS 1.2 record carrying a ClientHello with server_name (and ALPN when given).
inline Bytes ClientHello(const std::string& sni, const std::string& alpn = "") {
  Bytes ext;
  // server_name
  Put16(ext, 0x0000);
  Put16(ext, static_cast<std::uint16_t>(sni.size() + 5));
  Put16(ext, static_cast<std::uint16_t>(sni.size() + 3));
  ext.push_back(0);
  Put16(ext, static_cast<std::uint16_t>(sni.size()));
  ext.insert(ext.end(), sni.begin(), sni.end());
  if (!alpn.empty()) {
    Put16(ext, 0x0010);
    Put16(ext, static_cast<std::uint16_t>(alpn.size() + 3));
    Put16(ext, static_cast<std::uint16_t>(alpn.size() + 1));
    ext.push_back(static_cast<std::uint8_t>(alpn.size()));
    ext.insert(ext.end(), alpn.begin(), alpn.end());
  }
  Bytes body = {0x03, 0x03};
  Bytes rnd = RandomBytes(32, 7);
  body.insert(body.end(), rnd.begin(), rnd.end());
  body.push_back(0);  // session id length
  Put16(body, 4);     // cipher suites
  Put16(body, 0xc02f);
  Put16(body, 0x009c);
  body.push_back(1);  // compression methods
  body.push_back(0);
  Put16(body, static_cast<std::uint16_t>(ext.size()));
  body.insert(body.end(), ext.begin(), ext.end());
  Bytes hs = {0x01, 0, static_cast<std::uint8_t>(body.size() >> 8),
              static_cast<std::uint8_t>(body.size())};
  hs.insert(hs.end(), body.begin(), body.end());
  Bytes rec = {0x16, 0x03, 0x01};
  Put16(rec, static_cast<std::uint16_t>(hs.size()));
  rec.insert(rec.end(), hs.begin(), hs.end());
  return rec;
}

// A DNS message: one question (type A) for `name`; `response` sets QR (no answers).
inline Bytes DnsQuery(const std::string& name, std::uint16_t id = 0x1234, bool response = false) {
  Bytes b;
  Put16(b, id);
  Put16(b, response ? 0x8400 : 0x0100);
  Put16(b, 1);
  Put16(b, 0);
  Put16(b, 0);
  Put16(b, 0);
  std::size_t pos = 0;
  while (pos <= name.size()) {
    std::size_t dot = name.find('.', pos);
    if (dot == std::string::npos) dot = name.size();
    b.push_back(static_cast<std::uint8_t>(dot - pos));
    b.insert(b.end(), name.begin() + static_cast<long>(pos), name.begin() + static_cast<long>(dot));
    pos = dot + 1;
  }
  b.push_back(0);
  Put16(b, 1);
  Put16(b, 1);
  return b;
}

}  // namespace parallax::test
