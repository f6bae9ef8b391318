#include "geoip/special_ranges.h"

#include <array>
#include <vector>

namespace parallax::geoip {
namespace {

// Ordered most specific first where ranges nest (192.0.0.0/24 inside nothing else; ::ffff:0:0/96
// is handled by IpAddress::Parse, which turns mapped addresses into IPv4).
constexpr std::array<SpecialRange, 27> kRanges = {{
    {NetworkType::kReserved, "0.0.0.0/8", "RFC 791 (this network)"},
    {NetworkType::kPrivate, "10.0.0.0/8", "RFC 1918"},
    {NetworkType::kSharedCgnat, "100.64.0.0/10", "RFC 6598"},
    {NetworkType::kLoopback, "127.0.0.0/8", "RFC 1122"},
    {NetworkType::kLinkLocal, "169.254.0.0/16", "RFC 3927"},
    {NetworkType::kPrivate, "172.16.0.0/12", "RFC 1918"},
    {NetworkType::kReserved, "192.0.0.0/24", "RFC 6890 (IETF protocol assignments)"},
    {NetworkType::kDocumentation, "192.0.2.0/24", "RFC 5737 (TEST-NET-1)"},
    {NetworkType::kReserved, "192.88.99.0/24", "RFC 7526 (deprecated 6to4 relay anycast)"},
    {NetworkType::kPrivate, "192.168.0.0/16", "RFC 1918"},
    {NetworkType::kReserved, "198.18.0.0/15", "RFC 2544 (benchmarking)"},
    {NetworkType::kDocumentation, "198.51.100.0/24", "RFC 5737 (TEST-NET-2)"},
    {NetworkType::kDocumentation, "203.0.113.0/24", "RFC 5737 (TEST-NET-3)"},
    {NetworkType::kMulticast, "224.0.0.0/4", "RFC 5771"},
    {NetworkType::kReserved, "240.0.0.0/4", "RFC 1112 (reserved)"},
    {NetworkType::kReserved, "255.255.255.255/32", "RFC 919 (limited broadcast)"},
    {NetworkType::kReserved, "::/128", "RFC 4291 (unspecified)"},
    {NetworkType::kLoopback, "::1/128", "RFC 4291"},
    {NetworkType::kReserved, "64:ff9b:1::/48", "RFC 8215 (local-use NAT64)"},
    {NetworkType::kReserved, "100::/64", "RFC 6666 (discard-only)"},
    {NetworkType::kReserved, "2001:2::/48", "RFC 5180 (benchmarking)"},
    {NetworkType::kDocumentation, "2001:db8::/32", "RFC 3849"},
    {NetworkType::kDocumentation, "3fff::/20", "RFC 9637"},
    {NetworkType::kUniqueLocal, "fc00::/7", "RFC 4193"},
    {NetworkType::kLinkLocal, "fe80::/10", "RFC 4291"},
    {NetworkType::kReserved, "fec0::/10", "RFC 3879 (deprecated site-local)"},
    {NetworkType::kMulticast, "ff00::/8", "RFC 4291"},
}};

struct ParsedRange {
  Cidr cidr;
  const SpecialRange* range;
};

const std::vector<ParsedRange>& ParsedRanges() {
  // Parsed once; the table is constant, so a function-local static is safe and thread-safe.
  static const std::vector<ParsedRange> parsed = [] {
    std::vector<ParsedRange> out;
    for (const auto& r : kRanges) out.push_back({*Cidr::Parse(r.cidr), &r});
    return out;
  }();
  return parsed;
}

}  // namespace

std::optional<SpecialRange> FindSpecialRange(const IpAddress& address) {
  const ParsedRange* best = nullptr;
  for (const auto& p : ParsedRanges()) {
    if (p.cidr.Contains(address) && (best == nullptr || p.cidr.prefix_len > best->cidr.prefix_len))
      best = &p;
  }
  if (best == nullptr) return std::nullopt;
  return *best->range;
}

}  // namespace parallax::geoip
