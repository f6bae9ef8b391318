// Fingerprint: one analyzer's finding about a flow: what kind of session it is, which product,
// how sure, and the facts that decided it. Written as `fingerprint` events (docs/events.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sensor/core/ip_address.h"

namespace parallax::analyzers {

// The kinds the detection engine reasons about.
enum class Kind { kVpn, kRemoteDesktop, kColocatedDesktop, kIpKvm, kTunnelInner };
const char* KindName(Kind k);

struct Evidence {
  std::string key;    // "sni", "port", "payload", "mss", "asn", "packet_sizes"...
  std::string value;  // human-readable fact
};

// Remote control: who drives whom, measured from the packets.
struct RemoteControl {
  core::IpAddress controlled;  // sends the screen: large, frequent packets
  core::IpAddress controller;  // sends input: small packets in human-timed bursts
  std::string role_basis;      // why: "bytes ratio 14.2 (screen 1.2 MB vs input 85 kB)"
  bool role_known = false;     // false: traffic too balanced, roles are the protocol's default
  bool relayed = false;        // through the vendor's relay servers: the far end is the relay,
                               // not the real peer (controller_ip is then the relay's address)
  std::string relay;           // the relay's name/network when relayed
  double duration_s = 0;
  double input_events_per_min = 0;  // controller packets carrying payload, per minute
  double median_input_gap_ms = 0;   // between controller bursts
  std::uint64_t screen_bytes = 0;
  std::uint64_t input_bytes = 0;
};

struct Fingerprint {
  Kind kind = Kind::kVpn;
  std::string product;     // "WireGuard", "AnyDesk", "Astrill", "encrypted tunnel"
  double confidence = 0;   // 0..1
  std::string analyzer;    // registered name of the analyzer that decided
  std::string decided_by;  // "ndpi" (nDPI's classification) or "parallax" (our own detection)
  // A heuristic that names no product (an unnamed tunnel): it yields to a named session on the
  // same flow.
  bool generic = false;
  std::vector<Evidence> evidence;
  std::optional<RemoteControl> remote;

  void Add(std::string key, std::string value) {
    evidence.push_back({std::move(key), std::move(value)});
  }
};

// "ADDR:PORT", as fingerprints name a server, client or peer.
inline std::string Endpoint(const core::IpAddress& addr, std::uint16_t port) {
  return addr.ToString() + ":" + std::to_string(port);
}

}  // namespace parallax::analyzers
