#include "sensor/core/decoded_packet.h"

namespace parallax::core {

const char* EncapName(Encap e) {
  switch (e) {
    case Encap::kNone: return "none";
    case Encap::kIpInIp: return "ip_in_ip";
    case Encap::kGre: return "gre";
    case Encap::kErspan: return "erspan";
    case Encap::kVxlan: return "vxlan";
  }
  return "unknown";
}

}  // namespace parallax::core
