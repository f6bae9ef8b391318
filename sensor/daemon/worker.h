// Worker: one pipeline on its own thread, fed batches of packets by the capture threads (all
// packets of a flow reach the same worker: shard.h). Ended flows go on to the divergence hub;
// fingerprint and flow events go to the sinks that want them. On a quiet link the worker moves
// engine time on by the wall clock so idle flows still end.
// Thread-safety: queue() and Snapshot() may be used from any thread; Start/Stop by the owner.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "sensor/core/sensor_stats.h"
#include "sensor/core/status.h"
#include "sensor/daemon/packet_batch.h"
#include "sensor/daemon/sink_set.h"
#include "sensor/record/flow_record.h"
#include "sensor/pipeline.h"

namespace parallax::daemon {

struct WorkerSnapshot {
  core::SensorStats stats;
  std::size_t live_flows = 0;
  std::size_t queue_depth = 0;
  std::map<std::string, std::uint64_t> fingerprints_by_kind;
};

class Worker final : public record::FlowRecordSink {
 public:
  // `next` (the divergence hub) may be null; sinks must outlive the worker.
  static core::Status Create(unsigned index, PipelineOptions options, std::size_t queue_packets,
                             SinkSet* sinks, record::FlowRecordSink* next,
                             std::unique_ptr<Worker>* out);
  ~Worker() override;

  BatchQueue& queue() { return queue_; }
  void Start();
  // Processes what is queued, ends every flow (their events and evidence are flushed), joins.
  void Stop();
  WorkerSnapshot Snapshot() const;

  // The pipeline's records: counted, then handed to the hub (on the worker's thread).
  void OnRecord(const record::FlowRecord& record) override;
  void OnClock(core::TimeUs now) override;

 private:
  Worker(unsigned index, std::size_t queue_packets) : index_(index), queue_(queue_packets) {}
  void Run();
  void Publish();

  unsigned index_;
  BatchQueue queue_;
  record::FlowRecordSink* next_ = nullptr;
  std::unique_ptr<output::EventWriter> writer_;
  std::unique_ptr<Pipeline> pipeline_;
  std::thread thread_;
  std::map<std::string, std::uint64_t> by_kind_;  // worker thread only

  mutable std::mutex snap_mu_;
  WorkerSnapshot snapshot_;
};

}  // namespace parallax::daemon
