#include "sensor/geo/geo_network_intel.h"

namespace parallax {

geoip::IpAddress ToGeoAddress(const core::IpAddress& a) {
  return a.is_v4() ? geoip::IpAddress::FromV4Bytes(a.bytes())
                   : geoip::IpAddress::FromV6Bytes(a.bytes());
}

const geoip::GeoAnswer& GeoNetworkIntel::Answer(const core::IpAddress& address) {
  return cache_.Lookup(ToGeoAddress(address));
}

analyzers::NetworkInfo GeoNetworkIntel::Lookup(const core::IpAddress& address) {
  const geoip::GeoAnswer& a = Answer(address);
  analyzers::NetworkInfo n;
  n.type = std::string(geoip::NetworkTypeName(a.network_type));
  n.provider = a.provider;
  n.asn = a.record.asn;
  n.organisation = a.record.as_organisation;
  n.country = a.record.country;
  n.decided_by = std::string(geoip::NetworkSourceName(a.network_source));
  if (!a.network_detail.empty()) n.decided_by += ": " + a.network_detail;
  n.known = a.record.has_location_data || a.record.has_asn_data ||
            a.network_source != geoip::NetworkSource::kDefault;
  return n;
}

}  // namespace parallax
