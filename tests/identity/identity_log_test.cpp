// Reading whole files: users mapped to the roster, the counts of what did not become an event,
// the summary and bad-line messages; stateful formats (OpenVPN status files) and the ASA
// header variants.
#include "sensor/identity/identity_log.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/log_time.h"
#include "sensor/identity/user_map.h"

using namespace parallax;
using namespace parallax::identity;
using core::IpAddress;
using core::TimeUs;

namespace {

const std::string kData = PARALLAX_TEST_DATA;

TimeUs Utc(int y, int mo, int d, int h, int mi, int s) {
  return core::Seconds(*CivilSeconds(y, mo, d, h, mi, s));
}

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }

const roster::Roster& TestRoster() {
  static const roster::Roster r = [] {
    roster::Roster out;
    std::vector<roster::RosterProblem> problems;
    REQUIRE(roster::Roster::Load(kData + "/roster.csv", &out, &problems).ok());
    return out;
  }();
  return r;
}

struct Read {
  std::vector<roster::IdentityEvent> events;
  IdentityLogReport report;
};

Read ReadFile(const std::string& format, const std::string& file, AdapterOptions options = {}) {
  Read r;
  auto st =
      ReadIdentityLog(format, kData + "/" + file, TestRoster(), options, &r.events, &r.report);
  INFO(st.message());
  REQUIRE(st.ok());
  return r;
}

std::string Describe(const roster::IdentityEvent& e) {
  return e.contractor + " " + std::to_string(e.ts) + " " +
         (e.public_ip ? e.public_ip->ToString() : "-") + " " +
         (e.internal_ip ? e.internal_ip->ToString() : "-") + " line " + std::to_string(e.line);
}

std::vector<std::size_t> BadLineNumbers(const IdentityLogReport& r) {
  std::vector<std::size_t> out;
  for (const auto& b : r.first_bad_lines) out.push_back(b.line);
  return out;
}

}  // namespace

TEST_CASE("user mapping: id or alias, any case; DOMAIN\\user; never an e-mail's local part") {
  const UserMap users(TestRoster());
  CHECK(*users.Find("alice") == "alice");
  CHECK(*users.Find("ALICE@example.COM") == "alice");
  CHECK(*users.Find(" laptop-7 ") == "bob");
  CHECK(*users.Find("EXAMPLE\\bob") == "bob");
  CHECK(*users.Find("host\\\\carol") == "carol");  // PAN-OS writes the backslash doubled
  CHECK(users.Find("carol@example.com") == nullptr);
  CHECK(users.Find("alice@other.example") == nullptr);
  CHECK(users.Find("") == nullptr);
}

TEST_CASE("FORMAT:FILE specs") {
  std::string format, path;
  CHECK(ParseIdentitySpec("okta:/var/log/okta.jsonl", &format, &path).ok());
  CHECK(format == "okta");
  CHECK(path == "/var/log/okta.jsonl");
  CHECK(ParseIdentitySpec("asa:C:/logs/asa.log", &format, &path).ok());  // first ':' splits
  CHECK(path == "C:/logs/asa.log");
  auto st = ParseIdentitySpec("splunk:x.log", &format, &path);
  CHECK(st.message() ==
        "--identity: unknown format 'splunk' (formats: okta, entra, gws, asa, globalprotect, "
        "openvpn, fortigate)");
  CHECK_FALSE(ParseIdentitySpec("okta.jsonl", &format, &path).ok());
  CHECK_FALSE(ParseIdentitySpec("okta:", &format, &path).ok());
}

TEST_CASE("a bad line names its line, the rest of the file is still read, all is counted") {
  Read r = ReadFile("okta", "okta-malformed.jsonl");
  REQUIRE(r.events.size() == 2);
  CHECK(Describe(r.events[0]) ==
        "alice " + std::to_string(Utc(2024, 3, 1, 8, 0, 0)) + " 198.51.100.7 - line 1");
  CHECK(Describe(r.events[1]) ==
        "alice " + std::to_string(Utc(2024, 3, 1, 10, 0, 0)) + " 203.0.113.50 - line 9");
  CHECK(r.events[0].source == "okta");
  CHECK(r.report.lines == 8);  // the blank line is not one
  CHECK(r.report.ignored == 1);
  CHECK(r.report.unmapped_users.size() == 1);
  CHECK(r.report.unmapped_users.count("stranger@example.com"));
  CHECK(BadLineNumbers(r.report) == std::vector<std::size_t>{2, 4, 5, 7});
  CHECK(r.report.events + r.report.ignored + r.report.unmapped_records + r.report.bad_lines ==
        r.report.lines);
  const std::string summary = r.report.Summary();
  INFO(summary);
  CHECK(
      summary.rfind("okta:" + kData +
                        "/okta-malformed.jsonl: 2 events, 1 record ignored "
                        "(no sign-in or session), 1 user not in the roster (stranger@example.com), "
                        "4 lines not understood (line 2: column ",
                    0) == 0);
  const auto messages = r.report.BadLineMessages();
  REQUIRE(messages.size() == 4);
  CHECK(messages[1].rfind(kData + "/okta-malformed.jsonl:4: published: ", 0) == 0);
  CHECK(messages[2].find("client.ipAddress: not an IP address (\"not-an-ip\")") !=
        std::string::npos);
  CHECK(messages[3].find(":7: expected a JSON object") != std::string::npos);
}

