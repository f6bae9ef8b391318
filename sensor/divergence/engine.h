// DivergenceEngine: attributes ended flows (and their fingerprints) to contractors, keeps the
// evidence per contractor and window, and evaluates the eight detections into alerts, one per
// contractor, kind and window (repeated findings fold into it).
//
// Attribution (both vantage points): a flow belongs to a contractor when one of its addresses is
// their device (roster device CIDRs, MAC addresses, or an identity event's internal address at
// that time: the sensor is inside, seeing the device's own traffic), or their public egress (the
// roster's egress addresses or an identity event's public address: the sensor is at the
// remote-access gateway, seeing the device connect in). At the gateway the handshake's
// SYN-ACK -> ACK gap is the round trip between the sensor and the contractor's egress.
// Thread-safety: REQUIRES external synchronization (one engine; workers hand it ended flows).
#pragma once

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "analyzers/fingerprint.h"
#include "sensor/divergence/alert.h"
#include "sensor/divergence/divergence_options.h"
#include "sensor/divergence/evidence.h"
#include "sensor/geo/geo_network_intel.h"
#include "sensor/roster/identity_events.h"
#include "sensor/record/flow_record.h"
#include "sensor/roster/roster.h"

namespace parallax::divergence {

class AlertStore;

class DivergenceEngine {
 public:
  // roster and bindings must outlive the engine; geo and store may be null.
  DivergenceEngine(const roster::Roster* roster, const roster::IdentityBindings* bindings,
                   const std::vector<roster::IdentityEvent>& events, DivergenceOptions options,
                   GeoNetworkIntel* geo, AlertStore* store);

  // Attributes the record and adds it to its contractor's evidence; returns the attribution
  // (contractor null: not a contractor's flow, or already counted).
  struct Attribution;
  Attribution OnFlow(const record::FlowRecord& flow);
  // Alerts due: with `final`, every window; otherwise windows that ended before `now`. An alert
  // already emitted (this run or, with a store, an earlier one) is returned again only when
  // WorthUpdating (severity rose, evidence doubled), as an update with the same id.
  // `before_commit`, when given, receives the alerts before the store records them as emitted:
  // the daemon spools them there, so a crash between the two repeats an alert, never loses one.
  std::vector<Alert> Evaluate(core::TimeUs now, bool final,
                              const std::function<void(const std::vector<Alert>&)>& before_commit = {});
  // Reload: a new roster, bindings and identity events (which must outlive the engine). Evidence
  // is kept; contractors no longer in the roster are no longer evaluated.
  void Rebind(const roster::Roster* roster, const roster::IdentityBindings* bindings,
              const std::vector<roster::IdentityEvent>& events);

  // Retention, for a sensor that runs for months (the daemon calls it after each evaluation):
  // a window that ended more than `evidence_lookback` before `now` is evaluated no more and
  // looked back at by no window still open, so it leaves memory and the store (its alerts stay
  // in the store's history). Attributed flows and identity events older than the retired windows
  // are counted as late and ignored. Without it evidence would grow by a window per contractor
  // and day, each holding up to kMaxSeenFlows flow ids. Returns the windows retired.
  std::size_t Retire(core::TimeUs now);

  // The SOC's policy (sanctioned networks, suppressions); may be null, must outlive the engine
  // or the next SetPolicy. Read at every evaluation, so a reload applies to evidence already held.
  void SetPolicy(const policy::Policy* policy) { policy_ = policy; }
  // Findings held back by a suppression rule, by alert id (the latest evaluation's version).
  const std::map<std::string, SuppressedFinding>& suppressed() const { return suppressed_; }
  // Evaluations at which a finding was suppressed (a finding counts again when it would have
  // been emitted again: severity rose or evidence doubled).
  std::uint64_t suppressed_total() const { return suppressed_total_; }

  std::uint64_t attributed_flows() const { return attributed_; }
  std::uint64_t late_flows() const { return late_; }
  std::uint64_t retired_windows() const { return retired_; }
  std::size_t windows() const;  // evidence windows held, all contractors

  // Which contractor a flow belongs to and through which of its addresses (device or public
  // egress), and what the engine reads from it; contractor is null when none. The divergence
  // stage hands it to the forensics report with the record, so the report lays out the flows
  // the engine judged as the engine judged them.
  struct Attribution {
    const roster::Contractor* contractor = nullptr;
    bool has_device = false;
    bool device_is_orig = false;
    core::IpAddress device;
    bool has_egress = false;
    bool egress_is_orig = false;
    core::IpAddress egress;
    // Activity: the contractor's side started the flow (a person at work opens connections).
    bool initiated() const {
      return (has_device && device_is_orig) || (has_egress && egress_is_orig);
    }
    // Sensor <-> egress handshake round trip; -1 when not measured or no egress.
    core::TimeUs egress_rtt_us = -1;
  };
  Attribution Attribute(const record::FlowRecord& flow) const;
  // The evidence kept so far: contractor id -> window start -> evidence (read-only, for reports).
  const std::map<std::string, std::map<core::TimeUs, ContractorWindow>>& evidence() const {
    return evidence_;
  }

 private:
  void AddIdentityEvidence(const std::vector<roster::IdentityEvent>& events);
  ContractorWindow& WindowFor(const std::string& contractor, core::TimeUs ts);
  EgressEvidence& Egress(ContractorWindow& w, const core::IpAddress& ip, const std::string& how,
                         core::TimeUs ts);
  GeoFact Geo(const core::IpAddress& ip);

  const roster::Roster* roster_;
  const roster::IdentityBindings* bindings_;
  DivergenceOptions options_;
  GeoNetworkIntel* geo_;
  AlertStore* store_;
  const policy::Policy* policy_ = nullptr;
  std::map<std::string, SuppressedFinding> suppressed_;
  std::map<std::string, EmittedAlert> suppressed_weight_;  // alert id -> weight when last counted
  std::uint64_t suppressed_total_ = 0;
  // contractor id -> window start -> evidence
  std::map<std::string, std::map<core::TimeUs, ContractorWindow>> evidence_;
  std::map<std::string, EmittedAlert> emitted_;  // alert id -> weight when emitted, window
  std::uint64_t attributed_ = 0;
  std::uint64_t late_ = 0;
  std::uint64_t retired_ = 0;
  // Windows starting before this were retired (none yet: the lowest time).
  core::TimeUs retired_before_ = std::numeric_limits<core::TimeUs>::min();
};

}  // namespace parallax::divergence
