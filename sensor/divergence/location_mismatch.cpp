// location_mismatch: a public egress of the contractor is geolocated in another country than the
// claimed one, or farther from the claimed place than the database's accuracy radius plus a
// margin. Geolocation alone never proves location: VPN servers are often not where their
// provider says, and free databases place many residential subscribers at their ISP's hub
// (Ashburn VA, Northlake IL, Greenwood Village CO...) hundreds of km from home. So the finding is
// judged with a second, independent measurement, the handshake RTT from the sensor (over the
// evidence look-back), when there is one:
//  - same country, an access network (residential, mobile or unknown: not hosting, VPN, proxy or
//    Tor by any source) and an RTT that fits the claimed place: most likely the database's error,
//    low (3);
//  - another country, and an RTT that fits the claim while ruling out the geolocated place: the
//    database is provably wrong about this address, medium (2) rather than high;
//  - an RTT that rules out the claimed place as impossible (faster than light allows from there)
//    while fitting the geolocation: both measurements agree against the claim, high (1);
//  - same country, an access network, on at most travel_max_days days of the look-back, while
//    the contractor's home line near the claimed place is in the look-back too: a trip, low (3)
//    (on the first day seen, with no home line yet, it stays medium);
//  - otherwise, or with no RTT: another country high (1), same country medium (2), and the
//    explanation says what was (not) measured.
#include <cmath>

#include "geoip/geometry.h"
#include "sensor/divergence/detections.h"