TEST_CASE("an unreadable file or unknown format fails; an empty file is zero events") {
  std::vector<roster::IdentityEvent> events;
  IdentityLogReport report;
  auto st =
      ReadIdentityLog("okta", kData + "/no-such-file.jsonl", TestRoster(), {}, &events, &report);
  CHECK_FALSE(st.ok());
  CHECK(st.message().find("no-such-file.jsonl: cannot open") != std::string::npos);
  CHECK_FALSE(
      ReadIdentityLog("nope", kData + "/roster.csv", TestRoster(), {}, &events, &report).ok());
}

TEST_CASE("asa: with and without PRI, year and hostname; RFC 3339; bad lines named") {
  AdapterOptions opt;
  opt.reference_time = Utc(2022, 7, 1, 0, 0, 0);
  Read r = ReadFile("asa", "asa-variants.log", opt);
  std::vector<std::string> got;
  for (const auto& e : r.events) got.push_back(Describe(e));
  const auto at = [](int s) { return std::to_string(Utc(2022, 6, 22, 13, 29, s)); };
  CHECK(got == std::vector<std::string>{
                   "alice " + at(11) + " 198.51.100.7 - line 1",
                   "alice " + at(12) + " 198.51.100.7 10.8.0.6 line 2",
                   "bob " + at(13) + " 203.0.113.9 - line 3",
                   "carol " + at(14) + " 192.0.2.50 - line 4",
                   "dave " + at(15) + " 192.0.2.77 2001:db8:8::6 line 5",
               });
  CHECK(r.report.ignored == 1);  // the 302013 connection message
  CHECK(BadLineNumbers(r.report) == std::vector<std::size_t>{7, 8, 9, 10});
  const auto m = r.report.BadLineMessages();
  CHECK(m[0].find("IP: not an address ('198.51.100.300')") != std::string::npos);
  CHECK(m[1].find("expected a syslog timestamp") != std::string::npos);
  CHECK(m[2].find("no %ASA- or %FTD- message tag") != std::string::npos);
  CHECK(m[3].find("722051: expected IPv4 Address") != std::string::npos);

  // Without a reference time a year-less header cannot be placed: those lines are bad, the
  // others still read. A zone-less time moves with the configured offset.
  opt.reference_time = -1;
  opt.utc_offset_minutes = 120;
  r = ReadFile("asa", "asa-variants.log", opt);
  CHECK(r.events.size() == 3);
  CHECK(r.events[0].ts == Utc(2022, 6, 22, 11, 29, 11));
  CHECK(r.events[2].ts == Utc(2022, 6, 22, 13, 29, 15));  // RFC 3339 carries its zone
  CHECK(r.report.bad_lines == 6);
}

TEST_CASE("openvpn status versions 1, 2 and 3 give the same bindings") {
  const std::string alice = std::to_string(Utc(2019, 6, 13, 9, 0, 0));
  const std::string bob = std::to_string(Utc(2019, 6, 13, 9, 30, 5));
  Read v1 = ReadFile("openvpn", "openvpn-status-v1.txt");
  std::vector<std::string> got;
  for (const auto& e : v1.events) got.push_back(Describe(e));
  CHECK(got == std::vector<std::string>{
                   "alice " + alice + " 198.51.100.7 - line 4",
                   "bob " + bob + " 203.0.113.9 - line 5",
                   "alice " + alice + " 198.51.100.7 10.8.0.6 line 8",
                   "bob " + bob + " 203.0.113.9 10.8.0.10 line 9",
               });
  CHECK(v1.report.bad_lines == 0);
  CHECK(v1.report.ignored == 9);  // titles, headers, the iroute subnet, stats, END

  for (const char* file : {"openvpn-status-v2.txt", "openvpn-status-v3.txt"}) {
    INFO(file);
    Read v = ReadFile("openvpn", file);
    got.clear();
    for (const auto& e : v.events) got.push_back(Describe(e));
    // Username "bob" wins over the certificate's Common Name laptop-7 (an alias anyway).
    CHECK(got == std::vector<std::string>{
                     "alice " + alice + " 198.51.100.7 10.8.0.6 line 4",
                     "bob " + bob + " 203.0.113.9 10.8.0.10 line 5",
                     "alice " + alice + " 198.51.100.7 10.8.0.6 line 8",
                     "bob " + bob + " 203.0.113.9 10.8.0.10 line 9",
                 });
    CHECK(v.report.unmapped_users.count("mallory"));
    CHECK(v.report.bad_lines == 0);
  }
}

