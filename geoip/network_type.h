// NetworkType: what kind of network an address belongs to, and which source said so.
//
// Thread-safety: plain values and pure functions; safe from any thread.
#ifndef PARALLAX_GEOIP_NETWORK_TYPE_H_
#define PARALLAX_GEOIP_NETWORK_TYPE_H_

#include <optional>
#include <string>
#include <string_view>

namespace parallax::geoip {

enum class NetworkType {
  kUnknown,      // a public address no source classifies: the default. Not residential, not
                 // hosting: detections must not read either into it.
  kResidential,  // residential or business access, when a source says so (curated table,
                 // ASN organisation rule, operator list)
  kHosting,      // hosting, datacenter, cloud, colocation
  kVpn,          // a commercial VPN or relay (provider named when known)
  kTorExit,      // a Tor exit relay
  kProxy,        // a public or residential proxy (Anonymous-IP database, operator lists)
  kMobile,       // a mobile carrier
  // Special-purpose ranges (IANA registries); never re-classified by the public sources.
  kPrivate,        // RFC 1918, 10/8 172.16/12 192.168/16
  kSharedCgnat,    // RFC 6598, 100.64/10
  kLoopback,       // 127/8, ::1
  kLinkLocal,      // 169.254/16, fe80::/10
  kDocumentation,  // RFC 5737, RFC 3849
  kMulticast,      // 224/4, ff00::/8
  kUniqueLocal,    // RFC 4193, fc00::/7
  kReserved,       // everything else in the IANA special-purpose registries
};

// Which source decided a NetworkType. Later values override earlier ones (see docs/geoip.md).
enum class NetworkSource {
  kSpecialRange,   // IANA special-purpose range; final
  kDefault,        // nothing matched: public address, unknown
  kAsnOrgName,     // a keyword rule on the ASN organisation name
  kCurated,        // geoip/data/network_types.tsv (built in)
  kAnonymousIpDb,  // a GeoIP2 Anonymous-IP database
  kOperatorList,   // an operator-supplied list (--list / --tor-list)
};

std::string_view NetworkTypeName(NetworkType type);  // "unknown", "hosting", "tor_exit", ...
std::string_view NetworkSourceName(NetworkSource source);
// Accepts the names NetworkTypeName produces for the public types ("unknown" included, so an
// operator list can withdraw a classification) plus the aliases "tor", "datacenter",
// "residential_proxy", "business"; case-insensitive. Special-purpose types are not accepted:
// they come from the IANA table only.
std::optional<NetworkType> ParseNetworkType(std::string_view name);
bool IsSpecialPurpose(NetworkType type);

// Curated hosting rows whose business is renting remote desktops (hosted Macs, cloud PCs) name
// their provider "hosted desktop: NAME" (geoip/data/network_types.tsv, docs/geoip.md).
inline constexpr std::string_view kHostedDesktopPrefix = "hosted desktop: ";
inline bool IsHostedDesktopProvider(std::string_view provider) {
  return provider.size() > kHostedDesktopPrefix.size() &&
         provider.substr(0, kHostedDesktopPrefix.size()) == kHostedDesktopPrefix;
}

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_NETWORK_TYPE_H_
