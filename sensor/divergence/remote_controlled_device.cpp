// remote_controlled_device: the contractor's device is the controlled end of a remote-control
// session (AnyDesk, TeamViewer, Chrome Remote Desktop, RustDesk, inbound RDP/VNC...): the
// laptop-farm signature. Severe when the controller is in another country than the claimed one;
// through a vendor relay the controller is hidden, which is medium. A video meeting (Zoom) is
// screen sharing: it counts only when one share lasts a working day, and then low unless the far
// end is abroad (long calls and pair programming are ordinary work).
#include <algorithm>
#include <cmath>

#include "sensor/divergence/detections.h"

namespace parallax::divergence {
namespace {

bool Meeting(const std::string& product) { return product == "Zoom"; }

}  // namespace

std::optional<Alert> DetectRemoteControlledDevice(const DetectionContext& ctx) {
  const RemoteControlEvidence* best = nullptr;
  int best_rank = -1;
  const std::string& claimed_country = ctx.contractor.claimed.country;
  for (const auto& r : ctx.window.remote) {
    if (ctx.Sanctioned(r.controller)) continue;  // the company's own support desk or jump host
    // A meeting is screen sharing, not remote control: only a share that carries the working day
    // (the 8-hour Zoom shares of the laptop-farm cases) counts, and then at most low unless the
    // far end is visibly abroad.
    if (Meeting(r.product) && r.duration_s < ctx.options.meeting_workday_s) continue;
    const bool abroad = !r.relayed && !r.controller.country.empty() &&
                        !claimed_country.empty() && r.controller.country != claimed_country;
    const int rank = (abroad ? 4 : 0) + (r.role_known ? 2 : 0) + (r.relayed ? 0 : 1);
    if (rank > best_rank) {
      best = &r;
      best_rank = rank;
    }
  }
  if (!best) return std::nullopt;
  const RemoteControlEvidence& r = *best;
  const bool abroad = best_rank >= 4;
  // Controllers over the look-back: a relayed session today hides the controller, but the same
  // device driven directly from abroad earlier in the week names them.
  const RemoteControlEvidence* abroad_before = nullptr;
  std::vector<std::string> controllers;
  for (const ContractorWindow* w : ctx.lookback) {
    for (const auto& x : w->remote) {
      if (ctx.Sanctioned(x.controller)) continue;
      const std::string who = x.relayed ? x.product + " relay " + x.controller_ip
                                        : x.controller_ip + (x.controller.country.empty()
                                                                 ? ""
                                                                 : " (" + Where(x.controller) + ")");
      if (std::find(controllers.begin(), controllers.end(), who) == controllers.end() &&
          controllers.size() < kMaxListed) {
        controllers.push_back(who);
      }
      if (!x.relayed && !x.controller.country.empty() && !claimed_country.empty() &&
          x.controller.country != claimed_country && x.device_ip == r.device_ip) {
        abroad_before = &x;
      }
    }
  }
  const bool named_earlier = !abroad && r.relayed && abroad_before;
  Alert a = NewAlert(AlertKind::kRemoteControlledDevice, ctx);
  a.severity = abroad || named_earlier ? 1 : (Meeting(r.product) ? 3 : 2);
  a.score = abroad ? 90 : (r.role_known ? 70 : 55);
  std::string by;
  if (r.relayed) {
    by = "through the " + r.product + " relay " + r.controller_ip + " (the controller is hidden)";
  } else {
    const std::string where = r.controller.city.empty()
                                  ? r.controller.country
                                  : r.controller.city + ", " + r.controller.country;
    by = "from " + r.controller_ip + (where.empty() ? "" : " in " + where) +
         (r.controller.network_type != "unknown" ? " (" + r.controller.network_type + ")" : "");
  }
  a.explanation = ctx.contractor.name + "'s device " + r.device_ip + " is being remote-controlled" +
                  " with " + r.product + " " + by + "; measured: " + r.role_basis +
                  (named_earlier ? "; within the look-back the same device was driven directly "
                                   "from " + abroad_before->controller_ip + " in " +
                                       Where(abroad_before->controller)
                                 : "") +
                  ".";
  a.observed = {{"device_ip", r.device_ip}, {"controller", GeoJson(r.controller)}};
  a.evidence["product"] = r.product;
  a.evidence["controller_abroad"] = abroad;
  a.evidence["relayed"] = r.relayed;
  if (r.relayed) a.evidence["relay"] = r.relay;
  a.evidence["role_known"] = r.role_known;
  a.evidence["role_basis"] = r.role_basis;
  a.evidence["duration_s"] = std::round(r.duration_s * 10) / 10;
  a.evidence["input_events_per_min"] = std::round(r.input_events_per_min * 10) / 10;
  a.evidence["sessions"] = ctx.window.remote.size();
  a.evidence["flows"] = {r.community_id};
  a.evidence["controllers_in_lookback"] = controllers;
  a.subjects = {SubjectOf(r.controller)};
  a.mitre = {{"T1219", "Remote Access Software"}};
  a.community_id = r.community_id;
  return a;
}

}  // namespace parallax::divergence
