// Builds frames byte by byte for decoder and flow tests (checksums are not computed: the decoder
// does not verify them, as a passive sensor must accept offloaded checksums).
#pragma once

#include <arpa/inet.h>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

namespace parallax::test {

using Bytes = std::vector<std::uint8_t>;

inline void Put16(Bytes& b, std::uint16_t v) {
  b.push_back(static_cast<std::uint8_t>(v >> 8));
  b.push_back(static_cast<std::uint8_t>(v));
}
inline void Put32(Bytes& b, std::uint32_t v) {
  Put16(b, static_cast<std::uint16_t>(v >> 16));
  Put16(b, static_cast<std::uint16_t>(v));
}
inline Bytes Cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

struct Ip4Opts {
  std::uint8_t ttl = 64;
  std::uint16_t id = 0x1234;
  std::uint16_t frag = 0x4000;  // DF, offset 0
  std::uint8_t ihl_words = 5;
  int total_len_override = -1;
};

inline Bytes Ipv4(const char* src, const char* dst, std::uint8_t proto, const Bytes& payload,
                  Ip4Opts o = {}) {
  Bytes b;
  b.push_back(static_cast<std::uint8_t>(0x40 | o.ihl_words));
  b.push_back(0);
  const int hl = o.ihl_words * 4;
  Put16(b, static_cast<std::uint16_t>(o.total_len_override >= 0 ? o.total_len_override
                                                                 : hl + payload.size()));
  Put16(b, o.id);
  Put16(b, o.frag);
  b.push_back(o.ttl);
  b.push_back(proto);
  Put16(b, 0);
  std::uint8_t a[4];
  inet_pton(AF_INET, src, a);
  b.insert(b.end(), a, a + 4);
  inet_pton(AF_INET, dst, a);
  b.insert(b.end(), a, a + 4);
  for (int i = 20; i < hl; ++i) b.push_back(1);  // NOP options
  return Cat(b, payload);
}

// ext: raw extension-header bytes already chained; first_nh is the header after the fixed one.
inline Bytes Ipv6(const char* src, const char* dst, std::uint8_t first_nh, const Bytes& rest,
                  std::uint8_t hops = 64) {
  Bytes b = {0x60, 0, 0, 0};
  Put16(b, static_cast<std::uint16_t>(rest.size()));
  b.push_back(first_nh);
  b.push_back(hops);
  std::uint8_t a[16];
  inet_pton(AF_INET6, src, a);
  b.insert(b.end(), a, a + 16);
  inet_pton(AF_INET6, dst, a);
  b.insert(b.end(), a, a + 16);
  return Cat(b, rest);
}

inline Bytes Tcp(std::uint16_t sport, std::uint16_t dport, std::uint8_t flags,
                 const Bytes& options = {}, const Bytes& payload = {}, std::uint32_t seq = 1000,
                 std::uint32_t ack = 0, std::uint16_t window = 65535) {
  Bytes b;
  Put16(b, sport);
  Put16(b, dport);
  Put32(b, seq);
  Put32(b, ack);
  const std::size_t hl = 20 + options.size();
  b.push_back(static_cast<std::uint8_t>((hl / 4) << 4));
  b.push_back(flags);
  Put16(b, window);
  Put16(b, 0);
  Put16(b, 0);
  b.insert(b.end(), options.begin(), options.end());
  return Cat(b, payload);
}

inline Bytes Udp(std::uint16_t sport, std::uint16_t dport, const Bytes& payload = {}) {
  Bytes b;
  Put16(b, sport);
  Put16(b, dport);
  Put16(b, static_cast<std::uint16_t>(8 + payload.size()));
  Put16(b, 0);
  return Cat(b, payload);
}

inline Bytes Ether(std::uint16_t type, const Bytes& payload,
                   std::initializer_list<std::uint16_t> vlans = {},
                   std::uint16_t tag_type = 0x8100) {
  Bytes b = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb};
  bool first = true;
  for (auto v : vlans) {
    Put16(b, first ? tag_type : 0x8100);
    Put16(b, v);
    first = false;
  }
  Put16(b, type);
  return Cat(b, payload);
}

}  // namespace parallax::test
