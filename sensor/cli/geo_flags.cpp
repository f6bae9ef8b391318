#include "sensor/cli/geo_flags.h"

#include <filesystem>

#include "geoip/default_paths.h"

namespace parallax::cli {

std::string SelfExecutable() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

void GeoFlags::Register(CLI::App* cmd, bool allow_disable) {
  cmd->add_option("--city-db", city_dbs, "Location database(s) (MaxMind City/Country or DB-IP)");
  cmd->add_option("--asn-db", asn_dbs, "ASN database(s) (GeoLite2-ASN layout)");
  cmd->add_option("--anon-db", anon_db, "GeoIP2 Anonymous-IP database");
  cmd->add_option("--list", lists, "Operator network list(s): CIDR/ASN lines with type/provider");
  cmd->add_option("--tor-list", tor_lists, "Tor exit list(s) (bulk list or ExitAddress format)");
  if (allow_disable) cmd->add_flag("--no-geoip", no_geoip, "Run without GeoIP data");
}

geoip::Status GeoFlags::Open(std::shared_ptr<const geoip::GeoIntel>* out,
                             std::vector<std::string>* searched) const {
  using namespace geoip;
  GeoIntelOptions options;
  for (const auto& f : city_dbs) options.databases.push_back({f, DbKind::kLocation});
  for (const auto& f : asn_dbs) options.databases.push_back({f, DbKind::kAsn});
  if (!anon_db.empty()) options.databases.push_back({anon_db, DbKind::kAnonymousIp});
  const bool have[3] = {!city_dbs.empty(), !asn_dbs.empty(), !anon_db.empty()};
  *searched = DefaultDataDirs(SelfExecutable());
  for (const auto& db : FindDefaultDatabases(*searched)) {
    if (!have[static_cast<int>(*db.expected_kind)]) options.databases.push_back(db);
  }
  for (const auto& f : lists) options.lists.push_back({f, {}});
  for (const auto& f : tor_lists) {
    ListOptions tor;
    tor.default_type = NetworkType::kTorExit;
    tor.default_provider = "Tor";
    options.lists.push_back({f, tor});
  }
  return GeoIntel::Open(options, out);
}

}  // namespace parallax::cli
