#include "sensor/daemon/divergence_hub.h"

#include "sensor/logging/log.h"
#include "sensor/output/alert_event.h"
#include "sensor/output/event_writer.h"

namespace parallax::daemon {

DivergenceHub::DivergenceHub(DivergenceInputs inputs, divergence::DivergenceOptions options,
                             const geoip::GeoIntelHolder* geo,
                             std::unique_ptr<divergence::AlertStore> store, SinkSet* sinks)
    : inputs_(std::move(inputs)), store_(std::move(store)), sinks_(sinks) {
  if (geo) intel_ = std::make_unique<GeoNetworkIntel>(geo);
  engine_ = std::make_unique<divergence::DivergenceEngine>(
      inputs_.roster.get(), inputs_.bindings.get(), *inputs_.identity_events, options,
      intel_.get(), store_.get());
  engine_->SetPolicy(inputs_.policy.get());
}

void DivergenceHub::OnFlowEnd(const core::Flow& flow,
                              const std::vector<analyzers::Fingerprint>& fingerprints) {
  std::lock_guard lock(mu_);
  engine_->OnFlow(flow, fingerprints);
}

std::size_t DivergenceHub::Evaluate(core::TimeUs now) {
  std::lock_guard lock(mu_);
  const std::uint64_t suppressed_before = engine_->suppressed_total();
  // Every window, not only the ended ones: a SOC wants the alert while it is happening. A window
  // that gathers more evidence later is re-emitted as an update with the same id.
  const auto alerts = engine_->Evaluate(now, /*final=*/true, [&](const auto& due) {
    for (const auto& a : due) {
      const std::string line = AlertLine(a, now);
      sinks_->Emit(output::EventType::kAlert, a.Id(), line);
    }
  });
  engine_->Retire(now);
  for (const auto& a : alerts) {
    ++alerts_by_kind_[divergence::AlertKindName(a.kind)];
    log::Info("alerts", "alert raised",
              {{"alert_id", a.Id()}, {"kind", divergence::AlertKindName(a.kind)},
               {"contractor", a.contractor_id}});
  }
  if (const auto held = engine_->suppressed_total() - suppressed_before) {
    // Not alerted, but said: the findings are in /metrics and in the log (docs/policy.md).
    log::Info("alerts", "findings held back by the policy's suppression rules",
              {{"count", std::to_string(held)},
               {"total", std::to_string(engine_->suppressed_total())}});
  }
  return alerts.size();
}

std::string DivergenceHub::AlertLine(const divergence::Alert& a, core::TimeUs now) {
  return output::EventLine(output::AlertEventJson(a, now));
}

void DivergenceHub::Reload(DivergenceInputs inputs) {
  std::lock_guard lock(mu_);
  // The old inputs stay alive until the engine points at the new ones.
  DivergenceInputs old = std::move(inputs_);
  inputs_ = std::move(inputs);
  engine_->Rebind(inputs_.roster.get(), inputs_.bindings.get(), *inputs_.identity_events);
  engine_->SetPolicy(inputs_.policy.get());
}

DivergenceHub::Counters DivergenceHub::counters() const {
  std::lock_guard lock(mu_);
  Counters c;
  c.alerts_by_kind = alerts_by_kind_;
  c.attributed_flows = engine_->attributed_flows();
  c.late_flows = engine_->late_flows();
  c.retired_windows = engine_->retired_windows();
  c.evidence_windows = engine_->windows();
  c.store_errors = store_ ? store_->errors() : 0;
  c.contractors = inputs_.roster->contractors().size();
  c.suppressed = engine_->suppressed_total();
  if (inputs_.policy) {
    c.policy_sanctioned = inputs_.policy->sanctioned().size();
    c.policy_suppressions = inputs_.policy->suppressions().size();
  }
  return c;
}

}  // namespace parallax::daemon
