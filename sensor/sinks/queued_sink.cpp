#include "sensor/sinks/queued_sink.h"

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <optional>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sensor/logging/log.h"

namespace parallax::sinks {

class QueuedSink::Core : public std::enable_shared_from_this<QueuedSink::Core> {
 public:
  Core(const SinkConfig& config, Strand strand, std::unique_ptr<Spool> spool,
       std::shared_ptr<Transport> transport)
      : name_(config.name),
        capacity_(config.queue_capacity),
        batch_max_(std::max<std::size_t>(config.batch_max, 1)),
        retry_initial_s_(std::max(config.retry_initial_s, 0.001)),
        retry_max_s_(std::max(config.retry_max_s, config.retry_initial_s)),
        strand_(std::move(strand)),
        spool_(std::move(spool)),
        transport_(std::move(transport)),
        retry_timer_(strand_),
        linger_timer_(strand_),
        backoff_s_(retry_initial_s_) {
    // Alerts left by an earlier run count as submitted before anything of this run.
    if (spool_) spool_enqueued_ = spool_->pending_records();
  }

  void Submit(Record record) {
    if (record.type == output::EventType::kAlert && spool_) {
      core::Status st = spool_->Append(record);
      std::lock_guard<std::mutex> l(mu_);
      ++stats_.submitted;
      if (st.ok()) {
        ++spool_enqueued_;
      } else {
        // The disk failed us: keep the alert in memory rather than lose it (past the capacity).
        log::Error("sink", "spool append failed", {{"sink", name_}, {"error", st.message()}});
        memory_.push_back(std::move(record));
        ++mem_enqueued_;
      }
    } else {
      std::lock_guard<std::mutex> l(mu_);
      ++stats_.submitted;
      if (memory_.size() >= capacity_) {
        ++stats_.dropped;
        return;
      }
      memory_.push_back(std::move(record));
      ++mem_enqueued_;
    }
    Wake();
  }

  void Start() {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (started_ || stopped_) return;
      started_ = true;
    }
    Wake();
  }

  bool Flush(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> l(mu_);
    const std::uint64_t spool_target = spool_enqueued_, mem_target = mem_enqueued_;
    ++flushers_;
    l.unlock();
    Wake();
    l.lock();
    const bool ok = cv_.wait_for(l, timeout, [&] {
      return stopped_ || (spool_done_ >= spool_target && mem_done_ >= mem_target);
    });
    --flushers_;
    return ok && spool_done_ >= spool_target && mem_done_ >= mem_target;
  }

