// Roster loading (CSV, JSON, YAML), validation problems with their line and field, and lookups.
#include "sensor/roster/roster.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

using parallax::core::IpAddress;
using namespace parallax::roster;

namespace {

const std::string kData = PARALLAX_TEST_DATA;

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

Roster LoadOk(const std::string& path) {
  Roster r;
  std::vector<RosterProblem> problems;
  auto st = Roster::Load(path, &r, &problems);
  INFO((problems.empty() ? std::string() : problems.front().ToString()));
  REQUIRE(st.ok());
  REQUIRE(problems.empty());
  return r;
}

using LineField = std::pair<std::size_t, std::string>;

std::vector<RosterProblem> LoadBad(const std::string& path) {
  Roster r;
  std::vector<RosterProblem> problems;
  auto st = Roster::Load(path, &r, &problems);
  REQUIRE_FALSE(st.ok());
  REQUIRE_FALSE(problems.empty());
  // The status names the file and the first problem's position.
  CHECK(st.message().rfind(problems.front().ToString(), 0) == 0);
  CHECK(r.contractors().empty());  // a roster with problems is not used
  return problems;
}

std::vector<LineField> Positions(const std::vector<RosterProblem>& problems) {
  std::vector<LineField> out;
  for (const auto& p : problems) out.emplace_back(p.line, p.field);
  return out;
}

const RosterProblem* FindProblem(const std::vector<RosterProblem>& problems, std::size_t line,
                                 const std::string& field) {
  for (const auto& p : problems) {
    if (p.line == line && p.field == field) return &p;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("the CSV, JSON and YAML examples describe the same contractors") {
  const Roster csv = LoadOk(kData + "/good.csv");
  const Roster json = LoadOk(kData + "/good.json");
  const Roster yaml = LoadOk(kData + "/good.yaml");
  REQUIRE(csv.contractors().size() == 4);
  for (const Roster* other : {&json, &yaml}) {
    REQUIRE(other->contractors().size() == csv.contractors().size());
    for (std::size_t i = 0; i < csv.contractors().size(); ++i) {
      const Contractor& a = csv.contractors()[i];
      const Contractor& b = other->contractors()[i];
      INFO(a.id);
      CHECK(a.id == b.id);
      CHECK(a.name == b.name);
      CHECK(a.claimed.city == b.claimed.city);
      CHECK(a.claimed.country == b.claimed.country);
      CHECK(a.claimed.latitude == b.claimed.latitude);
      CHECK(a.claimed.longitude == b.claimed.longitude);
      CHECK(a.time_zone == b.time_zone);
      CHECK(a.hours.start_minute == b.hours.start_minute);
      CHECK(a.hours.end_minute == b.hours.end_minute);
      CHECK(a.hours.days == b.hours.days);
      CHECK(a.macs == b.macs);
      REQUIRE(a.device_addresses.size() == b.device_addresses.size());
      for (std::size_t k = 0; k < a.device_addresses.size(); ++k) {
        CHECK(a.device_addresses[k].ToString() == b.device_addresses[k].ToString());
      }
      REQUIRE(a.egress_addresses.size() == b.egress_addresses.size());
      for (std::size_t k = 0; k < a.egress_addresses.size(); ++k) {
        CHECK(a.egress_addresses[k].ToString() == b.egress_addresses[k].ToString());
      }
    }
  }
}

TEST_CASE("CSV fields: quoting, lists, normalisation, defaults and source lines") {
  const Roster r = LoadOk(kData + "/good.csv");
  const Contractor* c1 = r.Find("c1");
  REQUIRE(c1);
  CHECK(c1->source_line == 3);  // after a comment line and the header
  CHECK(c1->claimed.latitude == Approx(30.2672));
  CHECK(c1->claimed.longitude == Approx(-97.7431));
  CHECK(c1->hours.start_minute == 9 * 60);
  CHECK(c1->hours.end_minute == 17 * 60 + 30);
  CHECK(c1->hours.days == 0x1F);

  const Contractor* c2 = r.Find("c2");
  REQUIRE(c2);
  CHECK(c2->name == "Kim, Min-jun");   // a quoted comma
  CHECK(c2->claimed.country == "US");  // upper-cased
  CHECK_FALSE(c2->claimed.latitude);
  CHECK(c2->hours.start_minute == 22 * 60);  // a night shift: end before start
  CHECK(c2->hours.end_minute == 6 * 60);
  CHECK(c2->hours.days == (0x40 | 0x0F));  // Sun-Thu wraps over the weekend
  REQUIRE(c2->device_addresses.size() == 2);
  CHECK(c2->device_addresses[0].ToString() == "10.8.1.0/24");
  CHECK(c2->device_addresses[1].ToString() == "2001:db8:100::/64");

  const Contractor* c3 = r.Find("c3");
  REQUIRE(c3);
  CHECK(c3->claimed.city.empty());
  CHECK(c3->hours.days == 0x15);  // Mon, Wed, Fri
  REQUIRE(c3->macs.size() == 1);
  CHECK(c3->macs[0] == std::array<std::uint8_t, 6>{0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x22});

  const Contractor* c4 = r.Find("c4");
  REQUIRE(c4);
  CHECK(c4->source_line == 7);              // a blank line is skipped but counted
  CHECK(c4->name == "Alex \"AJ\" Lee");     // "" inside quotes
  CHECK(c4->hours.start_minute == 9 * 60);  // defaults when the columns are empty
  CHECK(c4->hours.end_minute == 18 * 60);
  CHECK(c4->device_addresses.size() == 2);  // whitespace-separated list

  CHECK(r.Find("nobody") == nullptr);
}

TEST_CASE("JSON and YAML contractors remember their line") {
  const Roster json = LoadOk(kData + "/good.json");
  CHECK(json.Find("c1")->source_line == 3);
  CHECK(json.Find("c4")->source_line == 29);
  const Roster yaml = LoadOk(kData + "/good.yaml");
  CHECK(yaml.Find("c1")->source_line == 3);
  CHECK(yaml.Find("c2")->source_line == 13);
}

TEST_CASE("lookups: exact addresses, CIDR containment, IPv4 and IPv6, MACs") {
  const Roster r = LoadOk(kData + "/good.yaml");
  auto id = [](const Contractor* c) { return c ? c->id : std::string("(none)"); };
  CHECK(id(r.ByDeviceAddress(Ip("10.8.0.6"))) == "c1");
  CHECK(id(r.ByDeviceAddress(Ip("10.8.0.5"))) == "(none)");
  CHECK(id(r.ByDeviceAddress(Ip("10.8.1.0"))) == "c2");
  CHECK(id(r.ByDeviceAddress(Ip("10.8.1.255"))) == "c2");
  CHECK(id(r.ByDeviceAddress(Ip("10.8.2.0"))) == "(none)");
  CHECK(id(r.ByDeviceAddress(Ip("2001:db8:100::1"))) == "c2");
  CHECK(id(r.ByDeviceAddress(Ip("2001:db8:100:0:ffff:ffff:ffff:ffff"))) == "c2");
  CHECK(id(r.ByDeviceAddress(Ip("2001:db8:100:1::"))) == "(none)");
  CHECK(id(r.ByDeviceAddress(Ip("10.8.0.8"))) == "c4");
  // Families never match each other, not even an IPv4-mapped address.
  CHECK(id(r.ByDeviceAddress(Ip("::ffff:10.8.0.6"))) == "(none)");
  // Device and egress selectors are separate.
  CHECK(id(r.ByDeviceAddress(Ip("203.0.113.10"))) == "(none)");
  CHECK(id(r.ByEgressAddress(Ip("203.0.113.10"))) == "c1");
  CHECK(id(r.ByEgressAddress(Ip("198.51.100.15"))) == "c2");  // inside /28
  CHECK(id(r.ByEgressAddress(Ip("198.51.100.16"))) == "(none)");
  CHECK(id(r.ByEgressAddress(Ip("2001:db8:beef::1"))) == "c4");
  CHECK(id(r.ByEgressAddress(Ip("2001:db8:beef::2"))) == "(none)");
  CHECK(id(r.ByMac({0x3c, 0x22, 0xfb, 0x12, 0x34, 0x56})) == "c1");
  CHECK(id(r.ByMac({0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x22})) == "c3");
  CHECK(id(r.ByMac({0xaa, 0xbb, 0xcc, 0x00, 0x11, 0x23})) == "(none)");
}

TEST_CASE("contractors with no static selector load in CSV, JSON and YAML (identity-only)") {
  for (const char* file : {"/identity_only.csv", "/identity_only.json", "/identity_only.yaml"}) {
    INFO(file);
    const Roster r = LoadOk(kData + file);
    REQUIRE(r.contractors().size() == 3);
    const Contractor* i1 = r.Find("i1");
    const Contractor* i2 = r.Find("i2");
    const Contractor* s1 = r.Find("s1");
    REQUIRE(i1);
    REQUIRE(i2);
    REQUIRE(s1);
    CHECK(i1->IdentityOnly());
    CHECK(i2->IdentityOnly());
    CHECK_FALSE(s1->IdentityOnly());
    // Two of them, claimed in one city: nothing else distinguishes them, and that is valid.
    CHECK(i1->claimed.city == "Chicago");
    CHECK(i2->claimed.city == "Chicago");
    CHECK(i1->hours.start_minute == 8 * 60);
    CHECK(i2->hours.start_minute == 9 * 60);
    CHECK(i1->device_addresses.empty());
    CHECK(i1->macs.empty());
    CHECK(i1->egress_addresses.empty());
    // No static lookup ever lands on them.
    CHECK(r.ByDeviceAddress(Ip("10.8.0.6")) == s1);
    CHECK(r.ByDeviceAddress(Ip("10.8.0.21")) == nullptr);
    CHECK(r.ByEgressAddress(Ip("198.51.100.77")) == nullptr);
  }
}

TEST_CASE("the most specific device range wins") {
  Roster r;
  Contractor office;
  office.id = "office";
  office.device_addresses.push_back({Ip("10.0.0.0"), 8});
  Contractor laptop;
  laptop.id = "laptop";
  laptop.device_addresses.push_back({Ip("10.1.2.3"), 32});
  r.Add(office);
  r.Add(laptop);
  CHECK(r.ByDeviceAddress(Ip("10.1.2.3"))->id == "laptop");
  CHECK(r.ByDeviceAddress(Ip("10.1.2.4"))->id == "office");
  CHECK(r.ByDeviceAddress(Ip("11.0.0.1")) == nullptr);
}

TEST_CASE("Cidr: containment at every boundary and text form") {
  const Cidr any4{Ip("0.0.0.0"), 0};
  CHECK(any4.Contains(Ip("255.255.255.255")));
  CHECK_FALSE(any4.Contains(Ip("::1")));
  const Cidr odd{Ip("192.0.2.128"), 25};
  CHECK(odd.Contains(Ip("192.0.2.128")));
  CHECK(odd.Contains(Ip("192.0.2.255")));
  CHECK_FALSE(odd.Contains(Ip("192.0.2.127")));
  const Cidr v6{Ip("2001:db8::"), 33};
  CHECK(v6.Contains(Ip("2001:db8:7fff::1")));
  CHECK_FALSE(v6.Contains(Ip("2001:db8:8000::")));
  CHECK(Cidr{Ip("192.0.2.1"), 32}.ToString() == "192.0.2.1");
  CHECK(Cidr{Ip("2001:db8::1"), 128}.ToString() == "2001:db8::1");
  CHECK(odd.ToString() == "192.0.2.128/25");
}

TEST_CASE("RosterProblem::ToString is FILE:LINE: FIELD: message") {
  CHECK(RosterProblem{"roster.csv", 4, "claimed_lat", "not a number ('abc')"}.ToString() ==
        "roster.csv:4: claimed_lat: not a number ('abc')");
  CHECK(RosterProblem{"roster.csv", 0, "", "cannot open"}.ToString() == "roster.csv: cannot open");
}

TEST_CASE("bad.csv: every validation, with its line and column") {
  const auto problems = LoadBad(kData + "/bad.csv");
  const std::vector<LineField> expected = {
      {2, "id"},                // missing id
      {4, "id"},                // duplicate id
      {5, "claimed_country"},   // three letters
      {6, "claimed_country"},   // UK is not ISO
      {7, "claimed_lat"},       // not a number
      {8, "claimed_lat"},       // out of range
      {9, "claimed_lon"},       // out of range
      {10, "claimed_lon"},      // latitude without longitude
      {11, "claimed_city"},     // no place at all
      {12, "claimed_country"},  // city without country
      {13, "timezone"},         // unknown zone
      {14, "timezone"},         // missing zone
      {15, "timezone"},         // a zoneinfo table, not a zone
      {16, "work_start"},
      {17, "work_end"},
      {18, "work_end"},  // equal to the start
      {19, "work_days"},
      {20, "device_ips"},   // bad address
      {21, "device_ips"},   // bad prefix
      {22, "device_ips"},   // host bits set
      {23, "device_macs"},  // bad MAC
      {24, "device_macs"},  // multicast MAC
      {25, "egress_ips"},
      // 26: no selectors, valid (identity-only)
      {27, "device_ips"},   // device claimed twice
      {29, "device_macs"},  // MAC claimed twice
      {30, "device_ips"},   // IPv6 prefix > 128
      {31, ""},             // more cells than columns
  };
  CHECK(Positions(problems) == expected);
  for (const auto& p : problems) CHECK(p.file == kData + "/bad.csv");
  CHECK_THAT(FindProblem(problems, 6, "claimed_country")->message,
             Catch::Contains("the United Kingdom is GB"));
  CHECK_THAT(FindProblem(problems, 22, "device_ips")->message,
             Catch::Contains("did you mean 10.9.2.0/24?"));
  CHECK(FindProblem(problems, 27, "device_ips")->message ==
        "10.9.0.2 is claimed by both b1 (line 3) and b24");
  CHECK(FindProblem(problems, 29, "device_macs")->message ==
        "02:00:00:00:00:01 is claimed by both b25 (line 28) and b26");
  CHECK(FindProblem(problems, 4, "id")->message == "duplicate id 'b1' (first defined at line 3)");
}

TEST_CASE("a roster saved as Latin-1 is refused with the field and byte") {
  auto p = LoadBad(kData + "/bad_latin1.csv");
  CHECK(Positions(p) == std::vector<LineField>{{4, "name"}, {4, "claimed_city"}});
  CHECK(p[0].message == "not valid UTF-8 (byte 4 of the value); save the roster as UTF-8");
  CHECK(p[1].message == "not valid UTF-8 (byte 6 of the value); save the roster as UTF-8");

  p = LoadBad(kData + "/bad_latin1.yaml");
  REQUIRE(p.size() == 1);
  CHECK(p[0].line == 9);
  CHECK(p[0].field == "contractors[1].name");
  CHECK(p[0].message == "not valid UTF-8 (byte 2 of the value); save the roster as UTF-8");
}

TEST_CASE("CSV header problems") {
  auto p = LoadBad(kData + "/bad_header.csv");
  CHECK(Positions(p) == std::vector<LineField>{{2, "name"}, {2, "egress_ip"}});
  CHECK_THAT(p[1].message, Catch::StartsWith("unknown column"));

  p = LoadBad(kData + "/bad_no_header.csv");
  CHECK(Positions(p) == std::vector<LineField>{{1, "id"}});
  CHECK_THAT(p[0].message, Catch::Contains("the first row must name the columns"));

  p = LoadBad(kData + "/bad_quote.csv");
  CHECK(Positions(p) == std::vector<LineField>{{3, ""}});
  CHECK(p[0].message == "unterminated quoted field");
}

TEST_CASE("bad.json and bad.yaml: structure, types and values at the offending line") {
  const std::vector<std::pair<std::size_t, std::string>> json_expected = {
      {3, "contractors[0].id"},
      {11, "contractors[1].claimed.lat"},  // true: not a number
      {11, "contractors[1].claimed.country"},
      {13, "contractors[1].working_hours.days[1]"},
      {13, "contractors[1].working_hours.start"},
      {14, "contractors[1].devices.ips"},  // a string where a list belongs
      {15, "contractors[1].egress_ip"},    // unknown key
      {19, "contractors[2].claimed"},      // a string where an object belongs
      {20, "contractors[2].timezone"},
      {24, "contractors[2].devices.ips"},  // the bad item's own line
      {26, "contractors[2].devices.macs"},
      {33, "contractors[3].devices.laptops"},
      {33, "contractors[3].devices.ips"},  // 10.9.5.3 already j2's
      {36, "contractors[4].id"},           // duplicate
      {37, "contractors[4].claimed.lon"},  // lat without lon
      {40, "contractors[5]"},              // not an object
      {42, "version"},
  };
  const auto json = LoadBad(kData + "/bad.json");
  CHECK(Positions(json) == json_expected);
  CHECK(FindProblem(json, 33, "contractors[3].devices.ips")->message ==
        "10.9.5.3 is claimed by both j2 (line 23) and j3");

  const std::vector<std::pair<std::size_t, std::string>> yaml_expected = {
      {2, "contractors[0].id"},
      {10, "contractors[1].claimed.country"},
      {11, "contractors[1].claimed.lat"},  // a list: not a number
      {14, "contractors[1].working_hours.start"},
      {15, "contractors[1].working_hours.days[1]"},
      {17, "contractors[1].devices.ips"},
      {18, "contractors[1].egress_ip"},
      {21, "contractors[2].claimed"},
      {22, "contractors[2].timezone"},
      {26, "contractors[2].devices.ips"},
      {27, "contractors[2].devices.macs"},
      {32, "contractors[3].devices.laptops"},
      {32, "contractors[3].devices.ips"},
      {34, "contractors[4].id"},
      {36, "contractors[4].claimed.lon"},
      {39, "contractors[5]"},
      {40, "version"},
  };
  const auto yaml = LoadBad(kData + "/bad.yaml");
  CHECK(Positions(yaml) == yaml_expected);
}

TEST_CASE("syntax errors give line and column") {
  auto p = LoadBad(kData + "/bad_syntax.json");
  REQUIRE(p.size() == 1);
  CHECK(p[0].line == 4);
  CHECK_THAT(p[0].message, Catch::StartsWith("column 5: syntax error"));
  p = LoadBad(kData + "/bad_syntax.yaml");
  REQUIRE(p.size() == 1);
  CHECK(p[0].line == 4);
  CHECK_THAT(p[0].message, Catch::StartsWith("column 4:"));
}

TEST_CASE("a key given twice is a problem at its second line, in JSON and YAML") {
  // nlohmann::json keeps the last of a key given twice, yaml-cpp answers one of them: both
  // loaded {id: d1, id: d2} as one contractor, silently.
  for (const char* ext : {"yaml", "json"}) {
    INFO(ext);
    const auto p = LoadBad(kData + "/bad_repeated_keys." + ext);
    const bool yaml = std::string(ext) == "yaml";
    const auto* id = FindProblem(p, yaml ? 4 : 3, "contractors[0].id");
    REQUIRE(id);
    CHECK(id->message == std::string("given twice (first on line ") + (yaml ? "3" : "2") + ")");
    const auto* city = FindProblem(p, yaml ? 7 : 6, "contractors[0].claimed.city");
    REQUIRE(city);
    CHECK(city->message == std::string("given twice (first on line ") + (yaml ? "7" : "5") + ")");
    CHECK(p.size() == 2);  // the same key in two contractors is not given twice
  }
}

TEST_CASE("a number beyond a double in a JSON roster is a problem with its line and field") {
  // nlohmann refuses the whole text (out_of_range.406) and says where nowhere.
  const auto p = LoadBad(kData + "/bad_number_range.json");
  REQUIRE(p.size() == 1);
  CHECK(p[0].line == 3);
  CHECK(p[0].field == "contractors[0].claimed.lat");
  CHECK(p[0].message == "number out of range ('1e400' is beyond a double)");
}

TEST_CASE("problem lines escape control characters from the file") {
  const RosterProblem p{"r.yaml", 3, "contractors[0].timezone",
                        "unknown time zone ('Mars\x1b[2J\r\nx')"};
  CHECK(p.ToString() == "r.yaml:3: contractors[0].timezone: unknown time zone "
                        "('Mars\\x1b[2J\\r\\nx')");
}

TEST_CASE("files that cannot be rosters") {
  auto p = LoadBad(kData + "/does-not-exist.csv");
  CHECK(p[0].line == 0);
  CHECK_THAT(p[0].message, Catch::StartsWith("cannot open"));
  p = LoadBad(kData + "/identity_events.jsonl");
  CHECK_THAT(p[0].message, Catch::StartsWith("unknown roster format"));
  p = LoadBad(kData);
  CHECK(p[0].message == "is a directory");
}

TEST_CASE("the documented examples in config/ load") {
  const Roster yaml = LoadOk(std::string(PARALLAX_CONFIG_DIR) + "/roster.example.yaml");
  const Roster csv = LoadOk(std::string(PARALLAX_CONFIG_DIR) + "/roster.example.csv");
  REQUIRE(yaml.contractors().size() == csv.contractors().size());
  for (std::size_t i = 0; i < yaml.contractors().size(); ++i) {
    CHECK(yaml.contractors()[i].id == csv.contractors()[i].id);
  }
}

TEST_CASE("identity_aliases: CSV ';' lists and YAML lists give the same aliases") {
  const Roster csv = LoadOk(kData + "/aliases.csv");
  const Roster yaml = LoadOk(kData + "/aliases.yaml");
  REQUIRE(csv.contractors().size() == 3);
  REQUIRE(yaml.contractors().size() == 3);
  using V = std::vector<std::string>;
  CHECK(csv.Find("alice")->identity_aliases == V{"alice@example.com", "Alice.Ng@Example.COM"});
  CHECK(csv.Find("bob")->identity_aliases == V{"bob@example.com", "broy"});
  CHECK(csv.Find("carol")->identity_aliases.empty());
  for (std::size_t i = 0; i < 3; ++i) {
    CHECK(csv.contractors()[i].identity_aliases == yaml.contractors()[i].identity_aliases);
  }
}

TEST_CASE("identity_aliases: one owner each, never another contractor's id, one name per item") {
  auto csv = LoadBad(kData + "/aliases_bad.csv");
  const RosterProblem* twice = FindProblem(csv, 5, "identity_aliases");
  REQUIRE(twice);
  CHECK(twice->message.find("claimed by both alice (line 4) and bob") != std::string::npos);
  const RosterProblem* id = FindProblem(csv, 6, "identity_aliases");
  REQUIRE(id);
  CHECK(id->message.find("is the id of another contractor (line 4)") != std::string::npos);
  CHECK(csv.size() == 2);

  auto yaml = LoadBad(kData + "/aliases_bad.yaml");
  CHECK(FindProblem(yaml, 6, "contractors[0].identity_aliases"));     // "Alice Ng": a blank
  CHECK(FindProblem(yaml, 11, "contractors[1].identity_aliases"));    // not a list
}
