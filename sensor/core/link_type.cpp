#include "sensor/core/link_type.h"

namespace parallax::core {

std::string_view LinkTypeName(LinkType t) {
  switch (t) {
    case LinkType::kEthernet: return "ethernet";
    case LinkType::kLinuxSll: return "linux_sll";
    case LinkType::kLinuxSll2: return "linux_sll2";
    case LinkType::kRaw: return "raw";
    case LinkType::kIpv4: return "ipv4";
    case LinkType::kIpv6: return "ipv6";
    case LinkType::kNull: return "null";
    case LinkType::kLoop: return "loop";
    case LinkType::kNflog: return "nflog";
    case LinkType::kUnsupported: break;
  }
  return "unsupported";
}

}  // namespace parallax::core
