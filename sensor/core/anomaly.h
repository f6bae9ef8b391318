// Anomalies: named counters for packets the decoder or flow table could not take at face value
// (Zeek's "weirds"). The packet path never throws: it bumps one of these and moves on.
// AnomalyCounters is a plain value; REQUIRES external synchronization (one per worker).
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace parallax::core {

enum class Anomaly : std::uint8_t {
  kUnsupportedLinkType,
  kTruncatedLinkHeader,   // shorter than the Ethernet/SLL/SLL2/null header
  kTooManyVlanTags,       // more than 2 stacked 802.1Q/802.1ad tags
  kNonIpFrame,            // ARP, LLDP... (counted, not an error)
  kTruncatedIpv4,
  kBadIpv4Version,
  kBadIpv4HeaderLength,   // IHL < 5 or beyond the captured bytes
  kIpv4LengthMismatch,    // total length smaller than the header or larger than the frame
  kTruncatedIpv6,
  kBadIpv6Version,
  kIpv6LengthMismatch,
  kIpv6ExtHeaderTruncated,
  kIpv6TooManyExtHeaders,
  kFragmentWithoutFirst,  // non-first fragment whose first fragment was never seen
  kTruncatedTcp,
  kBadTcpHeaderLength,
  kBadTcpOption,
  kTruncatedUdp,
  kBadUdpLength,
  kTruncatedIcmp,
  kSnaplenTruncated,      // caplen < wirelen: payload beyond the capture is missing
  kTimestampBackwards,    // clamped to the last seen time
  kTimestampOutOfRange,   // before 1970 or after 9999 (core::InTimeRange): the last seen time
  kFlowTableFull,         // a live flow was evicted to make room
  kCount
};

std::string_view AnomalyName(Anomaly a);

class AnomalyCounters {
 public:
  void Add(Anomaly a, std::uint64_t n = 1) { counts_[static_cast<std::size_t>(a)] += n; }
  std::uint64_t Get(Anomaly a) const { return counts_[static_cast<std::size_t>(a)]; }
  std::uint64_t Total() const;
  void Merge(const AnomalyCounters& other);

 private:
  std::array<std::uint64_t, static_cast<std::size_t>(Anomaly::kCount)> counts_{};
};

}  // namespace parallax::core
