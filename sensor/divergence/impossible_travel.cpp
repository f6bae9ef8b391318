// impossible_travel: two public egresses of one contractor that no journey connects: the second
// began sooner after the first ended than travel at options.travel_speed_kmh allows over the
// distance between them, or both carried the contractor's traffic (or sign-ins) at the same time
// ("concurrent egress"). The 2022 US advisory on North Korean IT workers lists "logins from
// several IPs in different countries within a short time"; with identity logs (docs/inputs.md)
// the contractor's addresses over time are known even without their traffic.
// Judged with the same care as location_mismatch, because geolocation is not location:
//  - only access networks count (residential, mobile, unknown): a VPN or hosting exit says
//    nothing of where the person is (anonymized_egress covers those), and the company's own
//    sanctioned networks are skipped;
//  - the distance is the great-circle distance less both places' accuracy radii
//    (options.default_accuracy_km where the database gives none) and must exceed
//    options.location_margin_km, so that two fixes of one city never count;
//  - a journey an airliner could make (distance / gap <= options.travel_speed_kmh) is honest
//    travel and stays silent: a flight from Chicago to London between two sign-ins is not a
//    finding;
//  - concurrent in two countries: high (1); concurrent in one country, or too fast to travel:
//    medium (2);
//  - a mobile carrier on either side lowers it one step: carriers geolocate at their gateway,
//    often far from the subscriber;
//  - both addresses of one provider (one ASN) in one country: low (3). A provider renumbers a
//    line (DHCP, a modem restart) and shares addresses (CGNAT pools) across its network, and the
//    free databases place its blocks at different hubs (Ashburn, Denver, Northlake...): one
//    honest line then "moves" hundreds of km in minutes;
//  - the handshake RTT from the sensor weighs in: when it rules out either place's
//    geolocation (faster than light from there) the database is wrong about that address, low
//    (3); when it fits both, the two places are corroborated, one step higher.
#include <algorithm>
#include <cmath>
#include <limits>

#include "geoip/geometry.h"
#include "sensor/divergence/detections.h"

namespace parallax::divergence {
namespace {

struct Pair {
  const EgressEvidence* first = nullptr;  // began first
  const EgressEvidence* second = nullptr;
  double km = 0;  // beyond both accuracy radii
  double raw_km = 0;
  double gap_h = 0;  // second began this long after first ended
  bool concurrent = false;
  double speed_kmh = 0;  // infinite when concurrent
};

double Radius(const GeoFact& g, const DivergenceOptions& o) {
  return g.accuracy_km > 0 ? g.accuracy_km : o.default_accuracy_km;
}

// Worse first: concurrency, then another country, then the speed the journey would need.
bool Worse(const Pair& a, const Pair& b) {
  const bool a_countries = a.first->geo.country != a.second->geo.country;
  const bool b_countries = b.first->geo.country != b.second->geo.country;
  if (a.concurrent != b.concurrent) return a.concurrent;
  if (a_countries != b_countries) return a_countries;
  if (a.concurrent) return a.km > b.km;
  return a.speed_kmh > b.speed_kmh;
}

std::string Hours(double h) {
  char buf[32];
  if (h < 1) {
    std::snprintf(buf, sizeof buf, "%.0f min", h * 60);
  } else {
    std::snprintf(buf, sizeof buf, "%.1f h", h);
  }
  return buf;
}

}  // namespace

std::optional<Alert> DetectImpossibleTravel(const DetectionContext& ctx) {
  const DivergenceOptions& o = ctx.options;
  // Every egress of the look-back may pair with one of this window: a sign-in in Lagos at
  // 00:30 after a day's work from Chicago crosses the window boundary.
  std::vector<std::pair<const EgressEvidence*, bool>> seen;  // egress, in this window
  for (const ContractorWindow* w : ctx.lookback) {
    for (const auto& [ip, e] : w->egress) {
      if (!e.geo.located() || !AccessNetwork(e.geo) || ctx.Sanctioned(e.geo)) continue;
      if (e.first_ts == 0 && e.last_ts == 0) continue;  // no time: nothing to order
      seen.emplace_back(&e, w == &ctx.window);
    }
  }
  std::optional<Pair> worst;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    for (std::size_t j = i + 1; j < seen.size(); ++j) {
      if (!seen[i].second && !seen[j].second) continue;  // judged in its own window
      const EgressEvidence* a = seen[i].first;
      const EgressEvidence* b = seen[j].first;
      if (a->geo.ip == b->geo.ip) continue;
      if (b->first_ts < a->first_ts) std::swap(a, b);
      Pair p{a, b};
      p.raw_km = geoip::HaversineKm(*a->geo.latitude, *a->geo.longitude, *b->geo.latitude,
                                    *b->geo.longitude);
      p.km = p.raw_km - Radius(a->geo, o) - Radius(b->geo, o);
      if (p.km <= o.location_margin_km) continue;  // within the databases' error
      p.concurrent = b->first_ts < a->last_ts;
      p.gap_h = p.concurrent ? 0 : static_cast<double>(b->first_ts - a->last_ts) / 3.6e9;
      p.speed_kmh = p.gap_h > 0 ? p.km / p.gap_h : std::numeric_limits<double>::infinity();
      if (!p.concurrent && p.speed_kmh <= o.travel_speed_kmh) continue;  // a flight does it
      if (!worst || Worse(p, *worst)) worst = p;
    }
  }
  if (!worst) return std::nullopt;
  const Pair& p = *worst;
  const GeoFact& g1 = p.first->geo;
  const GeoFact& g2 = p.second->geo;
  const bool countries = g1.country != g2.country;

