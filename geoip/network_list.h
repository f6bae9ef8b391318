// NetworkList: ASN and CIDR entries that label networks (type + provider), read from text.
//
// Two formats share this class:
//  * Operator lists (NetworkList::Load), one entry per line, '#' starts a comment:
//      203.0.113.7                  address or CIDR; takes the list's default type
//      198.51.100.0/24 vpn Astrill  CIDR, type, optional provider (rest of the line)
//      AS9009 hosting               ASN ("AS" or "ASN" prefix, or a bare number)
//      @default vpn Astrill         sets the type/provider for later lines without one
//      ExitAddress 192.0.2.9 2024-05-01 10:00:00   Tor bulk exit list (torproject.org
//      exit-addresses) ExitNode/Published/LastStatus lines of that format are skipped.
//      172.224.224.0/27,GB,GB-EN,London,   Apple's iCloud Private Relay egress CSV: first field
//                                          is the CIDR, the entry takes the default type.
//    A line that is none of these is an error naming the file and line: operator lists are
//    hand-written, and a silently ignored typo would hide an exit the operator meant to flag.
//  * The curated table (NetworkList::ParseCurated), tab-separated:
//      target <TAB> type <TAB> provider or "-" <TAB> public source
//    every entry must name its public source.
//
// Within one list a CIDR match beats an ASN match (it is more specific), and among CIDRs the
// longest prefix wins.
//
// Thread-safety: immutable after loading; const methods are safe for concurrent use.
#ifndef PARALLAX_GEOIP_NETWORK_LIST_H_
#define PARALLAX_GEOIP_NETWORK_LIST_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "geoip/ip_address.h"
#include "geoip/network_type.h"
#include "geoip/prefix_map.h"
#include "geoip/status.h"

namespace parallax::geoip {

struct NetworkLabel {
  NetworkType type = NetworkType::kUnknown;
  std::string provider;  // "Mullvad", "Tor", ... or empty
  std::string origin;    // "file:line", plus the public source for curated entries
};

struct ListOptions {
  // Type for lines that give none (e.g. a Tor bulk exit list of bare addresses: kTorExit).
  // Without it, and without an "@default" line, such a line is an error.
  std::optional<NetworkType> default_type;
  std::string default_provider;
};

class NetworkList {
 public:
  // Reads an operator list. On error returns a Status naming `path` (and the line).
  static Status Load(const std::string& path, const ListOptions& options, NetworkList* out);
  // Parses operator-list text; `name` is used in error messages and origins.
  static Status Parse(std::string_view text, std::string_view name, const ListOptions& options,
                      NetworkList* out);
  // Parses the curated tab-separated table.
  static Status ParseCurated(std::string_view text, std::string_view name, NetworkList* out);

  // The label for `address` in AS `asn` (0 when unknown), or nullptr.
  const NetworkLabel* Find(const IpAddress& address, std::uint32_t asn) const;

  const std::string& name() const { return name_; }
  std::size_t cidr_count() const { return cidrs_.size(); }
  std::size_t asn_count() const { return asns_.size(); }

 private:
  std::string name_;
  PrefixMap<NetworkLabel> cidrs_;
  std::unordered_map<std::uint32_t, NetworkLabel> asns_;
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_NETWORK_LIST_H_
