// remote_controlled_device: the contractor's device is the controlled end of a remote-control
// session (AnyDesk, TeamViewer, Chrome Remote Desktop, RustDesk, inbound RDP/VNC...): the
// laptop-farm signature. Severe when the controller is in another country than the claimed one;
// through a vendor relay the controller is hidden, which is medium.
#include <cmath>

#include "sensor/divergence/detections.h"

namespace parallax::divergence {

std::optional<Alert> DetectRemoteControlledDevice(const DetectionContext& ctx) {
  const RemoteControlEvidence* best = nullptr;
  int best_rank = -1;
  const std::string& claimed_country = ctx.contractor.claimed.country;
  for (const auto& r : ctx.window.remote) {
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
  Alert a = NewAlert(AlertKind::kRemoteControlledDevice, ctx);
  a.severity = abroad ? 1 : 2;
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
                  " with " + r.product + " " + by + ".";
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
  a.mitre = {{"T1219", "Remote Access Software"}};
  a.community_id = r.community_id;
  return a;
}

}  // namespace parallax::divergence
