// geoip_bench: lookups per second with and without the LookupCache, on one thread.
//
// Usage: geoip_bench [--seconds S] [--working-set N] DB.mmdb...
// The address stream draws from a fixed working set of N random public IPv4 addresses (a
// sensor sees a limited set of peers, which is what the cache exploits); the uncached run
// queries GeoIntel directly with the same stream. Plain std::chrono timing loop: no framework.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "geoip/geo_intel.h"
#include "geoip/geo_intel_holder.h"
#include "geoip/lookup_cache.h"

using parallax::geoip::GeoIntel;
using parallax::geoip::GeoIntelHolder;
using parallax::geoip::GeoIntelOptions;
using parallax::geoip::IpAddress;
using parallax::geoip::LookupCache;

namespace {

template <typename F>
double LookupsPerSecond(double seconds, const std::vector<IpAddress>& stream, F lookup,
                        std::uint64_t* sink) {
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  std::uint64_t n = 0;
  std::size_t i = 0;
  double elapsed = 0;
  do {
    for (int k = 0; k < 1024; ++k) {  // check the clock rarely: it costs ~20 ns
      *sink += lookup(stream[i]);
      if (++i == stream.size()) i = 0;
    }
    n += 1024;
    elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  } while (elapsed < seconds);
  return static_cast<double>(n) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2.0;
  std::size_t working_set = 2000;
  GeoIntelOptions options;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (std::strcmp(argv[i], "--working-set") == 0 && i + 1 < argc) {
      working_set = static_cast<std::size_t>(std::atol(argv[++i]));
    } else {
      options.databases.push_back({argv[i], std::nullopt});
    }
  }
  if (options.databases.empty() || working_set == 0) {
    std::fprintf(stderr, "usage: %s [--seconds S] [--working-set N] DB.mmdb...\n", argv[0]);
    return 2;
  }
  std::shared_ptr<const GeoIntel> intel;
  if (auto s = GeoIntel::Open(options, &intel); !s.ok()) {
    std::fprintf(stderr, "geoip_bench: %s\n", s.message().c_str());
    return 1;
  }
  std::mt19937 rng(42);  // fixed seed: the same stream every run
  std::vector<IpAddress> peers;
  while (peers.size() < working_set) {
    const std::uint32_t v = rng();
    if ((v >> 24) == 0 || (v >> 24) >= 224 || (v >> 24) == 10 || (v >> 24) == 127) continue;
    peers.push_back(IpAddress::FromV4(v));
  }
  std::vector<IpAddress> stream(1 << 20);
  std::uniform_int_distribution<std::size_t> pick(0, peers.size() - 1);
  for (auto& a : stream) a = peers[pick(rng)];

  std::uint64_t sink = 0;
  const double uncached = LookupsPerSecond(
      seconds, stream, [&](const IpAddress& a) { return intel->Lookup(a).record.asn; }, &sink);
  GeoIntelHolder holder(intel);
  LookupCache cache(&holder, 4 * working_set);
  const double cached = LookupsPerSecond(
      seconds, stream, [&](const IpAddress& a) { return cache.Lookup(a).record.asn; }, &sink);
  const double hit_rate =
      static_cast<double>(cache.hits()) / static_cast<double>(cache.hits() + cache.misses());
  std::printf("working set %zu addresses, %.1f s per run, cache %zu slots\n", working_set, seconds,
              cache.capacity());
  std::printf("uncached: %12.0f lookups/s\n", uncached);
  std::printf("cached:   %12.0f lookups/s (hit rate %.4f)\n", cached, hit_rate);
  std::printf("(checksum %llu)\n", static_cast<unsigned long long>(sink));
  return 0;
}
