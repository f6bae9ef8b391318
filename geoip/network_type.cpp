#include "geoip/network_type.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace parallax::geoip {

std::string_view NetworkTypeName(NetworkType type) {
  switch (type) {
    case NetworkType::kUnknown:
      return "unknown";
    case NetworkType::kResidential:
      return "residential";
    case NetworkType::kHosting:
      return "hosting";
    case NetworkType::kVpn:
      return "vpn";
    case NetworkType::kTorExit:
      return "tor_exit";
    case NetworkType::kProxy:
      return "proxy";
    case NetworkType::kMobile:
      return "mobile";
    case NetworkType::kPrivate:
      return "private";
    case NetworkType::kSharedCgnat:
      return "cgnat";
    case NetworkType::kLoopback:
      return "loopback";
    case NetworkType::kLinkLocal:
      return "link_local";
    case NetworkType::kDocumentation:
      return "documentation";
    case NetworkType::kMulticast:
      return "multicast";
    case NetworkType::kUniqueLocal:
      return "unique_local";
    case NetworkType::kReserved:
      return "reserved";
  }
  return "unknown";
}

std::string_view NetworkSourceName(NetworkSource source) {
  switch (source) {
    case NetworkSource::kSpecialRange:
      return "special_range";
    case NetworkSource::kDefault:
      return "default";
    case NetworkSource::kAsnOrgName:
      return "asn_org_name";
    case NetworkSource::kCurated:
      return "curated";
    case NetworkSource::kAnonymousIpDb:
      return "anonymous_ip_db";
    case NetworkSource::kOperatorList:
      return "operator_list";
  }
  return "unknown";
}

std::optional<NetworkType> ParseNetworkType(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower == "unknown") return NetworkType::kUnknown;
  if (lower == "residential" || lower == "business") return NetworkType::kResidential;
  if (lower == "hosting" || lower == "datacenter") return NetworkType::kHosting;
  if (lower == "vpn") return NetworkType::kVpn;
  if (lower == "tor_exit" || lower == "tor") return NetworkType::kTorExit;
  if (lower == "proxy" || lower == "residential_proxy") return NetworkType::kProxy;
  if (lower == "mobile") return NetworkType::kMobile;
  return std::nullopt;
}

bool IsSpecialPurpose(NetworkType type) { return type >= NetworkType::kPrivate; }

}  // namespace parallax::geoip
