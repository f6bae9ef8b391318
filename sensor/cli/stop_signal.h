// SIGINT/SIGTERM handling for the capture loop: the handler sets a flag and breaks the libpcap
// loop so a blocking read returns; the loop then flushes flows and exits 0.
#pragma once

#include <atomic>

#include "sensor/capture/packet_source.h"

namespace parallax::cli {

// Installs the handlers; `source` may be null. Returns the flag the loop must poll.
const std::atomic<bool>& InstallStopHandlers(capture::PacketSource* source);
void SetStopSource(capture::PacketSource* source);
// Stops the loop after `seconds` of wall time, even while libpcap blocks waiting for packets
// (in immediate mode Linux libpcap ignores the read timeout): SIGALRM via setitimer.
void ArmStopTimer(double seconds);

}  // namespace parallax::cli
