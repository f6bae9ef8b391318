#include "sensor/daemon/worker.h"

#include <chrono>

namespace parallax::daemon {
core::Status Worker::Create(unsigned index, PipelineOptions options, std::size_t queue_packets,
                            SinkSet* sinks, record::FlowRecordSink* next,
                            std::unique_ptr<Worker>* out) {
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
  options.records = w.get();  // counted here, then to the hub's one divergence stage
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
  // A quiet link: the capture clock goes on (packet time when the queue went quiet plus the
  // time waited since), so idle flows end and the hub's packet time advances.
  bool idle = false;
  auto idle_since = last_publish;
  core::TimeUs idle_base = 0;
  for (;;) {
    std::unique_ptr<PacketBatch> batch = queue_.Pop(250ms);
    if (batch) {
      for (std::size_t i = 0; i < batch->packets.size(); ++i) {
        pipeline_->HandlePacket(batch->View(i));
      }
      queue_.Recycle(std::move(batch));
      idle = false;
    } else if (queue_.closed()) {
      break;
    } else if (!idle) {
      idle = true;
      idle_since = std::chrono::steady_clock::now();
      idle_base = pipeline_->now();
    } else {
      pipeline_->Advance(idle_base + std::chrono::duration_cast<std::chrono::microseconds>(
                                         std::chrono::steady_clock::now() - idle_since)
                                         .count());
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

void Worker::OnRecord(const record::FlowRecord& record) {
  for (const auto& fp : record.fingerprints) ++by_kind_[analyzers::KindName(fp.kind)];
  if (next_) next_->OnRecord(record);
}

void Worker::OnClock(core::TimeUs now) {
  if (next_) next_->OnClock(now);
}

}  // namespace parallax::daemon
