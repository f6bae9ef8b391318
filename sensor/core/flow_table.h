// FlowTable: owns the live flows of one worker, bounded in number, expired on packet time in small
// budgets (ndpiReader's idle scan, Zeek's network time). Ending flows are handed to a FlowObserver
// before they are deleted.
// Thread-safety: REQUIRES external synchronization (one table per worker, no locks).
#pragma once

#include <array>
#include <cstdint>
#include <unordered_map>

#include "sensor/core/anomaly.h"
#include "sensor/core/decoded_packet.h"
#include "sensor/core/flow.h"
#include "sensor/core/flow_key.h"
#include "sensor/core/flow_table_options.h"

namespace parallax::core {

class FlowObserver {
 public:
  virtual ~FlowObserver() = default;
  // The flow is over; it is deleted when this returns. Must not call back into the table.
  virtual void OnFlowEnd(Flow& flow, FlowEndReason reason) = 0;
  // A long flow reached the active timeout: an interim record; the flow goes on.
  virtual void OnFlowInterim(Flow& flow) = 0;
};

struct FlowTableStats {
  std::uint64_t created = 0;
  std::uint64_t ended = 0;
  std::uint64_t evicted = 0;
  std::uint64_t interim_records = 0;
  std::size_t peak_flows = 0;
};

class FlowTable {
 public:
  FlowTable(const FlowTableOptions& options, FlowObserver* observer, AnomalyCounters* anomalies);
  ~FlowTable();
  FlowTable(const FlowTable&) = delete;
  FlowTable& operator=(const FlowTable&) = delete;

  // Expires what is due at p.ts, then finds or creates p's flow and accounts p to it.
  // p must carry ports or be a protocol without them; p.ts must not go backwards.
  Flow* Process(const DecodedPacket& p, Direction* direction);
  // Looks up the flow of a key without creating it (fragments use it).
  Flow* Find(const FlowKey& key);
  // Accounts p (a non-first fragment) to an existing flow.
  void Account(Flow* flow, const DecodedPacket& p, Direction d);
  // Ends idle flows due at `now`, at most the expiry budget of them.
  void Expire(TimeUs now);
  // Ends every flow (end of input, shutdown).
  void EndAll(FlowEndReason reason);

  std::size_t size() const { return flows_.size(); }
  const FlowTableStats& stats() const { return stats_; }
  const FlowTableOptions& options() const { return options_; }

 private:
  enum TimeoutClass : std::uint8_t { kTcp, kTcpClosed, kUdpNew, kUdp, kIcmp, kOther, kNumClasses };
  struct List {
    Flow* head = nullptr;  // most recently seen
    Flow* tail = nullptr;  // least recently seen: expires first
  };

  TimeoutClass ClassOf(const Flow& f) const;
  TimeUs TimeoutOf(TimeoutClass c) const;
  void Unlink(Flow* f);
  void PushFront(Flow* f, TimeoutClass c);
  void End(Flow* f, FlowEndReason reason);
  void EvictOldest();

  FlowTableOptions options_;
  FlowObserver* observer_;
  AnomalyCounters* anomalies_;
  std::unordered_map<FlowKey, Flow, FlowKeyHash> flows_;
  std::array<List, kNumClasses> lists_{};
  FlowTableStats stats_;
};

}  // namespace parallax::core
