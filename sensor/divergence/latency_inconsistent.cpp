// latency_inconsistent: the lowest handshake RTT between the sensor and the contractor's egress,
// over several connections and over the evidence look-back (queues only add delay; a contractor
// who connects twice a day is judged on all their days), does not fit the claimed place:
//  - impossible: the claimed place is farther from the sensor than light in fibre covers in
//    min_rtt (100 km per ms of RTT at stretch 1): they are closer to the sensor than they claim;
//  - implausible: min_rtt exceeds what the distance needs on a poor path (stretch 2) plus a
//    last-mile allowance (more on a mobile carrier): an extra leg, such as a relay or VPN, sits
//    in between.
// An RTT that fits the claim but not the egress's geolocation accuses nobody: it shows that the
// database is wrong about the address (location_mismatch uses it to lower its finding).
// A trip (docs/detections.md: the home line near the claim in the look-back, a few days at an
// access network elsewhere in the claimed country, the RTT fitting that place) is not a relay.
// Without claimed coordinates only the egress's geolocation can be checked, and only an extra
// leg is reported there (low: the claim itself was not tested).
#include <algorithm>
#include <cmath>

#include "geoip/geometry.h"
#include "sensor/divergence/detections.h"

namespace parallax::divergence {

std::optional<Alert> DetectLatencyInconsistent(const DetectionContext& ctx) {
  const DivergenceOptions& o = ctx.options;
  if (!o.sensor_latitude || !o.sensor_longitude) return std::nullopt;
  const roster::Contractor& c = ctx.contractor;
  const bool have_claim = c.claimed.latitude && c.claimed.longitude;
  for (const auto& [ip, e] : ctx.window.egress) {
    if (e.rtt_ms.empty() || ctx.Sanctioned(e.geo)) continue;  // measured in this window
    const RttEvidence rtts = ctx.RttOver(ip);
    if (!rtts.enough) continue;
    const double rtt = rtts.min_ms();
    const bool mobile = IsMobile(e.geo);
    std::optional<RttVerdict> claim;
    std::optional<RttVerdict> geo;
    if (have_claim) {
      const double km = geoip::HaversineKm(*o.sensor_latitude, *o.sensor_longitude,
                                           *c.claimed.latitude, *c.claimed.longitude);
      claim = JudgeRtt(rtt, km, o, mobile, "to the claimed " + c.claimed.city);
    }
    if (e.geo.located()) {
      const double km = geoip::HaversineKm(*o.sensor_latitude, *o.sensor_longitude,
                                           *e.geo.latitude, *e.geo.longitude);
      geo = JudgeRtt(rtt, km, o, mobile, "to the egress's geolocation " + e.geo.city);
    }
    const RttVerdict* deciding = nullptr;
    int severity = 2;
    if (claim && !claim->fits() && geo && geo->fits() && ctx.TripTo(e)) {
      continue;  // a trip: the RTT fits where they are, location_mismatch reports it (low)
    } else if (claim && !claim->fits()) {
      deciding = &*claim;
    } else if (!claim && geo && geo->fit == RttFit::kTooSlow) {
      deciding = &*geo;
      severity = 3;
    }
    if (!deciding) continue;
    std::vector<std::string> inconsistent;
    std::vector<std::string> consistent;
    for (const auto* v : {claim ? &*claim : nullptr, geo ? &*geo : nullptr}) {
      if (v) (v->fits() ? consistent : inconsistent).push_back(v->why);
    }
    Alert a = NewAlert(AlertKind::kLatencyInconsistent, ctx);
    a.severity = severity;
    a.score = severity == 2 ? 70 : 45;
    const double max_km = geoip::MaxDistanceKm(rtt);
    const double lo = std::max(0.0, rtt - o.last_mile_allowance_ms) * geoip::kFibreKmPerRttMs /
                      geoip::kPoorPathStretch;
    const double hi = geoip::MaxDistanceKm(rtt, geoip::kGoodPathStretch);
    a.explanation = "Handshakes with " + c.name + "'s egress " + ip + " take at least " +
                    std::to_string(static_cast<int>(std::lround(rtt))) + " ms (minimum of " +
                    std::to_string(rtts.samples_ms.size()) + " over " +
                    std::to_string(rtts.windows) + (rtts.windows == 1 ? " day" : " days") +
                    "): " + deciding->why + (have_claim ? "." : "; no claimed coordinates to test.");
    a.observed = GeoJson(e.geo);
    a.evidence["egress_ip"] = ip;
    a.evidence["min_rtt_ms"] = std::round(rtt * 1000) / 1000;
    a.evidence["rtt_samples"] = rtts.samples_ms.size();
    a.evidence["rtt_windows"] = rtts.windows;
    a.evidence["sensor"] = {{"latitude", *o.sensor_latitude}, {"longitude", *o.sensor_longitude}};
    a.evidence["distance_allowed_km"] = {{"max_light_in_fibre", std::lround(max_km)},
                                         {"typical_min", std::lround(lo)},
                                         {"typical_max", std::lround(hi)}};
    a.evidence["inconsistent"] = inconsistent;
    a.evidence["consistent"] = consistent;
    a.evidence["flows"] = e.community_ids;
    a.subjects = {SubjectOf(e.geo)};
    a.mitre = {{"T1090", "Proxy"}, {"T1572", "Protocol Tunneling"}};
    if (!e.community_ids.empty()) a.community_id = e.community_ids.front();
    return a;
  }
  return std::nullopt;
}

}  // namespace parallax::divergence
