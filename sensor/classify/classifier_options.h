// ClassifierOptions: when the nDPI adapter stops inspecting a flow.
#pragma once

#include <cstdint>

namespace parallax::classify {

struct ClassifierOptions {
  // Give-up caps, in packets of the flow, as ndpiReader uses: 80 for TCP (telnet needs that many
  // before its login prompt), 24 for UDP and other protocols (8 suffice for most; Signal needs
  // more). Past the cap the flow is given up and guessed by port/address.
  std::uint32_t max_tcp_packets = 80;
  std::uint32_t max_udp_packets = 24;
  // After detection, keep feeding while nDPI says more metadata can come (TLS certificate, JA3S,
  // SSH server banner), within the same caps.
  bool extra_dissection = true;
  // At give-up, let nDPI guess from ports and known addresses (what ndpiReader prints).
  bool guess_at_giveup = true;
};

}  // namespace parallax::classify
