#include "sensor/classify/ndpi_guards.h"

namespace parallax::classify {

bool CarriesDtlsCertificate(const std::uint8_t* p, std::uint32_t len) {
  // DTLS record: type(1) version(2: 0xfeff DTLS 1.0, 0xfefd 1.2, 0xfefc 1.3) epoch(2) seq(6)
  // length(2), then for a handshake record msg_type(1) ...
  constexpr std::uint32_t kHeader = 13;
  std::uint32_t off = 0;
  while (p && off + kHeader <= len) {
    const std::uint8_t type = p[off];
    if (type < 20 || type > 26 || p[off + 1] != 0xfe) return false;  // not DTLS: stop looking
    const std::uint32_t rec_len = (std::uint32_t{p[off + 11]} << 8) | p[off + 12];
    if (type == 22 && rec_len > 0 && off + kHeader < len && p[off + kHeader] == 11) return true;
    off += kHeader + rec_len;
  }
  return false;
}

}  // namespace parallax::classify
