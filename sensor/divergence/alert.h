// Alert: one finding about one contractor in one window, with the evidence an analyst needs.
// Written as an eve.json `alert` event (Suricata's `alert` object plus a `parallax` object;
// docs/alerts.md and docs/alert.schema.json).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sensor/core/time.h"
#include "sensor/policy/policy.h"

namespace parallax::divergence {

enum class AlertKind {
  kLocationMismatch,
  kAnonymizedEgress,
  kLatencyInconsistent,
  kRemoteControlledDevice,
  kColocatedDesktop,
  kSharedEgress,
  kOffHours,
  kImpossibleTravel,
};
const char* AlertKindName(AlertKind k);
// Suricata signature id (local range 9100001..9100008) and signature text.
std::uint32_t SignatureId(AlertKind k);

struct MitreTechnique {
  std::string id;    // "T1219"
  std::string name;  // "Remote Access Software"
};

struct Alert {
  AlertKind kind;
  std::string contractor_id;
  std::string contractor_name;
  int severity = 2;         // Suricata: 1 high, 2 medium, 3 low
  double score = 0;         // 0..100
  std::string explanation;  // one sentence
  nlohmann::ordered_json claimed;
  nlohmann::ordered_json observed;
  nlohmann::ordered_json evidence;
  std::vector<MitreTechnique> mitre;
  core::TimeUs window_start = 0;
  core::TimeUs window_end = 0;
  core::TimeUs first_seen = 0;
  core::TimeUs last_seen = 0;
  std::uint64_t count = 1;  // findings folded into this alert
  std::string community_id; // a representative flow, when one exists
  std::string src_ip, dest_ip;
  int src_port = -1, dest_port = -1;
  std::string proto;
  // What the finding is about (egress, controller, hosted desktop), for suppression rules.
  std::vector<policy::Subject> subjects;

  // Stable across runs and restarts: contractor, kind and window (SIEMs de-duplicate on it).
  std::string Id() const;
};

// A finding a suppression rule held back: evaluated and counted, not emitted.
struct SuppressedFinding {
  Alert alert;
  std::string rule_id;
  std::string reason;
  std::string who;
};

// What is remembered of an alert once emitted.
struct EmittedAlert {
  std::uint64_t weight = 0;  // Alert::count then
  core::TimeUs window_start = 0;
  int severity = 3;
};

// Whether an alert already emitted is worth emitting again, as an update with the same id: its
// severity rose, or its evidence at least doubled. An active contractor's window gathers evidence
// at every flow; emitting at every growth would send a SOC an update per evaluation (every 30 s
// in the daemon) and fill a down sink's spool. Doubling gives a handful per window.
bool WorthUpdating(const EmittedAlert& before, const Alert& now);

}  // namespace parallax::divergence
