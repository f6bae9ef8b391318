// NetworkIntel: what analyzers may ask about an address (network type, provider, ASN), without
// depending on geoip/ or libmaxminddb: the sensor implements it over geoip (sensor/).
// Thread-safety: one instance per worker; REQUIRES external synchronization.
#pragma once

#include <cstdint>
#include <string>

#include "sensor/core/ip_address.h"

namespace parallax::analyzers {

struct NetworkInfo {
  // "residential", "hosting", "vpn", "tor_exit", "proxy", "mobile", "private", ... (geoip names)
  std::string type = "unknown";
  std::string provider;      // VPN provider or network owner when known ("Mullvad")
  std::uint32_t asn = 0;
  std::string organisation;  // AS organisation
  std::string country;       // ISO code
  std::string decided_by;    // which source classified it (curated list line, ASN rule...)
  bool known = false;        // false when no GeoIP data is loaded

  bool IsPublic() const {
    return type != "private" && type != "cgnat" && type != "loopback" &&
           type != "link_local" && type != "documentation" && type != "multicast" &&
           type != "unique_local" && type != "reserved";
  }
  bool IsHosting() const { return type == "hosting"; }
  bool IsAnonymizer() const { return type == "vpn" || type == "tor_exit" || type == "proxy"; }
};

class NetworkIntel {
 public:
  virtual ~NetworkIntel() = default;
  virtual NetworkInfo Lookup(const core::IpAddress& address) = 0;
};

}  // namespace parallax::analyzers
