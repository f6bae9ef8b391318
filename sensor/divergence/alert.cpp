#include "sensor/divergence/alert.h"

#include <cstdio>

#include "sensor/core/sha1.h"

namespace parallax::divergence {

const char* AlertKindName(AlertKind k) {
  switch (k) {
    case AlertKind::kLocationMismatch: return "location_mismatch";
    case AlertKind::kAnonymizedEgress: return "anonymized_egress";
    case AlertKind::kLatencyInconsistent: return "latency_inconsistent";
    case AlertKind::kRemoteControlledDevice: return "remote_controlled_device";
    case AlertKind::kColocatedDesktop: return "colocated_desktop";
    case AlertKind::kSharedEgress: return "shared_egress";
    case AlertKind::kOffHours: return "off_hours";
    case AlertKind::kImpossibleTravel: return "impossible_travel";
  }
  return "unknown";
}

bool WorthUpdating(const EmittedAlert& before, const Alert& now) {
  return now.severity < before.severity || now.count >= 2 * before.weight;
}

std::uint32_t SignatureId(AlertKind k) { return 9100001 + static_cast<std::uint32_t>(k); }

std::string Alert::Id() const {
  core::Sha1 h;
  const std::string key = contractor_id + "|" + AlertKindName(kind) + "|" +
                          std::to_string(window_start);
  h.Update(key.data(), key.size());
  const auto d = h.Final();
  char out[33];
  for (int i = 0; i < 16; ++i) std::snprintf(out + 2 * i, 3, "%02x", d[i]);
  return out;
}

}  // namespace parallax::divergence
