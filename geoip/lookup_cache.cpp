#include "geoip/lookup_cache.h"

#include "geoip/prefix_map.h"

namespace parallax::geoip {

LookupCache::LookupCache(const GeoIntelHolder* holder, std::size_t capacity)
    : holder_(holder), generation_(holder->generation()) {
  std::size_t n = 1;
  while (n < capacity) n <<= 1;
  slots_.resize(n);
  mask_ = n - 1;
  intel_ = holder_->Get();
  // An empty GeoIntel (no files) cannot fail to open; it answers special ranges and curated
  // CIDRs, which is what "run without GeoIP" means.
  GeoIntel::Open(GeoIntelOptions{}, &empty_intel_);
}

void LookupCache::Refresh() {
  generation_ = holder_->generation();
  intel_ = holder_->Get();
  for (auto& slot : slots_) slot.valid = false;
}

const GeoAnswer& LookupCache::Lookup(const IpAddress& address) {
  if (holder_->generation() != generation_) Refresh();
  Slot& slot = slots_[IpAddressHash()(address) & mask_];
  if (slot.valid && slot.answer.address == address) {
    ++hits_;
    return slot.answer;
  }
  ++misses_;
  slot.answer = (intel_ ? intel_ : empty_intel_)->Lookup(address);
  slot.valid = true;
  return slot.answer;
}

}  // namespace parallax::geoip
