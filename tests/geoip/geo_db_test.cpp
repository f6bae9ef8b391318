// GeoDb: both layouts, IPv4/IPv6, separate v4/v6 files, Anonymous-IP, and bad files.
#include "geoip/geo_db.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "geoip/geo_intel.h"
#include "tests/geoip/test_paths.h"

namespace parallax::geoip {
namespace {

using testing::ScratchPath;
using testing::TestDb;

IpAddress Ip(const char* text) {
  const auto a = IpAddress::Parse(text);
  REQUIRE(a.has_value());
  return *a;
}

std::unique_ptr<GeoDb> OpenOk(const std::string& path) {
  std::unique_ptr<GeoDb> db;
  const Status s = GeoDb::Open(path, &db);
  INFO(s.message());
  REQUIRE(s.ok());
  return db;
}

TEST_CASE("MaxMind City layout: IPv4 and IPv6 in one file", "[geo_db]") {
  const auto db = OpenOk(TestDb("maxmind_city"));
  CHECK(db->kind() == DbKind::kLocation);
  CHECK(db->layout() == DbLayout::kMaxMind);
  GeoRecord r;
  REQUIRE(db->Lookup(Ip("81.2.69.160"), &r));
  CHECK(r.country == "GB");
  CHECK(r.city == "London");
  CHECK(r.latitude == Approx(51.5142));
  CHECK(r.longitude == Approx(-0.0931));
  CHECK(r.accuracy_radius_km == 10);
  CHECK(r.time_zone == "Europe/London");
  GeoRecord r6;
  REQUIRE(db->Lookup(Ip("2001:218::1"), &r6));
  CHECK(r6.country == "JP");
  CHECK(r6.time_zone == "Asia/Tokyo");
  // IPv4-mapped IPv6 text names the IPv4 host.
  GeoRecord mapped;
  REQUIRE(db->Lookup(Ip("::ffff:81.2.69.1"), &mapped));
  CHECK(mapped.city == "London");
  GeoRecord none;
  CHECK_FALSE(db->Lookup(Ip("9.9.9.9"), &none));
  CHECK_FALSE(none.has_location_data);
}

TEST_CASE("flat ip-location-db layout, separate v4 and v6 files", "[geo_db]") {
  const auto v4 = OpenOk(TestDb("flat_city_v4"));
  const auto v6 = OpenOk(TestDb("flat_city_v6"));
  CHECK(v4->layout() == DbLayout::kFlat);
  CHECK(v6->layout() == DbLayout::kFlat);
  CHECK(v4->ip_version() == 4);
  GeoRecord r;
  REQUIRE(v4->Lookup(Ip("8.8.8.8"), &r));
  CHECK(r.country == "US");
  CHECK(r.city == "Mountain View");
  CHECK(r.latitude == Approx(37.422).margin(1e-4));  // stored as float
  CHECK(r.time_zone.empty());
  CHECK(r.accuracy_radius_km == 0);
  GeoRecord r6;
  CHECK_FALSE(v4->Lookup(Ip("2001:4860::8888"), &r6));  // v4-only file: not consulted
  CHECK(v4->lookup_errors() == 0);
  REQUIRE(v6->Lookup(Ip("2001:4860::8888"), &r6));
  CHECK(r6.country == "US");

  // GeoIntel asks each location file in turn, so the pair answers both families.
  GeoIntelOptions options;
  options.databases = {{TestDb("flat_city_v4"), DbKind::kLocation},
                       {TestDb("flat_city_v6"), DbKind::kLocation}};
  std::shared_ptr<const GeoIntel> intel;
  REQUIRE(GeoIntel::Open(options, &intel).ok());
  CHECK(intel->Lookup(Ip("1.0.0.1")).record.city == "Brisbane");
  CHECK(intel->Lookup(Ip("2a03:2880::1")).record.city == "Dublin");
  CHECK(intel->Lookup(Ip("2a03:2880::1")).location_db == TestDb("flat_city_v6"));
}

TEST_CASE("ASN and Anonymous-IP databases", "[geo_db]") {
  const auto asn = OpenOk(TestDb("maxmind_asn"));
  CHECK(asn->kind() == DbKind::kAsn);
  GeoRecord r;
  REQUIRE(asn->Lookup(Ip("45.77.1.2"), &r));
  CHECK(r.asn == 20473);
  CHECK(r.as_organisation == "The Constant Company, LLC");

  const auto anon = OpenOk(TestDb("anonymous_ip"));
  CHECK(anon->kind() == DbKind::kAnonymousIp);
  GeoRecord t;
  REQUIRE(anon->Lookup(Ip("185.220.101.7"), &t));
  CHECK(t.anonymous.is_tor_exit_node);
  CHECK(t.anonymous.is_hosting_provider);
  CHECK_FALSE(t.anonymous.is_anonymous_vpn);
  GeoRecord p;
  REQUIRE(anon->Lookup(Ip("2001:218:100::5"), &p));
  CHECK(p.anonymous.is_public_proxy);
}

TEST_CASE("bad database files give an error naming the file", "[geo_db][bad_input]") {
  std::unique_ptr<GeoDb> db;
  SECTION("missing") {
    const Status s = GeoDb::Open("/nonexistent/GeoLite2-City.mmdb", &db);
    CHECK_FALSE(s.ok());
    CHECK_THAT(s.message(),
               Catch::Contains("/nonexistent/GeoLite2-City.mmdb") && Catch::Contains("not found"));
  }
  SECTION("not a MaxMind DB at all") {
    const std::string path = ScratchPath("text.mmdb");
    std::ofstream(path) << "this is not a database\n";
    const Status s = GeoDb::Open(path, &db);
    CHECK_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains(path) && Catch::Contains("not a MaxMind DB"));
  }
  SECTION("truncated at every length, never a crash") {
    std::ifstream in(TestDb("maxmind_city"), std::ios::binary);
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    REQUIRE(bytes.size() > 100);
    const std::string path = ScratchPath("truncated.mmdb");
    int rejected = 0;
    for (std::size_t len = 0; len < bytes.size(); len += 7) {
      std::ofstream(path, std::ios::binary | std::ios::trunc)
          .write(bytes.data(), static_cast<std::streamsize>(len));
      std::unique_ptr<GeoDb> t;
      const Status s = GeoDb::Open(path, &t);
      if (!s.ok()) {
        ++rejected;
        CHECK_THAT(s.message(), Catch::Contains(path));
      } else {
        GeoRecord r;  // whatever it says, it must not crash
        t->Lookup(IpAddress::Parse("81.2.69.1").value(), &r);
      }
    }
    // The metadata sits at the end of the file, so every real truncation loses it.
    CHECK(rejected == static_cast<int>((bytes.size() + 6) / 7));
  }
  SECTION("corrupt search tree: lookups fail soft") {
    std::ifstream in(TestDb("maxmind_city"), std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (std::size_t i = 0; i < 300 && i < bytes.size(); ++i) bytes[i] = static_cast<char>(0xff);
    const std::string path = ScratchPath("corrupt.mmdb");
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::unique_ptr<GeoDb> c;
    const Status s = GeoDb::Open(path, &c);
    if (s.ok()) {
      GeoRecord r;
      CHECK_FALSE(c->Lookup(IpAddress::Parse("81.2.69.1").value(), &r));
      CHECK(c->lookup_errors() > 0);
    } else {
      CHECK_THAT(s.message(), Catch::Contains(path));
    }
  }
  SECTION("a MaxMind DB of the wrong type") {
    const Status s = GeoDb::Open(TestDb("wrong_type"), &db);
    CHECK_FALSE(s.ok());
    CHECK_THAT(s.message(),
               Catch::Contains(TestDb("wrong_type")) && Catch::Contains("wrong database type"));
  }
  SECTION("a valid database given as the wrong kind") {
    GeoIntelOptions options;
    options.databases = {{TestDb("maxmind_city"), DbKind::kAsn}};
    std::shared_ptr<const GeoIntel> intel;
    const Status s = GeoIntel::Open(options, &intel);
    CHECK_FALSE(s.ok());
    CHECK_THAT(s.message(),
               Catch::Contains(TestDb("maxmind_city")) && Catch::Contains("expected asn"));
  }
  SECTION("a directory") {
    const Status s = GeoDb::Open(std::filesystem::temp_directory_path().string(), &db);
    CHECK_FALSE(s.ok());
    CHECK_THAT(s.message(), Catch::Contains("not a regular file"));
  }
}

}  // namespace
}  // namespace parallax::geoip
