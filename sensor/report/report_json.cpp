#include "sensor/report/report_json.h"

#include <cmath>

#include "sensor/output/time_format.h"

namespace parallax::report {
namespace {

using Json = nlohmann::ordered_json;

// Times twice: eve.json text for people and tools, epoch milliseconds for the page's plots.
void PutTime(Json& j, const char* name, core::TimeUs ts) {
  j[name] = output::FormatTimestamp(ts);
  j[std::string(name) + "_ms"] = ts / 1000;
}

template <typename T>
void PutOptional(Json& j, const char* name, const std::optional<T>& v) {
  if (v) j[name] = *v;
}

Json PlaceJson(const Place& p) {
  Json j;
  j["kind"] = p.kind;
  j["label"] = p.label;
  if (!p.ip.empty()) j["ip"] = p.ip;
  PutOptional(j, "latitude", p.latitude);
  PutOptional(j, "longitude", p.longitude);
  if (p.accuracy_km) j["accuracy_radius_km"] = p.accuracy_km;
  if (!p.network_type.empty()) j["network_type"] = p.network_type;
  if (!p.provider.empty()) j["provider"] = p.provider;
  if (p.asn) j["asn"] = p.asn;
  if (!p.organisation.empty()) j["organisation"] = p.organisation;
  PutOptional(j, "distance_from_claimed_km", p.distance_from_claimed_km);
  PutOptional(j, "distance_from_sensor_km", p.distance_from_sensor_km);
  j["how"] = p.how;
  if (p.kind != "claimed") j["flows"] = p.flows;
  return j;
}

Json FlowJson(const FlowRow& r) {
  Json j;
  j["community_id"] = r.community_id;
  j["flow_id"] = r.flow_id;
  PutTime(j, "start", r.first_ts);
  j["duration_s"] = static_cast<double>((r.last_ts - r.first_ts) / 1000) / 1000.0;
  j["src_ip"] = r.src_ip;
  if (r.src_port >= 0) j["src_port"] = r.src_port;
  j["dest_ip"] = r.dest_ip;
  if (r.dest_port >= 0) j["dest_port"] = r.dest_port;
  j["proto"] = r.proto;
  j["app_proto"] = r.app;
  j["product"] = r.product;
  j["lane"] = LaneName(r.lane);
  if (!r.role.empty()) {
    j["role"] = r.role;
    j["role_known"] = r.role_known;
    if (r.relayed) j["relayed"] = true;
    if (!r.peer_ip.empty()) j["peer_ip"] = r.peer_ip;
  }
  j["bytes"] = r.bytes;
  j["packets"] = r.packets;
  j["initiated"] = r.initiated;
  j["via"] = r.via;
  if (!r.egress_ip.empty()) j["egress_ip"] = r.egress_ip;
  if (r.rtt_ms >= 0) j["rtt_ms"] = std::round(r.rtt_ms * 1000) / 1000;
  j["findings"] = r.findings;
  return j;
}

Json HeatmapJson(const Heatmap& h) {
  Json j;
  j["time_zone"] = h.time_zone;
  j["events"] = h.events;
  if (h.events == 0) return j;
  j["claimed_utc_offset"] = h.claimed_offset;
  j["offset_source"] = h.offset_source;
  j["working_hours"] = {{"start_minute", h.work_start_minute},
                        {"end_minute", h.work_end_minute},
                        {"days_mask", h.work_days}};
  j["claimed_share"] = h.claimed_share;
  j["best_utc_offset"] = h.best_offset;
  j["best_zone_examples"] = h.best_zones;
  j["best_share"] = h.best_share;
  j["best_band_claimed_clock"] = {{"start_minute", h.best_band_start_minute},
                                  {"end_minute", h.best_band_end_minute}};
  j["days_omitted"] = h.days_omitted;
  Json days = Json::array();
  for (const auto& d : h.days) {
    days.push_back({{"date", d.date}, {"weekday", d.weekday}, {"hours", d.hours}});
  }
  j["days"] = std::move(days);
  return j;
}

Json RttJson(const RttPlot& p) {
  Json j;
  j["available"] = p.available;
  if (!p.note.empty()) j["note"] = p.note;
  PutOptional(j, "claimed_distance_km", p.claimed_distance_km);
  PutOptional(j, "claimed_floor_ms", p.claimed_floor_ms);
  Json eg = Json::array();
  for (const auto& e : p.egress) {
    Json x;
    x["ip"] = e.ip;
    x["label"] = e.label;
    PutOptional(x, "distance_km", e.distance_km);
    PutOptional(x, "floor_ms", e.floor_ms);
    PutOptional(x, "min_rtt_ms", e.min_rtt_ms);
    PutOptional(x, "max_distance_km", e.max_distance_km);
    eg.push_back(std::move(x));
  }
  j["egress"] = std::move(eg);
  Json s = Json::array();
  for (const auto& x : p.samples) {
    Json k;
    k["egress_ip"] = x.egress_ip;
    k["rtt_ms"] = x.rtt_ms;
    PutOptional(k, "distance_km", x.distance_km);
    k["ts_ms"] = x.ts / 1000;
    s.push_back(std::move(k));
  }
  j["samples"] = std::move(s);
  return j;
}

}  // namespace

nlohmann::ordered_json ReportToJson(const ReportModel& m, const std::string& generated_at) {
  Json j;
  j["report"] = "parallax forensics report";
  j["format_version"] = 1;
  if (!generated_at.empty()) j["generated_at"] = generated_at;
  j["inputs"] = m.inputs;
  Json cap;
  cap["packets"] = m.packets;
  cap["bytes"] = m.bytes;
  PutTime(cap, "first", m.first_ts);
  PutTime(cap, "last", m.last_ts);
  cap["attributed_flows"] = m.attributed_flows;
  j["capture"] = std::move(cap);
  if (m.sensor_latitude && m.sensor_longitude) {
    j["sensor"] = {{"latitude", *m.sensor_latitude}, {"longitude", *m.sensor_longitude}};
  } else {
    j["sensor"] = nullptr;
  }
  if (m.policy_path) {
    j["policy"] = {{"file", *m.policy_path}, {"suppressed_total", m.suppressed_total}};
  }
  Json cs = Json::array();
  for (const auto& c : m.contractors) {
    Json x;
    x["id"] = c.id;
    x["name"] = c.name;
    x["claimed"] = c.claimed_label;
    x["time_zone"] = c.time_zone;
    x["seen"] = c.seen;
    x["verdict"] = c.verdict;
    x["top_score"] = c.top_score;
    x["verdict_line"] = c.verdict_line;
    x["devices"] = c.devices;
    Json alerts = Json::array();
    for (const auto& a : c.alerts) {
      Json y;
      y["id"] = a.id;
      y["kind"] = a.kind;
      y["severity"] = a.severity;
      y["score"] = a.score;
      y["explanation"] = a.explanation;
      PutTime(y, "first_seen", a.first_seen);
      PutTime(y, "last_seen", a.last_seen);
      if (!a.community_id.empty()) y["community_id"] = a.community_id;
      y["flows_behind"] = a.flows;
      y["claimed"] = a.claimed;
      y["observed"] = a.observed;
      y["evidence"] = a.evidence;
      y["mitre"] = a.mitre;
      alerts.push_back(std::move(y));
    }
    x["alerts"] = std::move(alerts);
    if (m.policy_path) {
      Json held = Json::array();
      for (const auto& s : c.suppressed) {
        Json y;
        y["id"] = s.id;
        y["kind"] = s.kind;
        y["severity"] = s.severity;
        y["score"] = s.score;
        y["explanation"] = s.explanation;
        PutTime(y, "first_seen", s.first_seen);
        PutTime(y, "last_seen", s.last_seen);
        y["rule"] = {{"id", s.rule_id}, {"reason", s.reason}, {"who", s.who}};
        held.push_back(std::move(y));
      }
      x["suppressed"] = std::move(held);
    }
    Json places = Json::array();
    for (const auto& p : c.places) places.push_back(PlaceJson(p));
    x["map"] = {{"places", std::move(places)}};
    Json sessions = Json::array();
    for (const auto& s : c.sessions) {
      Json y;
      y["lane"] = LaneName(s.lane);
      y["label"] = s.label;
      if (!s.role.empty()) y["role"] = s.role;
      PutTime(y, "start", s.start);
      PutTime(y, "end", s.end);
      y["flows"] = s.flows;
      y["bytes"] = s.bytes;
      sessions.push_back(std::move(y));
    }
    x["timeline"] = {{"sessions", std::move(sessions)}};
    x["heatmap"] = HeatmapJson(c.heatmap);
    x["rtt"] = RttJson(c.rtt);
    Json flows = Json::array();
    for (const auto& r : c.flows) flows.push_back(FlowJson(r));
    x["flows"] = std::move(flows);
    x["flows_omitted"] = c.flows_omitted;
    cs.push_back(std::move(x));
  }
  j["contractors"] = std::move(cs);
  return j;
}

}  // namespace parallax::report
