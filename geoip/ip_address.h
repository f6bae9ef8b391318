// IpAddress and Cidr: the address values geoip/ works on.
//
// geoip/ depends on nothing else of ours, so it has its own small address type rather than
// sensor/core's; FromV4Bytes/FromV6Bytes make converting from a decoded packet a copy of 4 or 16
// bytes. IPv4 is kept as 4 bytes (not IPv4-mapped IPv6) because the special-range table, the
// lists and libmaxminddb all treat the two families differently.
//
// Thread-safety: values; safe to copy and share.
#ifndef PARALLAX_GEOIP_IP_ADDRESS_H_
#define PARALLAX_GEOIP_IP_ADDRESS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace parallax::geoip {

struct IpAddress {
  // IPv4 uses bytes[0..3] and leaves the rest zero, so equality and hashing are plain byte
  // comparisons.
  std::array<std::uint8_t, 16> bytes{};
  bool is_v4 = true;

  static IpAddress FromV4(std::uint32_t host_order);
  static IpAddress FromV4Bytes(const std::uint8_t* network_order4);
  static IpAddress FromV6Bytes(const std::uint8_t* network_order16);
  // Accepts dotted-quad IPv4 and any RFC 4291 IPv6 text (inet_pton). IPv4-mapped IPv6
  // (::ffff:a.b.c.d) is returned as IPv4, because that is the host it names.
  static std::optional<IpAddress> Parse(std::string_view text);

  int bit_length() const { return is_v4 ? 32 : 128; }
  std::uint32_t v4() const;  // host order; only meaningful when is_v4
  std::string ToString() const;

  bool operator==(const IpAddress& other) const = default;
};

// A network prefix, e.g. 10.0.0.0/8 or 2001:db8::/32. Host bits are cleared on construction so
// two spellings of one network compare equal.
struct Cidr {
  IpAddress network;
  int prefix_len = 0;

  static Cidr Make(const IpAddress& address, int prefix_len);
  // "a.b.c.d/n", "x::/n", or a bare address (a host prefix: /32 or /128).
  static std::optional<Cidr> Parse(std::string_view text);

  bool Contains(const IpAddress& address) const;
  std::string ToString() const;
  bool operator==(const Cidr& other) const = default;
};

// The address with every bit after `prefix_len` cleared.
IpAddress MaskAddress(const IpAddress& address, int prefix_len);

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_IP_ADDRESS_H_
