#include "sensor/daemon/worker.h"

#include <chrono>

namespace parallax::daemon {
namespace {

core::TimeUs WallClockUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

core::Status Worker::Create(unsigned index, PipelineOptions options, std::size_t queue_packets,
                            SinkSet* sinks, FlowEndHook* next, std::unique_ptr<Worker>* out) {
  std::unique_ptr<Worker> w(new Worker(index, queue_packets));
  w->next_ = next;
  // Alerts come from the hub and stats from the daemon (summed over workers); workers write
  // fingerprint and flow events only, and only when a sink wants them.
  output::EventSelection selection;
  for (auto t : {output::EventType::kFingerprint, output::EventType::kFlow}) {
    if (sinks->Wants(t)) selection.Enable(t);
  }
  w->writer_ = std::make_unique<output::EventWriter>(
      [sinks](output::EventType type, const nlohmann::ordered_json&, std::string&& line) {
        sinks->Emit(type, std::string(), line);
      },
      selection);
  options.roster = nullptr;  // the hub holds the one engine
  Worker* self = w.get();
  options.flow_tap = [self](const core::Flow& flow,
                            const std::vector<analyzers::Fingerprint>& fingerprints) {
    self->OnFlowEnd(flow, fingerprints);
  };
  core::Status status;
  w->pipeline_ = Pipeline::Create(options, w->writer_.get(), &status);
  if (!w->pipeline_) return status;
  *out = std::move(w);
  return core::Status::Ok();
}

Worker::~Worker() {
  if (thread_.joinable()) Stop();
}

void Worker::Start() { thread_ = std::thread([this] { Run(); }); }

void Worker::Stop() {
  queue_.Close();
  if (thread_.joinable()) thread_.join();
}

void Worker::Run() {
  using namespace std::chrono_literals;
  auto last_publish = std::chrono::steady_clock::now();
  for (;;) {
    std::unique_ptr<PacketBatch> batch = queue_.Pop(250ms);
    if (batch) {
      for (std::size_t i = 0; i < batch->packets.size(); ++i) {
        pipeline_->HandlePacket(batch->View(i));
      }
      queue_.Recycle(std::move(batch));
    } else if (queue_.closed()) {
      break;
    } else {
      pipeline_->Advance(WallClockUs());
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_publish >= 200ms) {
      Publish();
      last_publish = now;
    }
  }
  pipeline_->Finish();
  Publish();
}

void Worker::Publish() {
  WorkerSnapshot s;
  s.stats = pipeline_->stats();
  const auto& ts = pipeline_->table_stats();
  s.stats.flows_created = ts.created;
  s.stats.flows_ended = ts.ended;
  s.stats.flows_evicted = ts.evicted;
  s.stats.interim_records = ts.interim_records;
  s.stats.peak_live_flows = ts.peak_flows;
  s.stats.fingerprints = pipeline_->fingerprints();
  s.live_flows = pipeline_->live_flows();
  s.fingerprints_by_kind = by_kind_;
  std::lock_guard lock(snap_mu_);
  snapshot_ = std::move(s);
}

WorkerSnapshot Worker::Snapshot() const {
  WorkerSnapshot s;
  {
    std::lock_guard lock(snap_mu_);
    s = snapshot_;
  }
  s.queue_depth = queue_.depth();
  return s;
}

void Worker::OnFlowEnd(const core::Flow& flow,
                       const std::vector<analyzers::Fingerprint>& fingerprints) {
  for (const auto& fp : fingerprints) ++by_kind_[analyzers::KindName(fp.kind)];
  if (next_) next_->OnFlowEnd(flow, fingerprints);
}

}  // namespace parallax::daemon
