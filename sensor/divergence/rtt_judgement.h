// RTT judgement: does a measured minimum handshake RTT fit a distance? The one physics rule
// behind latency_inconsistent and behind the RTT check of location_mismatch (BACKGROUND.md):
//  - too fast: below what light in a straight fibre needs (stretch 1, less a jitter tolerance):
//    the place is impossible, the far end is closer to the sensor than that;
//  - too slow: above what the distance needs on a poor path (stretch 2) plus a last-mile
//    allowance (and a radio allowance on mobile carriers): an extra leg such as a relay or VPN;
//  - fits: between the two.
// Thread-safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "sensor/divergence/divergence_options.h"
#include "sensor/divergence/evidence.h"

namespace parallax::divergence {

enum class RttFit { kFits, kTooFast, kTooSlow };

struct RttVerdict {
  RttFit fit = RttFit::kFits;
  double rtt_ms = 0;
  double km = 0;
  double floor_ms = 0;    // light in a straight fibre
  double ceiling_ms = 0;  // poor path + allowances
  std::string why;        // one clause: "62.0 ms is far above the 45.1 ms ... needs at worst"
  bool fits() const { return fit == RttFit::kFits; }
};

// `what` names the place ("the claimed Chicago"); `mobile` adds options.mobile_allowance_ms.
RttVerdict JudgeRtt(double rtt_ms, double km, const DivergenceOptions& o, bool mobile,
                    const std::string& what);

// A network whose last mile is a radio access network (mobile carrier).
bool IsMobile(const GeoFact& g);

// The RTT samples behind one egress over the look-back: this window's and the contractor's
// earlier windows' (options.evidence_lookback), lowest first, at most kMaxRttSamples.
struct RttEvidence {
  std::vector<double> samples_ms;  // sorted ascending
  int windows = 0;                 // windows that contributed at least one sample
  bool enough = false;             // at least options.min_rtt_samples
  double min_ms() const { return samples_ms.empty() ? 0 : samples_ms.front(); }
};

}  // namespace parallax::divergence
