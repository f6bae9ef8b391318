// libFuzzer target: GeoDb on corrupted MaxMind DB files. Each input is written to one
// per-process temp file and opened (libmaxminddb's metadata and tree checks, then our
// classification walking the search tree); an accepted file is then looked up at a few fixed
// IPv4 and IPv6 addresses so the tree and data sections are read. Seeds: the test databases
// tests/geoip/make_test_mmdb.pl builds, and data/*.mmdb when present (scripts/fuzz).
//
// libmaxminddb is Debian's uninstrumented build: coverage guidance and ASan see our wrapper and
// libmaxminddb's calls into libc, not the reads inside libmaxminddb itself; a wild read there
// still shows up as a crash.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "geoip/geo_db.h"
#include "tests/fuzz/fuzz_temp_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static parallax::fuzz::TempFile file("fuzz.mmdb");
  static const auto kAddresses = [] {
    std::vector<parallax::geoip::IpAddress> v;
    for (const char* a : {"1.0.0.1", "8.8.8.8", "81.2.69.160", "216.160.83.5", "185.220.101.4",
                          "10.1.2.3", "255.255.255.255", "2001:218:100::1", "2a03:2880::1",
                          "::1"}) {
      v.push_back(*parallax::geoip::IpAddress::Parse(a));
    }
    return v;
  }();
  std::unique_ptr<parallax::geoip::GeoDb> db;
  if (!parallax::geoip::GeoDb::Open(file.Write(data, size), &db).ok() || !db) return 0;
  for (const auto& a : kAddresses) {
    parallax::geoip::GeoRecord record;
    (void)db->Lookup(a, &record);
  }
  return 0;
}
