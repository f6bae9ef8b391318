// GeoIntelHolder: the current GeoIntel, swappable while lookups continue (reload).
//
// Readers take a shared_ptr copy (Get) and keep using it for as long as they like; Swap publishes
// a new one, and the old GeoIntel (and its mapped files) is freed when its last reader lets go.
// A generation counter lets a LookupCache notice a swap with one atomic load per lookup instead
// of copying the shared_ptr every time.
//
// Why a mutex and not std::atomic<std::shared_ptr>: Get() is called once per cache refresh, not
// per packet, so the lock is uncontended in practice, and a mutex is the simplest correct
// publication of a shared_ptr on every compiler Debian ships.
// Thread-safety: safe for concurrent access.
#ifndef PARALLAX_GEOIP_GEO_INTEL_HOLDER_H_
#define PARALLAX_GEOIP_GEO_INTEL_HOLDER_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

#include "geoip/geo_intel.h"

namespace parallax::geoip {

class GeoIntelHolder {
 public:
  explicit GeoIntelHolder(std::shared_ptr<const GeoIntel> initial = nullptr)
      : current_(std::move(initial)) {}

  std::shared_ptr<const GeoIntel> Get() const {
    std::lock_guard<std::mutex> lock(mu_);
    return current_;
  }

  void Swap(std::shared_ptr<const GeoIntel> next) {
    std::shared_ptr<const GeoIntel> old;
    {
      std::lock_guard<std::mutex> lock(mu_);
      old = std::move(current_);
      current_ = std::move(next);
      generation_.fetch_add(1, std::memory_order_release);
    }
    // `old` is released here, outside the lock: unmapping large files can take a while.
  }

  // Changes on every Swap.
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const GeoIntel> current_;
  std::atomic<std::uint64_t> generation_{0};
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_GEO_INTEL_HOLDER_H_
