#include "sensor/output/event_writer.h"

#include <string>

#include "sensor/output/alert_event.h"
#include "sensor/output/fingerprint_event.h"
#include "sensor/output/flow_event.h"
#include "sensor/output/stats_event.h"

namespace parallax::output {

std::string EventLine(const nlohmann::ordered_json& event) {
  return event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

void EventWriter::Write(EventType type, const nlohmann::ordered_json& event) {
  if (!selection_.enabled(type)) return;
  std::string line = EventLine(event);
  ++written_;
  if (callback_) {
    callback_(type, event, std::move(line));
    return;
  }
  line += '\n';
  if (!out_->Write(line)) ok_ = false;
}

void EventWriter::WriteFlow(const core::Flow& flow, core::FlowEndReason reason, bool interim) {
  if (!selection_.enabled(EventType::kFlow)) return;
  Write(EventType::kFlow, FlowEventJson(flow, reason, interim));
}

void EventWriter::WriteFingerprint(const core::Flow& flow, const analyzers::Fingerprint& fp,
                                   bool interim) {
  if (!selection_.enabled(EventType::kFingerprint)) return;
  Write(EventType::kFingerprint, FingerprintEventJson(flow, fp, interim));
}

void EventWriter::WriteAlert(const divergence::Alert& alert, core::TimeUs now) {
  if (!selection_.enabled(EventType::kAlert)) return;
  Write(EventType::kAlert, AlertEventJson(alert, now));
}

void EventWriter::WriteStats(const core::SensorStats& stats) {
  if (!selection_.enabled(EventType::kStats)) return;
  Write(EventType::kStats, StatsEventJson(stats));
}

}  // namespace parallax::output
