#include "sensor/cli/divergence_flags.h"

#include <cctype>
#include <cstdio>

#include "sensor/core/terminal_text.h"
#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/identity_log.h"

namespace parallax::cli {

void DivergenceFlags::Register(CLI::App* cmd) {
  cmd->add_option("--roster", roster_path, "Contractor roster (CSV, JSON or YAML; docs/roster.md)");
  cmd->add_option("--identity-events", identity_path,
                  "Identity events (JSON lines binding contractors to addresses over time)");
  cmd->add_option("--identity", identity_logs,
                  "Vendor identity log FORMAT:FILE, repeatable (formats: " +
                      identity::AdapterNames() + "; docs/inputs.md)")
      ->type_name("FORMAT:FILE")
      ->allow_extra_args(false);  // one FILE per flag: never swallow the capture operands
  cmd->add_option("--identity-utc-offset", identity_utc_offset,
                  "Zone of identity-log times that carry none, +HH:MM (default +00:00)");
  cmd->add_option("--policy", policy_path,
                  "Sanctioned networks and suppression rules (YAML; docs/policy.md)");
  cmd->add_option("--sensor-location", sensor_location,
                  "Where the sensor is, LAT,LON (for the latency checks)");
  cmd->add_option("--store", store_path,
                  "SQLite alert history (':memory:' = fresh each run); alerts are not repeated")
      ->capture_default_str();
  cmd->add_option("--window-hours", window_hours, "Evidence/alert window, hours")
      ->capture_default_str();
}

core::Status DivergenceFlags::Validate() {
  if (!sensor_location.empty()) {
    if (auto s = ParseSensorLocation(sensor_location, "--sensor-location", &options); !s.ok()) {
      return s;
    }
  }
  if (!(window_hours >= 1 && window_hours <= 720)) {
    return core::Status::Error("--window-hours: must be between 1 and 720");
  }
  options.window = static_cast<core::TimeUs>(window_hours * 3600) * core::kMicrosPerSecond;
  if (!identity_path.empty() && roster_path.empty()) {
    return core::Status::Error("--identity-events needs --roster");
  }
  if (!identity_logs.empty() && roster_path.empty()) {
    return core::Status::Error("--identity needs --roster");
  }
  for (const auto& spec : identity_logs) {
    std::string format, path;
    if (auto s = identity::ParseIdentitySpec(spec, &format, &path); !s.ok()) return s;
  }
  if (!identity_utc_offset.empty()) {
    const std::string& t = identity_utc_offset;
    const bool shape = t.size() == 6 && (t[0] == '+' || t[0] == '-') && t[3] == ':' &&
                       std::isdigit(static_cast<unsigned char>(t[1])) &&
                       std::isdigit(static_cast<unsigned char>(t[2])) &&
                       std::isdigit(static_cast<unsigned char>(t[4])) &&
                       std::isdigit(static_cast<unsigned char>(t[5]));
    const int minutes = shape ? ((t[1] - '0') * 10 + (t[2] - '0')) * 60 + (t[4] - '0') * 10 +
                                    (t[5] - '0')
                              : 0;
    if (!shape || minutes > 14 * 60 || (t[4] - '0') > 5) {
      return core::Status::Error("--identity-utc-offset: expected +HH:MM between -14:00 and "
                                 "+14:00, got '" + t + "'");
    }
    identity_offset_minutes_ = t[0] == '-' ? -minutes : minutes;
  }
  if (!policy_path.empty() && roster_path.empty()) {
    return core::Status::Error("--policy needs --roster");
  }
  return core::Status::Ok();
}

core::Status DivergenceFlags::Load() {
  if (roster_path.empty()) return core::Status::Ok();
  std::shared_ptr<const policy::Policy> policy;
  if (!policy_path.empty()) {
    if (auto s = LoadPolicyFile(policy_path, &policy); !s.ok()) return s;
  }
  if (auto s = LoadDivergenceInputs(roster_path, identity_path, &inputs); !s.ok()) return s;
  inputs.policy = policy;
  if (auto s = LoadIdentityLogs(); !s.ok()) return s;
  if (policy) {
    for (const auto& w : PolicyContractorsNotInRoster(*policy, *inputs.roster)) {
      std::fprintf(stderr, "parallax: warning: %s\n", core::ForTerminal(w).c_str());
    }
  }
  if (auto s = divergence::AlertStore::Open(store_path, &store); !s.ok()) return s;
  if (!options.sensor_latitude) {
    std::fprintf(stderr, "parallax: no --sensor-location: latency checks are off\n");
  }
  return core::Status::Ok();
}

core::Status DivergenceFlags::LoadIdentityLogs() {
  for (const auto& spec : identity_logs) {
    std::string format, path;
    if (auto s = identity::ParseIdentitySpec(spec, &format, &path); !s.ok()) return s;
    identity::AdapterOptions log_options;
    log_options.utc_offset_minutes = identity_offset_minutes_;
    std::vector<roster::IdentityEvent> events;
    identity::IdentityLogReport report;
    if (auto s =
            identity::ReadIdentityLog(format, path, *inputs.roster, log_options, &events, &report);
        !s.ok()) {
      return core::Status::Error("--identity " + spec + ": " + s.message());
    }
    // Said whatever the outcome: a log that gave no events is as worth knowing as one that did.
    std::fprintf(stderr, "parallax: identity %s\n", report.Summary().c_str());
    for (const auto& m : report.BadLineMessages()) {
      std::fprintf(stderr, "parallax: %s\n", m.c_str());
    }
    // One list, whatever the source: bindings are ordered by time, not by file.
    for (auto& e : events) {
      inputs.bindings->Add(e);
      inputs.identity_events->push_back(std::move(e));
    }
  }
  return core::Status::Ok();
}

std::unique_ptr<divergence::DivergenceStage> DivergenceFlags::MakeStage(
    output::EventWriter* writer, const geoip::GeoIntelHolder* geo, divergence::StageHooks hooks,
    core::TimeUs evaluate_every) {
  if (!hooks.on_alert) {
    hooks.on_alert = [writer](const divergence::Alert& a, core::TimeUs now) {
      writer->WriteAlert(a, now);
    };
  }
  return std::make_unique<divergence::DivergenceStage>(inputs, options, geo, std::move(store),
                                                       std::move(hooks), evaluate_every);
}

void DivergenceFlags::FillStats(const divergence::DivergenceStage& stage,
                                core::SensorStats* stats) {
  stats->alerts = stage.alerts().size();
  stats->attributed_flows = stage.engine().attributed_flows();
  if (stage.inputs().policy) stats->suppressed = stage.engine().suppressed_total();
}

}  // namespace parallax::cli
