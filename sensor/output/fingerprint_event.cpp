#include "sensor/output/fingerprint_event.h"

#include <cmath>

#include "sensor/output/flow_event.h"

namespace parallax::output {
namespace {
double Round(double v, double scale) { return std::round(v * scale) / scale; }
}  // namespace

nlohmann::ordered_json FingerprintEventJson(const core::Flow& flow,
                                            const analyzers::Fingerprint& fp, bool interim) {
  using Json = nlohmann::ordered_json;
  Json j = FlowIdentityJson(flow, "fingerprint");
  Json f;
  f["kind"] = analyzers::KindName(fp.kind);
  f["product"] = fp.product;
  f["confidence"] = Round(fp.confidence, 100);
  f["analyzer"] = fp.analyzer;
  f["decided_by"] = fp.decided_by;
  Json ev = Json::array();
  for (const auto& e : fp.evidence) ev.push_back({{"key", e.key}, {"value", e.value}});
  f["evidence"] = ev;
  if (fp.remote) {
    const auto& r = *fp.remote;
    f["remote_control"] = {{"controlled_ip", r.controlled.ToString()},
                           {"controller_ip", r.controller.ToString()},
                           {"role_basis", r.role_basis},
                           {"role_known", r.role_known},
                           {"relayed", r.relayed},
                           {"relay", r.relay},
                           {"duration_s", Round(r.duration_s, 1000)},
                           {"input_events_per_min", Round(r.input_events_per_min, 10)},
                           {"median_input_gap_ms", Round(r.median_input_gap_ms, 10)},
                           {"screen_bytes", r.screen_bytes},
                           {"input_bytes", r.input_bytes}};
  }
  f["interim"] = interim;
  j["fingerprint"] = f;
  return j;
}

}  // namespace parallax::output
