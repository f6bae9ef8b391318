// GeoSources: which GeoIP databases and network lists to open, as the command line (GeoFlags)
// or the daemon's configuration names them, and the one function that opens them. A kind not
// named is looked for in the default folders (data/ beside the build, /usr/share/GeoIP, ...).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "geoip/geo_intel.h"
#include "sensor/base/status.h"

namespace parallax {

struct GeoSources {
  std::vector<std::string> city_dbs;
  std::vector<std::string> asn_dbs;
  std::string anon_db;
  std::vector<std::string> lists;
  std::vector<std::string> tor_lists;
};

// *searched lists the default folders looked in.
Status OpenGeoSources(const GeoSources& sources, std::shared_ptr<const geoip::GeoIntel>* out,
                             std::vector<std::string>* searched);

// The running executable's path (/proc/self/exe), for finding data beside the build.
std::string SelfExecutable();

}  // namespace parallax
