// Metrics: the daemon's counters and gauges in the Prometheus text exposition format (version
// 0.0.4), served on /metrics. Names follow Prometheus conventions: parallax_ prefix, _total for
// counters, base units (bytes, seconds). docs/daemon.md lists each one.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "sensor/capture/packet_source.h"
#include "sensor/daemon/divergence_hub.h"
#include "sensor/daemon/worker.h"
#include "sensor/sinks/sink.h"

namespace parallax::daemon {

struct CaptureSnapshot {
  std::string interface;
  capture::CaptureStats stats;
};

struct MetricsSnapshot {
  std::vector<WorkerSnapshot> workers;
  std::vector<CaptureSnapshot> captures;
  DivergenceHub::Counters divergence;
  std::vector<std::pair<std::string, sinks::SinkStats>> sinks;
  std::uint64_t reloads = 0;
  std::uint64_t reload_failures = 0;
  double start_time_s = 0;
  std::uint64_t resident_bytes = 0;
  std::uint64_t virtual_bytes = 0;
};

std::string RenderPrometheus(const MetricsSnapshot& m);

// Resident and virtual memory of this process (from /proc/self/statm); zeros where unreadable.
void ReadProcessMemory(std::uint64_t* resident, std::uint64_t* virt);

// Sums the workers' counters into one stats record (for the `stats` event).
core::SensorStats SumStats(const std::vector<WorkerSnapshot>& workers,
                           const std::vector<CaptureSnapshot>& captures);

}  // namespace parallax::daemon
