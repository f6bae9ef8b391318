// Each adapter on lines written to the vendor's documented layout: what binds, what is ignored,
// and what is not understood (with why).
#include <catch2/catch.hpp>
#include <string>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/log_time.h"

using namespace parallax::identity;
using parallax::core::IpAddress;
using parallax::core::TimeUs;

namespace {

TimeUs Utc(int y, int mo, int d, int h, int mi, int s) {
  return parallax::core::Seconds(*CivilSeconds(y, mo, d, h, mi, s));
}

LineResult One(const char* format, const std::string& line, AdapterOptions options = {}) {
  auto adapter = FindAdapter(format)->make(options);
  return adapter->Parse(line);
}

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }

}  // namespace

TEST_CASE("every registered format has a factory and a description") {
  REQUIRE(Adapters().size() == 7);
  for (const AdapterInfo& a : Adapters()) {
    INFO(a.name);
    CHECK(FindAdapter(a.name) == &a);
    CHECK(a.make({}) != nullptr);
    CHECK(std::string(a.description).size() > 10);
  }
  CHECK(FindAdapter("splunk") == nullptr);
  CHECK(AdapterNames() == "okta, entra, gws, asa, globalprotect, openvpn, fortigate");
}

TEST_CASE("log times: civil dates, syslog headers with and without a year, zones") {
  CHECK(CivilSeconds(1970, 1, 1, 0, 0, 0) == 0);
  CHECK(CivilSeconds(2000, 2, 29, 0, 0, 0) == 951782400);
  CHECK_FALSE(CivilSeconds(2001, 2, 29, 0, 0, 0));
  CHECK_FALSE(CivilSeconds(2001, 13, 1, 0, 0, 0));
  std::string error;
  AdapterOptions opt;
  std::string_view s = "Oct 10 2018 12:34:56 host x";
  CHECK(ConsumeSyslogTime(&s, opt, &error) == Utc(2018, 10, 10, 12, 34, 56));
  CHECK(s == "host x");
  // Without a year: refused without a reference, else the latest year not after it (+1 day).
  s = "May  5 17:51:17 dev01";
  CHECK_FALSE(ConsumeSyslogTime(&s, opt, &error));
  CHECK(error.find("without a year") != std::string::npos);
  opt.reference_time = Utc(2024, 1, 3, 0, 0, 0);
  s = "May  5 17:51:17 dev01";
  CHECK(ConsumeSyslogTime(&s, opt, &error) == Utc(2023, 5, 5, 17, 51, 17));
  s = "Jan  3 12:00:00 x";  // same day as the reference: this year
  CHECK(ConsumeSyslogTime(&s, opt, &error) == Utc(2024, 1, 3, 12, 0, 0));
  s = "Feb 29 12:00:00 x";  // 2024 is after the reference, 2023 has no Feb 29: 2020
  CHECK(ConsumeSyslogTime(&s, opt, &error) == Utc(2020, 2, 29, 12, 0, 0));
  // A zone-less time at a configured offset: 09:00 at UTC-05:00 is 14:00Z.
  opt.utc_offset_minutes = -300;
  CHECK(ParseLocalDateTime("2021/03/24 09:00:00", -300, &error) == Utc(2021, 3, 24, 14, 0, 0));
  CHECK(ParseCtime("Thu Jun 13 09:00:00 2019", 60, &error) == Utc(2019, 6, 13, 8, 0, 0));
  CHECK_FALSE(ParseCtime("Thu Jun 13 09:00:00", 0, &error));
  CHECK_FALSE(ParseLocalDateTime("2021/02/30 09:00:00", 0, &error));
  s = "2022-06-22T13:29:15+02:00 h";
  CHECK(ConsumeSyslogTime(&s, opt, &error) == Utc(2022, 6, 22, 11, 29, 15));
}

