// Transport: how one kind of sink hands a batch of records to its destination (a file, a syslog
// server, an HTTP endpoint, Kafka). QueuedSink owns the queueing, spooling, batching, retries
// and statistics; a Transport only delivers.
// Thread-safety: every member is called on the sink's strand (QueuedSink guarantees it), and a
// Transport must run its own completion handlers on that strand (create sockets and timers from
// the executor it was given). Transports are held by shared_ptr so that their handlers can keep
// them alive (capture shared_from_this()) after the sink is destroyed.
#pragma once

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <functional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

#include "sensor/core/status.h"
#include "sensor/sinks/sink.h"

namespace parallax::sinks {

using Strand = boost::asio::strand<boost::asio::io_context::executor_type>;

class Transport {
 public:
  using Done = std::function<void(core::Status)>;
  virtual ~Transport() = default;

  // Delivers the batch (never empty) and calls done exactly once, on the strand, with Ok only if
  // the destination accepted every record. Only one Deliver is outstanding at a time. May call
  // done before returning.
  virtual void Deliver(const std::vector<Record>& batch, Done done) = 0;
  // Closes connections and cancels timers; an outstanding Deliver then completes with an error.
  virtual void Cancel() {}
  // How long to wait for a batch to fill before sending a partial one.
  virtual double linger_s() const { return 0; }
};

}  // namespace parallax::sinks
