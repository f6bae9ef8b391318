#include "sensor/report/report_builder.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "geoip/geometry.h"
#include "geoip/special_ranges.h"
#include "geoip/utc_offset.h"
#include "sensor/divergence/working_hours.h"
#include "sensor/geo/geo_network_intel.h"

namespace parallax::report {
namespace {

using divergence::GeoFact;

// Rounds to `decimals` places; dividing by a power of ten gives the double nearest the decimal,
// so the JSON shows 9910.8, not 9910.800000000001.
double Round(double v, int decimals) {
  const double p = std::pow(10.0, decimals);
  return std::round(v * p) / p;
}

std::string PlaceLabel(const std::string& city, const std::string& country) {
  if (city.empty() && country.empty()) return "not located";
  if (city.empty()) return country;
  if (country.empty()) return city;
  return city + ", " + country;
}

Place FromGeo(const GeoFact& g, std::string kind) {
  Place p;
  p.kind = std::move(kind);
  p.label = PlaceLabel(g.city, g.country);
  p.ip = g.ip;
  p.network_type = g.network_type;
  p.provider = g.provider;
  p.organisation = g.organisation;
  p.asn = g.asn;
  p.latitude = g.latitude;
  p.longitude = g.longitude;
  p.accuracy_km = g.accuracy_km;
  return p;
}

std::string EgressKind(const GeoFact& g) {
  if (g.network_type == "vpn" || g.network_type == "tor_exit" || g.network_type == "proxy") {
    return "vpn_exit";
  }
  if (g.network_type == "hosting") return "hosted_egress";
  return "egress";
}

bool IsPublicAddress(const std::string& text) {
  const auto ip = core::IpAddress::Parse(text);
  return ip && !geoip::FindSpecialRange(ToGeoAddress(*ip)).has_value();
}

// Every community id and public address an alert names (its evidence, observed facts and
// representative flow): the flows behind the finding.
void CollectReferences(const nlohmann::ordered_json& j, std::set<std::string>* ids,
                       std::set<std::string>* ips) {
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s.rfind("1:", 0) == 0 && s.size() > 20) {
      ids->insert(s);
    } else if (IsPublicAddress(s)) {
      ips->insert(s);
    }
  } else if (j.is_array() || j.is_object()) {
    for (const auto& v : j) CollectReferences(v, ids, ips);
  }
}

// Days since 1970-01-01 -> "YYYY-MM-DD" (Howard Hinnant's civil_from_days).
std::string CivilDate(std::int64_t z) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = yoe + era * 400;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) ++y;
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(y), static_cast<int>(m),
                static_cast<int>(d));
  return buf;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a >= 0 ? a / b : (a - b + 1) / b; }

// Places that keep a whole-hour offset in standard time, so an analyst reads "+09:00" as a
// region. Examples only: daylight saving moves many zones by an hour for part of the year.
const char* ZonesAt(int offset_hours) {
  switch (offset_hours) {
    case -12: return "Etc/GMT+12";
    case -11: return "Pacific/Pago_Pago";
    case -10: return "Pacific/Honolulu";
    case -9: return "America/Anchorage";
    case -8: return "America/Los_Angeles";
    case -7: return "America/Denver, America/Phoenix";
    case -6: return "America/Chicago, America/Mexico_City";
    case -5: return "America/New_York, America/Bogota";
    case -4: return "America/Halifax, America/Caracas";
    case -3: return "America/Sao_Paulo, America/Argentina/Buenos_Aires";
    case -2: return "Atlantic/South_Georgia";
    case -1: return "Atlantic/Azores";
    case 0: return "Europe/London, Africa/Abidjan";
    case 1: return "Europe/Berlin, Africa/Lagos";
    case 2: return "Europe/Kyiv, Africa/Cairo";
    case 3: return "Europe/Moscow, Asia/Riyadh";
    case 4: return "Asia/Dubai";
    case 5: return "Asia/Karachi, Asia/Tashkent";
    case 6: return "Asia/Dhaka, Asia/Almaty";
    case 7: return "Asia/Bangkok, Asia/Jakarta";
    case 8: return "Asia/Shanghai, Asia/Singapore";
    case 9: return "Asia/Seoul, Asia/Pyongyang, Asia/Tokyo";
    case 10: return "Australia/Brisbane, Asia/Vladivostok";
    case 11: return "Pacific/Noumea";
    case 12: return "Pacific/Auckland, Pacific/Fiji";
    case 13: return "Pacific/Tongatapu";
    case 14: return "Pacific/Kiritimati";
    default: return "";
  }
}

