// GeoNetworkIntel: analyzers' NetworkIntel answered by geoip/ (through a per-worker LookupCache,
// so reloads swap in under it).
// Thread-safety: REQUIRES external synchronization (one per worker).
#pragma once

#include "analyzers/network_intel.h"
#include "geoip/geo_intel_holder.h"
#include "geoip/lookup_cache.h"

namespace parallax {

class GeoNetworkIntel final : public analyzers::NetworkIntel {
 public:
  explicit GeoNetworkIntel(const geoip::GeoIntelHolder* holder) : cache_(holder) {}
  analyzers::NetworkInfo Lookup(const core::IpAddress& address) override;
  // The full answer, for callers that need coordinates and time zones (the divergence engine).
  const geoip::GeoAnswer& Answer(const core::IpAddress& address);

 private:
  geoip::LookupCache cache_;
};

geoip::IpAddress ToGeoAddress(const core::IpAddress& address);

}  // namespace parallax
