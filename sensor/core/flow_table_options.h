// FlowTableOptions: every number the flow table uses, with its default and the reason for it.
// Sanitize() clamps them into workable ranges (LevelDB's options.h style); docs/configuration.md
// lists the same table.
#pragma once

#include <cstddef>

#include "sensor/core/time.h"

namespace parallax::core {

struct FlowTableOptions {
  // Live-flow cap. 262144 flows x ~1 KiB is ~256 MiB at worst: sized for a busy egress link on a
  // small sensor, and a hard bound against 5-tuple floods (the oldest flow is evicted, counted).
  std::size_t max_flows = 262144;
  // Idle timeouts (packet time). TCP gets 5 minutes as in Zeek's tcp_inactivity_timeout. UDP
  // follows Suricata: a flow that has heard back (established) keeps 5 minutes, so a VPN or
  // DTLS session with long quiet gaps stays one flow; a one-way flow (a DNS query without
  // answer, a scan) only 30 s so floods do not pile up. ICMP 30 s (pings); other IP protocols
  // (GRE, ESP) 5 minutes, as they are tunnels.
  TimeUs tcp_idle_timeout = Seconds(300);
  TimeUs udp_idle_timeout = Seconds(300);
  TimeUs udp_new_timeout = Seconds(30);
  TimeUs icmp_idle_timeout = Seconds(30);
  TimeUs other_idle_timeout = Seconds(300);
  // After FIN in both directions or RST: linger briefly so the last ACKs and retransmitted FINs
  // join the flow instead of opening a one-packet ghost flow.
  TimeUs tcp_closed_timeout = Seconds(5);
  // Long flows (a remote-desktop session held open for days) emit an interim record this often.
  TimeUs active_timeout = Seconds(1800);
  // At most this many flows are expired per packet, so one packet never pays for a mass expiry.
  std::size_t expiry_budget = 64;

  void Sanitize();
};

}  // namespace parallax::core
