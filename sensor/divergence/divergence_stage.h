// DivergenceStage: the one divergence side behind every entry point (`read`, `live`, `report`,
// `correlate`, and the daemon's `run`). It consumes flow records (sensor/record/) and the
// inputs they are judged against (roster, identity events, policy), keeps the evidence, runs
// the detections and emits alerts, on packet time only: a record's times and the capture
// clock's ticks (OnClock) move it, never the wall clock.
//
//   records -> Attribute -> evidence per contractor and window -> detections -> alerts
//
// Evaluation: at end of input (OnInputEnd, every window), and, when evaluate_every > 0, each
// time packet time has moved that far since the last one (a daemon or `live` reports while a
// capture runs). Retention (DivergenceEngine::Retire) follows each periodic evaluation.
// Thread-safety: REQUIRES external synchronization (the daemon's hub holds a mutex).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "geoip/geo_intel_holder.h"
#include "sensor/divergence/alert.h"
#include "sensor/divergence/alert_store.h"
#include "sensor/divergence/divergence_inputs.h"
#include "sensor/divergence/divergence_options.h"
#include "sensor/divergence/engine.h"
#include "sensor/geo/geo_network_intel.h"
#include "sensor/record/flow_record.h"

namespace parallax::divergence {

struct StageHooks {
  // Alerts due, before the store records them as emitted (the daemon spools them here, so a
  // crash between the two repeats an alert rather than losing it).
  std::function<void(const std::vector<Alert>&, core::TimeUs now)> before_commit;
  // Each alert emitted, after the store recorded it.
  std::function<void(const Alert&, core::TimeUs now)> on_alert;
  // Each record attributed to a contractor, with the engine's attribution (the forensics
  // report lays out exactly these flows).
  std::function<void(const record::FlowRecord&, const DivergenceEngine::Attribution&)> on_attributed;
};

class DivergenceStage final : public record::FlowRecordSink {
 public:
  // geo may be null (no network facts); store may be null (no history kept).
  DivergenceStage(DivergenceInputs inputs, DivergenceOptions options,
                  const geoip::GeoIntelHolder* geo, std::unique_ptr<AlertStore> store,
                  StageHooks hooks, core::TimeUs evaluate_every = 0);

  void OnRecord(const record::FlowRecord& record) override;
  // The capture clock: packet time reached `now` (a quiet link still moves it).
  void OnClock(core::TimeUs now) override;
  // End of input: every window is evaluated at the packet time reached.
  void OnInputEnd() override;

  // Evaluates every window as of `now` (packet time) and emits what is new or grown.
  std::vector<Alert> Evaluate(core::TimeUs now, bool final);
  // Retention (DivergenceEngine::Retire) as of `now`; returns the windows retired.
  std::size_t Retire(core::TimeUs now) { return engine_->Retire(now); }
  // SIGHUP: new inputs; evidence and alert history are kept.
  void Reload(DivergenceInputs inputs);

  core::TimeUs now() const { return now_; }
  const DivergenceEngine& engine() const { return *engine_; }
  const DivergenceInputs& inputs() const { return inputs_; }
  const AlertStore* store() const { return store_.get(); }
  // Every alert emitted so far, in order (for --explain and the report); not kept when
  // keep_alerts is off (a daemon running for months).
  const std::vector<Alert>& alerts() const { return alerts_; }
  void set_keep_alerts(bool keep) { keep_alerts_ = keep; }

 private:
  DivergenceInputs inputs_;
  std::unique_ptr<GeoNetworkIntel> intel_;
  std::unique_ptr<AlertStore> store_;
  std::unique_ptr<DivergenceEngine> engine_;
  StageHooks hooks_;
  core::TimeUs evaluate_every_;
  core::TimeUs now_ = 0;
  bool have_time_ = false;
  core::TimeUs last_evaluation_ = 0;
  std::vector<Alert> alerts_;
  bool keep_alerts_ = true;
};

}  // namespace parallax::divergence
