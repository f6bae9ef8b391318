// Command-line flags shared by `read` and `live`: event selection, output, flow-table settings.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "geoip/geo_intel_holder.h"
#include "sensor/cli/geo_flags.h"
#include "sensor/core/status.h"
#include "sensor/divergence/alert_store.h"
#include "sensor/roster/identity_events.h"
#include "sensor/roster/roster.h"
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
  // Location divergence.
  std::string roster_path;
  std::string identity_path;
  std::string policy_path;
  std::shared_ptr<const policy::Policy> policy;
  std::string sensor_location;  // "LAT,LON"
  std::string store_path = ":memory:";
  double window_hours = 24;
  std::shared_ptr<roster::Roster> roster;
  std::shared_ptr<roster::IdentityBindings> bindings;
  std::shared_ptr<std::vector<roster::IdentityEvent>> identity_events;
  std::unique_ptr<divergence::AlertStore> store;
  // CLI-facing copies in seconds (the options hold microseconds).
  double tcp_timeout = 300, udp_timeout = 300, udp_new_timeout = 30, icmp_timeout = 30,
         other_timeout = 300;
  double active_timeout = 1800;

  void Register(CLI::App* cmd);
  // Converts and validates, opens GeoIP data; errors name the flag or the file.
  core::Status Finalize(output::EventSelection* selection);
};

}  // namespace parallax::cli
