// Guards against known crashes inside the nDPI release Debian ships: packets that would crash it
// are withheld from nDPI (the flow is still tracked and analysed; nDPI just misses that packet).
// Each guard names the nDPI fix that makes it unnecessary and is compiled out for releases that
// have it.
#pragma once

#include <cstdint>

namespace parallax::classify {

// nDPI 4.2 dereferences a NULL TCP header in processCertificate when a DTLS (UDP) handshake
// carries a Certificate message (fixed by ntop/nDPI pull request 1450, in 4.4). True when the
// UDP payload is a run of DTLS records of which a handshake record holds a Certificate (type 11),
// whole or as a fragment. Found by fuzz_packet_path (tests/fuzz/regressions/fuzz_packet_path).
bool CarriesDtlsCertificate(const std::uint8_t* payload, std::uint32_t len);

}  // namespace parallax::classify
