// LookupCache: a bounded, direct-mapped cache of GeoAnswers in front of a GeoIntelHolder.
//
// Traffic repeats addresses heavily (one flow, many packets; few peers, many flows), and a
// libmaxminddb lookup with its field reads costs about a microsecond, so each worker keeps one
// of these. Direct-mapped: one slot per hash value, a new address evicts the slot's old one. No
// LRU bookkeeping means a hit is a hash, a 17-byte compare and a generation check.
//
// On a reload (holder generation changes) the cache drops every entry and takes the new
// GeoIntel, so no answer from an old database outlives the swap by more than one lookup.
//
// Lifetime: references returned by Lookup stay valid until the next call on this cache.
// Thread-safety: NOT thread-safe. REQUIRES: external synchronization; the intended use is one
// cache per worker thread (the holder itself is shared and safe).
#ifndef PARALLAX_GEOIP_LOOKUP_CACHE_H_
#define PARALLAX_GEOIP_LOOKUP_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "geoip/geo_answer.h"
#include "geoip/geo_intel.h"
#include "geoip/geo_intel_holder.h"

namespace parallax::geoip {

class LookupCache {
 public:
  // Default slot count: 4096 answers (~1 MB) holds a busy sensor's active peers while staying
  // in L2-sized memory. Rounded up to a power of two; at least 1.
  static constexpr std::size_t kDefaultCapacity = 4096;

  explicit LookupCache(const GeoIntelHolder* holder, std::size_t capacity = kDefaultCapacity);

  // The answer for `address`. With no GeoIntel in the holder, the answer still carries the
  // special-range / default network type (computed without databases).
  const GeoAnswer& Lookup(const IpAddress& address);

  std::uint64_t hits() const { return hits_; }
  std::uint64_t misses() const { return misses_; }
  std::size_t capacity() const { return slots_.size(); }

 private:
  struct Slot {
    bool valid = false;
    GeoAnswer answer;
  };
  void Refresh();

  const GeoIntelHolder* holder_;
  std::shared_ptr<const GeoIntel> intel_;
  std::shared_ptr<const GeoIntel> empty_intel_;  // used while the holder is empty
  std::uint64_t generation_;
  std::vector<Slot> slots_;
  std::size_t mask_;
  std::uint64_t hits_ = 0;
  std::uint64_t misses_ = 0;
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_LOOKUP_CACHE_H_
