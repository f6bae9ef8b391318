#include "sensor/daemon/shard.h"

#include <algorithm>
#include <cstdint>

#include "sensor/core/decoder.h"

namespace parallax::daemon {
namespace {

std::uint64_t Fnv1a(const std::uint8_t* p, std::size_t n, std::uint64_t h) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= p[i];
    h *= 1099511628211ull;
  }
  return h;
}

std::uint64_t AddressHash(const core::IpAddress& a) {
  return Fnv1a(a.bytes(), a.is_v4() ? 4 : 16, 14695981039346656037ull);
}

}  // namespace

std::size_t Sharder::ShardOf(const core::PacketView& packet) {
  if (workers_ <= 1) return 0;
  const core::DecodeStatus s = core::Decode(packet, scratch_, ignored_);
  if (s != core::DecodeStatus::kOk) return 0;
  // Symmetric: the same for A->B and B->A.
  const std::uint64_t a = AddressHash(scratch_.src), b = AddressHash(scratch_.dst);
  std::uint64_t h = std::min(a, b) * 31 + std::max(a, b);
  h ^= h >> 29;
  return static_cast<std::size_t>(h % workers_);
}

}  // namespace parallax::daemon
