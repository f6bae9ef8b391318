// Helpers for the VPN protocol analyzer tests: deterministic filler bytes and small UDP/TCP
// sessions that feed crafted payloads through the analyzer harness.
#pragma once

#include <string>
#include <vector>

#include "tests/analyzers/analyzer_harness.h"

namespace parallax::test {

// Deterministic bytes that look random (an LCG), so tests are reproducible.
inline Bytes Pseudorandom(std::size_t n, std::uint32_t seed) {
  Bytes b(n);
  for (auto& x : b) {
    seed = seed * 1664525u + 1013904223u;
    x = static_cast<std::uint8_t>(seed >> 24);
  }
  return b;
}
inline Bytes Text(const std::string& s) { return Bytes(s.begin(), s.end()); }

struct UdpSession {
  AnalyzerHarness& h;
  const char* client;
  const char* server;
  std::uint16_t cport, sport;
  core::TimeUs t = core::Seconds(1000);
  void Send(bool up, const Bytes& payload) {
    h.Feed(Ether(0x0800, Ipv4(up ? client : server, up ? server : client, 17,
                              Udp(up ? cport : sport, up ? sport : cport, payload))),
           t);
    t += 10'000;
  }
};

// A TCP connection with a handshake and in-order sequence numbers.
struct TcpSession {
  AnalyzerHarness& h;
  const char* client;
  const char* server;
  std::uint16_t cport, sport;
  core::TimeUs t = core::Seconds(1000);
  std::uint32_t seq[2] = {1000, 5000};
  void Segment(bool up, std::uint8_t flags, const Bytes& payload) {
    const int i = up ? 0 : 1;
    h.Feed(Ether(0x0800, Ipv4(up ? client : server, up ? server : client, 6,
                              Tcp(up ? cport : sport, up ? sport : cport, flags, {}, payload,
                                  seq[i], seq[1 - i]))),
           t);
    seq[i] += static_cast<std::uint32_t>(payload.size()) + ((flags & core::kTcpSyn) ? 1 : 0);
    t += 10'000;
  }
  void Open() {
    Segment(true, core::kTcpSyn, {});
    Segment(false, core::kTcpSyn | core::kTcpAck, {});
    Segment(true, core::kTcpAck, {});
  }
  void Send(bool up, const Bytes& payload) { Segment(up, core::kTcpPsh | core::kTcpAck, payload); }
};

// Reads a shared capture through the harness; false when ../shared/pcaps is missing.
inline bool Load(AnalyzerHarness& h, const std::string& rel) {
  if (!h.ReadFile(SharedPcap(rel))) return false;
  h.Finish();
  return true;
}

}  // namespace parallax::test