TEST_CASE("okta: successful session starts and authentications bind actor.alternateId") {
  const std::string start =
      R"({"eventType":"user.session.start","published":"2024-03-01T08:00:00.250Z",)"
      R"("actor":{"type":"User","alternateId":"a@example.com"},)"
      R"("client":{"ipAddress":"198.51.100.7"},"outcome":{"result":"SUCCESS"}})";
  LineResult r = One("okta", start);
  REQUIRE(r.verdict == LineVerdict::kLogin);
  CHECK(r.login.user == "a@example.com");
  CHECK(r.login.ts == Utc(2024, 3, 1, 8, 0, 0) + 250'000);
  CHECK(r.login.public_ip == Ip("198.51.100.7"));
  CHECK_FALSE(r.login.internal_ip);
  std::string failed = start;
  failed.replace(failed.find("SUCCESS"), 7, "FAILURE");
  CHECK(One("okta", failed).verdict == LineVerdict::kIgnored);
  std::string logout = start;
  logout.replace(logout.find("session.start"), 13, "session.end");
  CHECK(One("okta", logout).verdict == LineVerdict::kIgnored);
  std::string app = start;  // an API token acting, not a person
  app.replace(app.find(R"("type":"User")"), 13, R"("type":"PublicClientApp")");
  CHECK(One("okta", app).verdict == LineVerdict::kIgnored);
  LineResult bad = One("okta", R"({"published":"2024-03-01T08:00:00Z"})");
  CHECK(bad.verdict == LineVerdict::kMalformed);
  CHECK(bad.error.find("eventType") != std::string::npos);
}

TEST_CASE("entra: Graph signIn resources and diagnostic records; only errorCode 0 binds") {
  const std::string graph =
      R"({"id":"1","createdDateTime":"2024-03-01T08:00:00Z","userPrincipalName":"a@contoso.com",)"
      R"("ipAddress":"2001:db8::7","status":{"errorCode":0}})";
  LineResult r = One("entra", graph);
  REQUIRE(r.verdict == LineVerdict::kLogin);
  CHECK(r.login.user == "a@contoso.com");
  CHECK(r.login.public_ip == Ip("2001:db8::7"));
  CHECK(r.login.ts == Utc(2024, 3, 1, 8, 0, 0));
  const std::string diag =
      R"({"time":"2024-03-01T09:00:00Z","category":"SignInLogs","callerIpAddress":"192.0.2.1",)"
      R"("properties":{"userPrincipalName":"b@contoso.com","status":{"errorCode":50126}}})";
  CHECK(One("entra", diag).verdict == LineVerdict::kIgnored);
  std::string ok = diag;
  ok.replace(ok.find("50126"), 5, "0");
  r = One("entra", ok);
  REQUIRE(r.verdict == LineVerdict::kLogin);  // time and address from beside `properties`
  CHECK(r.login.public_ip == Ip("192.0.2.1"));
  CHECK(r.login.ts == Utc(2024, 3, 1, 9, 0, 0));
  const std::string audit = R"({"category":"AuditLogs","properties":{"activityDisplayName":"x"}})";
  CHECK(One("entra", audit).verdict == LineVerdict::kIgnored);
  std::string app = ok;  // an application signing in: no person to bind
  app.replace(app.find(R"("SignInLogs")"), 12, R"("ServicePrincipalSignInLogs")");
  CHECK(One("entra", app).verdict == LineVerdict::kIgnored);
  CHECK(One("entra", R"({"userPrincipalName":"a"})").verdict == LineVerdict::kMalformed);
}

TEST_CASE("gws: login_success in the events array or a split events object") {
  const std::string line = R"({"id":{"time":"2024-03-01T08:00:00.000Z","applicationName":"login"},)"
                           R"("actor":{"email":"a@example.com"},"ipAddress":"203.0.113.5",)"
                           R"("events":[{"type":"login","name":"login_success"}]})";
  LineResult r = One("gws", line);
  REQUIRE(r.verdict == LineVerdict::kLogin);
  CHECK(r.login.user == "a@example.com");
  CHECK(r.login.public_ip == Ip("203.0.113.5"));
  std::string failure = line;
  failure.replace(failure.find("login_success"), 13, "login_failure");
  CHECK(One("gws", failure).verdict == LineVerdict::kIgnored);
  std::string drive = line;
  drive.replace(drive.find(R"("login"},)"), 7, R"("drive")");
  CHECK(One("gws", drive).verdict == LineVerdict::kIgnored);
}

TEST_CASE("globalprotect: CSV columns, optional syslog header, zone-less times, IPv6") {
  const std::string rec =
      "1,2021/03/02 11:01:03,0123,GLOBALPROTECT,0,2305,2021/03/02 11:01:02,vsys1,"
      "gateway-setup-ipsec,tunnel,,IPSec,corp\\jdoe,DE,PC1,198.51.100.20,0.0.0.0,10.20.30.40,"
      "0.0.0.0,hostid,SERIAL,5.1.1,Windows,\"Windows 10, 64-bit\",1,,,,success,,0,,0,GW,1,0x0";
  AdapterOptions opt;
  opt.utc_offset_minutes = 60;
  LineResult r = One("globalprotect", rec, opt);
  REQUIRE(r.verdict == LineVerdict::kLogin);
  CHECK(r.login.user == "corp\\jdoe");
  CHECK(r.login.public_ip == Ip("198.51.100.20"));
  CHECK(r.login.internal_ip == Ip("10.20.30.40"));
  CHECK(r.login.ts == Utc(2021, 3, 2, 10, 1, 2));  // generated time, at UTC+01:00
  // The same record behind a syslog header.
  r = One("globalprotect", "<14>Mar  2 11:01:03 PA-VM " + rec, opt);
  CHECK(r.verdict == LineVerdict::kLogin);
  std::string prelogin = rec;
  prelogin.replace(prelogin.find("gateway-setup-ipsec"), 19, "portal-prelogin");
  CHECK(One("globalprotect", prelogin).verdict == LineVerdict::kIgnored);
  std::string failed = rec;
  failed.replace(failed.find("success"), 7, "failure");
  CHECK(One("globalprotect", failed).verdict == LineVerdict::kIgnored);
  std::string bad_ip = rec;
  bad_ip.replace(bad_ip.find("198.51.100.20"), 13, "198.51.100.x");
  r = One("globalprotect", bad_ip);
  CHECK(r.verdict == LineVerdict::kMalformed);
  CHECK(r.error.find("column 16") != std::string::npos);
  CHECK(One("globalprotect", "1,2021/03/02 11:01:03,0123,GLOBALPROTECT,0").verdict ==
        LineVerdict::kMalformed);
  CHECK(One("globalprotect", "1,2021/03/02 11:01:03,0123,TRAFFIC,end").verdict ==
        LineVerdict::kIgnored);
  CHECK(One("globalprotect", "hello").verdict == LineVerdict::kMalformed);
}

TEST_CASE("fortigate: SSL-VPN and IPsec tunnel-up; eventtime in s, us or ns; tz field") {
  const std::string ssl =
      R"(<190>date=2024-03-01 time=09:00:00 logid="0101039947" type="event" subtype="vpn" )"
      R"(eventtime=1709283600123456789 tz="+0100" action="tunnel-up" tunneltype="ssl-tunnel" )"
      R"(remip=198.51.100.7 tunnelip=10.212.134.200 user="jdoe" group="vpn-users")";
  LineResult r = One("fortigate", ssl);
  REQUIRE(r.verdict == LineVerdict::kLogin);
  CHECK(r.login.user == "jdoe");
  CHECK(r.login.public_ip == Ip("198.51.100.7"));
  CHECK(r.login.internal_ip == Ip("10.212.134.200"));
  CHECK(r.login.ts == Utc(2024, 3, 1, 9, 0, 0) + 123'456);  // ns, kept to the microsecond
  // Without eventtime: date and time in the tz field's zone.
  std::string no_epoch = ssl;
  no_epoch.erase(no_epoch.find("eventtime="), std::string("eventtime=1709283600123456789 ").size());
  r = One("fortigate", no_epoch);
  INFO(no_epoch << " -> " << r.error);
  REQUIRE(r.verdict == LineVerdict::kLogin);
  CHECK(r.login.ts == Utc(2024, 3, 1, 8, 0, 0));
  const std::string ipsec =
      R"(date=2024-03-01 time=09:00:00 type=event subtype=vpn eventtime=1709283600 )"
      R"(action=tunnel-up remip=203.0.113.9 assignip=10.10.0.5 user="N/A" xauthuser="bob")";
  r = One("fortigate", ipsec);
  REQUIRE(r.verdict == LineVerdict::kLogin);
  CHECK(r.login.user == "bob");
  CHECK(r.login.internal_ip == Ip("10.10.0.5"));
  CHECK(r.login.ts == Utc(2024, 3, 1, 9, 0, 0));
  std::string site = ipsec;  // site-to-site: no user
  site.replace(site.find(R"("bob")"), 5, R"("N/A")");
  CHECK(One("fortigate", site).verdict == LineVerdict::kIgnored);
  std::string down = ssl;
  down.replace(down.find("tunnel-up"), 9, "tunnel-down");
  CHECK(One("fortigate", down).verdict == LineVerdict::kIgnored);
  CHECK(One("fortigate", R"(type="event" subtype="vpn" action="tunnel-up" user="x)").verdict ==
        LineVerdict::kMalformed);
  CHECK(One("fortigate", "just text").verdict == LineVerdict::kMalformed);
  std::string huge = ipsec;  // beyond int64: a bad line, not a crash nor a guess
  huge.replace(huge.find("1709283600"), 10, "99999999999999999999999");
  CHECK(One("fortigate", huge).verdict == LineVerdict::kMalformed);
}
