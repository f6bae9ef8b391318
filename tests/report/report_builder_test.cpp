// Unit tests of sensor/report: attribution into rows, the heatmap's local clock across a
// daylight-saving change and its best-fitting offset, sessions, and the page's escaping.
#include "tests/divergence/record_of.h"
#include "sensor/report/report_builder.h"

#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sensor/report/flow_collector.h"
#include "sensor/report/html_writer.h"
#include "sensor/report/report_json.h"

namespace parallax::report {
namespace {

constexpr core::TimeUs kHour = core::Seconds(3600);

roster::Contractor NewYorker() {
  roster::Contractor c;
  c.id = "c9";
  c.name = "Test Person";
  c.claimed.city = "New York";
  c.claimed.country = "US";
  c.claimed.latitude = 40.7128;
  c.claimed.longitude = -74.0060;
  c.time_zone = "America/New_York";
  c.hours.start_minute = 9 * 60;
  c.hours.end_minute = 17 * 60;
  c.hours.days = 0x7F;  // every day: the test is about the clock, not the weekday
  c.device_addresses.push_back({*core::IpAddress::Parse("10.9.0.9"), 32});
  return c;
}

// A TCP flow from the contractor's device to a server, starting at ts.
core::Flow DeviceFlow(core::TimeUs ts, std::uint16_t port) {
  core::Flow f;
  f.orig_addr = *core::IpAddress::Parse("10.9.0.9");
  f.resp_addr = *core::IpAddress::Parse("38.140.12.34");
  f.orig_port = port;
  f.resp_port = 443;
  f.proto = 6;
  f.has_ports = true;
  f.first_ts = ts;
  f.last_ts = ts + core::Seconds(30);
  f.id = static_cast<std::uint64_t>(ts / 1000) + port;
  f.dir[0].bytes = 1000;
  f.dir[0].packets = 10;
  f.classification.protocol = "TLS";
  return f;
}

struct Fixture {
  roster::Roster roster;
  roster::IdentityBindings bindings;
  std::vector<roster::IdentityEvent> events;
  std::unique_ptr<divergence::DivergenceEngine> engine;
  FlowCollector collector;
  core::SensorStats stats;
  std::vector<divergence::Alert> alerts;

