// GeoAnswer: everything geoip/ knows about one address, with the source of each part.
//
// Lifetime: the string_views name databases and lists owned by the GeoIntel that produced the
// answer; they stay valid while that GeoIntel is alive (LookupCache keeps it alive for its
// entries).
// Thread-safety: a value.
#ifndef PARALLAX_GEOIP_GEO_ANSWER_H_
#define PARALLAX_GEOIP_GEO_ANSWER_H_

#include <string>
#include <string_view>

#include "geoip/geo_record.h"
#include "geoip/ip_address.h"
#include "geoip/network_type.h"

namespace parallax::geoip {

struct GeoAnswer {
  IpAddress address;
  GeoRecord record;               // location, ASN and anonymous-IP fields
  std::string_view location_db;   // path of the database that gave the location, or empty
  std::string_view asn_db;        // path of the database that gave the ASN, or empty
  std::string_view anonymous_db;  // path of the Anonymous-IP database that had a record

  NetworkType network_type = NetworkType::kUnknown;
  NetworkSource network_source = NetworkSource::kDefault;
  std::string provider;        // "Mullvad", "Tor", the VPN's AS name, ... or empty
  std::string network_detail;  // why: "list.txt:12", "keyword 'hosting'", "RFC 1918", ...
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_GEO_ANSWER_H_
