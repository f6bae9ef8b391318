// GeoIntel: the immutable bundle of databases and lists that answers "where is this address and
// what kind of network is it".
//
// Network type precedence (later overrides earlier; docs/geoip.md explains the order):
//   special-purpose range (final) > default unknown < ASN organisation keywords
//   < curated table (geoip/data/network_types.tsv, built in) < Anonymous-IP database
//   < operator lists, in the order given.
// Location: the first location database (in the order given) with data for the address.
//
// Lifetime: a GeoIntel never changes once open; reload by opening a new one and swapping it in
// a GeoIntelHolder. It owns its GeoDbs, whose files stay mapped until it is destroyed.
// Thread-safety: safe for concurrent access (all methods are const).
#ifndef PARALLAX_GEOIP_GEO_INTEL_H_
#define PARALLAX_GEOIP_GEO_INTEL_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geoip/geo_answer.h"
#include "geoip/geo_db.h"
#include "geoip/network_list.h"
#include "geoip/status.h"

namespace parallax::geoip {

struct GeoIntelOptions {
  struct Database {
    std::string path;
    // When set, Open fails unless the file is of this kind ("--asn-db was given a city file").
    std::optional<DbKind> expected_kind;
  };
  struct List {
    std::string path;
    ListOptions options;
  };
  std::vector<Database> databases;  // location, ASN and Anonymous-IP files, any order per kind
  std::vector<List> lists;          // operator lists, later ones override earlier ones
  bool use_curated = true;          // the built-in table; off only in tests of precedence
};

class GeoIntel {
 public:
  // Opens every database and list; the first failure is returned, naming its file. With no
  // databases at all the result still classifies special ranges and curated CIDRs.
  static Status Open(const GeoIntelOptions& options, std::shared_ptr<const GeoIntel>* out);

  GeoAnswer Lookup(const IpAddress& address) const;

  const std::vector<std::unique_ptr<GeoDb>>& location_dbs() const { return location_dbs_; }
  const std::vector<std::unique_ptr<GeoDb>>& asn_dbs() const { return asn_dbs_; }
  const GeoDb* anonymous_db() const { return anonymous_db_.get(); }
  const std::vector<NetworkList>& lists() const { return lists_; }

 private:
  GeoIntel() = default;

  std::vector<std::unique_ptr<GeoDb>> location_dbs_;
  std::vector<std::unique_ptr<GeoDb>> asn_dbs_;
  std::unique_ptr<GeoDb> anonymous_db_;
  std::optional<NetworkList> curated_;
  std::vector<NetworkList> lists_;
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_GEO_INTEL_H_
