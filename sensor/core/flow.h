// Flow: everything the sensor keeps about one bidirectional conversation. The originator is the
// side that sent the first packet (for TCP, the SYN sender, even when the SYN-ACK is seen first).
// Thread-safety: REQUIRES external synchronization; a flow is owned by one worker's FlowTable.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "sensor/core/classification.h"
#include "sensor/core/decoded_packet.h"
#include "sensor/core/flow_key.h"
#include "sensor/core/time.h"

namespace parallax::core {

// kToServer: originator → responder ("toserver" in Suricata's eve); kToClient the reverse.
enum class Direction : std::uint8_t { kToServer = 0, kToClient = 1 };

enum class FlowEndReason : std::uint8_t {
  kIdleTimeout,    // no packet for the protocol's idle timeout
  kTcpFin,         // FIN seen in both directions
  kTcpRst,         // RST seen
  kActiveTimeout,  // an interim record of a long flow (the flow goes on)
  kEvicted,        // removed to respect the flow-table cap
  kPortReuse,      // a new SYN on the 5-tuple of a closed connection
  kShutdown,       // end of input or daemon stop
};
const char* FlowEndReasonName(FlowEndReason r);

struct DirectionStats {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;          // frame bytes on the wire
  std::uint64_t payload_bytes = 0;  // transport payload bytes as the headers declare them
  TimeUs first_ts = 0;
  TimeUs last_ts = 0;
  std::uint8_t tcp_flags = 0;       // OR of every flag seen in this direction
};

// The IP and TCP facts of a SYN or SYN-ACK (p0f-style: TTL, window, MSS and option order).
struct HandshakePacket {
  bool seen = false;
  TimeUs ts = 0;
  std::uint8_t ttl = 0;
  bool dont_fragment = false;
  std::uint16_t window = 0;
  TcpOptions options;
};

// The sizes, directions and times of a flow's first packets, for later analyzers.
struct PacketSample {
  std::uint32_t offset_us;  // since the flow's first packet, saturating at ~71 minutes
  std::uint16_t payload_len;
  std::uint8_t direction;   // Direction
  std::uint8_t tcp_flags;
};

// Per-flow state owned by another layer (the classifier's nDPI state, later analyzers'): the
// core only destroys it.
class FlowExtension {
 public:
  virtual ~FlowExtension() = default;
};

struct Flow {
  static constexpr std::size_t kMaxSamples = 32;

  FlowKey key;
  std::uint64_t id = 0;  // stable within a run and across runs on the same input

  IpAddress orig_addr;
  IpAddress resp_addr;
  std::uint16_t orig_port = 0;
  std::uint16_t resp_port = 0;
  std::uint8_t proto = 0;
  std::uint8_t ip_version = 0;
  std::uint8_t icmp_type = 0;  // of the first packet, for ICMP flows
  std::uint8_t icmp_code = 0;
  bool icmp_first_from_orig = true;
  bool has_ports = false;
  bool orig_is_lo = true;      // whether the originator is key.lo_addr
  bool has_mac = false;
  Encap encap = Encap::kNone;  // tunnel the flow's first packet was stripped from
  IpAddress encap_src;
  IpAddress encap_dst;
  std::array<std::uint8_t, 6> orig_mac{};
  std::array<std::uint8_t, 6> resp_mac{};

  TimeUs first_ts = 0;
  TimeUs last_ts = 0;
  std::array<DirectionStats, 2> dir{};
  std::uint64_t fragments = 0;  // non-first IP fragments accounted to this flow

  // TCP handshake: SYN → SYN-ACK gives the sensor↔responder RTT, SYN-ACK → ACK the
  // sensor↔originator RTT.
  HandshakePacket syn;
  HandshakePacket synack;
  TimeUs handshake_ack_ts = 0;
  bool fin_seen[2] = {false, false};
  bool rst_seen = false;

  std::array<PacketSample, kMaxSamples> samples{};
  std::uint8_t sample_count = 0;

  Classification classification;
  std::unique_ptr<FlowExtension> classifier_state;
  // The analyzers following this flow (analyzers/AnalyzerHost); attached at the first packet.
  std::unique_ptr<FlowExtension> analyzer_state;
  bool analyzers_attached = false;

  std::uint32_t interim_count = 0;
  TimeUs last_report_ts = 0;

  mutable std::string community_id_;

  // FlowTable bookkeeping: an intrusive LRU list per timeout class.
  Flow* lru_prev = nullptr;
  Flow* lru_next = nullptr;
  std::uint8_t timeout_class = 0;

  // Initialises a new flow from its first packet.
  void Start(const FlowKey& k, bool from_lo, const DecodedPacket& p);
  // Returns the direction of p (from_lo: p's source is key.lo_addr).
  Direction DirectionOf(bool from_lo) const {
    return from_lo == orig_is_lo ? Direction::kToServer : Direction::kToClient;
  }
  // Accounts p to the flow (counters, flags, handshake, samples).
  void Update(const DecodedPacket& p, Direction d);
  bool TcpClosed() const { return rst_seen || (fin_seen[0] && fin_seen[1]); }

  // Community ID v1 of the flow, computed on first use (a SHA-1 per flow is a measurable share of
  // the packet path when records are not written).
  const std::string& CommunityId() const;

  // Handshake RTTs in microseconds, or -1 when that half was not seen.
  TimeUs ResponderRttUs() const;
  TimeUs OriginatorRttUs() const;
};

}  // namespace parallax::core
