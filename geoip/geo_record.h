// GeoRecord: what one database said about one address, in layout-independent fields.
//
// Thread-safety: a value.
#ifndef PARALLAX_GEOIP_GEO_RECORD_H_
#define PARALLAX_GEOIP_GEO_RECORD_H_

#include <cstdint>
#include <string>

namespace parallax::geoip {

// GeoIP2 Anonymous-IP flags. MaxMind omits false flags, so absence means false.
struct AnonymousIpFlags {
  bool is_anonymous = false;
  bool is_anonymous_vpn = false;
  bool is_hosting_provider = false;
  bool is_public_proxy = false;
  bool is_residential_proxy = false;
  bool is_tor_exit_node = false;
};

struct GeoRecord {
  // Location (City/Country databases, either layout).
  bool has_location_data = false;
  std::string country;  // ISO 3166-1 alpha-2, e.g. "US"; empty when unknown
  std::string city;     // English name; empty when unknown
  bool has_coordinates = false;
  double latitude = 0;
  double longitude = 0;
  std::uint16_t accuracy_radius_km = 0;  // 0: the database gives none (DB-IP Lite never does)
  std::string time_zone;                 // IANA name, e.g. "America/Chicago"; empty when unknown
  // ASN databases.
  bool has_asn_data = false;
  std::uint32_t asn = 0;  // 0: unknown
  std::string as_organisation;
  // Anonymous-IP databases.
  bool has_anonymous_data = false;
  AnonymousIpFlags anonymous;
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_GEO_RECORD_H_
