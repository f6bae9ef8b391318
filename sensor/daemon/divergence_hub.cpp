#include "sensor/daemon/divergence_hub.h"

#include "sensor/logging/log.h"
#include "sensor/output/alert_event.h"
#include "sensor/output/event_writer.h"

namespace parallax::daemon {

DivergenceHub::DivergenceHub(DivergenceInputs inputs, divergence::DivergenceOptions options,
                             const geoip::GeoIntelHolder* geo,
                             std::unique_ptr<divergence::AlertStore> store, SinkSet* sinks)
    : sinks_(sinks) {
  divergence::StageHooks hooks;
  hooks.before_commit = [this](const std::vector<divergence::Alert>& due, core::TimeUs now) {
    for (const auto& a : due) {
      sinks_->Emit(output::EventType::kAlert, a.Id(),
                   output::EventLine(output::AlertEventJson(a, now)));
    }
  };
  hooks.on_alert = [this](const divergence::Alert& a, core::TimeUs) {
    ++alerts_by_kind_[divergence::AlertKindName(a.kind)];
    log::Info("alerts", "alert raised",
              {{"alert_id", a.Id()}, {"kind", divergence::AlertKindName(a.kind)},
               {"contractor", a.contractor_id}});
  };
  stage_ = std::make_unique<divergence::DivergenceStage>(std::move(inputs), options, geo,
                                                         std::move(store), std::move(hooks));
  stage_->set_keep_alerts(false);  // the sinks and the store keep them
}

void DivergenceHub::OnRecord(const record::FlowRecord& record) {
  std::lock_guard lock(mu_);
  stage_->OnRecord(record);
}

void DivergenceHub::OnClock(core::TimeUs now) {
  std::lock_guard lock(mu_);
  stage_->OnClock(now);
}

std::size_t DivergenceHub::Evaluate() {
  std::lock_guard lock(mu_);
  const auto& engine = stage_->engine();
  const std::uint64_t suppressed_before = engine.suppressed_total();
  // Every window, not only the ended ones: a SOC wants the alert while it is happening. A window
  // that gathers more evidence later is re-emitted as an update with the same id.
  const core::TimeUs now = stage_->now();
  const auto alerts = stage_->Evaluate(now, /*final=*/true);
  stage_->Retire(now);
  if (const auto held = engine.suppressed_total() - suppressed_before) {
    // Not alerted, but said: the findings are in /metrics and in the log (docs/policy.md).
    log::Info("alerts", "findings held back by the policy's suppression rules",
              {{"count", std::to_string(held)},
               {"total", std::to_string(engine.suppressed_total())}});
  }
  return alerts.size();
}

void DivergenceHub::Reload(DivergenceInputs inputs) {
  std::lock_guard lock(mu_);
  stage_->Reload(std::move(inputs));
}

DivergenceHub::Counters DivergenceHub::counters() const {
  std::lock_guard lock(mu_);
  const auto& engine = stage_->engine();
  const auto& inputs = stage_->inputs();
  Counters c;
  c.alerts_by_kind = alerts_by_kind_;
  c.attributed_flows = engine.attributed_flows();
  c.late_flows = engine.late_flows();
  c.retired_windows = engine.retired_windows();
  c.evidence_windows = engine.windows();
  c.store_errors = stage_->store() ? stage_->store()->errors() : 0;
  c.contractors = inputs.roster->contractors().size();
  c.suppressed = engine.suppressed_total();
  if (inputs.policy) {
    c.policy_sanctioned = inputs.policy->sanctioned().size();
    c.policy_suppressions = inputs.policy->suppressions().size();
  }
  return c;
}

}  // namespace parallax::daemon
