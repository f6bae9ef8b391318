// Command-line flags shared by `read` and `live`: event selection, output, flow-table settings.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "geoip/geo_intel_holder.h"
#include "sensor/cli/geo_flags.h"
#include "sensor/core/status.h"
#include "sensor/cli/divergence_flags.h"
#include "sensor/output/event_types.h"
#include "sensor/pipeline.h"

namespace parallax::cli {

struct SensorFlags {
  std::string events = "fingerprint,alert,stats";
  std::string output = "-";
  std::string bpf;
  PipelineOptions pipeline;
  GeoFlags geo;
  std::shared_ptr<geoip::GeoIntelHolder> geo_holder;
  // The divergence side (roster, identity events, policy, store...).
  DivergenceFlags div;
  // CLI-facing copies in seconds (the options hold microseconds).
  double tcp_timeout = 300, udp_timeout = 300, udp_new_timeout = 30, icmp_timeout = 30,
         other_timeout = 300;
  double active_timeout = 1800;

  void Register(CLI::App* cmd);
  // Validate() then Load().
  core::Status Finalize(output::EventSelection* selection);
  // Converts and checks the flags' values without opening anything: an error here is a usage
  // error (exit status 2) and names the flag.
  core::Status Validate(output::EventSelection* selection);
  // Opens GeoIP data, policy, roster, identity events and the store: an error here is an input
  // error (exit status 1) and names the file. Prints the start-up warnings (no GeoIP database,
  // no --sensor-location), so a command calls it after opening its captures: a warning printed
  // before an input error is noise on top of the message that matters.
  core::Status Load();
};

}  // namespace parallax::cli
