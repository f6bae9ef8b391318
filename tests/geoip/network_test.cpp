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

  // Default: public, nothing matched ("Andrews & Arnold Ltd": no keyword, not curated). Unknown,
  // not residential: residential is only what a source says.
  GeoAnswer a = intel->Lookup(Ip("81.2.69.1"));
  CHECK(a.network_type == NetworkType::kUnknown);
  CHECK(a.network_source == NetworkSource::kDefault);
  CHECK(a.network_detail == "no source matched");
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
  // Outside the proxy range the curated table decides: AS209 (CenturyLink) is an access ISP.
  a = intel->Lookup(Ip("216.160.83.200"));
  CHECK(a.network_type == NetworkType::kResidential);
  CHECK(a.network_source == NetworkSource::kCurated);
  CHECK_THAT(a.network_detail, Catch::StartsWith("AS209 (geoip/data/network_types.tsv:"));

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
  CHECK(plain->Lookup(Ip("45.77.1.1")).network_type == NetworkType::kUnknown);
  CHECK(plain->Lookup(Ip("216.160.83.200")).network_type == NetworkType::kUnknown);
}

TEST_CASE("'unknown' is a network type an operator list may give", "[network][lists]") {
  CHECK(ParseNetworkType("unknown") == NetworkType::kUnknown);
  CHECK(ParseNetworkType("UNKNOWN") == NetworkType::kUnknown);
  CHECK(NetworkTypeName(NetworkType::kUnknown) == "unknown");
  CHECK_FALSE(IsSpecialPurpose(NetworkType::kUnknown));
  CHECK(ParseNetworkType("unknwn") == std::nullopt);

  // An operator who knows better withdraws a curated classification.
  const std::string path = WriteFile("withdraw.txt", "45.77.9.0/24 unknown\n");
  GeoIntelOptions options;
  options.databases = {{TestDb("maxmind_asn"), DbKind::kAsn}};
  options.lists = {{path, {}}};
  std::shared_ptr<const GeoIntel> intel;
  REQUIRE(GeoIntel::Open(options, &intel).ok());
  GeoAnswer a = intel->Lookup(Ip("45.77.9.9"));
  CHECK(a.network_type == NetworkType::kUnknown);
  CHECK(a.network_source == NetworkSource::kOperatorList);
  CHECK(a.network_detail == path + ":1");
  CHECK(intel->Lookup(Ip("45.77.8.8")).network_type == NetworkType::kHosting);  // curated AS20473
}

// Registry name quoted at the end of a curated row's source ("...; registry name 'X'").
std::string RegistryName(std::string_view source) {
  constexpr std::string_view kTag = "registry name '";
  const auto at = source.rfind(kTag);
  if (at == std::string_view::npos || source.back() != '\'') return "";
  return std::string(source.substr(at + kTag.size(), source.size() - at - kTag.size() - 1));
}

TEST_CASE("curated rows: hosting, hosted desktops, residential and mobile", "[network][curated]") {
  NetworkList curated;
  REQUIRE(NetworkList::ParseCurated(CuratedNetworkTypesTsv(), kCuratedNetworkTypesName, &curated)
              .ok());
  CHECK(curated.asn_count() >= 200);
  const IpAddress any = Ip("192.0.2.1");  // ASN rows match on the ASN alone
  struct Row {
    std::uint32_t asn;
    NetworkType type;
    const char* provider;
  };
  const Row rows[] = {
      {7393, NetworkType::kHosting, ""},       // Cybercon: the Astrill exit 142.214.202.2
      {8100, NetworkType::kHosting, ""},       // QuadraNet
      {36352, NetworkType::kHosting, ""},      // ColoCrossing
      {53667, NetworkType::kHosting, ""},      // FranTech / BuyVM
      {36351, NetworkType::kHosting, ""},      // IBM Cloud (SoftLayer)
      {21859, NetworkType::kHosting, ""},      // Zenlayer
      {210644, NetworkType::kHosting, ""},     // Aeza
      {395336, NetworkType::kHosting, "hosted desktop: MacStadium"},
      {64476, NetworkType::kHosting, "hosted desktop: Shadow"},
      {7922, NetworkType::kResidential, ""},   // Comcast
      {20115, NetworkType::kResidential, ""},  // Charter
      {16591, NetworkType::kResidential, ""},  // Google Fiber
      {3320, NetworkType::kResidential, ""},   // Deutsche Telekom
      {21928, NetworkType::kMobile, ""},       // T-Mobile US
      {6167, NetworkType::kMobile, ""},        // Verizon Wireless
      {20057, NetworkType::kMobile, ""},       // AT&T Mobility
      {216025, NetworkType::kVpn, "Mullvad"},
  };
  for (const Row& row : rows) {
    INFO("AS" << row.asn);
    const NetworkLabel* label = curated.Find(any, row.asn);
    REQUIRE(label != nullptr);
    CHECK(label->type == row.type);
    CHECK(label->provider == row.provider);
    CHECK_THAT(label->origin, Catch::StartsWith("AS" + std::to_string(row.asn) + " (" +
                                                std::string(kCuratedNetworkTypesName) + ":"));
  }
  CHECK(curated.Find(any, 20712) == nullptr);  // Andrews & Arnold: not in the table
  CHECK(IsHostedDesktopProvider(curated.Find(any, 395336)->provider));  // MacStadium
  CHECK_FALSE(IsHostedDesktopProvider(curated.Find(any, 16509)->provider));  // AWS: "-"
  CHECK_FALSE(IsHostedDesktopProvider("hosted desktop: "));
  CHECK_FALSE(IsHostedDesktopProvider("Mullvad"));
}

