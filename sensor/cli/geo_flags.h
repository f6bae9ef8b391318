// GeoIP flags shared by `read`, `live` and `geo`: which databases and network lists to open.
// Without flags the default data (data/ beside the build, /usr/share/GeoIP, /var/lib/GeoIP) is
// used; a kind given on the command line is not searched for.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "geoip/geo_intel.h"
#include "geoip/geo_intel_holder.h"
#include "sensor/core/status.h"
#include "sensor/geo/geo_sources.h"

namespace parallax::cli {

struct GeoFlags {
  GeoSources sources;
  bool no_geoip = false;

  void Register(CLI::App* cmd, bool allow_disable);
  // Opens what the flags and defaults name. *searched lists the default folders looked in.
  core::Status Open(std::shared_ptr<const geoip::GeoIntel>* out,
                     std::vector<std::string>* searched) const {
    return OpenGeoSources(sources, out, searched);
  }
  // Opens them into a holder (null with --no-geoip), saying once on stderr when no database was
  // found. Errors name the file.
  core::Status OpenHolder(std::shared_ptr<geoip::GeoIntelHolder>* out) const;
};

}  // namespace parallax::cli
