#include "geoip/ip_address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>

namespace parallax::geoip {

IpAddress IpAddress::FromV4(std::uint32_t host_order) {
  IpAddress a;
  a.is_v4 = true;
  a.bytes[0] = static_cast<std::uint8_t>(host_order >> 24);
  a.bytes[1] = static_cast<std::uint8_t>(host_order >> 16);
  a.bytes[2] = static_cast<std::uint8_t>(host_order >> 8);
  a.bytes[3] = static_cast<std::uint8_t>(host_order);
  return a;
}

IpAddress IpAddress::FromV4Bytes(const std::uint8_t* network_order4) {
  IpAddress a;
  a.is_v4 = true;
  std::memcpy(a.bytes.data(), network_order4, 4);
  return a;
}

IpAddress IpAddress::FromV6Bytes(const std::uint8_t* network_order16) {
  IpAddress a;
  a.is_v4 = false;
  std::memcpy(a.bytes.data(), network_order16, 16);
  return a;
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  // inet_pton needs a terminated string; addresses are at most 45 characters.
  char buf[64];
  if (text.empty() || text.size() >= sizeof(buf)) return std::nullopt;
  std::memcpy(buf, text.data(), text.size());
  buf[text.size()] = '\0';
  std::uint8_t raw[16];
  if (inet_pton(AF_INET, buf, raw) == 1) return FromV4Bytes(raw);
  if (inet_pton(AF_INET6, buf, raw) == 1) {
    static constexpr std::uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(raw, kMappedPrefix, 12) == 0) return FromV4Bytes(raw + 12);
    return FromV6Bytes(raw);
  }
  return std::nullopt;
}

std::uint32_t IpAddress::v4() const {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

std::string IpAddress::ToString() const {
  char buf[INET6_ADDRSTRLEN];
  if (inet_ntop(is_v4 ? AF_INET : AF_INET6, bytes.data(), buf, sizeof(buf)) == nullptr) return {};
  return buf;
}

IpAddress MaskAddress(const IpAddress& address, int prefix_len) {
  IpAddress out = address;
  const int bits = address.bit_length();
  prefix_len = std::clamp(prefix_len, 0, bits);
  for (int i = 0; i < bits / 8; ++i) {
    const int keep = std::clamp(prefix_len - i * 8, 0, 8);
    const auto mask = static_cast<std::uint8_t>(keep == 0 ? 0 : (0xff << (8 - keep)) & 0xff);
    out.bytes[i] &= mask;
  }
  return out;
}

Cidr Cidr::Make(const IpAddress& address, int prefix_len) {
  prefix_len = std::clamp(prefix_len, 0, address.bit_length());
  return Cidr{MaskAddress(address, prefix_len), prefix_len};
}

std::optional<Cidr> Cidr::Parse(std::string_view text) {
  const auto slash = text.find('/');
  const auto address = IpAddress::Parse(text.substr(0, slash));
  if (!address) return std::nullopt;
  int len = address->bit_length();
  if (slash != std::string_view::npos) {
    const std::string_view digits = text.substr(slash + 1);
    if (digits.empty() || digits.size() > 3) return std::nullopt;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), len);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    // An IPv4-mapped IPv6 prefix (::ffff:10.0.0.0/104) arrives here as IPv4: rebase the length.
    const bool was_mapped_v6 = address->is_v4 && text.find(':') != std::string_view::npos;
    if (was_mapped_v6) {
      if (len < 96) return std::nullopt;
      len -= 96;
    }
    if (len < 0 || len > address->bit_length()) return std::nullopt;
  }
  return Make(*address, len);
}

bool Cidr::Contains(const IpAddress& address) const {
  return address.is_v4 == network.is_v4 && MaskAddress(address, prefix_len) == network;
}

std::string Cidr::ToString() const { return network.ToString() + "/" + std::to_string(prefix_len); }

}  // namespace parallax::geoip
