// PacketSource: where packets come from (a capture file or a live interface). The same handler
// consumes both (PcapPlusPlus' habit): the pipeline never knows which one it is fed by.
// Thread-safety: REQUIRES external synchronization, except BreakLoop(), which may be called from
// a signal handler or another thread.
#pragma once

#include <cstdint>
#include <string>

#include "sensor/core/packet_view.h"
#include "sensor/core/status.h"

namespace parallax::capture {

enum class NextResult {
  kPacket,   // *packet is valid until the next call
  kTimeout,  // live capture: nothing arrived within the read timeout
  kEnd,      // end of file, or BreakLoop() was called
  kError,    // see error(): a corrupt capture or a failing interface
};

struct CaptureStats {
  std::uint64_t received = 0;   // packets the kernel/file delivered
  std::uint64_t dropped = 0;    // dropped by the kernel for lack of buffer space (pcap_stats)
  std::uint64_t if_dropped = 0; // dropped by the interface or driver, where reported
  bool live = false;
};

class PacketSource {
 public:
  virtual ~PacketSource() = default;
  virtual NextResult Next(core::PacketView* packet) = 0;
  virtual core::Status error() const = 0;
  virtual CaptureStats stats() const = 0;
  virtual void BreakLoop() = 0;
  // The file name or interface, for messages.
  virtual const std::string& name() const = 0;
};

}  // namespace parallax::capture
