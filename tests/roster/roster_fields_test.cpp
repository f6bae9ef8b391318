// The field parsers the three roster formats share.
#include "sensor/roster/roster_fields.h"

#include <catch2/catch.hpp>

using namespace parallax::roster;

TEST_CASE("work days: names, ranges that wrap, lists, and their compact form") {
  std::string e;
  CHECK(ParseWorkDays("Mon-Fri", &e) == 0x1F);
  CHECK(ParseWorkDays("mon,wed,FRI", &e) == 0x15);
  CHECK(ParseWorkDays("Sun-Thu", &e) == 0x4F);
  CHECK(ParseWorkDays("Saturday Sunday", &e) == 0x60);
  CHECK(ParseWorkDays("Mon-Sun", &e) == 0x7F);
  CHECK(ParseWorkDays("Fri-Mon", &e) == (0x10 | 0x20 | 0x40 | 0x01));
  CHECK_FALSE(ParseWorkDays("Mon-Funday", &e));
  CHECK_THAT(e, Catch::Contains("'Mon-Funday'"));
  CHECK_FALSE(ParseWorkDays("  ", &e));
  CHECK_FALSE(ParseWorkDays("M", &e));

  CHECK(FormatWorkDays(0x1F) == "Mon-Fri");
  CHECK(FormatWorkDays(0x15) == "Mon,Wed,Fri");
  CHECK(FormatWorkDays(0x4F) == "Sun-Thu");
  CHECK(FormatWorkDays(0x7F) == "Mon-Sun");
  CHECK(FormatWorkDays(0x03) == "Mon,Tue");
  CHECK(FormatWorkDays(0x40 | 0x01 | 0x08) == "Sun,Mon,Thu");
}

TEST_CASE("clock times") {
  std::string e;
  CHECK(ParseClock("09:00", false, &e) == 540);
  CHECK(ParseClock("9:05", false, &e) == 545);
  CHECK(ParseClock("23:59", false, &e) == 1439);
  CHECK(ParseClock("24:00", true, &e) == 1440);
  CHECK_FALSE(ParseClock("24:00", false, &e));
  CHECK_FALSE(ParseClock("24:01", true, &e));
  CHECK_FALSE(ParseClock("12:60", false, &e));
  CHECK_FALSE(ParseClock("9", false, &e));
  CHECK_FALSE(ParseClock("09:00:00", false, &e));
  CHECK_FALSE(ParseClock("-1:00", false, &e));
  CHECK(FormatClock(545) == "09:05");
}

TEST_CASE("CIDRs and MACs") {
  std::string e;
  auto c = ParseCidr("10.1.0.0/16", &e);
  REQUIRE(c);
  CHECK(c->prefix == 16);
  CHECK(ParseCidr(" 192.0.2.7 ", &e)->prefix == 32);
  CHECK(ParseCidr("2001:db8::1", &e)->prefix == 128);
  CHECK(ParseCidr("0.0.0.0/0", &e)->prefix == 0);
  CHECK_FALSE(ParseCidr("10.1.0.0/", &e));
  CHECK_FALSE(ParseCidr("10.1.0.0/x", &e));
  CHECK_FALSE(ParseCidr("10.1.0.0/-1", &e));
  CHECK_FALSE(ParseCidr("10.1.0.1/16", &e));
  CHECK_THAT(e, Catch::Contains("did you mean 10.1.0.0/16?"));
  CHECK_FALSE(ParseCidr("2001:db8::1/64", &e));
  CHECK_THAT(e, Catch::Contains("did you mean 2001:db8::/64?"));
  CHECK_FALSE(ParseCidr("host.example", &e));

  auto m = ParseMac("AA-bb-CC-00-11-22", &e);
  REQUIRE(m);
  CHECK(FormatMac(*m) == "aa:bb:cc:00:11:22");
  CHECK_FALSE(ParseMac("aa:bb-cc:00:11:22", &e));  // mixed separators
  CHECK_FALSE(ParseMac("aa:bb:cc:00:11", &e));
  CHECK_FALSE(ParseMac("aabb.cc00.1122", &e));
  CHECK_FALSE(ParseMac("aa:bb:cc:00:11:2g", &e));
}

TEST_CASE("numbers, countries and time zones") {
  std::string e;
  CHECK(ParseNumber("-97.7431", &e) == Approx(-97.7431));
  CHECK_FALSE(ParseNumber("nan", &e));
  CHECK_FALSE(ParseNumber("inf", &e));
  CHECK_FALSE(ParseNumber("1e999", &e));
  CHECK_FALSE(ParseNumber("12abc", &e));
  CHECK(IsCountryCode("US", &e));
  CHECK(IsCountryCode("GB", &e));
  CHECK_FALSE(IsCountryCode("us", &e));  // the builder upper-cases before asking
  CHECK_FALSE(IsCountryCode("USA", &e));
  CHECK_FALSE(IsCountryCode("ZZ", &e));
  CHECK(IsTimeZone("America/New_York", &e));
  CHECK(IsTimeZone("UTC", &e));
  CHECK(IsTimeZone("Etc/GMT+5", &e));
  CHECK_FALSE(IsTimeZone("America/Atlantis", &e));
  CHECK_FALSE(IsTimeZone("zone.tab", &e));
  CHECK_FALSE(IsTimeZone("../../etc/passwd", &e));
  CHECK_FALSE(IsTimeZone("/etc/localtime", &e));
  CHECK_FALSE(IsTimeZone("America", &e));  // a directory
}

TEST_CASE("list cells split on ';', ',' and whitespace") {
  CHECK(SplitList("a;b, c\td  e") == std::vector<std::string>{"a", "b", "c", "d", "e"});
  CHECK(SplitList(" ;; ").empty());
}

TEST_CASE("UTF-8 validation") {
  CHECK_FALSE(InvalidUtf8At("plain ASCII").has_value());
  CHECK_FALSE(InvalidUtf8At("Ren\xc3\xa9" "e, \xe5\x8c\x97\xe4\xba\xac, \xf0\x9f\x92\xac").has_value());
  CHECK(InvalidUtf8At("Ren\xe9" "e") == 3u);                 // Latin-1 e-acute
  CHECK(InvalidUtf8At("ab\xc3") == 2u);                   // cut short
  CHECK(InvalidUtf8At("\xc0\xaf") == 0u);                 // overlong '/'
  CHECK(InvalidUtf8At("\xe0\x80\xaf") == 0u);            // overlong, 3 bytes
  CHECK(InvalidUtf8At("x\xed\xa0\x80") == 1u);           // a UTF-16 surrogate
  CHECK(InvalidUtf8At("\xf4\x90\x80\x80") == 0u);       // beyond U+10FFFF
  CHECK(InvalidUtf8At("\xf4\x8f\xbf\xbf").has_value() == false);  // U+10FFFF itself
  CHECK(InvalidUtf8At("\xe2\x82x") == 0u);               // bad continuation
  CHECK(InvalidUtf8At("\xff") == 0u);
}
