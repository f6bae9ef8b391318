#include "sensor/cli/geo_flags.h"

namespace parallax::cli {

void GeoFlags::Register(CLI::App* cmd, bool allow_disable) {
  cmd->add_option("--city-db", sources.city_dbs,
                  "Location database(s) (MaxMind City/Country or DB-IP)");
  cmd->add_option("--asn-db", sources.asn_dbs, "ASN database(s) (GeoLite2-ASN layout)");
  cmd->add_option("--anon-db", sources.anon_db, "GeoIP2 Anonymous-IP database");
  cmd->add_option("--list", sources.lists,
                  "Operator network list(s): CIDR/ASN lines with type/provider");
  cmd->add_option("--tor-list", sources.tor_lists,
                  "Tor exit list(s) (bulk list or ExitAddress format)");
  if (allow_disable) cmd->add_flag("--no-geoip", no_geoip, "Run without GeoIP data");
}

}  // namespace parallax::cli
