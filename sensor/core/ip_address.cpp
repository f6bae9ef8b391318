#include "sensor/core/ip_address.h"

#include <arpa/inet.h>

namespace parallax::core {

IpAddress IpAddress::V4(const std::uint8_t* bytes4) {
  IpAddress a;
  std::memcpy(a.bytes_.data(), bytes4, 4);
  a.family_ = Family::kV4;
  return a;
}

IpAddress IpAddress::V4(std::uint32_t host_order) {
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(host_order >> 24),
                             static_cast<std::uint8_t>(host_order >> 16),
                             static_cast<std::uint8_t>(host_order >> 8),
                             static_cast<std::uint8_t>(host_order)};
  return V4(b);
}

IpAddress IpAddress::V6(const std::uint8_t* bytes16) {
  IpAddress a;
  std::memcpy(a.bytes_.data(), bytes16, 16);
  a.family_ = Family::kV6;
  return a;
}

std::optional<IpAddress> IpAddress::Parse(std::string_view text) {
  std::string s(text);
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, s.c_str(), buf) == 1) return V4(buf);
  if (inet_pton(AF_INET6, s.c_str(), buf) == 1) return V6(buf);
  return std::nullopt;
}

std::string IpAddress::ToString() const {
  char out[INET6_ADDRSTRLEN] = {0};
  if (is_v4()) {
    inet_ntop(AF_INET, bytes_.data(), out, sizeof out);
  } else if (is_v6()) {
    inet_ntop(AF_INET6, bytes_.data(), out, sizeof out);
  } else {
    return "";
  }
  return out;
}

}  // namespace parallax::core
