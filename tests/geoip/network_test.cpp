// Network type: special ranges, precedence of sources, "decided by", operator lists.
#include <catch2/catch.hpp>
#include <fstream>

#include "geoip/asn_org_rules.h"
#include "geoip/curated_data.h"
#include "geoip/geo_intel.h"
#include "geoip/network_list.h"
#include "geoip/special_ranges.h"
#include "tests/geoip/test_paths.h"

namespace parallax::geoip {
namespace {

using testing::ScratchPath;
using testing::TestDb;

IpAddress Ip(const char* text) { return IpAddress::Parse(text).value(); }

std::string WriteFile(const std::string& name, const std::string& text) {
  const std::string path = ScratchPath(name);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
  return path;
}

TEST_CASE("special-purpose ranges", "[network]") {
  struct Case {
    const char* ip;
    NetworkType type;
  };
  const Case cases[] = {
      {"10.1.2.3", NetworkType::kPrivate},
      {"172.31.255.255", NetworkType::kPrivate},
      {"192.168.0.1", NetworkType::kPrivate},
      {"100.64.0.1", NetworkType::kSharedCgnat},
      {"100.127.255.254", NetworkType::kSharedCgnat},
      {"127.0.0.1", NetworkType::kLoopback},
      {"::1", NetworkType::kLoopback},
      {"169.254.1.1", NetworkType::kLinkLocal},
      {"fe80::1", NetworkType::kLinkLocal},
      {"192.0.2.1", NetworkType::kDocumentation},
      {"198.51.100.9", NetworkType::kDocumentation},
      {"203.0.113.1", NetworkType::kDocumentation},
      {"2001:db8::1", NetworkType::kDocumentation},
      {"224.0.0.251", NetworkType::kMulticast},
      {"ff02::fb", NetworkType::kMulticast},
      {"fd12:3456::1", NetworkType::kUniqueLocal},
      {"0.1.2.3", NetworkType::kReserved},
      {"255.255.255.255", NetworkType::kReserved},
      {"::ffff:10.0.0.1", NetworkType::kPrivate},
  };
  for (const auto& c : cases) {
    INFO(c.ip);
    const auto r = FindSpecialRange(Ip(c.ip));
    REQUIRE(r.has_value());
    CHECK(r->type == c.type);
  }
  // Edges just outside the ranges are public.
  for (const char* ip : {"100.63.255.255", "100.128.0.0", "172.32.0.0", "11.0.0.0", "8.8.8.8",
                         "2001:4860::1", "fbff::1"}) {
    INFO(ip);
    CHECK_FALSE(FindSpecialRange(Ip(ip)).has_value());
  }
}

TEST_CASE("ASN organisation keyword rules", "[network]") {
  CHECK(ClassifyAsnOrg("Example Hosting Ltd")->type == NetworkType::kHosting);
  CHECK(ClassifyAsnOrg("Hostinger International")->type == NetworkType::kHosting);
  CHECK(ClassifyAsnOrg("ExpressVPN International")->type == NetworkType::kVpn);
  CHECK(ClassifyAsnOrg("T-Mobile USA, Inc.")->type == NetworkType::kMobile);
  CHECK(ClassifyAsnOrg("Deutsche Telekom AG")->type == NetworkType::kResidential);
  CHECK(ClassifyAsnOrg("Telecom Italia Mobile")->type == NetworkType::kMobile);  // mobile first
  CHECK_FALSE(ClassifyAsnOrg("Colombia Movil").has_value());  // "colo" is whole-word only
  CHECK_FALSE(ClassifyAsnOrg("Ghost Networks").has_value());  // "host" must start a word
  CHECK_FALSE(ClassifyAsnOrg("Hetzner Online GmbH").has_value());
  CHECK_FALSE(ClassifyAsnOrg("").has_value());
}

TEST_CASE("the curated table parses and names a source for every entry", "[network]") {
  NetworkList curated;
  const Status s =
      NetworkList::ParseCurated(CuratedNetworkTypesTsv(), kCuratedNetworkTypesName, &curated);
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(curated.asn_count() >= 20);
  const NetworkLabel* mullvad = curated.Find(Ip("185.213.154.1"), 39351);
  REQUIRE(mullvad != nullptr);
  CHECK(mullvad->type == NetworkType::kVpn);
  CHECK(mullvad->provider == "Mullvad");
  CHECK_THAT(mullvad->origin, Catch::Contains("network_types.tsv:") && Catch::Contains("31173"));
  CHECK(curated.Find(Ip("3.3.3.3"), 16509)->type == NetworkType::kHosting);

  NetworkList bad;
  const Status missing_source =
      NetworkList::ParseCurated("# header\nAS1\thosting\t-\t\n", "t.tsv", &bad);
  CHECK_THAT(missing_source.message(), Catch::Contains("t.tsv:2") && Catch::Contains("source"));
}

TEST_CASE("operator lists: formats and malformed lines", "[network][lists]") {
  NetworkList list;
  const std::string text =
      "# comment\n"
      "198.51.100.0/24 vpn Astrill   # trailing comment\n"
      "198.51.100.7 hosting\n"
      "AS64500 vpn Example VPN Inc\n"
      "@default vpn NordVPN\n"
      "203.0.113.40\n"
      "ExitNode 0011BD2485AD45D984EC4159C88FC066E5E3300E\n"
      "Published 2024-05-01 10:00:00\n"
      "ExitAddress 192.0.2.9 2024-05-01 10:04:44\n"
      "172.224.224.0/27,GB,GB-EN,London,\n";
  REQUIRE(NetworkList::Parse(text, "ops.txt", {}, &list).ok());
  const NetworkLabel* astrill = list.Find(Ip("198.51.100.8"), 0);
  REQUIRE(astrill != nullptr);
  CHECK(astrill->type == NetworkType::kVpn);
  CHECK(astrill->provider == "Astrill");
  CHECK(astrill->origin == "ops.txt:2");
  CHECK(list.Find(Ip("198.51.100.7"), 0)->type == NetworkType::kHosting);  // longest prefix
  CHECK(list.Find(Ip("9.9.9.9"), 64500)->provider == "Example VPN Inc");
  CHECK(list.Find(Ip("203.0.113.40"), 0)->provider == "NordVPN");
  CHECK(list.Find(Ip("192.0.2.9"), 0)->type == NetworkType::kTorExit);
  CHECK(list.Find(Ip("172.224.224.31"), 0)->provider == "NordVPN");  // CSV takes the default
  CHECK(list.Find(Ip("9.9.9.9"), 0) == nullptr);

  SECTION("Tor bulk exit list: one address per line, loaded with a default type") {
    NetworkList tor;
    ListOptions options;
    options.default_type = NetworkType::kTorExit;
    options.default_provider = "Tor";
    REQUIRE(NetworkList::Parse("185.220.101.1\n2001:67c:e60:c0c:192:42:116:16\n", "tor.txt",
                               options, &tor)
                .ok());
    CHECK(tor.Find(Ip("2001:67c:e60:c0c:192:42:116:16"), 0)->type == NetworkType::kTorExit);
    CHECK(tor.Find(Ip("185.220.101.2"), 0) == nullptr);  // a host entry, not a /24
  }
  SECTION("malformed lines name file and line") {
    NetworkList bad;
    Status s = NetworkList::Parse("10.0.0.0/8 vpn\n1.2.3.4/33 vpn\n", "bad.txt", {}, &bad);
    CHECK_THAT(s.message(), Catch::StartsWith("bad.txt:2:"));
    s = NetworkList::Parse("\n\n1.2.3.4 spaceship\n", "bad.txt", {}, &bad);
    CHECK_THAT(s.message(), Catch::StartsWith("bad.txt:3:") && Catch::Contains("spaceship"));
    s = NetworkList::Parse("1.2.3.4\n", "bad.txt", {}, &bad);  // no type anywhere
    CHECK_THAT(s.message(), Catch::StartsWith("bad.txt:1:") && Catch::Contains("no network type"));
    s = NetworkList::Parse("ExitAddress not-an-ip 2024-01-01\n", "bad.txt", {}, &bad);
    CHECK_THAT(s.message(), Catch::StartsWith("bad.txt:1:"));
    s = NetworkList::Parse(std::string("1.2.3.4 vpn\n\x01\x00\x02", 15), "bin.txt", {}, &bad);
    CHECK_THAT(s.message(), Catch::StartsWith("bin.txt:2:") && Catch::Contains("binary"));
    s = NetworkList::Parse("AS0 vpn\n", "bad.txt", {}, &bad);
    CHECK_THAT(s.message(), Catch::StartsWith("bad.txt:1:"));
  }
  SECTION("unreadable list file") {
    NetworkList missing;
    const Status s = NetworkList::Load("/nonexistent/list.txt", {}, &missing);
    CHECK_THAT(s.message(),
               Catch::Contains("/nonexistent/list.txt") && Catch::Contains("cannot open"));
  }
}

TEST_CASE("network type precedence and decided-by", "[network][precedence]") {
  const std::string list_path = WriteFile("precedence.txt",
                                          "37.120.5.0/24 vpn Astrill\n"
                                          "45.77.3.3 residential\n");
  GeoIntelOptions options;
  options.databases = {{TestDb("maxmind_city"), DbKind::kLocation},
                       {TestDb("maxmind_asn"), DbKind::kAsn},
                       {TestDb("anonymous_ip"), DbKind::kAnonymousIp}};
  options.lists = {{list_path, {}}};
  std::shared_ptr<const GeoIntel> intel;
  const Status s = GeoIntel::Open(options, &intel);
  INFO(s.message());
  REQUIRE(s.ok());

  // Default: public, nothing matched.
  GeoAnswer a = intel->Lookup(Ip("81.2.69.1"));
  CHECK(a.network_type == NetworkType::kResidential);
  CHECK(a.network_source == NetworkSource::kDefault);
  CHECK(a.record.city == "London");
  CHECK(a.record.asn == 20712);

  // ASN organisation keyword.
  a = intel->Lookup(Ip("37.120.1.1"));
  CHECK(a.network_type == NetworkType::kVpn);
  CHECK(a.network_source == NetworkSource::kAsnOrgName);
  CHECK(a.provider == "Example Secure VPN Ltd");
  // ... overridden by an operator list for a more specific range.
  a = intel->Lookup(Ip("37.120.5.5"));
  CHECK(a.network_source == NetworkSource::kOperatorList);
  CHECK(a.provider == "Astrill");
  CHECK(a.network_detail == list_path + ":1");

  // Curated table beats the keyword heuristic ("The Constant Company" has none anyway) ...
  a = intel->Lookup(Ip("45.77.1.1"));
  CHECK(a.network_type == NetworkType::kHosting);
  CHECK(a.network_source == NetworkSource::kCurated);
  a = intel->Lookup(Ip("185.213.154.9"));
  CHECK(a.network_type == NetworkType::kVpn);
  CHECK(a.provider == "Mullvad");
  // ... and operator lists beat the curated table.
  a = intel->Lookup(Ip("45.77.3.3"));
  CHECK(a.network_type == NetworkType::kResidential);
  CHECK(a.network_source == NetworkSource::kOperatorList);

  // Anonymous-IP database beats the keyword rule and the curated table.
  a = intel->Lookup(Ip("5.188.10.20"));  // org "Example Hosting Ltd", anon: VPN
  CHECK(a.network_type == NetworkType::kVpn);
  CHECK(a.network_source == NetworkSource::kAnonymousIpDb);
  CHECK_THAT(a.network_detail, Catch::Contains("is_anonymous_vpn"));
  a = intel->Lookup(Ip("185.220.101.4"));  // tor beats its hosting flag
  CHECK(a.network_type == NetworkType::kTorExit);
  CHECK(a.provider == "Tor");
  a = intel->Lookup(Ip("216.160.83.5"));
  CHECK(a.network_type == NetworkType::kProxy);
  CHECK(intel->Lookup(Ip("216.160.83.200")).network_type == NetworkType::kResidential);

  // Mobile via the curated table (AS21928).
  CHECK(intel->Lookup(Ip("172.58.1.1")).network_type == NetworkType::kMobile);

  // Special ranges are final even when a database has a (stale) record for them.
  a = intel->Lookup(Ip("10.1.1.1"));
  CHECK(a.network_type == NetworkType::kPrivate);
  CHECK(a.network_source == NetworkSource::kSpecialRange);
  CHECK(a.record.asn == 0);
  CHECK_THAT(a.network_detail, Catch::Contains("RFC 1918"));

  // Without the curated table, 45.77.x falls back to default.
  GeoIntelOptions bare = options;
  bare.use_curated = false;
  bare.lists.clear();
  std::shared_ptr<const GeoIntel> plain;
  REQUIRE(GeoIntel::Open(bare, &plain).ok());
  CHECK(plain->Lookup(Ip("45.77.1.1")).network_source == NetworkSource::kDefault);
}

TEST_CASE("a malformed operator list fails GeoIntel::Open with file and line", "[lists]") {
  const std::string path = WriteFile("broken.txt", "1.2.3.0/24 vpn\nnot-an-address vpn\n");
  GeoIntelOptions options;
  options.lists = {{path, {}}};
  std::shared_ptr<const GeoIntel> intel;
  const Status s = GeoIntel::Open(options, &intel);
  CHECK_THAT(s.message(), Catch::StartsWith(path + ":2:"));
  CHECK(intel == nullptr);
}

}  // namespace
}  // namespace parallax::geoip
