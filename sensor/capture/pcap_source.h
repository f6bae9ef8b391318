// PcapSource: libpcap behind PacketSource, for files (pcap and pcapng) and live interfaces. This
// folder is the only place that includes <pcap.h>.
#pragma once

#include <memory>
#include <string>

#include "sensor/capture/packet_source.h"

namespace parallax::capture {

struct LiveOptions {
  std::string interface;
  // 262144 is tcpdump's default snaplen: whole jumbo frames, nothing cut.
  int snaplen = 262144;
  bool promiscuous = true;
  // Deliver packets as they arrive rather than when the buffer fills: lower latency for alerts.
  bool immediate = true;
  // Kernel ring buffer; 64 MiB absorbs bursts of a busy link while workers catch up.
  int buffer_mb = 64;
  // Read timeout so the loop can service timers and signals when the link is quiet.
  int timeout_ms = 250;
};

// Opens a capture file; bpf may be empty. Errors name the file.
std::unique_ptr<PacketSource> OpenCaptureFile(const std::string& path, const std::string& bpf,
                                              core::Status* status);
// Opens a live interface; errors distinguish a missing interface from missing privileges.
std::unique_ptr<PacketSource> OpenLive(const LiveOptions& options, const std::string& bpf,
                                       core::Status* status);

}  // namespace parallax::capture