  Fixture() {
    roster.Add(NewYorker());
    engine = std::make_unique<divergence::DivergenceEngine>(
        &roster, &bindings, events, divergence::DivergenceOptions(), nullptr, nullptr);
  }
  void Feed(const core::Flow& f) {
    const auto r = parallax::testing::RecordOf(f, {});
    collector.OnFlow(r, engine->OnFlow(r));
  }
  ReportModel Build() {
    ReportInputs in;
    in.roster = &roster;
    in.engine = engine.get();
    in.alerts = &alerts;
    in.flows = &collector;
    in.stats = &stats;
    in.sensor_latitude = 32.7767;
    in.sensor_longitude = -96.7970;
    return BuildReport(in);
  }
};

// 2026-03-06 00:00:00 UTC (a Friday); New York moves from UTC-5 to UTC-4 on Sunday 2026-03-08
// at 07:00 UTC.
constexpr core::TimeUs kMar6 = core::Seconds(1772755200);

TEST_CASE("heatmap reads each hour on the claimed clock, daylight saving included") {
  Fixture fx;
  // 14:30 UTC every day from Mar 6 to Mar 10: 09:30 EST before the change, 10:30 EDT after.
  for (int day = 0; day < 5; ++day) {
    fx.Feed(DeviceFlow(kMar6 + day * 24 * kHour + 14 * kHour + core::Seconds(1800), 50000 + day));
  }
  const ReportModel m = fx.Build();
  REQUIRE(m.contractors.size() == 1);
  const Heatmap& h = m.contractors[0].heatmap;
  REQUIRE(h.events == 5);
  REQUIRE(h.days.size() == 5);
  CHECK(h.days[0].date == "2026-03-06");
  CHECK(h.days[0].weekday == "Fri");
  CHECK(h.days[0].hours[9] == 1);   // EST
  CHECK(h.days[1].hours[9] == 1);   // Saturday, still EST
  CHECK(h.days[2].hours[10] == 1);  // Sunday 14:30 UTC is after the change: EDT
  CHECK(h.days[4].hours[10] == 1);
  CHECK(h.claimed_share == 1.0);
  CHECK(h.best_share == 1.0);
  // Every offset from UTC-12 to UTC+14 explaining all activity ties: the claimed one is kept.
  CHECK(h.best_offset == h.claimed_offset);
}

TEST_CASE("heatmap marks a far best-fitting offset and its band on the claimed clock") {
  Fixture fx;
  // 01:00-06:00 UTC: 10:00-15:00 at UTC+9, 20:00-01:00 in New York (EST).
  int port = 40000;
  for (int day = 0; day < 2; ++day) {
    for (int hour = 1; hour <= 6; ++hour) {
      fx.Feed(
          DeviceFlow(kMar6 + day * 24 * kHour + hour * kHour, static_cast<std::uint16_t>(port++)));
    }
  }
  const ReportModel m = fx.Build();
  const Heatmap& h = m.contractors[0].heatmap;
  CHECK(h.claimed_offset == "-05:00");
  CHECK(h.claimed_share == 0.0);
  CHECK(h.best_share == 1.0);
  // Hours are judged at their middle (01:30 .. 06:30 UTC): UTC+8, +9 and +10 all put them inside
  // 09:00-17:00; the tie goes to the offset nearest the claimed one.
  CHECK(h.best_offset == "+08:00");
  // 09:00 at UTC+8 is 01:00 UTC, 20:00 in New York.
  CHECK(h.best_band_start_minute == 20 * 60);
  CHECK(h.best_band_end_minute == 4 * 60);
}

TEST_CASE("rows carry the flow, sessions join close flows, places measure distances") {
  Fixture fx;
  fx.Feed(DeviceFlow(kMar6, 1000));
  fx.Feed(DeviceFlow(kMar6 + core::Seconds(120), 1001));  // 90 s after the first ended
  fx.Feed(DeviceFlow(kMar6 + 5 * kHour, 1002));           // a new sitting
  const ReportModel m = fx.Build();
  const ContractorReport& c = m.contractors[0];
  REQUIRE(c.flows.size() == 3);
  CHECK(c.flows[0].src_ip == "10.9.0.9");
  CHECK(c.flows[0].dest_port == 443);
  CHECK(c.flows[0].via == "device");
  CHECK(c.flows[0].initiated);
  CHECK(c.flows[0].community_id.rfind("1:", 0) == 0);
  REQUIRE(c.sessions.size() == 2);
  CHECK(c.sessions[0].flows == 2);
  CHECK(c.sessions[0].lane == Lane::kOrdinary);
  REQUIRE(!c.places.empty());
  CHECK(c.places[0].kind == "claimed");
  // Dallas to New York: 2,206 km (tests/scenarios/README.md), a floor of 22.06 ms.
  REQUIRE(c.rtt.claimed_distance_km.has_value());
  CHECK(*c.rtt.claimed_distance_km > 2205.0);
  CHECK(*c.rtt.claimed_distance_km < 2206.5);
  CHECK(c.rtt.claimed_floor_ms == 22.06);
  CHECK(c.verdict == "none");
}

TEST_CASE("a flow of nobody in the roster is not collected") {
  Fixture fx;
  core::Flow f = DeviceFlow(kMar6, 1000);
  f.orig_addr = *core::IpAddress::Parse("10.1.1.1");
  fx.Feed(f);
  CHECK(fx.collector.rows().empty());
  CHECK_FALSE(fx.Build().contractors[0].seen);
}

TEST_CASE("the page cannot be broken out of by data, and names missing assets") {
  Fixture fx;
  nlohmann::ordered_json j = ReportToJson(fx.Build(), "");
  j["contractors"][0]["name"] = "</script><script>alert(1)</script>";
  const MapAssets missing = LoadMapAssets("/nonexistent-parallax-assets");
  REQUIRE_FALSE(missing.complete());
  CHECK_THAT(missing.missing, Catch::Matchers::Contains("d3-array.min.js"));
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* mem = open_memstream(&buf, &len);
  REQUIRE(WriteHtml(j, missing, mem, "memory").ok());
  std::fclose(mem);
  const std::string page(buf, len);
  std::free(buf);
  CHECK(page.find("alert(1)") != std::string::npos);
  CHECK(page.find("</script><script>alert(1)") == std::string::npos);
  CHECK(page.find("data-map-missing=") != std::string::npos);
  CHECK(page.find("default-src 'none'") != std::string::npos);
}

}  // namespace
}  // namespace parallax::report
