// Identity events: parsing JSON lines and attributing addresses over time.
#include "sensor/roster/identity_events.h"

#include <catch2/catch.hpp>

#include "sensor/roster/rfc3339.h"

using parallax::core::IpAddress;
using parallax::core::Seconds;
using parallax::core::TimeUs;
using namespace parallax::roster;

namespace {

const std::string kData = PARALLAX_TEST_DATA;
constexpr TimeUs kJan5 = Seconds(1767571200);  // 2026-01-05T00:00:00Z

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

IdentityEvent Event(TimeUs ts, const char* who, const char* pub, const char* internal = nullptr) {
  IdentityEvent e;
  e.ts = ts;
  e.contractor = who;
  if (pub) e.public_ip = Ip(pub);
  if (internal) e.internal_ip = Ip(internal);
  return e;
}

std::string Holder(const std::string* id) { return id ? *id : "(none)"; }

}  // namespace

TEST_CASE("RFC 3339: zones, offsets, fractions, and refusals") {
  std::string e;
  CHECK(ParseRfc3339("2026-01-05T14:00:00Z", &e) == kJan5 + Seconds(14 * 3600));
  CHECK(ParseRfc3339("2026-01-05t14:00:00z", &e) == kJan5 + Seconds(14 * 3600));
  CHECK(ParseRfc3339("2026-01-05 14:00:00Z", &e) == kJan5 + Seconds(14 * 3600));
  CHECK(ParseRfc3339("2026-01-05T09:00:00-05:00", &e) == kJan5 + Seconds(14 * 3600));
  CHECK(ParseRfc3339("2026-01-05T15:30:00+01:30", &e) == kJan5 + Seconds(14 * 3600));
  CHECK(ParseRfc3339("2026-01-05T14:00:00.25Z", &e) == kJan5 + Seconds(14 * 3600) + 250'000);
  CHECK(ParseRfc3339("2026-01-05T14:00:00.123456789Z", &e) == kJan5 + Seconds(14 * 3600) + 123'456);
  CHECK(ParseRfc3339("1970-01-01T00:00:00Z", &e) == 0);
  CHECK(ParseRfc3339("2024-02-29T00:00:00Z", &e) == Seconds(1709164800));
  CHECK(ParseRfc3339("2016-12-31T23:59:60Z", &e) == Seconds(1483228800) - 1);
  for (const char* bad :
       {"2026-01-05", "2026-01-05T14:00Z", "2026-01-05T14:00:00", "2026-13-01T00:00:00Z",
        "2025-02-29T00:00:00Z", "2026-01-05T24:00:00Z", "2026-01-05T14:00:00.Z",
        "2026-01-05T14:00:00+0100", "2026-01-05T14:00:00Zjunk", "26-01-05T14:00:00Z"}) {
    INFO(bad);
    CHECK_FALSE(ParseRfc3339(bad, &e));
  }
}

TEST_CASE("identity events file: every well-formed line, with its line number") {
  std::vector<IdentityEvent> events;
  std::vector<RosterProblem> problems;
  REQUIRE(LoadIdentityEvents(kData + "/identity_events.jsonl", nullptr, &events, &problems).ok());
  REQUIRE(problems.empty());
  REQUIRE(events.size() == 5);
  CHECK(events[0].ts == kJan5 + Seconds(14 * 3600));
  CHECK(events[0].contractor == "c1");
  CHECK(events[0].public_ip == Ip("203.0.113.10"));
  CHECK(events[0].internal_ip == Ip("10.8.0.6"));
  CHECK(events[0].source == "vpn-gateway");
  CHECK(events[0].line == 1);
  CHECK(events[1].ts == kJan5 + Seconds(14 * 3600 + 30 * 60) + 250'000);
  CHECK_FALSE(events[1].internal_ip);
  CHECK(events[2].line == 4);  // the blank line 3 is skipped
  CHECK(events[2].ts == Seconds(1767632400));
  CHECK_FALSE(events[2].public_ip);
  CHECK(events[3].ts == Seconds(1767636000) + 500'000);
  CHECK(events[4].public_ip == Ip("2001:db8:beef::1"));
  CHECK_FALSE(events[4].internal_ip);  // null is absent
  CHECK(events[4].source.empty());
}

TEST_CASE("identity events checked against the roster") {
  Roster roster;
  std::vector<RosterProblem> problems;
  REQUIRE(Roster::Load(kData + "/good.csv", &roster, &problems).ok());
  std::vector<IdentityEvent> events;
  CHECK(LoadIdentityEvents(kData + "/identity_events.jsonl", &roster, &events, &problems).ok());
  CHECK(problems.empty());
}

TEST_CASE("two identity-only contractors behind one public address") {
  Roster roster;
  std::vector<RosterProblem> problems;
  REQUIRE(Roster::Load(kData + "/identity_only.csv", &roster, &problems).ok());
  std::vector<IdentityEvent> events;
  REQUIRE(LoadIdentityEvents(kData + "/identity_events_shared.jsonl", &roster, &events, &problems)
              .ok());
  CHECK(problems.empty());
  REQUIRE(events.size() == 2);
  IdentityBindings b;
  for (const auto& e : events) b.Add(e);
  const TimeUs later = kJan5 + Seconds(15 * 3600);
  // Inside (VPN-assigned addresses): each device is its own contractor's.
  CHECK(Holder(b.ByInternal(Ip("10.8.0.21"), later)) == "i1");
  CHECK(Holder(b.ByInternal(Ip("10.8.0.22"), later)) == "i2");
  // At the gateway the shared address goes to the latest sign-in: i1's until i2 signs in.
  const TimeUs between = kJan5 + Seconds(14 * 3600 + 5 * 60);
  CHECK(Holder(b.ByPublic(Ip("198.51.100.77"), between)) == "i1");
  CHECK(b.PublicOf("i1", between) == std::vector<IpAddress>{Ip("198.51.100.77")});
  CHECK(Holder(b.ByPublic(Ip("198.51.100.77"), later)) == "i2");
  CHECK(b.PublicOf("i2", later) == std::vector<IpAddress>{Ip("198.51.100.77")});
  CHECK(b.PublicOf("i1", later).empty());  // moved to i2 with the later sign-in
  // Before the first sign-in nobody holds anything: no static selector stands in.
  CHECK(Holder(b.ByPublic(Ip("198.51.100.77"), kJan5)) == "(none)");
}

TEST_CASE("bad identity events: line and field of each") {
  Roster roster;
  std::vector<RosterProblem> problems;
  REQUIRE(Roster::Load(kData + "/good.csv", &roster, &problems).ok());
  std::vector<IdentityEvent> events;
  auto st = LoadIdentityEvents(kData + "/identity_events_bad.jsonl", &roster, &events, &problems);
  CHECK_FALSE(st.ok());
  CHECK_THAT(st.message(), Catch::Contains("identity_events_bad.jsonl:2: timestamp:"));
  std::vector<std::pair<std::size_t, std::string>> got;
  for (const auto& p : problems) got.emplace_back(p.line, p.field);
  const std::vector<std::pair<std::size_t, std::string>> expected = {
      {2, "timestamp"},    // not RFC 3339
      {3, "timestamp"},    // missing
      {4, "timestamp"},    // February 30th
      {5, "contractor"},   // missing
      {6, "public_ip"},    // neither address
      {7, "public_ip"},    // not an address
      {8, "internal_ip"},  // a number
      {9, "contractor"},   // not in the roster
      {10, "timestamp"},   // a boolean
      {11, ""},            // JSON syntax
      {12, ""},            // not an object
      {13, "source"},
  };
  CHECK(got == expected);
  CHECK_THAT(problems[7].message, Catch::Contains("unknown contractor 'nobody'"));
  CHECK_THAT(problems[9].message, Catch::StartsWith("column 82:"));
  REQUIRE(events.size() == 1);  // line 1 is fine
}

TEST_CASE("ParseIdentityEvent for one tailed line") {
  IdentityEvent e;
  std::string field, error;
  REQUIRE(ParseIdentityEvent(R"({"timestamp":1767621600,"contractor":" c1 ","public_ip":"::1"})",
                             &e, &field, &error));
  CHECK(e.contractor == "c1");
  CHECK(e.ts == Seconds(1767621600));
  CHECK(field.empty());
  CHECK_FALSE(
      ParseIdentityEvent(R"({"timestamp":1767621600,"contractor":"c1"})", &e, &field, &error));
  CHECK(field == "public_ip");
  CHECK_FALSE(ParseIdentityEvent("", &e, &field, &error));
  CHECK(field.empty());
}

TEST_CASE("an identity event with a key given twice is refused, naming the key") {
  // nlohmann keeps the last: "contractor":"c1","contractor":"c2" was bound to c2, silently.
  IdentityEvent e;
  std::string field, error;
  CHECK_FALSE(ParseIdentityEvent(
      R"({"timestamp":1767621600,"contractor":"c1","contractor":"c2","public_ip":"::1"})", &e,
      &field, &error));
  CHECK(field == "contractor");
  CHECK(error == "given twice");
  CHECK_FALSE(ParseIdentityEvent(
      R"({"timestamp":1767621600,"contractor":"c1","public_ip":"::1","public_ip":"::2"})", &e,
      &field, &error));
  CHECK(field == "public_ip");
  // The same key in a nested object and its parent is not given twice.
  CHECK(ParseIdentityEvent(
      R"({"timestamp":1767621600,"contractor":"c1","public_ip":"::1","extra":{"contractor":"x"}})",
      &e, &field, &error));
}

TEST_CASE("bindings: the latest at or before the time wins, and rebinding moves the address") {
  IdentityBindings b;
  const TimeUs t0 = kJan5;
  // Added out of order on purpose.
  b.Add(Event(t0 + Seconds(7200), "c2", "203.0.113.10"));
  b.Add(Event(t0, "c1", "203.0.113.10", "10.8.0.6"));
  b.Add(Event(t0 + Seconds(3600), "c1", "198.51.100.7", "10.8.0.6"));
  b.Add(Event(t0 + Seconds(10800), "c3", nullptr, "10.8.0.6"));

  const IpAddress home = Ip("203.0.113.10");
  CHECK(Holder(b.ByPublic(home, t0 - 1)) == "(none)");  // before any binding
  CHECK(Holder(b.ByPublic(home, t0)) == "c1");          // at the instant
  CHECK(Holder(b.ByPublic(home, t0 + Seconds(7199))) == "c1");
  CHECK(Holder(b.ByPublic(home, t0 + Seconds(7200))) == "c2");  // moved to c2
  CHECK(Holder(b.ByPublic(Ip("198.51.100.7"), t0 + Seconds(99999))) == "c1");
  CHECK(Holder(b.ByPublic(Ip("10.8.0.6"), t0 + Seconds(99999))) == "(none)");  // internal only

  const IpAddress vpn = Ip("10.8.0.6");
  CHECK(Holder(b.ByInternal(vpn, t0 + Seconds(10799))) == "c1");
  CHECK(Holder(b.ByInternal(vpn, t0 + Seconds(10800))) == "c3");
  CHECK(Holder(b.ByInternal(Ip("2001:db8::6"), t0 + Seconds(10800))) == "(none)");

  // c1's public addresses, latest first; the home line left them once c2 took it over.
  CHECK(b.PublicOf("c1", t0 - 1).empty());
  CHECK(b.PublicOf("c1", t0) == std::vector<IpAddress>{home});
  CHECK(b.PublicOf("c1", t0 + Seconds(3600)) == (std::vector<IpAddress>{Ip("198.51.100.7"), home}));
  CHECK(b.PublicOf("c1", t0 + Seconds(7200)) == std::vector<IpAddress>{Ip("198.51.100.7")});
  CHECK(b.PublicOf("c2", t0 + Seconds(7200)) == std::vector<IpAddress>{home});
  CHECK(b.PublicOf("c3", t0 + Seconds(99999)).empty());
}

TEST_CASE("bindings at the same instant: the one added last wins") {
  IdentityBindings b;
  b.Add(Event(kJan5, "c1", "203.0.113.10"));
  b.Add(Event(kJan5, "c2", "203.0.113.10"));
  CHECK(Holder(b.ByPublic(Ip("203.0.113.10"), kJan5)) == "c2");
  CHECK(b.PublicOf("c1", kJan5).empty());
}
