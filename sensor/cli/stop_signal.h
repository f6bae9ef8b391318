// SIGINT/SIGTERM handling for the capture loop: the handler sets a flag and breaks the libpcap
// loop so a blocking read returns; the loop then flushes flows and exits 0.
#pragma once

#include <atomic>

#include "sensor/capture/packet_source.h"

namespace parallax::cli {

// Installs the handlers; `source` may be null. Returns the flag the loop must poll.
const std::atomic<bool>& InstallStopHandlers(capture::PacketSource* source);
void SetStopSource(capture::PacketSource* source);

}  // namespace parallax::cli