  Alert a = NewAlert(AlertKind::kImpossibleTravel, ctx);
  a.severity = p.concurrent && countries ? 1 : 2;
  a.score = p.concurrent && countries ? 85 : 70;
  std::vector<std::string> notes;

  const bool one_provider = !countries && g1.asn != 0 && g1.asn == g2.asn;
  if (one_provider) {
    a.severity = 3;
    a.score = 35;
    notes.push_back("both addresses are one provider's (AS " + std::to_string(g1.asn) +
                    ") in one country, whose blocks the databases place at different hubs: a "
                    "renumbered or shared line looks like this");
  }
  const bool mobile = IsMobile(g1) || IsMobile(g2);
  if (mobile && !one_provider) {
    a.severity = std::min(3, a.severity + 1);
    a.score -= 20;
    notes.push_back("a mobile carrier is geolocated at its gateway, often far from the subscriber");
  }
  // The RTT from the sensor to each place, when there are enough handshakes.
  nlohmann::ordered_json rtt = nlohmann::ordered_json::object();
  bool all_fit = o.sensor_latitude && o.sensor_longitude;
  bool refuted = false;
  for (const GeoFact* g : {&g1, &g2}) {
    const RttEvidence r = ctx.RttOver(g->ip);
    if (!o.sensor_latitude || !o.sensor_longitude || !r.enough) {
      all_fit = false;
      continue;
    }
    const RttVerdict v = JudgeRtt(
        r.min_ms(),
        geoip::HaversineKm(*o.sensor_latitude, *o.sensor_longitude, *g->latitude, *g->longitude), o,
        IsMobile(*g), "to the geolocated " + Where(*g));
    rtt[g->ip] = v.why;
    if (v.fit == RttFit::kTooFast) refuted = true;
    if (!v.fits()) all_fit = false;
  }
  if (refuted) {
    a.severity = 3;
    a.score = 30;
    notes.push_back("the RTT rules out a geolocation, so the database is likely wrong about it");
  } else if (all_fit) {
    a.severity = std::max(1, a.severity - 1);
    a.score = std::min(95.0, a.score + 10);
    notes.push_back("the RTT to each place fits its geolocation");
  }

  a.explanation =
      ctx.contractor.name + (p.concurrent ? " was active from " : " went from ") + g1.ip + " (" +
      Where(g1) + ")" + (p.concurrent ? " and, at the same time, " : " to ") + g2.ip + " (" +
      Where(g2) + "), " + Km(p.raw_km) + " apart" +
      (p.concurrent ? ""
                    : " in " + Hours(p.gap_h) + ", faster than " +
                          std::to_string(static_cast<int>(o.travel_speed_kmh)) + " km/h allows");
  for (const auto& n : notes) a.explanation += "; " + n;
  a.explanation += ".";
  a.observed = GeoJson(g2);
  a.evidence["first"] = GeoJson(g1);
  a.evidence["first"]["seen_by"] = p.first->how;
  a.evidence["first"]["last_seen_us"] = p.first->last_ts;
  a.evidence["second"] = GeoJson(g2);
  a.evidence["second"]["seen_by"] = p.second->how;
  a.evidence["second"]["first_seen_us"] = p.second->first_ts;
  a.evidence["distance_km"] = std::lround(p.raw_km);
  a.evidence["distance_beyond_accuracy_km"] = std::lround(p.km);
  a.evidence["concurrent"] = p.concurrent;
  if (!p.concurrent) {
    a.evidence["gap_h"] = std::round(p.gap_h * 100) / 100;
    a.evidence["needed_kmh"] = std::lround(p.speed_kmh);
    a.evidence["travel_speed_kmh"] = o.travel_speed_kmh;
  }
  a.evidence["other_country"] = countries;
  a.evidence["one_provider"] = one_provider;
  if (!rtt.empty()) a.evidence["rtt_check"] = rtt;
  std::vector<std::string> flows = p.second->community_ids;
  flows.insert(flows.end(), p.first->community_ids.begin(), p.first->community_ids.end());
  if (flows.size() > kMaxListed) flows.resize(kMaxListed);
  a.evidence["flows"] = flows;
  a.subjects = {SubjectOf(g1), SubjectOf(g2)};
  a.mitre = {{"T1078", "Valid Accounts"}, {"T1133", "External Remote Services"}};
  if (!flows.empty()) a.community_id = flows.front();
  return a;
}

}  // namespace parallax::divergence
