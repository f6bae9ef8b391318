#include "sensor/cli/sensor_flags.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace parallax::cli {

void SensorFlags::Register(CLI::App* cmd) {
  // Every value, from the same table the parser uses, so the help cannot fall behind it.
  std::string known;
  for (unsigned i = 0; i < static_cast<unsigned>(output::EventType::kCount); ++i) {
    known += std::string(output::EventTypeName(static_cast<output::EventType>(i))) + ", ";
  }
  cmd->add_option("--events", events,
                  "Event types to print, comma-separated: " + known +
                      "all (selects output only; analysis is unchanged)")
      ->capture_default_str();
  cmd->add_option("-o,--output", output, "Write JSON lines here ('-' = stdout)")
      ->capture_default_str();
  cmd->add_option("-f,--filter", bpf, "BPF filter (tcpdump syntax)");
  cmd->add_option("--analyzers", pipeline.analyzers,
                  "Analyzers to run: all, none, or a comma-separated list (parallax analyzers)")
      ->capture_default_str();
  geo.Register(cmd, true);
  div.Register(cmd);
  cmd->add_option("--sensor-id", pipeline.sensor.id,
                  "This sensor's name in flow records (--records; docs/flow-record.md)");
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
  if (auto s = Validate(selection); !s.ok()) return s;
  return Load();
}

core::Status SensorFlags::Validate(output::EventSelection* selection) {
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
  if (auto s = div.Validate(); !s.ok()) return s;
  if (div.options.sensor_latitude && div.options.sensor_longitude) {
    pipeline.sensor.latitude = *div.options.sensor_latitude;
    pipeline.sensor.longitude = *div.options.sensor_longitude;
  }
  return core::Status::Ok();
}

core::Status SensorFlags::Load() {
  if (auto s = geo.OpenHolder(&geo_holder); !s.ok()) return s;
  pipeline.geo = geo_holder.get();
  return div.Load();
}

}  // namespace parallax::cli
