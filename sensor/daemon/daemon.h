// Daemon: `parallax run --config FILE`, the long-running egress sensor.
//
//   capture thread per interface --(batches, sharded by address pair)--> worker threads
//   (pipeline each) --ended flows--> DivergenceHub --alerts--> SinkSet (spooled, async)
//   io thread (Boost.Asio): signals, sink delivery, HTTP /metrics and /healthz
//   main thread: start-up, privilege drop, periodic evaluation and stats, reload, shutdown
//
// SIGHUP reloads the configuration's roster, identity events, policy, GeoIP data and log level
// without touching flows or evidence (a broken file keeps the old data and the log says why).
// SIGTERM/SIGINT: captures stop, workers drain their queues and end every flow, the engine is
// evaluated a last time, sinks get up to 10 s to deliver (undelivered alerts stay spooled for
// the next start), exit 0.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "sensor/daemon/daemon_config.h"

namespace parallax::daemon {

class Daemon {
 public:
  explicit Daemon(DaemonConfig config);
  ~Daemon();
  // Runs until SIGTERM/SIGINT; returns the process exit code (0 after a graceful stop).
  int Run();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace parallax::daemon
