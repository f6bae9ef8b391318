#include "sensor/cli/geo_flags.h"

#include <cstdio>

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

core::Status GeoFlags::OpenHolder(std::shared_ptr<geoip::GeoIntelHolder>* out) const {
  out->reset();
  if (no_geoip) return core::Status::Ok();
  std::shared_ptr<const geoip::GeoIntel> intel;
  std::vector<std::string> searched;
  if (auto s = Open(&intel, &searched); !s.ok()) return core::Status::Error(s.message());
  if (intel->location_dbs().empty() && intel->asn_dbs().empty()) {
    // Said once, not per packet: the analysis runs, network-type evidence is thinner.
    std::string where;
    for (const auto& d : searched) where += " " + d;
    std::fprintf(stderr,
                 "parallax: no GeoIP databases found (looked in%s); network types come from "
                 "special ranges and curated lists only. Run scripts/fetch-data.\n",
                 where.c_str());
  }
  *out = std::make_shared<geoip::GeoIntelHolder>(intel);
  return core::Status::Ok();
}

}  // namespace parallax::cli
