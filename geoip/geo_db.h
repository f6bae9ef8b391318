// GeoDb: one memory-mapped MaxMind DB file (libmaxminddb, MMDB_MODE_MMAP), read in either layout.
//
// Layouts:
//  * kMaxMind: GeoIP2/GeoLite2 City, Country, ASN and Anonymous-IP, and DB-IP's own .mmdb files,
//    which copy it: country.iso_code, city.names.en, location.{latitude,longitude,
//    accuracy_radius,time_zone}, autonomous_system_{number,organization}, is_* flags.
//  * kFlat: ip-location-db's files (the npm @ip-location-db/* packages): country_code, city,
//    latitude, longitude, timezone at the top level of each record.
// The kind (location, ASN, anonymous-IP) and layout come from the metadata's database_type when
// it is one we know, and otherwise from the keys of sample records found by walking the search
// tree; a file that is neither is rejected at Open with an error naming it ("wrong type").
//
// A v4-only file is simply not consulted for IPv6 addresses, so separate v4 and v6 files work
// side by side (GeoIntel asks each location database in turn).
//
// Lifetime: the file stays mapped until the GeoDb is destroyed; a GeoDb never changes once open
// (reload = open a new one and swap, see geo_intel_holder.h).
// Thread-safety: safe for concurrent access (libmaxminddb lookups on an open MMDB_s only read).
#ifndef PARALLAX_GEOIP_GEO_DB_H_
#define PARALLAX_GEOIP_GEO_DB_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "geoip/geo_record.h"
#include "geoip/ip_address.h"
#include "geoip/status.h"

struct MMDB_s;

namespace parallax::geoip {

enum class DbKind { kLocation, kAsn, kAnonymousIp };
enum class DbLayout { kMaxMind, kFlat };

std::string_view DbKindName(DbKind kind);        // "location", "asn", "anonymous_ip"
std::string_view DbLayoutName(DbLayout layout);  // "maxmind", "flat"

class GeoDb {
 public:
  // Opens and classifies `path`. Errors (missing, unreadable, truncated, not a MaxMind DB, or
  // a MaxMind DB of a kind we cannot use) name the file.
  static Status Open(const std::string& path, std::unique_ptr<GeoDb>* out);

  ~GeoDb();
  GeoDb(const GeoDb&) = delete;
  GeoDb& operator=(const GeoDb&) = delete;

  // Fills the fields of `record` this database's kind provides; returns whether the database
  // has data for `address`. Never throws; a corrupt record counts in lookup_errors() and reads
  // as "no data".
  bool Lookup(const IpAddress& address, GeoRecord* record) const;

  const std::string& path() const { return path_; }
  DbKind kind() const { return kind_; }
  DbLayout layout() const { return layout_; }
  const std::string& database_type() const { return database_type_; }
  int ip_version() const { return ip_version_; }
  std::uint64_t build_epoch() const { return build_epoch_; }
  std::uint64_t lookup_errors() const { return lookup_errors_.load(std::memory_order_relaxed); }

 private:
  GeoDb() = default;
  Status Classify();

  std::unique_ptr<MMDB_s> mmdb_;
  std::string path_;
  std::string database_type_;
  DbKind kind_ = DbKind::kLocation;
  DbLayout layout_ = DbLayout::kMaxMind;
  int ip_version_ = 6;
  std::uint64_t build_epoch_ = 0;
  mutable std::atomic<std::uint64_t> lookup_errors_{0};
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_GEO_DB_H_
