// Where Parallax looks for databases when none are given on the command line.
//
// Order: the repo's data/ (found from the executable: build/parallax -> ../data, filled by
// scripts/fetch-data), then /usr/share/GeoIP and /var/lib/GeoIP (Debian's geoipupdate and
// operators' MaxMind files). For each kind (location, ASN, Anonymous-IP) the first directory
// holding any known file name of that kind wins, and all such files in it are used (a v4 and a
// v6 file together).
//
// Thread-safety: pure functions over the file system.
#ifndef PARALLAX_GEOIP_DEFAULT_PATHS_H_
#define PARALLAX_GEOIP_DEFAULT_PATHS_H_

#include <string>
#include <vector>

#include "geoip/geo_intel.h"

namespace parallax::geoip {

// `executable` is argv[0] or /proc/self/exe; empty to skip the repo-relative directory.
std::vector<std::string> DefaultDataDirs(const std::string& executable);

// Known file names per kind, best first (a commercial MaxMind City file beats DB-IP Lite).
const std::vector<std::string>& KnownLocationFiles();
const std::vector<std::string>& KnownAsnFiles();
const std::vector<std::string>& KnownAnonymousFiles();

// Databases found in `dirs`, each tagged with its expected kind.
std::vector<GeoIntelOptions::Database> FindDefaultDatabases(const std::vector<std::string>& dirs);

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_DEFAULT_PATHS_H_
