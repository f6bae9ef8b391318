// Bounds-checked readers over a packet's captured payload, shared by the protocol analyzers.
// Every reader takes the captured length and returns a default (0, false, empty) when the bytes
// are not there, so packet-path code never reads past DecodedPacket::payload_len.
// Thread-safety: stateless functions; safe for concurrent use.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sensor/core/decoded_packet.h"

namespace parallax::analyzers::payload {

// A captured payload: pointer and length, with reads that never go past the end.
class Bytes {
 public:
  Bytes() = default;
  Bytes(const std::uint8_t* data, std::size_t len) : data_(data), len_(data ? len : 0) {}

  std::size_t size() const { return len_; }
  bool empty() const { return len_ == 0; }
  const std::uint8_t* data() const { return data_; }
  bool Has(std::size_t off, std::size_t n) const { return off <= len_ && n <= len_ - off; }

  std::uint8_t U8(std::size_t off) const { return Has(off, 1) ? data_[off] : 0; }
  std::uint16_t Be16(std::size_t off) const {
    return Has(off, 2) ? static_cast<std::uint16_t>(data_[off] << 8 | data_[off + 1]) : 0;
  }
  std::uint32_t Be32(std::size_t off) const {
    return Has(off, 4) ? static_cast<std::uint32_t>(Be16(off)) << 16 | Be16(off + 2) : 0;
  }
  std::uint32_t Le32(std::size_t off) const {
    if (!Has(off, 4)) return 0;
    return static_cast<std::uint32_t>(data_[off]) | static_cast<std::uint32_t>(data_[off + 1]) << 8 |
           static_cast<std::uint32_t>(data_[off + 2]) << 16 |
           static_cast<std::uint32_t>(data_[off + 3]) << 24;
  }
  std::uint64_t Le64(std::size_t off) const {
    return Has(off, 8) ? static_cast<std::uint64_t>(Le32(off + 4)) << 32 | Le32(off) : 0;
  }
  // The bytes from off (clamped to what was captured) as text, at most max_len of them.
  std::string_view Text(std::size_t off = 0, std::size_t max_len = SIZE_MAX) const {
    if (off >= len_) return {};
    return {reinterpret_cast<const char*>(data_ + off), std::min(len_ - off, max_len)};
  }
  bool StartsWith(std::string_view prefix) const { return Text().substr(0, prefix.size()) == prefix; }
  bool Equal(std::size_t off, const std::uint8_t* other, std::size_t n) const {
    return Has(off, n) && std::equal(other, other + n, data_ + off);
  }
  // Offset of needle at or after `from`, or npos.
  std::size_t Find(const std::uint8_t* needle, std::size_t n, std::size_t from = 0) const {
    if (n == 0 || from > len_ || len_ - from < n) return std::string_view::npos;
    const std::uint8_t* end = data_ + len_;
    const std::uint8_t* it = std::search(data_ + from, end, needle, needle + n);
    return it == end ? std::string_view::npos : static_cast<std::size_t>(it - data_);
  }
  bool AllZero(std::size_t off, std::size_t n) const {
    if (!Has(off, n)) return false;
    return std::all_of(data_ + off, data_ + off + n, [](std::uint8_t b) { return b == 0; });
  }

 private:
  const std::uint8_t* data_ = nullptr;
  std::size_t len_ = 0;
};

inline std::string Hex(const std::uint8_t* p, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    s.push_back(kDigits[p[i] >> 4]);
    s.push_back(kDigits[p[i] & 0xf]);
  }
  return s;
}
inline std::string Hex32(std::uint32_t v) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(v >> 24), static_cast<std::uint8_t>(v >> 16),
                             static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  return Hex(b, 4);
}

// Case-insensitive suffix match on a DNS name at a label boundary: "a.b.example.com" and
// "example.com" match "example.com"; "notexample.com" does not.
inline bool HostIsUnder(std::string_view host, std::string_view domain) {
  if (host.size() < domain.size()) return false;
  const std::string_view tail = host.substr(host.size() - domain.size());
  for (std::size_t i = 0; i < domain.size(); ++i) {
    const char a = static_cast<char>(tail[i] >= 'A' && tail[i] <= 'Z' ? tail[i] + 32 : tail[i]);
    if (a != domain[i]) return false;
  }
  return host.size() == domain.size() || host[host.size() - domain.size() - 1] == '.';
}

inline Bytes Of(const core::DecodedPacket& p) { return Bytes(p.payload, p.payload_len); }

// The prologue of analyzers that read at most `max` payload-carrying packets of a flow: false
// for a packet with no payload (nothing to read), and false once the budget is spent, setting
// *decided (the analyzer has seen all it will).
inline bool WithinBudget(const core::DecodedPacket& p, int max, int* inspected, bool* decided) {
  if (p.payload_len == 0) return false;
  if (++*inspected > max) {
    *decided = true;
    return false;
  }
  return true;
}

}  // namespace parallax::analyzers::payload
