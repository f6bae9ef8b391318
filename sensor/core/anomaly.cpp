#include "sensor/core/anomaly.h"

namespace parallax::core {

std::string_view AnomalyName(Anomaly a) {
  switch (a) {
    case Anomaly::kUnsupportedLinkType: return "unsupported_link_type";
    case Anomaly::kTruncatedLinkHeader: return "truncated_link_header";
    case Anomaly::kTooManyVlanTags: return "too_many_vlan_tags";
    case Anomaly::kNonIpFrame: return "non_ip_frame";
    case Anomaly::kTruncatedIpv4: return "truncated_ipv4";
    case Anomaly::kBadIpv4Version: return "bad_ipv4_version";
    case Anomaly::kBadIpv4HeaderLength: return "bad_ipv4_header_length";
    case Anomaly::kIpv4LengthMismatch: return "ipv4_length_mismatch";
    case Anomaly::kTruncatedIpv6: return "truncated_ipv6";
    case Anomaly::kBadIpv6Version: return "bad_ipv6_version";
    case Anomaly::kIpv6LengthMismatch: return "ipv6_length_mismatch";
    case Anomaly::kIpv6ExtHeaderTruncated: return "ipv6_ext_header_truncated";
    case Anomaly::kIpv6TooManyExtHeaders: return "ipv6_too_many_ext_headers";
    case Anomaly::kFragmentWithoutFirst: return "fragment_without_first";
    case Anomaly::kTruncatedTcp: return "truncated_tcp";
    case Anomaly::kBadTcpHeaderLength: return "bad_tcp_header_length";
    case Anomaly::kBadTcpOption: return "bad_tcp_option";
    case Anomaly::kTruncatedUdp: return "truncated_udp";
    case Anomaly::kBadUdpLength: return "bad_udp_length";
    case Anomaly::kTruncatedIcmp: return "truncated_icmp";
    case Anomaly::kSnaplenTruncated: return "snaplen_truncated";
    case Anomaly::kTimestampBackwards: return "timestamp_backwards";
    case Anomaly::kTimestampOutOfRange: return "timestamp_out_of_range";
    case Anomaly::kFlowTableFull: return "flow_table_full";
    case Anomaly::kCount: break;
  }
  return "unknown";
}

std::uint64_t AnomalyCounters::Total() const {
  std::uint64_t t = 0;
  for (auto c : counts_) t += c;
  return t;
}

void AnomalyCounters::Merge(const AnomalyCounters& other) {
  for (std::size_t i = 0; i < counts_.size(); ++i) counts_[i] += other.counts_[i];
}

}  // namespace parallax::core
