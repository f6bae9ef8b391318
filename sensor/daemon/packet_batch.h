// PacketBatch and BatchQueue: how captured packets travel from a capture thread to a worker.
// The capture thread copies packets into a batch per worker (one allocation-free byte buffer,
// reused) and hands over whole batches, so the lock is taken once per batch, not per packet.
// The queue is bounded (in packets): when a worker falls behind, the capture thread waits, the
// kernel's capture buffer absorbs the burst, and what it cannot hold shows as pcap drops.
// Thread-safety: BatchQueue is safe for one or more producers and one consumer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <vector>

#include "sensor/core/packet_view.h"

namespace parallax::daemon {

struct PacketBatch {
  struct Meta {
    core::TimeUs ts;
    std::uint32_t offset;
    std::uint32_t caplen;
    std::uint32_t wirelen;
    core::LinkType link;
  };
  std::vector<std::uint8_t> bytes;
  std::vector<Meta> packets;

  void Add(const core::PacketView& p) {
    const auto offset = static_cast<std::uint32_t>(bytes.size());
    bytes.insert(bytes.end(), p.data, p.data + p.caplen);
    packets.push_back({p.ts, offset, p.caplen, p.wirelen, p.link});
  }
  core::PacketView View(std::size_t i) const {
    const Meta& m = packets[i];
    return core::PacketView{m.ts, bytes.data() + m.offset, m.caplen, m.wirelen, m.link};
  }
  bool empty() const { return packets.empty(); }
  void Clear() {
    bytes.clear();
    packets.clear();
  }
};

class BatchQueue {
 public:
  explicit BatchQueue(std::size_t capacity_packets) : capacity_(capacity_packets) {}

  // Waits while the queue is full, up to `patience`; false when it stayed full (the caller
  // retries, checking for a stop in between). On success *batch is replaced by a recycled one.
  bool Push(std::unique_ptr<PacketBatch>* batch, std::chrono::milliseconds patience) {
    std::unique_lock lock(mu_);
    const std::size_t n = (*batch)->packets.size();
    if (!not_full_.wait_for(lock, patience, [&] { return queued_ + n <= capacity_ || queued_ == 0; })) {
      return false;
    }
    queued_ += n;
    ready_.push_back(std::move(*batch));
    if (!free_.empty()) {
      *batch = std::move(free_.back());
      free_.pop_back();
    } else {
      *batch = std::make_unique<PacketBatch>();
    }
    not_empty_.notify_one();
    return true;
  }

  // Waits up to `patience` for a batch; null when none came or the queue is closed and empty.
  std::unique_ptr<PacketBatch> Pop(std::chrono::milliseconds patience) {
    std::unique_lock lock(mu_);
    not_empty_.wait_for(lock, patience, [&] { return !ready_.empty() || closed_; });
    if (ready_.empty()) return nullptr;
    auto b = std::move(ready_.front());
    ready_.pop_front();
    queued_ -= b->packets.size();
    not_full_.notify_all();
    return b;
  }

  // Gives a processed batch back for reuse.
  void Recycle(std::unique_ptr<PacketBatch> b) {
    b->Clear();
    std::lock_guard lock(mu_);
    if (free_.size() < 8) free_.push_back(std::move(b));
  }

  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }
  bool closed() const {
    std::lock_guard lock(mu_);
    return closed_;
  }
  std::size_t depth() const {  // packets waiting
    std::lock_guard lock(mu_);
    return queued_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<std::unique_ptr<PacketBatch>> ready_;
  std::vector<std::unique_ptr<PacketBatch>> free_;
  std::size_t queued_ = 0;
  std::size_t capacity_;
  bool closed_ = false;
};

}  // namespace parallax::daemon
