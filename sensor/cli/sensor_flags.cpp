#include "sensor/cli/sensor_flags.h"

#include "sensor/core/terminal_text.h"
#include "sensor/divergence_inputs.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace parallax::cli {

void SensorFlags::Register(CLI::App* cmd) {
  cmd->add_option("--events", events,
                  "Event types to print, comma-separated: flow, stats, all (selects output only; "
                  "analysis is unchanged)")
      ->capture_default_str();
  cmd->add_option("-o,--output", output, "Write JSON lines here ('-' = stdout)")
      ->capture_default_str();
  cmd->add_option("-f,--filter", bpf, "BPF filter (tcpdump syntax)");
  cmd->add_option("--analyzers", pipeline.analyzers,
                  "Analyzers to run: all, none, or a comma-separated list (parallax analyzers)")
      ->capture_default_str();
  geo.Register(cmd, true);
  cmd->add_option("--roster", roster_path, "Contractor roster (CSV, JSON or YAML; docs/roster.md)");
  cmd->add_option("--identity-events", identity_path,
                  "Identity events (JSON lines binding contractors to addresses over time)");
  cmd->add_option("--policy", policy_path,
                  "Sanctioned networks and suppression rules (YAML; docs/policy.md)");
  cmd->add_option("--sensor-location", sensor_location,
                  "Where the sensor is, LAT,LON (for the latency checks)");
  cmd->add_option("--store", store_path,
                  "SQLite alert history (':memory:' = fresh each run); alerts are not repeated")
      ->capture_default_str();
  cmd->add_option("--window-hours", window_hours, "Evidence/alert window, hours")
      ->capture_default_str();
  auto& fo = pipeline.flows;
  cmd->add_option("--max-flows", fo.max_flows, "Cap on live flows; the oldest is evicted")
      ->capture_default_str();
  cmd->add_option("--tcp-timeout", tcp_timeout, "TCP idle timeout, seconds")->capture_default_str();
  cmd->add_option("--udp-timeout", udp_timeout, "Idle timeout of UDP flows with replies, seconds")
      ->capture_default_str();
  cmd->add_option("--udp-new-timeout", udp_new_timeout,
                  "Idle timeout of one-way UDP flows, seconds")
      ->capture_default_str();
  cmd->add_option("--icmp-timeout", icmp_timeout, "ICMP idle timeout, seconds")
      ->capture_default_str();
  cmd->add_option("--other-timeout", other_timeout, "Idle timeout of other IP protocols, seconds")
      ->capture_default_str();
  cmd->add_option("--active-timeout", active_timeout,
                  "Interim record interval for long flows, seconds")
      ->capture_default_str();
  auto& co = pipeline.classifier;
  cmd->add_option("--ndpi-max-tcp-packets", co.max_tcp_packets,
                  "Packets of a TCP flow nDPI may inspect before giving up")
      ->capture_default_str();
  cmd->add_option("--ndpi-max-udp-packets", co.max_udp_packets,
                  "Packets of a UDP/other flow nDPI may inspect before giving up")
      ->capture_default_str();
}

core::Status SensorFlags::Finalize(output::EventSelection* selection) {
  if (auto s = output::EventSelection::Parse(events, selection); !s.ok()) return s;
  auto conv = [](double secs, const char* flag, core::TimeUs* out) -> core::Status {
    if (!(secs > 0) || secs > 7 * 24 * 3600) {
      return core::Status::Error(std::string(flag) + ": must be between 0 and 604800 seconds");
    }
    *out = static_cast<core::TimeUs>(secs * core::kMicrosPerSecond);
    return core::Status::Ok();
  };
  auto& fo = pipeline.flows;
  for (auto s : {conv(tcp_timeout, "--tcp-timeout", &fo.tcp_idle_timeout),
                 conv(udp_timeout, "--udp-timeout", &fo.udp_idle_timeout),
                 conv(udp_new_timeout, "--udp-new-timeout", &fo.udp_new_timeout),
                 conv(icmp_timeout, "--icmp-timeout", &fo.icmp_idle_timeout),
                 conv(other_timeout, "--other-timeout", &fo.other_idle_timeout),
                 conv(active_timeout, "--active-timeout", &fo.active_timeout)}) {
    if (!s.ok()) return s;
  }
  if (fo.max_flows < 16) return core::Status::Error("--max-flows: must be at least 16");
  if (!geo.no_geoip) {
    std::shared_ptr<const geoip::GeoIntel> intel;
    std::vector<std::string> searched;
    if (auto s = geo.Open(&intel, &searched); !s.ok()) return core::Status::Error(s.message());
    if (intel->location_dbs().empty() && intel->asn_dbs().empty()) {
      // Said once, not per packet: the analysis runs, network-type evidence is thinner.
      std::string where;
      for (const auto& d : searched) where += " " + d;
      std::fprintf(stderr,
                   "parallax: no GeoIP databases found (looked in%s); network types come from "
                   "special ranges and curated lists only. Run scripts/fetch-data.\n",
                   where.c_str());
    }
    geo_holder = std::make_shared<geoip::GeoIntelHolder>(intel);
    pipeline.geo = geo_holder.get();
  }
  if (!sensor_location.empty()) {
    if (auto s = ParseSensorLocation(sensor_location, "--sensor-location", &pipeline.divergence);
        !s.ok()) {
      return s;
    }
  }
  if (!(window_hours >= 1 && window_hours <= 720)) {
    return core::Status::Error("--window-hours: must be between 1 and 720");
  }
  pipeline.divergence.window = static_cast<core::TimeUs>(window_hours * 3600) * core::kMicrosPerSecond;
  if (!identity_path.empty() && roster_path.empty()) {
    return core::Status::Error("--identity-events needs --roster");
  }
  if (!policy_path.empty() && roster_path.empty()) {
    return core::Status::Error("--policy needs --roster");
  }
  if (!roster_path.empty()) {
    if (!policy_path.empty()) {
      if (auto s = LoadPolicyFile(policy_path, &policy); !s.ok()) return s;
      pipeline.policy = policy.get();
    }
    DivergenceInputs in;
    if (auto s = LoadDivergenceInputs(roster_path, identity_path, &in); !s.ok()) return s;
    roster = in.roster;
    if (policy) {
      for (const auto& w : PolicyContractorsNotInRoster(*policy, *roster)) {
        std::fprintf(stderr, "parallax: warning: %s\n", core::ForTerminal(w).c_str());
      }
    }
    bindings = in.bindings;
    identity_events = in.identity_events;
    if (auto s = divergence::AlertStore::Open(store_path, &store); !s.ok()) return s;
    pipeline.roster = roster.get();
    pipeline.bindings = bindings.get();
    pipeline.identity_events = identity_events.get();
    pipeline.store = store.get();
    if (!pipeline.divergence.sensor_latitude) {
      std::fprintf(stderr, "parallax: no --sensor-location: latency checks are off\n");
    }
  }
  return core::Status::Ok();
}

}  // namespace parallax::cli
