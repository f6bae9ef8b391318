#include "sensor/divergence/engine.h"

#include <algorithm>

#include "geoip/special_ranges.h"
#include "sensor/divergence/alert_store.h"
#include "sensor/divergence/detections.h"
#include "sensor/divergence/evidence_json.h"

namespace parallax::divergence {
namespace {

// Public means outside every special-purpose range (geoip/'s IANA table: RFC 1918, CGNAT,
// loopback, link-local, documentation, multicast, ULA...).
bool IsPublic(const core::IpAddress& a) {
  return !geoip::FindSpecialRange(ToGeoAddress(a)).has_value();
}

// The start of the window holding ts (windows are aligned to the epoch; floor for negative ts).
core::TimeUs WindowStart(core::TimeUs ts, core::TimeUs window) {
  return (ts >= 0 ? ts / window : (ts - window + 1) / window) * window;
}

// Evidence as stored JSON. Its strings come from outside (city and organisation names from
// GeoIP databases and operator lists, relay names): invalid UTF-8 becomes U+FFFD rather than an
// exception out of Evaluate (found by fuzz_divergence).
std::string DumpEvidence(const ContractorWindow& w) {
  return ToJson(w).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

void DivergenceOptions::Sanitize() {
  window = std::clamp(window, core::Seconds(3600), core::Seconds(30 * 24 * 3600));
  min_rtt_samples = std::max(1, min_rtt_samples);
  off_hours_min_events = std::max(1, off_hours_min_events);
  max_contractors_per_egress = std::max(1, max_contractors_per_egress);
  travel_speed_kmh = std::clamp(travel_speed_kmh, 100.0, 5000.0);
}

DivergenceEngine::DivergenceEngine(const roster::Roster* roster,
                                   const roster::IdentityBindings* bindings,
                                   const std::vector<roster::IdentityEvent>& events,
                                   DivergenceOptions options, GeoNetworkIntel* geo,
                                   AlertStore* store)
    : roster_(roster), bindings_(bindings), options_(options), geo_(geo), store_(store) {
  options_.Sanitize();
  if (store_) {
    if (const auto before = store_->RetiredBefore()) retired_before_ = *before;
  }
  AddIdentityEvidence(events);
  if (store_) {
    for (auto& [id, e] : store_->EmittedAlerts()) {
      if (e.window_start >= retired_before_) emitted_[id] = e;
    }
    // Evidence from earlier runs: a restart continues rather than starting blind. Stored
    // evidence wins over what the identity events rebuilt above (it already contains them).
    for (const auto& [contractor, start, json] : store_->LoadEvidence()) {
      ContractorWindow w;
      const auto parsed = nlohmann::json::parse(json, nullptr, false);
      if (start >= retired_before_ && !parsed.is_discarded() && FromJson(parsed, &w) &&
          roster_->Find(contractor)) {
        evidence_[contractor][start] = std::move(w);
      }
    }
  }
}

void DivergenceEngine::AddIdentityEvidence(const std::vector<roster::IdentityEvent>& events) {
  // What the VPN gateway or SSO says is evidence too: the contractor was at that address then.
  for (const auto& e : events) {
    if (!e.public_ip || !roster_->Find(e.contractor) || e.ts < retired_before_) continue;
    ContractorWindow& w = WindowFor(e.contractor, e.ts);
    Egress(w, *e.public_ip, "identity event (" + e.source + ")", e.ts);
  }
}

void DivergenceEngine::Rebind(const roster::Roster* roster,
                              const roster::IdentityBindings* bindings,
                              const std::vector<roster::IdentityEvent>& events) {
  roster_ = roster;
  bindings_ = bindings;
  AddIdentityEvidence(events);
}

GeoFact DivergenceEngine::Geo(const core::IpAddress& ip) {
  GeoFact g;
  g.ip = ip.ToString();
  if (!geo_) return g;
  const geoip::GeoAnswer& a = geo_->Answer(ip);
  g.country = a.record.country;
  g.city = a.record.city;
  if (a.record.has_coordinates) {
    g.latitude = a.record.latitude;
    g.longitude = a.record.longitude;
  }
  g.accuracy_km = a.record.accuracy_radius_km;
  g.time_zone = a.record.time_zone;
  g.network_type = std::string(geoip::NetworkTypeName(a.network_type));
  g.provider = a.provider;
  g.asn = a.record.asn;
  g.organisation = a.record.as_organisation;
  g.network_source = std::string(geoip::NetworkSourceName(a.network_source));
  if (!a.network_detail.empty()) g.network_source += ": " + a.network_detail;
  return g;
}

ContractorWindow& DivergenceEngine::WindowFor(const std::string& contractor, core::TimeUs ts) {
  const core::TimeUs start = WindowStart(ts, options_.window);
  ContractorWindow& w = evidence_[contractor][start];
  if (w.flows == 0 && w.egress.empty() && w.first_ts == 0) {
    w.window_start = start;
    w.first_ts = ts;
  }
  w.first_ts = std::min(w.first_ts, ts);
  w.last_ts = std::max(w.last_ts, ts);
  return w;
}

EgressEvidence& DivergenceEngine::Egress(ContractorWindow& w, const core::IpAddress& ip,
                                         const std::string& how, core::TimeUs ts) {
  const std::string key = ip.ToString();
  auto it = w.egress.find(key);
  if (it == w.egress.end()) {
    EgressEvidence e;
    e.geo = Geo(ip);
    e.how = how;
    e.first_ts = ts;
    it = w.egress.emplace(key, std::move(e)).first;
  }
  it->second.first_ts = std::min(it->second.first_ts, ts);
  it->second.last_ts = std::max(it->second.last_ts, ts);
  return it->second;
}

DivergenceEngine::Attribution DivergenceEngine::Attribute(const record::FlowRecord& f) const {
  Attribution a;
  const core::TimeUs ts = f.first_ts;
  auto device_owner = [&](const core::IpAddress& ip) -> const roster::Contractor* {
    if (const auto* c = roster_->ByDeviceAddress(ip)) return c;
    if (bindings_) {
      if (const std::string* id = bindings_->ByInternal(ip, ts)) return roster_->Find(*id);
    }
    return nullptr;
  };
  auto egress_owner = [&](const core::IpAddress& ip) -> const roster::Contractor* {
    if (!IsPublic(ip)) return nullptr;
    if (bindings_) {
      if (const std::string* id = bindings_->ByPublic(ip, ts)) return roster_->Find(*id);
    }
    return roster_->ByEgressAddress(ip);
  };
  for (int side = 0; side < 2 && !a.contractor; ++side) {
    const core::IpAddress& ip = side == 0 ? f.orig_addr : f.resp_addr;
    if (const auto* c = device_owner(ip)) {
      a = {c, true, side == 0, ip, false, false, {}};
    }
  }
  if (!a.contractor && f.has_mac) {
    for (int side = 0; side < 2 && !a.contractor; ++side) {
      if (const auto* c = roster_->ByMac(side == 0 ? f.orig_mac : f.resp_mac)) {
        a = {c, true, side == 0, side == 0 ? f.orig_addr : f.resp_addr, false, false, {}};
      }
    }
  }
  for (int side = 0; side < 2; ++side) {
    const core::IpAddress& ip = side == 0 ? f.orig_addr : f.resp_addr;
    if (a.has_device && ip == a.device) continue;
    if (const auto* c = egress_owner(ip)) {
      if (a.contractor && a.contractor != c) continue;
      a.contractor = c;
      a.has_egress = true;
      a.egress_is_orig = side == 0;
      a.egress = ip;
      a.egress_rtt_us = side == 0 ? f.originator_rtt_us : f.responder_rtt_us;
      break;
    }
  }
  return a;
}

DivergenceEngine::Attribution DivergenceEngine::OnFlow(const record::FlowRecord& f) {
  const Attribution at = Attribute(f);
  if (!at.contractor) return {};
  ++attributed_;
  if (f.first_ts < retired_before_) {  // its window was retired: too late to count
    ++late_;
    return {};
  }
  const std::string& id = at.contractor->id;
  ContractorWindow& w = WindowFor(id, f.first_ts);
  if (w.seen_flows.count(f.flow_id)) return {};  // already counted (the same capture read again)
  if (w.seen_flows.size() < kMaxSeenFlows) w.seen_flows.insert(f.flow_id);
  ++w.flows;
  if (at.initiated()) ++w.activity[f.first_ts / core::Seconds(3600)];
  if (at.has_device) {
    const std::string dev = at.device.ToString();
    if (std::find(w.devices.begin(), w.devices.end(), dev) == w.devices.end() &&
        w.devices.size() < kMaxListed) {
      w.devices.push_back(dev);
    }
  }
  if (at.has_egress) {
    EgressEvidence& e = Egress(w, at.egress, "gateway flow", f.first_ts);
    ++e.flows;
    if (e.community_ids.size() < 5) e.community_ids.push_back(f.community_id);
    if (at.egress_rtt_us >= 0) {
      e.rtt_ms.push_back(static_cast<double>(at.egress_rtt_us) / 1000.0);
      if (e.rtt_ms.size() > kMaxRttSamples) {  // keep the lowest: the minimum is what counts
        std::sort(e.rtt_ms.begin(), e.rtt_ms.end());
        e.rtt_ms.resize(kMaxRttSamples);
      }
    }
  } else if (at.has_device && bindings_) {
    // Inside the corporate network the public egress is what the gateway logged for them.
    const auto pubs = bindings_->PublicOf(id, f.first_ts);
    if (!pubs.empty()) {
      EgressEvidence& e = Egress(w, pubs.front(), "identity event", f.first_ts);
      ++e.flows;
    }
  }
  const std::string dev_ip = at.has_device ? at.device.ToString() : std::string();
  const std::string egress_ip = at.has_egress ? at.egress.ToString() : std::string();
  auto mine = [&](const core::IpAddress& ip) {
    const std::string s = ip.ToString();
    return (!dev_ip.empty() && s == dev_ip) || (!egress_ip.empty() && s == egress_ip);
  };
  for (const auto& fp : f.fingerprints) {
    if (!fp.remote) continue;
    const auto& rc = *fp.remote;
    if (fp.kind == analyzers::Kind::kRemoteDesktop && mine(rc.controlled) &&
        w.remote.size() < kMaxListed) {
      RemoteControlEvidence r;
      r.product = fp.product;
      r.device_ip = rc.controlled.ToString();
      r.controller_ip = rc.controller.ToString();
      r.controller = Geo(rc.controller);
      r.relayed = rc.relayed;
      r.relay = rc.relay;
      r.role_known = rc.role_known;
      r.role_basis = rc.role_basis;
      r.duration_s = rc.duration_s;
      r.input_events_per_min = rc.input_events_per_min;
      r.ts = f.first_ts;
      r.community_id = f.community_id;
      // Signalling without a screen (a few kB to a rendezvous server) is not someone driving.
      if (r.role_known || rc.screen_bytes + rc.input_bytes > 0) w.remote.push_back(std::move(r));
    }
    if (fp.kind == analyzers::Kind::kColocatedDesktop &&
        (mine(rc.controlled) || mine(rc.controller)) && w.colocated.size() < kMaxListed) {
      ColocatedEvidence c;
      c.product = fp.product;
      c.host_ip = rc.controlled.ToString();
      c.host = Geo(rc.controlled);
      c.how = "colocated_desktop fingerprint: " + rc.role_basis;
      c.duration_s = rc.duration_s;
      c.ts = f.first_ts;
      c.community_id = f.community_id;
      w.colocated.push_back(std::move(c));
    }
  }
  return at;
}

std::vector<Alert> DivergenceEngine::Evaluate(
    core::TimeUs now, bool final,
    const std::function<void(const std::vector<Alert>&)>& before_commit) {
  std::vector<Alert> out;
  if (store_) store_->Begin();
  // Public address -> contractors, per window (for shared_egress). Identity events alone (a
  // window with no traffic of the contractor) do not accuse: the capture being read may cover
  // other people's time. They count when the address they name carries traffic in that window:
  // two people signed in from one address whose flows the wire cannot tell apart.
  std::map<core::TimeUs, std::set<std::string>> active;  // addresses with traffic, per window
  for (const auto& [id, windows] : evidence_) {
    for (const auto& [start, w] : windows) {
      for (const auto& [ip, e] : w.egress) {
        if (e.flows > 0) active[start].insert(ip);
      }
    }
  }
  std::map<core::TimeUs, std::map<std::string, std::set<std::string>>> sharing;
  std::set<std::pair<std::string, core::TimeUs>> identity_only;  // windows known from the log
  for (const auto& [id, windows] : evidence_) {
    for (const auto& [start, w] : windows) {
      for (const auto& [ip, e] : w.egress) {
        if (w.flows > 0) {
          sharing[start][ip].insert(id);
        } else if (active[start].count(ip)) {
          sharing[start][ip].insert(id);
          identity_only.insert({id, start});
        }
      }
    }
  }
  for (const auto& [id, windows] : evidence_) {
    const roster::Contractor* c = roster_->Find(id);
    if (!c) continue;
    for (const auto& [start, w] : windows) {
      const core::TimeUs end = start + options_.window;
      if (!final && end > now) continue;
      // A window known only from identity events is judged for shared egress (when the address
      // carries traffic) and for impossible travel (sign-ins alone place a person) alone.
      const bool log_only = w.flows == 0;
      const bool shared_candidate = identity_only.count({id, start}) > 0;
      if (log_only && !shared_candidate && w.egress.size() < 2) continue;
      std::vector<const ContractorWindow*> lookback;
      for (const auto& [s2, w2] : windows) {
        if (s2 <= start && s2 + options_.evidence_lookback > start) lookback.push_back(&w2);
      }
      DetectionContext ctx{*c, w, options_, end, lookback, sharing[start], policy_};
      std::vector<Alert> found;
      using Detection = std::optional<Alert> (*)(const DetectionContext&);
      static constexpr Detection kAll[] = {
          DetectLocationMismatch,       DetectAnonymizedEgress, DetectLatencyInconsistent,
          DetectRemoteControlledDevice, DetectColocatedDesktop, DetectSharedEgress,
          DetectOffHours,               DetectImpossibleTravel};
      for (Detection detect : kAll) {
        if (log_only && detect != DetectImpossibleTravel &&
            (detect != DetectSharedEgress || !shared_candidate)) {
          continue;
        }
        if (std::optional<Alert> a = detect(ctx)) found.push_back(std::move(*a));
      }
      // A remote session on a desktop that is itself hosted is the colocated-desktop case: one
      // finding, not two.
      for (const auto& co : found) {
        if (co.kind != AlertKind::kColocatedDesktop) continue;
        std::erase_if(found, [&](const Alert& x) {
          return x.kind == AlertKind::kRemoteControlledDevice && x.community_id == co.community_id;
        });
        break;
      }
      for (auto& alert : found) {
        std::optional<Alert> a = std::move(alert);
        a->count = w.flows + w.egress.size() + w.remote.size() + w.colocated.size();
        const std::string aid = a->Id();
        if (const policy::Suppression* rule =
                policy_ ? policy_->Suppressing(a->contractor_id, AlertKindName(a->kind),
                                               a->subjects, a->last_seen)
                        : nullptr) {
          // Held back: the evidence stays, the finding is counted and shown, nothing is sent.
          auto sw = suppressed_weight_.find(aid);
          if (sw == suppressed_weight_.end() || WorthUpdating(sw->second, *a)) {
            ++suppressed_total_;
            suppressed_weight_[aid] = {a->count, a->window_start, a->severity};
          }
          suppressed_[aid] = {*a, rule->id, rule->reason, rule->who};
          continue;
        }
        auto it = emitted_.find(aid);
        if (it != emitted_.end() && !WorthUpdating(it->second, *a)) continue;
        a->evidence["update"] = it != emitted_.end();
        emitted_[aid] = {a->count, a->window_start, a->severity};
        if (store_) store_->Record(*a);
        out.push_back(std::move(*a));
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const Alert& x, const Alert& y) {
    if (x.contractor_id != y.contractor_id) return x.contractor_id < y.contractor_id;
    if (x.window_start != y.window_start) return x.window_start < y.window_start;
    return x.kind < y.kind;
  });
  if (before_commit && !out.empty()) before_commit(out);
  if (store_) {
    for (const auto& [id, windows] : evidence_) {
      for (const auto& [start, w] : windows) store_->SaveEvidence(id, start, DumpEvidence(w));
    }
    store_->Commit();
  }
  return out;
}

std::size_t DivergenceEngine::Retire(core::TimeUs now) {
  const core::TimeUs keep = options_.window + options_.evidence_lookback;
  if (now < std::numeric_limits<core::TimeUs>::min() + keep) return 0;
  // Every window starting at or before `cutoff` ended `evidence_lookback` ago or earlier.
  const core::TimeUs cutoff = now - keep;
  const core::TimeUs before = WindowStart(cutoff, options_.window) + options_.window;
  if (before <= retired_before_) return 0;
  retired_before_ = before;
  std::size_t retired = 0;
  if (store_) store_->Begin();
  for (auto c = evidence_.begin(); c != evidence_.end();) {
    auto& windows = c->second;
    for (auto w = windows.begin(); w != windows.end() && w->first < retired_before_;) {
      if (store_) store_->DeleteEvidence(c->first, w->first);
      w = windows.erase(w);
      ++retired;
    }
    c = windows.empty() ? evidence_.erase(c) : std::next(c);
  }
  std::erase_if(emitted_, [&](const auto& e) { return e.second.window_start < retired_before_; });
  std::erase_if(suppressed_weight_,
                [&](const auto& e) { return e.second.window_start < retired_before_; });
  std::erase_if(suppressed_,
                [&](const auto& e) { return e.second.alert.window_start < retired_before_; });
  if (store_) {
    store_->SetRetiredBefore(retired_before_);
    store_->Commit();
  }
  retired_ += retired;
  return retired;
}

std::size_t DivergenceEngine::windows() const {
  std::size_t n = 0;
  for (const auto& [id, windows] : evidence_) n += windows.size();
  return n;
}

}  // namespace parallax::divergence
