#include "analyzers/fingerprint.h"

namespace parallax::analyzers {

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kVpn: return "vpn";
    case Kind::kRemoteDesktop: return "remote_desktop";
    case Kind::kColocatedDesktop: return "colocated_desktop";
    case Kind::kIpKvm: return "ip_kvm";
    case Kind::kTunnelInner: return "tunnel_inner";
  }
  return "unknown";
}

}  // namespace parallax::analyzers
