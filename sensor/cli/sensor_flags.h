// Command-line flags shared by `read` and `live`: event selection, output, flow-table settings.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "geoip/geo_intel_holder.h"
#include "sensor/cli/geo_flags.h"
#include "sensor/core/status.h"
#include "sensor/divergence/divergence_inputs.h"
#include "sensor/divergence/divergence_stage.h"
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
  std::string sensor_location;  // "LAT,LON"
  std::string store_path = ":memory:";
  double window_hours = 24;
  // Filled by Finalize when a roster is given (divergence on).
  divergence::DivergenceOptions divergence;
  DivergenceInputs inputs;
  std::unique_ptr<divergence::AlertStore> store;
  bool divergence_on() const { return inputs.roster != nullptr; }
  // CLI-facing copies in seconds (the options hold microseconds).
  double tcp_timeout = 300, udp_timeout = 300, udp_new_timeout = 30, icmp_timeout = 30,
         other_timeout = 300;
  double active_timeout = 1800;

  void Register(CLI::App* cmd);
  // Converts and validates, opens GeoIP data and the divergence inputs; errors name the flag or
  // the file.
  core::Status Finalize(output::EventSelection* selection);
  // The divergence stage over the inputs Finalize loaded (divergence_on() only); takes the store.
  // Alerts go to `writer` unless hooks.on_alert is set.
  std::unique_ptr<divergence::DivergenceStage> MakeStage(output::EventWriter* writer,
                                                         divergence::StageHooks hooks = {},
                                                         core::TimeUs evaluate_every = 0);
  // The stage's figures in the closing stats event.
  void FillStats(const divergence::DivergenceStage& stage, core::SensorStats* stats) const;
};

// Opens the output ("-" is stdout); the FILE is closed by the caller unless it is stdout.
std::FILE* OpenOutput(const std::string& path, core::Status* status);

}  // namespace parallax::cli
