// PrefixMap<T>: longest-prefix match from CIDR to a value.
//
// One hash map per prefix length in use; a lookup masks the address once per length present,
// longest first. Lists hold at most tens of thousands of entries over a handful of lengths, so
// this beats a bit trie on simplicity at the same speed for our sizes.
//
// Thread-safety: const methods are safe for concurrent use; Insert REQUIRES external
// synchronization (in practice a PrefixMap is filled once, then only read).
#ifndef PARALLAX_GEOIP_PREFIX_MAP_H_
#define PARALLAX_GEOIP_PREFIX_MAP_H_

#include <cstddef>
#include <cstring>
#include <functional>
#include <map>
#include <string_view>
#include <unordered_map>

#include "geoip/ip_address.h"

namespace parallax::geoip {

struct IpAddressHash {
  std::size_t operator()(const IpAddress& a) const {
    std::uint64_t lo, hi;
    std::memcpy(&lo, a.bytes.data(), 8);
    std::memcpy(&hi, a.bytes.data() + 8, 8);
    // Multiplicative mixing (splitmix64 constant); IPv4 leaves `hi` zero, so mix both halves.
    std::uint64_t h =
        (lo ^ (hi * 0x9e3779b97f4a7c15ULL) ^ (a.is_v4 ? 1 : 0)) * 0xbf58476d1ce4e5b9ULL;
    return static_cast<std::size_t>(h ^ (h >> 31));
  }
};

template <typename T>
class PrefixMap {
 public:
  // Replaces any value already stored for exactly this prefix: later lines win.
  void Insert(const Cidr& cidr, T value) {
    by_length_[Key(cidr.network.is_v4, cidr.prefix_len)][cidr.network] = std::move(value);
    ++size_;
  }

  // The value of the longest prefix containing `address`, or nullptr.
  const T* Find(const IpAddress& address) const {
    for (const auto& [key, table] : by_length_) {  // keys sort longest prefix first
      if (IsV4(key) != address.is_v4) continue;
      const auto it = table.find(MaskAddress(address, Length(key)));
      if (it != table.end()) return &it->second;
    }
    return nullptr;
  }

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  // Negative so std::map iterates longest prefixes first; IPv6 and IPv4 kept apart.
  static int Key(bool v4, int len) { return -(len * 2 + (v4 ? 1 : 0)); }
  static bool IsV4(int key) { return ((-key) & 1) != 0; }
  static int Length(int key) { return (-key) / 2; }

  std::map<int, std::unordered_map<IpAddress, T, IpAddressHash>> by_length_;
  std::size_t size_ = 0;
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_PREFIX_MAP_H_
