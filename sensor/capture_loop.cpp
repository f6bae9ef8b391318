#include "sensor/capture_loop.h"

#include <chrono>

namespace parallax {

core::Status RunCapture(capture::PacketSource& source, Pipeline& pipeline,
                        const std::atomic<bool>& stop, const CaptureLimits& limits) {
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t n = 0;
  core::PacketView pv;
  while (!stop.load(std::memory_order_relaxed)) {
    const capture::NextResult r = source.Next(&pv);
    if (r == capture::NextResult::kPacket) {
      pipeline.HandlePacket(pv);
      if (limits.max_packets && ++n >= limits.max_packets) break;
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