Heatmap BuildHeatmap(const roster::Contractor& c, const std::vector<FlowRow>& rows,
                     std::size_t max_days) {
  static const char* kWeekday[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  Heatmap h;
  h.time_zone = c.time_zone;
  h.work_start_minute = c.hours.start_minute;
  h.work_end_minute = c.hours.end_minute;
  h.work_days = c.hours.days;
  std::map<std::int64_t, std::uint32_t> act;  // UTC hour since the epoch -> flow starts
  for (const auto& r : rows) {
    if (!r.initiated) continue;
    ++act[FloorDiv(r.first_ts, core::Seconds(3600))];
    ++h.events;
  }
  if (act.empty()) return h;
  const std::int64_t mid = (act.begin()->first + act.rbegin()->first) / 2 * 3600 + 1800;
  const auto claimed = geoip::UtcOffsetFor(c.time_zone, c.claimed.longitude, mid);
  const int claimed_min = claimed ? claimed->minutes : 0;
  h.claimed_offset = geoip::FormatUtcOffset(claimed_min);
  h.offset_source = claimed ? std::string(geoip::UtcOffsetSourceName(claimed->source)) : "unknown";
  std::map<std::int64_t, std::array<std::uint32_t, 24>> by_day;
  for (const auto& [hour, n] : act) {
    // The claimed clock at that hour (daylight saving changes within a capture are honoured).
    const auto off = geoip::UtcOffsetFor(c.time_zone, c.claimed.longitude, hour * 3600 + 1800);
    const std::int64_t local_min = hour * 60 + 30 + (off ? off->minutes : claimed_min);
    const std::int64_t day = FloorDiv(local_min, 1440);
    by_day[day][static_cast<std::size_t>((local_min - day * 1440) / 60)] += n;
  }
  std::int64_t first = by_day.begin()->first;
  const std::int64_t last = by_day.rbegin()->first;
  if (last - first + 1 > static_cast<std::int64_t>(max_days)) {
    for (const auto& [day, hours] : by_day) {
      if (day <= last - static_cast<std::int64_t>(max_days)) ++h.days_omitted;
    }
    first = last - static_cast<std::int64_t>(max_days) + 1;
  }
  for (std::int64_t d = first; d <= last; ++d) {
    HeatmapDay day;
    day.date = CivilDate(d);
    day.weekday = kWeekday[((d + 3) % 7 + 7) % 7];
    if (auto it = by_day.find(d); it != by_day.end()) day.hours = it->second;
    h.days.push_back(std::move(day));
  }
  // The off_hours detection's own arithmetic (sensor/divergence/working_hours.h).
  const divergence::OffsetFit fit = divergence::BestFittingOffset(act, claimed_min, c.hours, h.events);
  const int best_offset = fit.offset_min;
  const double best = fit.share;
  h.best_offset = geoip::FormatUtcOffset(best_offset);
  h.best_zones = ZonesAt(best_offset / 60);
  h.best_share = Round(best, 3);
  h.claimed_share = Round(divergence::WorkingHoursShare(act, claimed_min, c.hours, h.events), 3);
  auto wrap = [](int m) { return ((m % 1440) + 1440) % 1440; };
  h.best_band_start_minute = wrap(c.hours.start_minute - best_offset + claimed_min);
  h.best_band_end_minute = wrap(c.hours.end_minute - best_offset + claimed_min);
  return h;
}

std::vector<Session> BuildSessions(const std::vector<FlowRow>& rows, core::TimeUs gap) {
  std::vector<const FlowRow*> sorted;
  for (const auto& r : rows) sorted.push_back(&r);
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const FlowRow* a, const FlowRow* b) { return a->first_ts < b->first_ts; });
  std::map<std::string, std::size_t> open;  // lane/product/role/peer -> index of the last session
  std::vector<Session> out;
  for (const FlowRow* r : sorted) {
    std::string label;
    if (r->lane == Lane::kRemoteDesktop) {
      label = r->product.empty() ? "remote desktop" : r->product;
      if (r->relayed) {
        label += ", relayed through " + r->peer_ip;
      } else if (r->role == "controlled") {
        label += ", controlled from " + r->peer_ip;
      }
      if (!r->relayed && r->role == "controller") label += ", controlling " + r->peer_ip;
      if (!r->role_known) label += " (roles not measured: protocol default)";
    } else if (r->lane == Lane::kVpn) {
      label = !r->product.empty() ? r->product : (r->app.empty() ? "VPN" : r->app);
    } else {
      label = "ordinary traffic";
    }
    const std::string key = std::string(LaneName(r->lane)) + "|" + label + "|" + r->role;
    auto it = open.find(key);
    if (it != open.end() && r->first_ts - out[it->second].end <= gap) {
      Session& s = out[it->second];
      s.end = std::max(s.end, r->last_ts);
      ++s.flows;
      s.bytes += r->bytes;
      continue;
    }
    Session s;
    s.lane = r->lane;
    s.label = label;
    s.role = r->role;
    s.start = r->first_ts;
    s.end = r->last_ts;
    s.flows = 1;
    s.bytes = r->bytes;
    open[key] = out.size();
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(), [](const Session& a, const Session& b) {
    if (a.lane != b.lane) return a.lane < b.lane;
    return a.start < b.start;
  });
  return out;
}

}  // namespace

