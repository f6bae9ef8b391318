// latency_inconsistent: the lowest handshake RTT between the sensor and the contractor's egress,
// over several connections (queues only add delay), is impossible or implausible for the claimed
// place or for the egress address's own geolocation.
//  - impossible: the claimed place is farther from the sensor than light in fibre covers in
//    min_rtt (100 km per ms of RTT at stretch 1);
//  - implausible: min_rtt exceeds what the distance needs on a poor path (stretch 2) plus a
//    last-mile allowance: an extra leg, such as a relay or VPN, sits in between.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "geoip/geometry.h"
#include "sensor/divergence/detections.h"

namespace parallax::divergence {
namespace {

struct Check {
  bool inconsistent = false;
  std::string why;
};

Check Judge(double rtt, double km, const DivergenceOptions& o, const std::string& what) {
  Check c;
  const double floor = geoip::RttFloorMs(km);
  const double ceiling = geoip::RttFloorMs(km, geoip::kPoorPathStretch) + o.last_mile_allowance_ms;
  char buf[320];
  if (rtt + o.impossible_tolerance_ms < floor) {
    std::snprintf(buf, sizeof buf,
                  "%.1f ms is below the %.1f ms light needs for the %s %s from the sensor: "
                  "impossible",
                  rtt, floor, Km(km).c_str(), what.c_str());
    c.inconsistent = true;
  } else if (rtt > ceiling) {
    std::snprintf(buf, sizeof buf,
                  "%.1f ms is far above the %.1f ms the %s %s needs at worst (stretch 2 + %.0f ms "
                  "last mile): an extra leg such as a relay",
                  rtt, ceiling, Km(km).c_str(), what.c_str(), o.last_mile_allowance_ms);
    c.inconsistent = true;
  } else {
    std::snprintf(buf, sizeof buf, "%.1f ms fits the %s %s (%.1f..%.1f ms)", rtt, Km(km).c_str(),
                  what.c_str(), floor, ceiling);
  }
  c.why = buf;
  return c;
}

}  // namespace

std::optional<Alert> DetectLatencyInconsistent(const DetectionContext& ctx) {
  const DivergenceOptions& o = ctx.options;
  if (!o.sensor_latitude || !o.sensor_longitude) return std::nullopt;
  const roster::Contractor& c = ctx.contractor;
  for (const auto& [ip, e] : ctx.window.egress) {
    if (static_cast<int>(e.rtt_ms.size()) < o.min_rtt_samples) continue;
    const double rtt = *std::min_element(e.rtt_ms.begin(), e.rtt_ms.end());
    std::vector<std::string> reasons;
    std::vector<std::string> fits;
    if (c.claimed.latitude && c.claimed.longitude) {
      const double km = geoip::HaversineKm(*o.sensor_latitude, *o.sensor_longitude,
                                           *c.claimed.latitude, *c.claimed.longitude);
      const Check k = Judge(rtt, km, o, "to the claimed " + c.claimed.city);
      (k.inconsistent ? reasons : fits).push_back(k.why);
    }
    if (e.geo.located()) {
      const double km = geoip::HaversineKm(*o.sensor_latitude, *o.sensor_longitude,
                                           *e.geo.latitude, *e.geo.longitude);
      const Check k = Judge(rtt, km, o, "to the egress's geolocation " + e.geo.city);
      (k.inconsistent ? reasons : fits).push_back(k.why);
    }
    if (reasons.empty()) continue;
    Alert a = NewAlert(AlertKind::kLatencyInconsistent, ctx);
    a.severity = 2;
    a.score = 70;
    const double max_km = geoip::MaxDistanceKm(rtt);
    const double lo = std::max(0.0, rtt - o.last_mile_allowance_ms) * geoip::kFibreKmPerRttMs /
                      geoip::kPoorPathStretch;
    const double hi = geoip::MaxDistanceKm(rtt, geoip::kGoodPathStretch);
    a.explanation = "Handshakes with " + c.name + "'s egress " + ip + " take at least " +
                    std::to_string(static_cast<int>(std::lround(rtt))) + " ms: " + reasons.front() +
                    ".";
    a.observed = GeoJson(e.geo);
    a.evidence["egress_ip"] = ip;
    a.evidence["min_rtt_ms"] = std::round(rtt * 1000) / 1000;
    a.evidence["rtt_samples"] = e.rtt_ms.size();
    a.evidence["sensor"] = {{"latitude", *o.sensor_latitude}, {"longitude", *o.sensor_longitude}};
    a.evidence["distance_allowed_km"] = {{"max_light_in_fibre", std::lround(max_km)},
                                         {"typical_min", std::lround(lo)},
                                         {"typical_max", std::lround(hi)}};
    a.evidence["inconsistent"] = reasons;
    a.evidence["consistent"] = fits;
    a.evidence["flows"] = e.community_ids;
    a.mitre = {{"T1090", "Proxy"}, {"T1572", "Protocol Tunneling"}};
    if (!e.community_ids.empty()) a.community_id = e.community_ids.front();
    return a;
  }
  return std::nullopt;
}

}  // namespace parallax::divergence
