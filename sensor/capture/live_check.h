// What OpenLive would refuse, checked without opening a capture (so without privileges and
// without touching the interface): for `parallax run --check`.
#pragma once

#include <string>

#include "sensor/core/status.h"

namespace parallax::capture {

// The interface exists and is up ("any", libpcap's pseudo-interface, always is).
core::Status CheckInterface(const std::string& interface);

// The filter compiles for the interface's link type (read from /sys/class/net: Ethernet and
// loopback are Ethernet frames, a tun device raw IP), as pcap_compile would at start-up. An empty
// filter is fine.
core::Status CheckFilter(const std::string& bpf, const std::string& interface, int snaplen);

}  // namespace parallax::capture
