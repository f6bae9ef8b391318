// LookupCache and reload while lookups continue.
#include <atomic>
#include <catch2/catch.hpp>
#include <thread>

#include "geoip/geo_intel_holder.h"
#include "geoip/lookup_cache.h"
#include "tests/geoip/test_paths.h"

namespace parallax::geoip {
namespace {

using testing::TestDb;

IpAddress Ip(const char* text) { return IpAddress::Parse(text).value(); }

std::shared_ptr<const GeoIntel> OpenWith(const std::string& location_db) {
  GeoIntelOptions options;
  options.databases = {{location_db, DbKind::kLocation}};
  std::shared_ptr<const GeoIntel> intel;
  REQUIRE(GeoIntel::Open(options, &intel).ok());
  return intel;
}

TEST_CASE("cache hits, misses, eviction", "[cache]") {
  GeoIntelHolder holder(OpenWith(TestDb("maxmind_city")));
  LookupCache cache(&holder, 1000);
  CHECK(cache.capacity() == 1024);
  CHECK(cache.Lookup(Ip("81.2.69.1")).record.city == "London");
  CHECK(cache.misses() == 1);
  CHECK(cache.Lookup(Ip("81.2.69.1")).record.city == "London");
  CHECK(cache.hits() == 1);
  // A one-slot cache evicts on every new address and still answers correctly.
  LookupCache tiny(&holder, 1);
  CHECK(tiny.Lookup(Ip("81.2.69.1")).record.city == "London");
  CHECK(tiny.Lookup(Ip("216.160.83.1")).record.city == "Milton");
  CHECK(tiny.Lookup(Ip("81.2.69.1")).record.city == "London");
  CHECK(tiny.misses() == 3);
  CHECK(tiny.hits() == 0);
}

TEST_CASE("without any GeoIntel the cache still classifies", "[cache]") {
  GeoIntelHolder empty;
  LookupCache cache(&empty);
  CHECK(cache.Lookup(Ip("192.168.1.1")).network_type == NetworkType::kPrivate);
  const GeoAnswer& a = cache.Lookup(Ip("8.8.8.8"));
  CHECK_FALSE(a.record.has_location_data);
  CHECK(a.network_type == NetworkType::kUnknown);
}

TEST_CASE("a swap invalidates cached answers", "[cache][reload]") {
  GeoIntelHolder holder(OpenWith(TestDb("maxmind_city")));
  LookupCache cache(&holder);
  CHECK(cache.Lookup(Ip("81.2.69.1")).record.country == "GB");
  holder.Swap(OpenWith(TestDb("flat_city_v4")));
  CHECK_FALSE(cache.Lookup(Ip("81.2.69.1")).record.has_location_data);
  CHECK(cache.Lookup(Ip("8.8.8.8")).record.country == "US");
}

TEST_CASE("reload while other threads look up", "[reload]") {
  const auto a = OpenWith(TestDb("maxmind_city"));
  const auto b = OpenWith(TestDb("flat_city_v4"));
  GeoIntelHolder holder(a);
  std::atomic<bool> stop{false};
  std::atomic<long> lookups{0};
  std::atomic<long> wrong{0};
  auto reader = [&] {
    LookupCache cache(&holder, 64);
    const IpAddress london = Ip("81.2.69.1");
    const IpAddress google = Ip("8.8.8.8");
    while (!stop.load()) {
      // Under either database every answer is one of two consistent states.
      const std::string country = cache.Lookup(london).record.country;
      if (!(country == "GB" || country.empty())) ++wrong;
      const std::string g = cache.Lookup(google).record.country;
      if (!(g == "US" || g.empty())) ++wrong;
      // Uncached path through a fresh reference to the holder's current bundle.
      const auto intel = holder.Get();
      const bool is_city = intel->location_dbs()[0]->database_type() == "GeoIP2-City";
      if (intel->Lookup(london).record.country != (is_city ? "GB" : "")) ++wrong;
      lookups += 3;
    }
  };
  std::thread t1(reader), t2(reader);
  // Swap only while the readers are really reading: on a loaded machine they may start late,
  // so wait for them instead of timing anything, and keep swapping until both have done work
  // under many generations.
  while (lookups.load() == 0) std::this_thread::yield();
  long swaps = 0;
  for (int i = 0; i < 2000 || lookups.load() < 6000; ++i) {
    holder.Swap(i % 2 == 0 ? b : a);
    ++swaps;
    // Also swap in freshly opened bundles so old ones are really freed under readers.
    if (i % 100 == 0) {
      holder.Swap(OpenWith(TestDb(i % 200 == 0 ? "flat_city_v4" : "maxmind_city")));
      ++swaps;
    }
    if (i % 64 == 0) std::this_thread::yield();
  }
  stop = true;
  t1.join();
  t2.join();
  CHECK(wrong.load() == 0);
  CHECK(lookups.load() >= 6000);
  CHECK(holder.generation() == static_cast<std::uint64_t>(swaps));
}

}  // namespace
}  // namespace parallax::geoip
