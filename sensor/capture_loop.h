// RunCapture: drives a PacketSource into a Pipeline until the input ends, an error occurs or a
// stop is requested (signal). The same loop serves files and live interfaces; on a live link's
// read timeout it advances the pipeline's packet time by the time waited (Pipeline::Advance).
#pragma once

#include <atomic>
#include <functional>

#include "sensor/capture/packet_source.h"
#include "sensor/core/status.h"
#include "sensor/pipeline.h"

namespace parallax {

struct CaptureLimits {
  std::uint64_t max_packets = 0;  // 0: unlimited
  double max_seconds = 0;         // wall-clock limit for live capture; 0: unlimited
  // Called after each packet (the report's progress meter); empty: nothing.
  std::function<void(const core::PacketView&)> on_packet;
};

core::Status RunCapture(capture::PacketSource& source, Pipeline& pipeline,
                        const std::atomic<bool>& stop, const CaptureLimits& limits = {});

}  // namespace parallax
