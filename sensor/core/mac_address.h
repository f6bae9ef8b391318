// "02:50:41:00:20:fe": an Ethernet address as eve.json, Zeek and the flow records write it.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

namespace parallax::core {

inline std::string MacToString(const std::array<std::uint8_t, 6>& m) {
  char b[18];
  std::snprintf(b, sizeof b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
  return b;
}

}  // namespace parallax::core
