// QueuedSink: the asynchronous machinery every sink shares. Submit() puts alerts into the spool
// (durable, fsync'd, never dropped) and other events into a bounded memory queue (dropped and
// counted when full), then wakes delivery on the sink's strand. Delivery takes a batch (spool
// first, then memory), hands it to the Transport, and on success acknowledges the spool and pops
// the memory queue; on failure it keeps the records, counts a retry, marks the sink down and
// tries again after an exponential backoff (retry_initial_s doubling up to retry_max_s).
// Thread-safety: Submit, Flush, Stop and stats are safe from any thread except that Flush and
// Stop must not be called on an io_context thread. The asynchronous state lives in a shared
// object that handlers keep alive, so after Stop() a late handler does nothing at all.
#pragma once

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <memory>

#include "sensor/sinks/sink.h"
#include "sensor/sinks/spool.h"
#include "sensor/sinks/transport.h"

namespace parallax::sinks {

class QueuedSink final : public Sink {
 public:
  // The transport must have been built on `strand`.
  QueuedSink(SinkConfig config, Strand strand, std::unique_ptr<Spool> spool,
             std::shared_ptr<Transport> transport);
  ~QueuedSink() override;

  void Submit(Record record) override;
  void Start() override;
  bool Flush(std::chrono::milliseconds timeout) override;
  void Stop() override;
  SinkStats stats() const override;

  class Core;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace parallax::sinks
