#include "sensor/divergence/evidence_json.h"

namespace parallax::divergence {
namespace {

using Json = nlohmann::json;

Json GeoToJson(const GeoFact& g) {
  Json j{{"ip", g.ip},           {"country", g.country},     {"city", g.city},
         {"accuracy_km", g.accuracy_km}, {"time_zone", g.time_zone},
         {"network_type", g.network_type}, {"provider", g.provider}, {"asn", g.asn},
         {"organisation", g.organisation}, {"network_source", g.network_source}};
  if (g.located()) {
    j["lat"] = *g.latitude;
    j["lon"] = *g.longitude;
  }
  return j;
}

GeoFact GeoFromJson(const Json& j) {
  GeoFact g;
  g.ip = j.value("ip", "");
  g.country = j.value("country", "");
  g.city = j.value("city", "");
  g.accuracy_km = j.value("accuracy_km", 0);
  g.time_zone = j.value("time_zone", "");
  g.network_type = j.value("network_type", "unknown");
  g.provider = j.value("provider", "");
  g.asn = j.value("asn", 0u);
  g.organisation = j.value("organisation", "");
  g.network_source = j.value("network_source", "");
  if (j.contains("lat") && j.contains("lon")) {
    g.latitude = j["lat"].get<double>();
    g.longitude = j["lon"].get<double>();
  }
  return g;
}

}  // namespace

Json ToJson(const ContractorWindow& w) {
  Json j;
  j["window_start"] = w.window_start;
  j["first_ts"] = w.first_ts;
  j["last_ts"] = w.last_ts;
  j["flows"] = w.flows;
  j["devices"] = w.devices;
  j["seen_flows"] = w.seen_flows;
  Json eg = Json::object();
  for (const auto& [ip, e] : w.egress) {
    eg[ip] = {{"geo", GeoToJson(e.geo)}, {"how", e.how},           {"rtt_ms", e.rtt_ms},
              {"flows", e.flows},        {"first_ts", e.first_ts}, {"last_ts", e.last_ts},
              {"community_ids", e.community_ids}};
  }
  j["egress"] = eg;
  Json rc = Json::array();
  for (const auto& r : w.remote) {
    rc.push_back({{"product", r.product}, {"device_ip", r.device_ip},
                  {"controller_ip", r.controller_ip}, {"controller", GeoToJson(r.controller)},
                  {"relayed", r.relayed}, {"relay", r.relay}, {"role_known", r.role_known},
                  {"role_basis", r.role_basis}, {"duration_s", r.duration_s},
                  {"input_events_per_min", r.input_events_per_min}, {"ts", r.ts},
                  {"community_id", r.community_id}});
  }
  j["remote"] = rc;
  Json co = Json::array();
  for (const auto& c : w.colocated) {
    co.push_back({{"product", c.product}, {"host_ip", c.host_ip}, {"host", GeoToJson(c.host)},
                  {"how", c.how}, {"duration_s", c.duration_s}, {"ts", c.ts},
                  {"community_id", c.community_id}});
  }
  j["colocated"] = co;
  Json act = Json::array();
  for (const auto& [hour, n] : w.activity) act.push_back({hour, n});
  j["activity"] = act;
  return j;
}

bool FromJson(const Json& j, ContractorWindow* w) {
  try {
    ContractorWindow r;
    r.window_start = j.at("window_start").get<core::TimeUs>();
    r.first_ts = j.at("first_ts").get<core::TimeUs>();
    r.last_ts = j.at("last_ts").get<core::TimeUs>();
    r.flows = j.at("flows").get<std::uint64_t>();
    r.devices = j.at("devices").get<std::vector<std::string>>();
    r.seen_flows = j.at("seen_flows").get<std::set<std::uint64_t>>();
    for (const auto& [ip, e] : j.at("egress").items()) {
      EgressEvidence x;
      x.geo = GeoFromJson(e.at("geo"));
      x.how = e.at("how").get<std::string>();
      x.rtt_ms = e.at("rtt_ms").get<std::vector<double>>();
      x.flows = e.at("flows").get<std::uint64_t>();
      x.first_ts = e.at("first_ts").get<core::TimeUs>();
      x.last_ts = e.at("last_ts").get<core::TimeUs>();
      x.community_ids = e.at("community_ids").get<std::vector<std::string>>();
      r.egress[ip] = std::move(x);
    }
    for (const auto& e : j.at("remote")) {
      RemoteControlEvidence x;
      x.product = e.at("product").get<std::string>();
      x.device_ip = e.at("device_ip").get<std::string>();
      x.controller_ip = e.at("controller_ip").get<std::string>();
      x.controller = GeoFromJson(e.at("controller"));
      x.relayed = e.at("relayed").get<bool>();
      x.relay = e.at("relay").get<std::string>();
      x.role_known = e.at("role_known").get<bool>();
      x.role_basis = e.at("role_basis").get<std::string>();
      x.duration_s = e.at("duration_s").get<double>();
      x.input_events_per_min = e.at("input_events_per_min").get<double>();
      x.ts = e.at("ts").get<core::TimeUs>();
      x.community_id = e.at("community_id").get<std::string>();
      r.remote.push_back(std::move(x));
    }
    for (const auto& e : j.at("colocated")) {
      ColocatedEvidence x;
      x.product = e.at("product").get<std::string>();
      x.host_ip = e.at("host_ip").get<std::string>();
      x.host = GeoFromJson(e.at("host"));
      x.how = e.at("how").get<std::string>();
      x.duration_s = e.value("duration_s", 0.0);  // stores written before it was kept: 0
      x.ts = e.at("ts").get<core::TimeUs>();
      x.community_id = e.at("community_id").get<std::string>();
      r.colocated.push_back(std::move(x));
    }
    for (const auto& a : j.at("activity")) {
      r.activity[a.at(0).get<std::int64_t>()] = a.at(1).get<std::uint32_t>();
    }
    *w = std::move(r);
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

}  // namespace parallax::divergence