TEST_CASE("no org-name rule contradicts a curated row's registry name", "[network][curated]") {
  // The keyword rules are the fallback for networks the table does not know. For every network
  // it does know, a rule must not call an access ISP hosting or a hosting network an access or
  // mobile one (the table wins anyway; a contradiction means a rule too eager for other names).
  const std::string_view text = CuratedNetworkTypesTsv();
  int checked = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto nl = text.find('\n', pos);
    const std::string_view line = text.substr(pos, nl == std::string_view::npos ? nl : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    if (line.empty() || line.front() == '#') continue;
    const auto t1 = line.find('\t');
    const auto t2 = line.find('\t', t1 + 1);
    const auto t3 = line.find('\t', t2 + 1);
    REQUIRE(t3 != std::string_view::npos);
    const auto type = ParseNetworkType(line.substr(t1 + 1, t2 - t1 - 1));
    REQUIRE(type.has_value());
    const std::string name = RegistryName(line.substr(t3 + 1));
    INFO(std::string(line.substr(0, t1)) << " '" << name << "'");
    REQUIRE_FALSE(name.empty());  // every row quotes the registry name it was checked against
    ++checked;
    const auto rule = ClassifyAsnOrg(name);
    if (!rule) continue;
    if (*type == NetworkType::kHosting) {
      CHECK(rule->type != NetworkType::kResidential);
      CHECK(rule->type != NetworkType::kMobile);
    } else if (*type == NetworkType::kResidential || *type == NetworkType::kMobile) {
      CHECK(rule->type != NetworkType::kHosting);
      CHECK(rule->type != NetworkType::kVpn);
    }
  }
  CHECK(checked >= 200);
  // Names from the table that the rules do classify, as a guard on the rules themselves.
  CHECK(ClassifyAsnOrg("Comcast Cable Communications, LLC")->type == NetworkType::kResidential);
  CHECK(ClassifyAsnOrg("TDS TELECOM")->type == NetworkType::kResidential);
  CHECK(ClassifyAsnOrg("Rackspace Hosting")->type == NetworkType::kHosting);
  CHECK(ClassifyAsnOrg("Huawei Cloud Service data center")->type == NetworkType::kHosting);
  CHECK(ClassifyAsnOrg("T-Mobile Polska S.A.")->type == NetworkType::kMobile);
  CHECK_FALSE(ClassifyAsnOrg("Mac Mini Colos, LLC").has_value());  // "colo" is whole-word only
  CHECK_FALSE(ClassifyAsnOrg("Charter Communications Inc").has_value());
}

TEST_CASE("curated table: malformed rows name the line", "[network][curated]") {
  NetworkList bad;
  Status s = NetworkList::ParseCurated("AS1\tunknown\t-\tsome source\n", "t.tsv", &bad);
  CHECK_THAT(s.message(), Catch::StartsWith("t.tsv:1:") && Catch::Contains("'unknown'"));
  s = NetworkList::ParseCurated("#\nAS1\thosting\t\tsome source\n", "t.tsv", &bad);
  CHECK_THAT(s.message(), Catch::StartsWith("t.tsv:2:") && Catch::Contains("provider"));
  s = NetworkList::ParseCurated("AS1 hosting - source\n", "t.tsv", &bad);  // spaces, not tabs
  CHECK_THAT(s.message(), Catch::StartsWith("t.tsv:1:") && Catch::Contains("4 tab-separated"));
  s = NetworkList::ParseCurated("\nASX\thosting\t-\tsource\n", "t.tsv", &bad);
  CHECK_THAT(s.message(), Catch::StartsWith("t.tsv:2:") && Catch::Contains("'ASX'"));
  s = NetworkList::ParseCurated("AS1\tspaceship\t-\tsource\n", "t.tsv", &bad);
  CHECK_THAT(s.message(), Catch::StartsWith("t.tsv:1:") && Catch::Contains("spaceship"));
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