const char* LaneName(Lane lane) {
  switch (lane) {
    case Lane::kVpn:
      return "vpn";
    case Lane::kRemoteDesktop:
      return "remote_desktop";
    case Lane::kOrdinary:
      return "ordinary";
  }
  return "ordinary";
}

const char* SeverityLabel(int severity) {
  static const char* kLabels[] = {"none", "HIGH", "MEDIUM", "LOW", "none"};
  return severity >= 1 && severity <= 4 ? kLabels[severity] : "none";
}

ReportModel BuildReport(const ReportInputs& in) {
  ReportModel m;
  m.inputs = in.inputs;
  m.packets = in.stats->packets;
  m.bytes = in.stats->bytes;
  m.first_ts = in.stats->first_ts;
  m.last_ts = in.stats->last_ts;
  m.attributed_flows = in.engine->attributed_flows();
  m.policy_path = in.policy_path;
  if (in.policy_path) m.suppressed_total = in.engine->suppressed_total();
  m.sensor_latitude = in.sensor_latitude;
  m.sensor_longitude = in.sensor_longitude;
  const bool have_sensor = in.sensor_latitude && in.sensor_longitude;
  static const std::vector<FlowRow> kNoRows;

  for (const auto& c : in.roster->contractors()) {
    ContractorReport cr;
    cr.id = c.id;
    cr.name = c.name;
    cr.claimed_label = PlaceLabel(c.claimed.city, c.claimed.country);
    cr.time_zone = c.time_zone;
    auto rows_it = in.flows->rows().find(c.id);
    const std::vector<FlowRow>& rows =
        rows_it != in.flows->rows().end() ? rows_it->second : kNoRows;
    if (auto o = in.flows->omitted().find(c.id); o != in.flows->omitted().end()) {
      cr.flows_omitted = o->second;
    }

    // Alerts, worst first.
    for (const auto& a : *in.alerts) {
      if (a.contractor_id != c.id) continue;
      AlertView v;
      v.id = a.Id();
      v.kind = divergence::AlertKindName(a.kind);
      v.severity = a.severity;
      v.score = a.score;
      v.explanation = a.explanation;
      v.first_seen = a.first_seen;
      v.last_seen = a.last_seen;
      v.window_start = a.window_start;
      v.window_end = a.window_end;
      v.community_id = a.community_id;
      v.claimed = a.claimed;
      v.observed = a.observed;
      v.evidence = a.evidence;
      v.mitre = nlohmann::ordered_json::array();
      for (const auto& t : a.mitre) v.mitre.push_back({{"id", t.id}, {"name", t.name}});
      cr.worst_severity = std::min(cr.worst_severity, a.severity);
      cr.top_score = std::max(cr.top_score, a.score);
      cr.alerts.push_back(std::move(v));
    }
    std::stable_sort(cr.alerts.begin(), cr.alerts.end(),
                     [](const AlertView& x, const AlertView& y) {
                       if (x.severity != y.severity) return x.severity < y.severity;
                       return x.score > y.score;
                     });

    // Findings the policy held back, worst first: out of the alert stream, not out of sight.
    for (const auto& [id, f] : in.engine->suppressed()) {
      if (f.alert.contractor_id != c.id) continue;
      SuppressedView v;
      v.id = id;
      v.kind = divergence::AlertKindName(f.alert.kind);
      v.severity = f.alert.severity;
      v.score = f.alert.score;
      v.explanation = f.alert.explanation;
      v.first_seen = f.alert.first_seen;
      v.last_seen = f.alert.last_seen;
      v.rule_id = f.rule_id;
      v.reason = f.reason;
      v.who = f.who;
      cr.suppressed.push_back(std::move(v));
    }
    std::stable_sort(cr.suppressed.begin(), cr.suppressed.end(),
                     [](const SuppressedView& x, const SuppressedView& y) {
                       if (x.severity != y.severity) return x.severity < y.severity;
                       return x.score > y.score;
                     });

    // Flow rows, tagged with the findings they are evidence for.
    cr.flows = rows;
    for (auto& v : cr.alerts) {
      std::set<std::string> ids, ips;
      if (!v.community_id.empty()) ids.insert(v.community_id);
      CollectReferences(v.observed, &ids, &ips);
      CollectReferences(v.evidence, &ids, &ips);
      for (auto& r : cr.flows) {
        // The alert's own window: the same address on another day is another alert's evidence.
        if (r.first_ts < v.window_start || r.first_ts >= v.window_end) continue;
        // off_hours rests on when the contractor's side opened connections: all of them.
        const bool activity = v.kind == "off_hours" && r.initiated;
        if (activity || ids.count(r.community_id) || ips.count(r.src_ip) || ips.count(r.dest_ip)) {
          if (std::find(r.findings.begin(), r.findings.end(), v.kind) == r.findings.end()) {
            r.findings.push_back(v.kind);
          }
          ++v.flows;
        }
      }
    }
    std::stable_sort(cr.flows.begin(), cr.flows.end(), [](const FlowRow& a, const FlowRow& b) {
      return a.first_ts != b.first_ts ? a.first_ts < b.first_ts : a.flow_id < b.flow_id;
    });

    // The map: the claimed place, then what the evidence saw (windows with traffic only: an
    // identity event alone does not accuse, as in the engine).
    Place claimed;
    claimed.kind = "claimed";
    claimed.label = cr.claimed_label;
    claimed.latitude = c.claimed.latitude;
    claimed.longitude = c.claimed.longitude;
    claimed.how = "roster";
    cr.places.push_back(claimed);
    std::map<std::string, std::size_t> place_index;  // kind|ip -> index
    auto add_place = [&](Place p) -> Place& {
      const std::string key = p.kind + "|" + p.ip;
      if (auto it = place_index.find(key); it != place_index.end()) return cr.places[it->second];
      place_index[key] = cr.places.size();
      cr.places.push_back(std::move(p));
      return cr.places.back();
    };
    std::set<std::string> devices;
    if (auto ev = in.engine->evidence().find(c.id); ev != in.engine->evidence().end()) {
      for (const auto& [start, w] : ev->second) {
        if (w.flows == 0) continue;
        for (const auto& d : w.devices) devices.insert(d);
        for (const auto& [ip, e] : w.egress) {
          Place& p = add_place(FromGeo(e.geo, EgressKind(e.geo)));
          if (p.how.empty()) p.how = e.how;
          p.flows += e.flows;
        }
        for (const auto& r : w.remote) {
          Place p = FromGeo(r.controller, r.relayed ? "relay" : "remote_peer");
          p.how = r.product + (r.relayed ? " relay" : " controller") +
                  (r.role_known ? "" : " (roles not measured)");
          add_place(std::move(p)).flows += 1;
        }
        for (const auto& co : w.colocated) {
          Place p = FromGeo(co.host, "colocated_host");
          p.how = co.product + ": " + co.how;
          add_place(std::move(p)).flows += 1;
        }
      }
    }
    cr.devices.assign(devices.begin(), devices.end());
    for (auto& p : cr.places) {
      if (!p.latitude || !p.longitude) continue;
      if (p.kind != "claimed" && claimed.latitude && claimed.longitude) {
        p.distance_from_claimed_km = Round(
            geoip::HaversineKm(*claimed.latitude, *claimed.longitude, *p.latitude, *p.longitude),
            1);
      }
      if (have_sensor) {
        p.distance_from_sensor_km =
            Round(geoip::HaversineKm(*in.sensor_latitude, *in.sensor_longitude, *p.latitude,
                                     *p.longitude),
                  1);
      }
    }

    cr.sessions = BuildSessions(cr.flows, in.session_gap);
    cr.heatmap = BuildHeatmap(c, cr.flows, in.max_heatmap_days);

    // RTT against distance, from the sensor.
    RttPlot& rp = cr.rtt;
    rp.available = have_sensor;
    if (!have_sensor) rp.note = "no --sensor-location: distances from the sensor are unknown";
    if (have_sensor) {
      rp.claimed_distance_km = cr.places.front().distance_from_sensor_km;
      if (rp.claimed_distance_km) {
        rp.claimed_floor_ms = Round(geoip::RttFloorMs(*rp.claimed_distance_km), 2);
      }
    }
    for (const auto& p : cr.places) {
      if (p.kind != "egress" && p.kind != "vpn_exit" && p.kind != "hosted_egress") continue;
      RttPlot::Egress e;
      e.ip = p.ip;
      e.label = p.label;
      e.distance_km = p.distance_from_sensor_km;
      if (e.distance_km) e.floor_ms = Round(geoip::RttFloorMs(*e.distance_km), 2);
      for (const auto& r : cr.flows) {
        if (r.rtt_ms < 0 || r.egress_ip != p.ip) continue;
        if (!e.min_rtt_ms || r.rtt_ms < *e.min_rtt_ms) e.min_rtt_ms = r.rtt_ms;
        rp.samples.push_back({r.egress_ip, Round(r.rtt_ms, 3), e.distance_km, r.first_ts});
      }
      if (e.min_rtt_ms) e.max_distance_km = Round(geoip::MaxDistanceKm(*e.min_rtt_ms), 1);
      rp.egress.push_back(std::move(e));
    }
    if (have_sensor && rp.samples.empty())
      rp.note = "no handshake RTT measured to this contractor's egress";

    cr.seen = !cr.flows.empty() || !cr.alerts.empty() || !cr.suppressed.empty();
    cr.verdict = SeverityLabel(cr.worst_severity);
    if (!cr.alerts.empty()) {
      std::string kinds;
      std::set<std::string> seen_kinds;
      for (const auto& a : cr.alerts) {
        if (!seen_kinds.insert(a.kind).second) continue;
        kinds += (kinds.empty() ? "" : ", ") + a.kind;
      }
      cr.verdict_line = cr.verdict + ": " + std::to_string(cr.alerts.size()) + " finding" +
                        (cr.alerts.size() == 1 ? "" : "s") + " (" + kinds + "). " +
                        cr.alerts.front().explanation;
    } else if (cr.seen) {
      cr.verdict_line = "No finding: " + std::to_string(cr.flows.size()) + " attributed flow" +
                        (cr.flows.size() == 1 ? "" : "s") + ", nothing diverges from the claim.";
    } else {
      cr.verdict_line = "Not seen in this capture.";
    }
    m.contractors.push_back(std::move(cr));
  }
  // Most suspicious first: worst severity, then highest score; seen before unseen; roster order.
  std::stable_sort(m.contractors.begin(), m.contractors.end(),
                   [](const ContractorReport& x, const ContractorReport& y) {
                     if (x.worst_severity != y.worst_severity) {
                       return x.worst_severity < y.worst_severity;
                     }
                     if (x.top_score != y.top_score) return x.top_score > y.top_score;
                     return x.seen && !y.seen;
                   });
  return m;
}

}  // namespace parallax::report
