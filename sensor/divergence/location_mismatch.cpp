// location_mismatch: a public egress of the contractor is geolocated in another country than the
// claimed one, or farther from the claimed place than the database's accuracy radius plus a
// margin. Geolocation alone never proves location (VPN servers are often not where their
// provider says), so this is medium severity unless the country differs.
#include "geoip/geometry.h"
#include "sensor/divergence/detections.h"

namespace parallax::divergence {

std::optional<Alert> DetectLocationMismatch(const DetectionContext& ctx) {
  const roster::Contractor& c = ctx.contractor;
  const bool have_claim = c.claimed.latitude && c.claimed.longitude;
  const EgressEvidence* worst = nullptr;
  double worst_km = -1;
  bool worst_country = false;
  for (const auto& [ip, e] : ctx.window.egress) {
    if (e.geo.country.empty() && !e.geo.located()) continue;  // not located: nothing to compare
    const bool other_country = !c.claimed.country.empty() && !e.geo.country.empty() &&
                               e.geo.country != c.claimed.country;
    double km = -1;
    if (have_claim && e.geo.located()) {
      km = geoip::HaversineKm(*c.claimed.latitude, *c.claimed.longitude, *e.geo.latitude,
                              *e.geo.longitude);
    }
    const double radius = e.geo.accuracy_km > 0 ? e.geo.accuracy_km : ctx.options.default_accuracy_km;
    const bool far = km >= 0 && km > radius + ctx.options.location_margin_km;
    if (!other_country && !far) continue;
    if (!worst || (other_country && !worst_country) || (other_country == worst_country && km > worst_km)) {
      worst = &e;
      worst_km = km;
      worst_country = other_country;
    }
  }
  if (!worst) return std::nullopt;
  Alert a = NewAlert(AlertKind::kLocationMismatch, ctx);
  a.severity = worst_country ? 1 : 2;
  a.score = worst_country ? 80 : 60;
  const std::string where = worst->geo.city.empty() ? worst->geo.country
                                                    : worst->geo.city + ", " + worst->geo.country;
  a.explanation = c.name + " claims " + c.claimed.city + ", " + c.claimed.country +
                  " but works from " + worst->geo.ip + ", geolocated in " + where +
                  (worst_km >= 0 ? " (" + Km(worst_km) + " away)" : "") + ".";
  a.observed = GeoJson(worst->geo);
  a.evidence["egress_ip"] = worst->geo.ip;
  a.evidence["seen_by"] = worst->how;
  if (worst_km >= 0) a.evidence["distance_km"] = static_cast<long>(worst_km + 0.5);
  a.evidence["accuracy_radius_km"] =
      worst->geo.accuracy_km > 0 ? worst->geo.accuracy_km : ctx.options.default_accuracy_km;
  a.evidence["margin_km"] = ctx.options.location_margin_km;
  a.evidence["other_country"] = worst_country;
  a.evidence["flows"] = worst->community_ids;
  a.mitre = {{"T1133", "External Remote Services"}};
  if (!worst->community_ids.empty()) a.community_id = worst->community_ids.front();
  return a;
}

}  // namespace parallax::divergence
