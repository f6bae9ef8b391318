// Special-purpose address ranges (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890).
//
// An address in one of these ranges is not on the public Internet (or not a unicast host), so no
// public data source can say anything true about it; classification stops here.
//
// Thread-safety: pure function over a constant table; safe from any thread.
#ifndef PARALLAX_GEOIP_SPECIAL_RANGES_H_
#define PARALLAX_GEOIP_SPECIAL_RANGES_H_

#include <optional>
#include <string_view>

#include "geoip/ip_address.h"
#include "geoip/network_type.h"

namespace parallax::geoip {

struct SpecialRange {
  NetworkType type;
  std::string_view cidr;       // as written in the registry, e.g. "100.64.0.0/10"
  std::string_view reference;  // e.g. "RFC 6598"
};

// The most specific special-purpose range containing `address`, if any.
std::optional<SpecialRange> FindSpecialRange(const IpAddress& address);

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_SPECIAL_RANGES_H_