namespace parallax::divergence {
namespace {


}  // namespace

std::optional<Alert> DetectLocationMismatch(const DetectionContext& ctx) {
  const roster::Contractor& c = ctx.contractor;
  const DivergenceOptions& o = ctx.options;
  const bool have_claim = c.claimed.latitude && c.claimed.longitude;
  const EgressEvidence* worst = nullptr;
  double worst_km = -1;
  bool worst_country = false;
  for (const auto& [ip, e] : ctx.window.egress) {
    if (e.geo.country.empty() && !e.geo.located()) continue;  // not located: nothing to compare
    if (ctx.Sanctioned(e.geo)) continue;  // the company's own network says nothing of the person
    const bool other_country = !c.claimed.country.empty() && !e.geo.country.empty() &&
                               e.geo.country != c.claimed.country;
    double km = -1;
    if (have_claim && e.geo.located()) {
      km = geoip::HaversineKm(*c.claimed.latitude, *c.claimed.longitude, *e.geo.latitude,
                              *e.geo.longitude);
    }
    const double radius = e.geo.accuracy_km > 0 ? e.geo.accuracy_km : o.default_accuracy_km;
    const bool far = km >= 0 && km > radius + o.location_margin_km;
    if (!other_country && !far) continue;
    if (!worst || (other_country && !worst_country) || (other_country == worst_country && km > worst_km)) {
      worst = &e;
      worst_km = km;
      worst_country = other_country;
    }
  }
  if (!worst) return std::nullopt;
  const GeoFact& g = worst->geo;

  // The second measurement: the RTT from the sensor, judged against both places.
  const RttEvidence rtts = ctx.RttOver(g.ip);
  const bool have_sensor = o.sensor_latitude && o.sensor_longitude;
  std::optional<RttVerdict> claim_fit;
  std::optional<RttVerdict> geo_fit;
  if (have_sensor && rtts.enough) {
    const bool mobile = IsMobile(g);
    if (have_claim) {
      claim_fit = JudgeRtt(rtts.min_ms(),
                           geoip::HaversineKm(*o.sensor_latitude, *o.sensor_longitude,
                                              *c.claimed.latitude, *c.claimed.longitude),
                           o, mobile, "to the claimed " + c.claimed.city);
    }
    if (g.located()) {
      geo_fit = JudgeRtt(rtts.min_ms(),
                         geoip::HaversineKm(*o.sensor_latitude, *o.sensor_longitude, *g.latitude,
                                            *g.longitude),
                         o, mobile, "to the geolocated " + (g.city.empty() ? g.country : g.city));
    }
  }

  const std::optional<Trip> trip = ctx.TripTo(*worst);
  const bool on_trip = trip && (!geo_fit || geo_fit->fits());

  int severity = worst_country ? 1 : 2;
  std::string verdict;
  const std::string rtt_said =
      claim_fit ? "the minimum handshake RTT over " + std::to_string(rtts.samples_ms.size()) +
                      " connections (" + std::to_string(rtts.windows) +
                      (rtts.windows == 1 ? " day" : " days") + "): " + claim_fit->why
                : std::string();
  if (claim_fit && claim_fit->fits() && !worst_country && AccessNetwork(g)) {
    severity = 3;
    verdict = "the RTT agrees with the claim, not with the database: " + rtt_said +
              (geo_fit && !geo_fit->fits() ? "; it rules out the geolocated place (" +
                                                 geo_fit->why + ")"
                                           : "; one sensor cannot tell the two places apart") +
              (IsMobile(g) ? ". A mobile carrier's address placed at the carrier's regional "
                             "gateway is a common database error: low."
                           : ". A " + g.network_type +
                                 " line in the claimed country placed at its ISP's hub is a "
                                 "common database error: low.");
  } else if (on_trip) {
    severity = 3;
    verdict = "a trip, most likely: their home line " + trip->home_ip +
              " near the claimed place is in the look-back (" + std::to_string(trip->home_days) +
              (trip->home_days == 1 ? " day" : " days") + ") and this address in the same country (" + g.network_type + " network) on " +
              std::to_string(trip->away_days) + " of its days" +
              (geo_fit ? " (" + geo_fit->why + ")" : "") + ": low.";
  } else if (claim_fit && claim_fit->fits() && worst_country && geo_fit && !geo_fit->fits()) {
    severity = 2;
    verdict = "the RTT rules out the geolocated place (" + geo_fit->why + ") and fits the claim (" +
              rtt_said + "): the database is wrong about this address, medium rather than high.";
  } else if (claim_fit && claim_fit->fit == RttFit::kTooFast && geo_fit && geo_fit->fits()) {
    severity = 1;
    verdict = "the RTT agrees with the database, not with the claim: " + rtt_said + ".";
  } else if (claim_fit) {
    verdict = (claim_fit->fits() ? "the RTT fits the claim (" + rtt_said +
                                       ") but the network is " + g.network_type +
                                       (worst_country ? " and in another country" : "") +
                                       ", so the geolocation stands."
                                 : "the RTT does not fit the claim either: " + rtt_said + ".");
  } else if (!have_sensor) {
    verdict = "no RTT check: the sensor's location is not configured (--sensor-location).";
  } else {
    verdict = "no RTT check: " + std::to_string(rtts.samples_ms.size()) +
              " handshake(s) measured to this address (" + std::to_string(o.min_rtt_samples) +
              " needed; seen " + (worst->how.rfind("identity event", 0) == 0
                                      ? "only in identity events, not on the wire)."
                                      : "on the wire over the look-back).");
  }

  Alert a = NewAlert(AlertKind::kLocationMismatch, ctx);
  a.severity = severity;
  a.score = severity == 1 ? 80 : (severity == 2 ? 60 : 30);
  a.explanation = c.name + " claims " + c.claimed.city + ", " + c.claimed.country +
                  " but works from " + g.ip + ", geolocated in " + Where(g) +
                  (worst_km >= 0 ? " (" + Km(worst_km) + " away)" : "") + "; " + verdict;
  a.observed = GeoJson(g);
  a.evidence["egress_ip"] = g.ip;
  a.evidence["seen_by"] = worst->how;
  if (worst_km >= 0) a.evidence["distance_km"] = static_cast<long>(worst_km + 0.5);
  a.evidence["accuracy_radius_km"] = g.accuracy_km > 0 ? g.accuracy_km : o.default_accuracy_km;
  a.evidence["margin_km"] = o.location_margin_km;
  a.evidence["other_country"] = worst_country;
  a.evidence["days_seen"] = ctx.WindowsWith(g.ip);
  nlohmann::ordered_json rtt;
  rtt["samples"] = rtts.samples_ms.size();
  if (!rtts.samples_ms.empty()) rtt["min_ms"] = std::round(rtts.min_ms() * 1000) / 1000;
  if (claim_fit) rtt["claimed_place"] = claim_fit->why;
  if (geo_fit) rtt["geolocated_place"] = geo_fit->why;
  rtt["verdict"] = claim_fit ? (claim_fit->fits() ? "fits the claim" : "does not fit the claim")
                             : "not measured";
  a.evidence["rtt_check"] = rtt;
  a.evidence["flows"] = worst->community_ids;
  a.subjects = {SubjectOf(g)};
  a.mitre = {{"T1133", "External Remote Services"}};
  if (!worst->community_ids.empty()) a.community_id = worst->community_ids.front();
  return a;
}

}  // namespace parallax::divergence
