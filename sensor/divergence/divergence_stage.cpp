#include "sensor/divergence/divergence_stage.h"

namespace parallax::divergence {
namespace {
const std::vector<roster::IdentityEvent> kNoEvents;
}  // namespace

DivergenceStage::DivergenceStage(DivergenceInputs inputs, DivergenceOptions options,
                                 const geoip::GeoIntelHolder* geo,
                                 std::unique_ptr<AlertStore> store, StageHooks hooks,
                                 core::TimeUs evaluate_every)
    : inputs_(std::move(inputs)),
      store_(std::move(store)),
      hooks_(std::move(hooks)),
      evaluate_every_(evaluate_every) {
  if (geo) intel_ = std::make_unique<GeoNetworkIntel>(geo);
  engine_ = std::make_unique<DivergenceEngine>(
      inputs_.roster.get(), inputs_.bindings.get(),
      inputs_.identity_events ? *inputs_.identity_events : kNoEvents, options, intel_.get(),
      store_.get());
  engine_->SetPolicy(inputs_.policy.get());
}

void DivergenceStage::OnRecord(const record::FlowRecord& r) {
  const DivergenceEngine::Attribution at = engine_->OnFlow(r);
  if (at.contractor && hooks_.on_attributed) hooks_.on_attributed(r, at);
  OnClock(r.last_ts);
}

void DivergenceStage::OnClock(core::TimeUs now) {
  if (!have_time_) {
    have_time_ = true;
    now_ = now;
    last_evaluation_ = now;
  }
  if (now > now_) now_ = now;
  if (evaluate_every_ > 0 && now_ - last_evaluation_ >= evaluate_every_) {
    // Every window, not only the ended ones: a SOC wants the alert while it is happening. A
    // window that gathers more evidence later is re-emitted as an update with the same id.
    Evaluate(now_, /*final=*/true);
    Retire(now_);
    last_evaluation_ = now_;
  }
}

void DivergenceStage::OnInputEnd() { Evaluate(now_, /*final=*/true); }

std::vector<Alert> DivergenceStage::Evaluate(core::TimeUs now, bool final) {
  std::vector<Alert> due = engine_->Evaluate(now, final, [&](const std::vector<Alert>& a) {
    if (hooks_.before_commit) hooks_.before_commit(a, now);
  });
  for (const auto& a : due) {
    if (hooks_.on_alert) hooks_.on_alert(a, now);
    if (keep_alerts_) alerts_.push_back(a);
  }
  return due;
}

void DivergenceStage::Reload(DivergenceInputs inputs) {
  // The old inputs stay alive until the engine points at the new ones.
  DivergenceInputs old = std::move(inputs_);
  inputs_ = std::move(inputs);
  engine_->Rebind(inputs_.roster.get(), inputs_.bindings.get(),
                  inputs_.identity_events ? *inputs_.identity_events : kNoEvents);
  engine_->SetPolicy(inputs_.policy.get());
}

}  // namespace parallax::divergence
