#include "sensor/output/stats_event.h"

#include "sensor/output/time_format.h"

namespace parallax::output {

nlohmann::ordered_json StatsEventJson(const core::SensorStats& s) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["timestamp"] = FormatTimestamp(s.last_ts);
  j["event_type"] = "stats";
  Json st;
  Json inputs = Json::array();
  for (const auto& in : s.inputs) {
    Json i;
    i["name"] = in.name;
    i["status"] = in.status;
    if (in.packets) i["packets"] = *in.packets;
    if (in.timestamps_backwards) i["timestamps_backwards"] = in.timestamps_backwards;
    if (!in.error.empty()) i["error"] = in.error;
    inputs.push_back(std::move(i));
  }
  st["inputs"] = std::move(inputs);
  if (s.packets) {
    st["first_packet"] = FormatTimestamp(s.first_ts);
    st["last_packet"] = FormatTimestamp(s.last_ts);
  }
  st["packets"] = s.packets;
  st["bytes"] = s.bytes;
  st["ip_packets"] = s.ip_packets;
  st["non_ip_packets"] = s.non_ip_packets;
  st["broken_packets"] = s.broken_packets;
  st["fragments"] = s.fragments;
  st["flows"] = {{"created", s.flows_created},     {"ended", s.flows_ended},
                 {"evicted", s.flows_evicted},     {"interim_records", s.interim_records},
                 {"peak_live", s.peak_live_flows}};
  st["fingerprints"] = s.fingerprints;
  st["alerts"] = s.alerts;
  if (s.suppressed) st["suppressed"] = *s.suppressed;
  st["attributed_flows"] = s.attributed_flows;
  st["capture"] = {{"received", s.capture_received},
                   {"dropped", s.capture_dropped},
                   {"if_dropped", s.capture_if_dropped}};
  Json an = Json::object();
  std::uint64_t total = 0;
  for (unsigned i = 0; i < static_cast<unsigned>(core::Anomaly::kCount); ++i) {
    const auto a = static_cast<core::Anomaly>(i);
    const auto n = s.anomalies.Get(a);
    total += n;
    if (n) an[std::string(core::AnomalyName(a))] = n;
  }
  st["anomalies_total"] = total;
  st["anomalies"] = an;
  j["stats"] = st;
  return j;
}

}  // namespace parallax::output