  void Stop() {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (stopped_) return;
      stopped_ = true;
    }
    cv_.notify_all();
    auto cancelled = std::make_shared<std::promise<void>>();
    auto future = cancelled->get_future();
    boost::asio::post(strand_, [self = shared_from_this(), cancelled] {
      self->retry_timer_.cancel();
      self->linger_timer_.cancel();
      self->transport_->Cancel();
      cancelled->set_value();
    });
    // When nobody runs the io_context the cancellation runs whenever it next does; handlers
    // that run after this point see stopped_ and do nothing either way.
    if (!strand_.get_inner_executor().context().stopped()) future.wait_for(std::chrono::seconds(5));
  }

  SinkStats stats() const {
    SinkStats s;
    {
      std::lock_guard<std::mutex> l(mu_);
      s = stats_;
      s.queue_depth = memory_.size();
    }
    if (spool_) {
      s.spool_records = spool_->pending_records();
      s.spool_bytes = spool_->pending_bytes();
    }
    return s;
  }

 private:
  bool stopped() const {
    std::lock_guard<std::mutex> l(mu_);
    return stopped_;
  }

  void Wake() {
    {
      std::lock_guard<std::mutex> l(mu_);
      if (!started_ || stopped_) return;
    }
    if (wake_posted_.exchange(true)) return;
    boost::asio::post(strand_, [self = shared_from_this()] {
      self->wake_posted_ = false;
      self->Pump();
    });
  }

  // Strand only: sends the next batch unless one is in flight or a retry is pending.
  void Pump() {
    if (in_flight_ || backing_off_ || stopped()) return;
    std::vector<Record> batch;
    std::size_t from_spool = 0, from_memory = 0;
    if (spool_) {
      if (core::Status st = spool_->Peek(batch_max_, &batch); !st.ok()) {
        Failed(st);
        return;
      }
      from_spool = batch.size();
    }
    bool flushing = false;
    {
      std::lock_guard<std::mutex> l(mu_);
      from_memory = std::min(batch_max_ - from_spool, memory_.size());
      for (std::size_t i = 0; i < from_memory; ++i) batch.push_back(memory_[i]);
      flushing = flushers_ > 0;
    }
    if (batch.empty()) {
      partial_since_.reset();
      return;
    }
    const double linger = transport_->linger_s();
    if (batch.size() < batch_max_ && linger > 0 && !flushing) {
      const auto now = std::chrono::steady_clock::now();
      if (!partial_since_) partial_since_ = now;
      const auto deadline =
          *partial_since_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                std::chrono::duration<double>(linger));
      if (now < deadline) {
        if (!lingering_) {
          lingering_ = true;
          linger_timer_.expires_at(deadline);
          linger_timer_.async_wait(boost::asio::bind_executor(
              strand_, [self = shared_from_this()](boost::system::error_code ec) {
                self->lingering_ = false;
                if (!ec) self->Pump();
              }));
        }
        return;
      }
    }
    partial_since_.reset();
    in_flight_ = true;
    transport_->Deliver(batch, [self = shared_from_this(), from_spool,
                                from_memory](core::Status st) {
      // Always through the strand, never nested inside Deliver.
      boost::asio::post(self->strand_, [self, st = std::move(st), from_spool, from_memory] {
        self->Delivered(st, from_spool, from_memory);
      });
    });
  }

  void Delivered(const core::Status& st, std::size_t from_spool, std::size_t from_memory) {
    in_flight_ = false;
    if (stopped()) return;
    if (!st.ok()) {
      Failed(st);
      return;
    }
    if (from_spool > 0) {
      if (core::Status ack = spool_->Ack(from_spool); !ack.ok()) {
        // Delivered all the same; the alerts may be sent again after a restart.
        log::Warn("sink", "spool acknowledgement failed", {{"sink", name_}, {"error", ack.message()}});
      }
    }
    {
      std::lock_guard<std::mutex> l(mu_);
      for (std::size_t i = 0; i < from_memory && !memory_.empty(); ++i) memory_.pop_front();
      spool_done_ += from_spool;
      mem_done_ += from_memory;
      stats_.delivered += from_spool + from_memory;
      stats_.up = true;
    }
    cv_.notify_all();
    backoff_s_ = retry_initial_s_;
    Pump();
  }

  void Failed(const core::Status& st) {
    {
      std::lock_guard<std::mutex> l(mu_);
      ++stats_.retries;
      stats_.up = false;
      stats_.last_error = st.message();
    }
    log::Warn("sink", "delivery failed",
              {{"sink", name_}, {"error", st.message()}, {"retry_in_s", std::to_string(backoff_s_)}});
    backing_off_ = true;
    retry_timer_.expires_after(std::chrono::duration_cast<std::chrono::steady_clock::duration>(
        std::chrono::duration<double>(backoff_s_)));
    retry_timer_.async_wait(boost::asio::bind_executor(
        strand_, [self = shared_from_this()](boost::system::error_code ec) {
          self->backing_off_ = false;
          if (!ec) self->Pump();
        }));
    backoff_s_ = std::min(backoff_s_ * 2, retry_max_s_);
  }

  const std::string name_;
  const std::size_t capacity_;
  const std::size_t batch_max_;
  const double retry_initial_s_;
  const double retry_max_s_;
  Strand strand_;
  std::unique_ptr<Spool> spool_;
  std::shared_ptr<Transport> transport_;

  // Guarded by mu_. Each queue is FIFO, so "everything submitted before" is a sequence number.
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Record> memory_;  // the head batch stays here until delivered
  std::uint64_t spool_enqueued_ = 0, spool_done_ = 0, mem_enqueued_ = 0, mem_done_ = 0;
  SinkStats stats_;
  bool started_ = false, stopped_ = false;
  int flushers_ = 0;

  std::atomic<bool> wake_posted_{false};

  // Strand only.
  boost::asio::steady_timer retry_timer_;
  boost::asio::steady_timer linger_timer_;
  double backoff_s_;
  bool in_flight_ = false, backing_off_ = false, lingering_ = false;
  std::optional<std::chrono::steady_clock::time_point> partial_since_;
};

QueuedSink::QueuedSink(SinkConfig config, Strand strand, std::unique_ptr<Spool> spool,
                       std::shared_ptr<Transport> transport)
    : Sink(std::move(config)),
      core_(std::make_shared<Core>(config_, std::move(strand), std::move(spool),
                                   std::move(transport))) {}

QueuedSink::~QueuedSink() { core_->Stop(); }

void QueuedSink::Submit(Record record) { core_->Submit(std::move(record)); }
void QueuedSink::Start() { core_->Start(); }
bool QueuedSink::Flush(std::chrono::milliseconds timeout) { return core_->Flush(timeout); }
void QueuedSink::Stop() { core_->Stop(); }
SinkStats QueuedSink::stats() const { return core_->stats(); }

}  // namespace parallax::sinks
