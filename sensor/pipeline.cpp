#include "sensor/pipeline.h"

#include <algorithm>

#include "sensor/core/decoder.h"

namespace parallax {

std::unique_ptr<Pipeline> Pipeline::Create(const PipelineOptions& options,
                                           output::EventWriter* writer, core::Status* status) {
  std::unique_ptr<Pipeline> p(new Pipeline());
  p->writer_ = writer;
  p->options_ = options;
  std::string err;
  p->classifier_ = classify::NdpiClassifier::Create(options.classifier, &err);
  if (!p->classifier_) {
    *status = core::Status::Error(err);
    return nullptr;
  }
  if (auto s = analyzers::AnalyzerHost::Create(options.analyzers, &p->analyzers_); !s.ok()) {
    *status = s;
    return nullptr;
  }
  if (options.geo) {
    p->intel_ = std::make_unique<GeoNetworkIntel>(options.geo);
    p->analyzers_->set_intel(p->intel_.get());
  }
  p->table_ = std::make_unique<core::FlowTable>(options.flows, p.get(), &p->stats_.anomalies);
  *status = core::Status::Ok();
  return p;
}

void Pipeline::HandlePacket(const core::PacketView& packet) {
  core::PacketView pv = packet;
  if (!core::InTimeRange(pv.ts)) {
    stats_.anomalies.Add(core::Anomaly::kTimestampOutOfRange);
    pv.ts = now_;
  }
  if (stats_.packets == 0) {
    stats_.first_ts = pv.ts;
    now_ = pv.ts;
  }
  if (pv.ts < now_) {
    stats_.anomalies.Add(core::Anomaly::kTimestampBackwards);
    pv.ts = now_;
  }
  now_ = pv.ts;
  stats_.last_ts = now_;
  // The record sink hears the packet clock once a second of packet time, not per packet.
  if (options_.records && now_ - last_clock_ >= core::kMicrosPerSecond) {
    last_clock_ = now_;
    options_.records->OnClock(now_);
  }
  ++stats_.packets;
  stats_.bytes += std::max(pv.wirelen, pv.caplen);

  const core::DecodeStatus ds = core::Decode(pv, decoded_, stats_.anomalies);
  if (ds == core::DecodeStatus::kNotIp) {
    ++stats_.non_ip_packets;
    table_->Expire(now_);
    return;
  }
  if (ds == core::DecodeStatus::kBroken) {
    ++stats_.broken_packets;
    table_->Expire(now_);
    return;
  }
  if (decoded_.is_fragment && !decoded_.is_first_fragment) {
    HandleFragment(decoded_);
    return;
  }
  core::Direction dir;
  core::Flow* flow = table_->Process(decoded_, &dir);
  ++stats_.ip_packets;
  if (decoded_.is_fragment) fragments_.RememberFirst(decoded_, flow->key);
  classifier_->Process(*flow, decoded_);
  analyzers_->OnPacket(*flow, decoded_, dir);
}

std::size_t Pipeline::live_flows() const { return table_->size(); }

void Pipeline::Advance(core::TimeUs now) {
  if (stats_.packets == 0 || now <= now_ || finished_) return;
  now_ = now;
  table_->Expire(now_);
  if (options_.records) {
    last_clock_ = now_;
    options_.records->OnClock(now_);
  }
}

void Pipeline::HandleFragment(const core::DecodedPacket& p) {
  table_->Expire(now_);
  core::FlowKey key;
  core::Flow* flow = fragments_.Lookup(p, &key) ? table_->Find(key) : nullptr;
  if (!flow) {
    stats_.anomalies.Add(core::Anomaly::kFragmentWithoutFirst);
    ++stats_.broken_packets;
    return;
  }
  const bool from_lo = p.src == key.lo_addr;
  table_->Account(flow, p, flow->DirectionOf(from_lo));
  ++stats_.ip_packets;
  ++stats_.fragments;
}

void Pipeline::OnFlowEnd(core::Flow& flow, core::FlowEndReason reason) {
  classifier_->Finish(flow);
  std::vector<analyzers::Fingerprint> fps = analyzers_->OnFlowEnd(flow);
  for (const auto& fp : fps) {
    ++fingerprints_;
    writer_->WriteFingerprint(flow, fp, false);
  }
  analyzers_->Release(flow);
  writer_->WriteFlow(flow, reason, false);
  if (options_.records) {
    options_.records->OnRecord(record::MakeFlowRecord(flow, reason, std::move(fps), options_.sensor));
  }
}

void Pipeline::OnFlowInterim(core::Flow& flow) {
  // A long session (remote desktop held for days) is reported while it lasts.
  for (const auto& fp : analyzers_->OnFlowEnd(flow)) writer_->WriteFingerprint(flow, fp, true);
  writer_->WriteFlow(flow, core::FlowEndReason::kActiveTimeout, true);
}

void Pipeline::Reset() {
  Finish();
  table_ = std::make_unique<core::FlowTable>(options_.flows, this, &stats_.anomalies);
  fragments_ = core::FragmentTracker();
  stats_ = core::SensorStats();
  now_ = 0;
  last_clock_ = 0;
  input_ended_ = false;
  finished_ = false;
}

void Pipeline::EndInput() {
  if (input_ended_) return;
  input_ended_ = true;
  table_->EndAll(core::FlowEndReason::kShutdown);
  const auto& ts = table_->stats();
  stats_.flows_created = ts.created;
  stats_.flows_ended = ts.ended;
  stats_.flows_evicted = ts.evicted;
  stats_.interim_records = ts.interim_records;
  stats_.peak_live_flows = ts.peak_flows;
  stats_.fingerprints = fingerprints_;
  if (options_.records) {
    options_.records->OnClock(now_);
    options_.records->OnInputEnd();
  }
}

void Pipeline::Finish() {
  if (finished_) return;
  EndInput();
  finished_ = true;
  writer_->WriteStats(stats_);
  writer_->Flush();
}

}  // namespace parallax
