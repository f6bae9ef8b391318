#include "sensor/geo/geo_sources.h"

#include <filesystem>

#include "geoip/default_paths.h"

namespace parallax {

std::string SelfExecutable() {
  std::error_code ec;
  const auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::string() : p.string();
}

Status OpenGeoSources(const GeoSources& sources, std::shared_ptr<const geoip::GeoIntel>* out,
                             std::vector<std::string>* searched) {
  using namespace geoip;
  GeoIntelOptions options;
  for (const auto& f : sources.city_dbs) options.databases.push_back({f, DbKind::kLocation});
  for (const auto& f : sources.asn_dbs) options.databases.push_back({f, DbKind::kAsn});
  if (!sources.anon_db.empty()) options.databases.push_back({sources.anon_db, DbKind::kAnonymousIp});
  const bool have[3] = {!sources.city_dbs.empty(), !sources.asn_dbs.empty(),
                        !sources.anon_db.empty()};
  *searched = DefaultDataDirs(SelfExecutable());
  for (const auto& db : FindDefaultDatabases(*searched)) {
    if (!have[static_cast<int>(*db.expected_kind)]) options.databases.push_back(db);
  }
  for (const auto& f : sources.lists) options.lists.push_back({f, {}});
  for (const auto& f : sources.tor_lists) {
    ListOptions tor;
    tor.default_type = NetworkType::kTorExit;
    tor.default_provider = "Tor";
    options.lists.push_back({f, tor});
  }
  return GeoIntel::Open(options, out);
}

}  // namespace parallax