TEST_CASE("openvpn status: rows that do not fit their header are bad lines") {
  auto adapter = FindAdapter("openvpn")->make({});
  CHECK(adapter->Parse("TITLE,OpenVPN 2.6.3").verdict == LineVerdict::kIgnored);
  CHECK(adapter->Parse("CLIENT_LIST,a,1.2.3.4:5").verdict == LineVerdict::kMalformed);  // no header
  CHECK(adapter->Parse("HEADER,CLIENT_LIST,Common Name,Real Address,Connected Since (time_t)")
            .verdict == LineVerdict::kIgnored);
  LineResult r = adapter->Parse("CLIENT_LIST,a,1.2.3.4:5");
  CHECK(r.verdict == LineVerdict::kMalformed);
  CHECK(r.error == "2 cells but the client header has 3");
  r = adapter->Parse("CLIENT_LIST,a,1.2.3.4:5,soon");
  CHECK(r.error == "Connected Since (time_t): not a time ('soon')");
  // Longer than any time_t: refused, not summed past int64 (tests/fuzz regression
  // openvpn_time_t_overflow replays the sanitizer's find).
  r = adapter->Parse("CLIENT_LIST,a,1.2.3.4:5,99999999999999999999999999");
  CHECK(r.error == "Connected Since (time_t): not a time ('99999999999999999999999999')");
  r = adapter->Parse("CLIENT_LIST,a,1.2.3.4:5,1560416400");
  REQUIRE(r.verdict == LineVerdict::kLogin);
  CHECK(r.login.public_ip == Ip("1.2.3.4"));
  CHECK(adapter->Parse("something else").verdict == LineVerdict::kMalformed);
}

TEST_CASE("openvpn server log: MULTI_sva lines with each timestamp style") {
  AdapterOptions opt;
  opt.reference_time = Utc(2019, 7, 1, 0, 0, 0);
  Read r = ReadFile("openvpn", "openvpn-server.log", opt);
  std::vector<std::string> got;
  for (const auto& e : r.events) got.push_back(Describe(e));
  CHECK(got ==
        std::vector<std::string>{
            "alice " + std::to_string(Utc(2019, 6, 13, 9, 0, 1)) + " 198.51.100.7 10.8.0.6 line 3",
            "bob " + std::to_string(Utc(2019, 6, 13, 9, 30, 5)) + " 203.0.113.9 10.8.0.10 line 4",
            "bob " + std::to_string(Utc(2019, 6, 13, 9, 31, 0)) + " 192.0.2.66 10.8.0.14 line 5",
        });
  CHECK(r.report.ignored == 2);
  CHECK(BadLineNumbers(r.report) == std::vector<std::size_t>{6});
}

TEST_CASE(
    "JSON documents: an API array, Graph's {\"value\": [...]}, a broken one, a cut first line") {
  Read okta = ReadFile("okta", "okta-array.json");  // pretty-printed, as the API returns it
  REQUIRE(okta.events.size() == 1);
  CHECK(Describe(okta.events[0]) ==
        "alice " + std::to_string(Utc(2024, 3, 1, 8, 0, 0)) + " 198.51.100.7 - line 0");
  CHECK(okta.report.lines == 3);
  CHECK(okta.report.ignored == 1);
  REQUIRE(okta.report.bad_lines == 1);
  CHECK(okta.report.BadLineMessages()[0].rfind(kData + "/okta-array.json: element 2: published: ",
                                               0) == 0);
  CHECK(okta.report.Summary().find("1 line not understood (element 2: published: ") !=
        std::string::npos);

  Read graph = ReadFile("entra", "entra-graph.json");
  REQUIRE(graph.events.size() == 1);
  CHECK(graph.events[0].public_ip == Ip("198.51.100.7"));
  CHECK(graph.report.ignored == 1);  // the failed sign-in

  // A document that does not parse: one bad line at the parser's position.
  Read broken = ReadFile("okta", "okta-array-broken.json");
  CHECK(broken.events.empty());
  REQUIRE(broken.report.bad_lines == 1);
  CHECK(broken.report.first_bad_lines[0].line > 1);
  CHECK(broken.report.first_bad_lines[0].message.find("not a JSON document") != std::string::npos);

  // JSON lines whose first line is cut short are still JSON lines: the rest is read.
  Read cut = ReadFile("okta", "okta-first-line-cut.jsonl");
  CHECK(BadLineNumbers(cut.report) == std::vector<std::size_t>{1});
  REQUIRE(cut.events.size() == 1);
  CHECK(cut.events[0].contractor == "bob");
  CHECK(cut.events[0].line == 2);
}
