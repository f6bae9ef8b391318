#include <algorithm>
#include <cmath>
#include <cstdio>

#include "geoip/geometry.h"
#include "sensor/divergence/detections.h"

namespace parallax::divergence {

const policy::SanctionedNetwork* DetectionContext::Sanctioned(const GeoFact& g) const {
  if (!policy) return nullptr;
  const auto ip = core::IpAddress::Parse(g.ip);
  return ip ? policy->Sanctioned(*ip, g.asn) : nullptr;
}

RttEvidence DetectionContext::RttOver(const std::string& egress_ip) const {
  RttEvidence r;
  for (const ContractorWindow* w : lookback) {
    auto it = w->egress.find(egress_ip);
    if (it == w->egress.end() || it->second.rtt_ms.empty()) continue;
    ++r.windows;
    r.samples_ms.insert(r.samples_ms.end(), it->second.rtt_ms.begin(), it->second.rtt_ms.end());
  }
  std::sort(r.samples_ms.begin(), r.samples_ms.end());
  if (r.samples_ms.size() > kMaxRttSamples) r.samples_ms.resize(kMaxRttSamples);
  r.enough = static_cast<int>(r.samples_ms.size()) >= options.min_rtt_samples;
  return r;
}

int DetectionContext::WindowsWith(const std::string& egress_ip) const {
  int n = 0;
  for (const ContractorWindow* w : lookback) n += w->egress.count(egress_ip) ? 1 : 0;
  return n;
}

bool AccessNetwork(const GeoFact& g) {
  return g.network_type == "residential" || g.network_type == "mobile" ||
         g.network_type == "unknown";
}

std::optional<Trip> DetectionContext::TripTo(const EgressEvidence& far) const {
  const roster::ClaimedPlace& claim = contractor.claimed;
  if (!claim.latitude || !claim.longitude || !AccessNetwork(far.geo) || Sanctioned(far.geo)) {
    return std::nullopt;
  }
  if (claim.country.empty() || far.geo.country != claim.country) return std::nullopt;
  Trip t;
  t.away_days = WindowsWith(far.geo.ip);
  if (t.away_days > options.travel_max_days) return std::nullopt;
  for (const ContractorWindow* w : lookback) {
    for (const auto& [ip, e] : w->egress) {
      if (ip == far.geo.ip || !e.geo.located() || !AccessNetwork(e.geo) || Sanctioned(e.geo)) {
        continue;
      }
      const double km =
          geoip::HaversineKm(*claim.latitude, *claim.longitude, *e.geo.latitude, *e.geo.longitude);
      const double radius = e.geo.accuracy_km > 0 ? e.geo.accuracy_km : options.default_accuracy_km;
      if (km > radius + options.location_margin_km) continue;
      if (t.home_ip.empty() || t.home_ip == ip) {
        t.home_ip = ip;
        ++t.home_days;
      }
    }
  }
  if (t.home_ip.empty()) return std::nullopt;
  return t;
}

policy::Subject SubjectOf(const GeoFact& g) {
  policy::Subject s;
  if (const auto ip = core::IpAddress::Parse(g.ip)) s.ip = *ip;
  s.asn = g.asn;
  return s;
}

std::string Where(const GeoFact& g) {
  if (g.city.empty()) return g.country;
  return g.country.empty() ? g.city : g.city + ", " + g.country;
}

Alert NewAlert(AlertKind kind, const DetectionContext& ctx) {
  Alert a;
  a.kind = kind;
  a.contractor_id = ctx.contractor.id;
  a.contractor_name = ctx.contractor.name;
  a.window_start = ctx.window.window_start;
  a.window_end = ctx.window_end;
  a.first_seen = ctx.window.first_ts;
  a.last_seen = ctx.window.last_ts;
  a.claimed = ClaimedJson(ctx.contractor);
  return a;
}

nlohmann::ordered_json GeoJson(const GeoFact& g) {
  nlohmann::ordered_json j;
  j["ip"] = g.ip;
  j["country"] = g.country;
  j["city"] = g.city;
  if (g.located()) {
    j["latitude"] = std::round(*g.latitude * 1e4) / 1e4;
    j["longitude"] = std::round(*g.longitude * 1e4) / 1e4;
  }
  if (g.accuracy_km) j["accuracy_radius_km"] = g.accuracy_km;
  j["network_type"] = g.network_type;
  if (!g.provider.empty()) j["provider"] = g.provider;
  if (g.asn) j["asn"] = g.asn;
  if (!g.organisation.empty()) j["organisation"] = g.organisation;
  if (!g.network_source.empty()) j["network_decided_by"] = g.network_source;
  return j;
}

nlohmann::ordered_json ClaimedJson(const roster::Contractor& c) {
  nlohmann::ordered_json j;
  j["city"] = c.claimed.city;
  j["country"] = c.claimed.country;
  if (c.claimed.latitude && c.claimed.longitude) {
    j["latitude"] = *c.claimed.latitude;
    j["longitude"] = *c.claimed.longitude;
  }
  j["time_zone"] = c.time_zone;
  return j;
}

std::string Km(double km) {
  char buf[32];
  const long v = std::lround(km);
  if (v >= 1000) {
    std::snprintf(buf, sizeof buf, "%ld,%03ld km", v / 1000, v % 1000);
  } else {
    std::snprintf(buf, sizeof buf, "%ld km", v);
  }
  return buf;
}

}  // namespace parallax::divergence
