#include "sensor/capture_loop.h"

#include <chrono>

namespace parallax {

core::Status RunCapture(capture::PacketSource& source, Pipeline& pipeline,
                        const std::atomic<bool>& stop, const CaptureLimits& limits) {
  const auto start = std::chrono::steady_clock::now();
  // Idle time on a live link: since when, and the packet time then.
  bool idle = false;
  auto idle_since = start;
  core::TimeUs idle_base = 0;
  std::uint64_t n = 0;
  core::PacketView pv;
  while (!stop.load(std::memory_order_relaxed)) {
    const capture::NextResult r = source.Next(&pv);
    if (r == capture::NextResult::kPacket) {
      pipeline.HandlePacket(pv);
      if (limits.on_packet) limits.on_packet(pv);
      idle = false;
      if (limits.max_packets && ++n >= limits.max_packets) break;
    } else if (r == capture::NextResult::kTimeout) {
      // A quiet link: the capture clock goes on although no packet arrives (packet time of the
      // last packet plus the time waited since), so idle flows end and windows close on time.
      const auto t = std::chrono::steady_clock::now();
      if (!idle) {
        idle = true;
        idle_since = t;
        idle_base = pipeline.now();
      } else {
        pipeline.Advance(
            idle_base +
            std::chrono::duration_cast<std::chrono::microseconds>(t - idle_since).count());
      }
    } else if (r == capture::NextResult::kEnd) {
      break;
    } else if (r == capture::NextResult::kError) {
      return source.error();
    }
    // kTimeout: a quiet link; fall through to the time limit check.
    if (limits.max_seconds > 0 && (r != capture::NextResult::kPacket || (n & 1023) == 0)) {
      const std::chrono::duration<double> el = std::chrono::steady_clock::now() - start;
      if (el.count() >= limits.max_seconds) break;
    }
  }
  return core::Status::Ok();
}

}  // namespace parallax
