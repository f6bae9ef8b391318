// IpAddress: an IPv4 or IPv6 address held by value (16 bytes + family). IPv4 is stored in the first
// 4 bytes so that comparison and hashing stay cheap. Thread-safe: immutable value type.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace parallax::core {

class IpAddress {
 public:
  enum class Family : std::uint8_t { kNone = 0, kV4 = 4, kV6 = 6 };

  IpAddress() = default;
  static IpAddress V4(const std::uint8_t* bytes4);
  static IpAddress V6(const std::uint8_t* bytes16);
  static IpAddress V4(std::uint32_t host_order);
  // Parses dotted-quad or RFC 4291 text; nullopt when it is neither.
  static std::optional<IpAddress> Parse(std::string_view text);

  Family family() const { return family_; }
  bool is_v4() const { return family_ == Family::kV4; }
  bool is_v6() const { return family_ == Family::kV6; }
  // Network-order bytes: 4 for IPv4, 16 for IPv6.
  const std::uint8_t* bytes() const { return bytes_.data(); }
  std::size_t size() const { return is_v4() ? 4 : (is_v6() ? 16 : 0); }

  std::string ToString() const;

  friend bool operator==(const IpAddress&, const IpAddress&) = default;
  friend std::strong_ordering operator<=>(const IpAddress& a, const IpAddress& b) {
    if (auto c = a.family_ <=> b.family_; c != 0) return c;
    int r = std::memcmp(a.bytes_.data(), b.bytes_.data(), a.bytes_.size());
    return r < 0 ? std::strong_ordering::less
                 : (r > 0 ? std::strong_ordering::greater : std::strong_ordering::equal);
  }

 private:
  std::array<std::uint8_t, 16> bytes_{};
  Family family_ = Family::kNone;
};

}  // namespace parallax::core
