// Sink: one asynchronous destination for events. Submit() never blocks on the network: alerts
// are appended to the sink's on-disk spool and fsync'd before Submit returns, then delivered from
// the spool and acknowledged only after the destination accepted them (at-least-once, across a
// kill -9; the alert id is stable for de-duplication). Other event types go to a bounded memory
// queue and are dropped, and counted, when it is full.
// Thread-safety: Submit and stats are thread-safe; delivery runs on the io_context given to
// CreateSink (which the daemon runs on its own thread).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "sensor/core/status.h"
#include "sensor/output/event_types.h"
#include "sensor/sinks/sink_config.h"

namespace boost::asio {
class io_context;
}

namespace parallax::sinks {

struct Record {
  output::EventType type = output::EventType::kAlert;
  std::string id;    // alert id (stable across updates and restarts); empty for other events
  std::string json;  // one JSON object, no trailing newline
};

struct SinkStats {
  std::uint64_t submitted = 0;
  std::uint64_t delivered = 0;
  std::uint64_t retries = 0;        // failed delivery attempts that will be retried
  std::uint64_t dropped = 0;        // non-alert events dropped on a full queue
  std::uint64_t queue_depth = 0;    // records waiting in memory
  std::uint64_t spool_records = 0;  // alerts spooled and not yet acknowledged
  std::uint64_t spool_bytes = 0;
  bool up = true;                   // last delivery attempt succeeded
  std::string last_error;
};

class Sink {
 public:
  virtual ~Sink() = default;
  const SinkConfig& config() const { return config_; }
  bool Wants(output::EventType t) const;

  virtual void Submit(Record record) = 0;
  // Starts delivery (including alerts left in the spool by an earlier run).
  virtual void Start() = 0;
  // Blocks the caller (never an io_context thread) until everything submitted so far is
  // delivered or the timeout passes; returns whether all was delivered. Undelivered alerts stay
  // in the spool for the next start.
  virtual bool Flush(std::chrono::milliseconds timeout) = 0;
  // Stops delivery; after it returns no handler of this sink runs again.
  virtual void Stop() = 0;
  virtual SinkStats stats() const = 0;

 protected:
  explicit Sink(SinkConfig config) : config_(std::move(config)) {}
  SinkConfig config_;
};

// What CreateSink checks of a configuration before it opens anything (names, events, limits, the
// URL's scheme, syslog facility and transport...): for `parallax run --check`. Errors name the
// sink.
core::Status ValidateSinkConfig(const SinkConfig& config);

// spool_dir: the daemon's state folder; the sink keeps its spool in spool_dir/<name>/ (0700).
core::Status CreateSink(const SinkConfig& config, boost::asio::io_context& io,
                        const std::string& spool_dir, std::unique_ptr<Sink>* out);

}  // namespace parallax::sinks
