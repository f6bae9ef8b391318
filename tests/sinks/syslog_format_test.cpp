// Exact RFC 5424 bytes, severity mapping, octet-counting framing, HTTP bodies and URLs.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sensor/sinks/http_sink.h"
#include "sensor/sinks/syslog_format.h"

namespace parallax::sinks {
namespace {

// 2026-11-21T10:00:00.123Z
const auto kNow = std::chrono::system_clock::time_point(std::chrono::milliseconds(1795255200123));

Record AlertWithSeverity(int severity) {
  return Record{output::EventType::kAlert, "a1",
                R"({"event_type":"alert","id":"a1","alert":{"severity":)" +
                    std::to_string(severity) + R"(,"signature":"location divergence"}})"};
}

SyslogHeader Header() {
  SyslogHeader h;
  h.facility = 16;
  h.hostname = "sensor-1";
  h.app_name = "parallax";
  h.procid = "4242";
  return h;
}

TEST_CASE("syslog message is RFC 5424 byte for byte") {
  CHECK(FormatSyslog(AlertWithSeverity(1), Header(), kNow) ==
        "<130>1 2026-11-21T10:00:00.123Z sensor-1 parallax 4242 alert - "
        R"({"event_type":"alert","id":"a1","alert":{"severity":1,"signature":"location divergence"}})");
}

TEST_CASE("syslog severity follows alert.severity; other events are notice") {
  CHECK(SyslogSeverity(AlertWithSeverity(1)) == 2);
  CHECK(SyslogSeverity(AlertWithSeverity(2)) == 3);
  CHECK(SyslogSeverity(AlertWithSeverity(3)) == 4);
  CHECK(SyslogSeverity(Record{output::EventType::kAlert, "x", "{}"}) == 4);
  CHECK(SyslogSeverity(Record{output::EventType::kAlert, "x", "not json"}) == 4);
  const Record flow{output::EventType::kFlow, "", R"({"event_type":"flow"})"};
  CHECK(SyslogSeverity(flow) == 5);
  SyslogHeader h = Header();
  REQUIRE(ParseSyslogFacility("daemon", &h.facility));
  CHECK(FormatSyslog(flow, h, kNow).rfind("<29>1 2026-11-21T10:00:00.123Z sensor-1 parallax 4242 flow - {", 0) == 0);
  int f = 0;
  CHECK(ParseSyslogFacility("local7", &f));
  CHECK(f == 23);
  CHECK(!ParseSyslogFacility("local8", &f));
}

TEST_CASE("syslog header fields are sanitised and nil when empty") {
  SyslogHeader h = Header();
  h.hostname = "bad host\n";
  h.procid = "";
  CHECK(FormatSyslog(AlertWithSeverity(3), h, kNow).rfind(
            "<132>1 2026-11-21T10:00:00.123Z bad_host_ parallax - alert - {", 0) == 0);
}

TEST_CASE("octet counting frames the message with its byte length") {
  CHECK(OctetCountingFrame("hello") == "5 hello");
  CHECK(OctetCountingFrame("\xe2\x82\xac") == "3 \xe2\x82\xac");
  CHECK(OctetCountingFrame("") == "0 ");
}

TEST_CASE("HEC body is concatenated event objects") {
  const std::vector<Record> batch = {AlertWithSeverity(1),
                                     Record{output::EventType::kStats, "", R"({"n":1})"}};
  const std::string body = FormatHttpBody(batch, "hec", kNow);
  CHECK(body ==
        R"({"time":1795255200.123,"sourcetype":"parallax:alert","source":"parallax","event":)" +
            batch[0].json +
            R"(}{"time":1795255200.123,"sourcetype":"parallax:stats","source":"parallax","event":{"n":1}})");
  CHECK(FormatHttpBody(batch, "ndjson", kNow) == batch[0].json + "\n{\"n\":1}\n");
  const auto array = nlohmann::json::parse(FormatHttpBody(batch, "json_array", kNow));
  REQUIRE(array.size() == 2);
  CHECK(array[1]["n"] == 1);
  CHECK(HttpContentType("ndjson") == "application/x-ndjson");
}

TEST_CASE("HTTP URLs") {
  HttpUrl u;
  REQUIRE(ParseHttpUrl("https://splunk.example:8088/services/collector/event", &u).ok());
  CHECK(u.tls);
  CHECK(u.host == "splunk.example");
  CHECK(u.port == "8088");
  CHECK(u.target == "/services/collector/event");
  REQUIRE(ParseHttpUrl("http://[::1]/x", &u).ok());
  CHECK(u.host == "::1");
  CHECK(u.port == "80");
  REQUIRE(ParseHttpUrl("http://h", &u).ok());
  CHECK(u.target == "/");
  CHECK(!ParseHttpUrl("ftp://h/", &u).ok());
  CHECK(!ParseHttpUrl("http://h:99999/", &u).ok());
  CHECK(!ParseHttpUrl("http://:80/", &u).ok());
}

}  // namespace
}  // namespace parallax::sinks
