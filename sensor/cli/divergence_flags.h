// Command-line flags of the divergence side, shared by `read`, `live`, `report` and `correlate`:
// roster, identity events, policy, sensor location, alert store and window; and the one place
// they become a DivergenceStage.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "geoip/geo_intel_holder.h"
#include "sensor/core/sensor_stats.h"
#include "sensor/core/status.h"
#include "sensor/divergence/alert_store.h"
#include "sensor/divergence/divergence_inputs.h"
#include "sensor/divergence/divergence_stage.h"
#include "sensor/output/event_writer.h"

namespace parallax::cli {

struct DivergenceFlags {
  std::string roster_path;
  std::string identity_path;
  // `--identity FORMAT:FILE`, repeatable: vendor identity logs (sensor/identity/, docs/inputs.md).
  std::vector<std::string> identity_logs;
  std::string identity_utc_offset;  // "+HH:MM": the zone of log times that carry none
  std::string policy_path;
  std::string sensor_location;  // "LAT,LON"
  std::string store_path = ":memory:";
  double window_hours = 24;
  // Filled by Validate and Load.
  divergence::DivergenceOptions options;
  DivergenceInputs inputs;  // roster null: divergence off
  std::unique_ptr<divergence::AlertStore> store;

  void Register(CLI::App* cmd);
  // Checks the flags' values without opening anything: a usage error (exit 2), naming the flag.
  core::Status Validate();
  // With a roster, loads the inputs and opens the store: an input error (exit 1), naming the
  // file and line. Prints the "no --sensor-location" warning.
  core::Status Load();
  // Reads the --identity logs into inputs (after the roster is loaded); one summary line per
  // file on stderr, and the lines not understood as FILE:LINE: message.
  core::Status LoadIdentityLogs();
  bool on() const { return inputs.roster != nullptr; }
  // The stage over the loaded inputs (on() only); takes the store. Alerts go to `writer` unless
  // hooks.on_alert is set. geo may be null.
  std::unique_ptr<divergence::DivergenceStage> MakeStage(output::EventWriter* writer,
                                                         const geoip::GeoIntelHolder* geo,
                                                         divergence::StageHooks hooks = {},
                                                         core::TimeUs evaluate_every = 0);
  // The stage's figures in the closing stats event.
  static void FillStats(const divergence::DivergenceStage& stage, core::SensorStats* stats);

 private:
  int identity_offset_minutes_ = 0;
};

}  // namespace parallax::cli
