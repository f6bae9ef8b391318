// The engine end to end on hand-made flows: evidence that builds over days (and survives a
// restart with a store), contractors known only from identity events, and suppression.
#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <unistd.h>

#include "tests/divergence/record_of.h"
#include "sensor/divergence/alert_store.h"
#include "sensor/divergence/engine.h"
#include "tests/divergence/temp_store.h"

namespace parallax::divergence {
namespace {

constexpr core::TimeUs kDay = core::Seconds(24 * 3600);
constexpr core::TimeUs kHour = core::Seconds(3600);
constexpr core::TimeUs kT0 = core::Seconds(1'767'571'200);  // 2026-01-05T00:00:00Z, a Monday

core::IpAddress Ip(const char* s) { return *core::IpAddress::Parse(s); }

roster::Contractor Person(const std::string& id, const char* egress) {
  roster::Contractor c;
  c.id = id;
  c.name = "Person " + id;
  c.claimed = {"Chicago", "US", 41.8781, -87.6298};
  c.time_zone = "America/Chicago";
  if (egress) c.egress_addresses.push_back({Ip(egress), 32});
  return c;
}

DivergenceOptions AtDallas() {
  DivergenceOptions o;
  o.sensor_latitude = 32.7767;
  o.sensor_longitude = -96.7970;
  return o;
}

// A connection from `from` to the gateway, seen at the gateway: the SYN-ACK -> ACK gap is the
// round trip between the sensor and `from`.
core::Flow GatewayFlow(const char* from, core::TimeUs ts, double rtt_ms, std::uint64_t id) {
  core::Flow f;
  f.orig_addr = Ip(from);
  f.resp_addr = Ip("74.208.120.10");
  f.orig_port = static_cast<std::uint16_t>(50000 + id % 10000);
  f.resp_port = 443;
  f.proto = 6;
  f.has_ports = true;
  f.first_ts = ts;
  f.last_ts = ts + core::Seconds(600);
  f.syn.seen = true;
  f.syn.ts = ts;
  f.synack.seen = true;
  f.synack.ts = ts + 200;
  f.handshake_ack_ts = f.synack.ts + static_cast<core::TimeUs>(rtt_ms * 1000);
  f.id = id;
  return f;
}

std::vector<std::string> Kinds(const std::vector<Alert>& alerts, const std::string& who) {
  std::vector<std::string> out;
  for (const auto& a : alerts) {
    if (a.contractor_id == who) out.push_back(AlertKindName(a.kind));
  }
  return out;
}

// Day d (0-based) of the relay story: two sittings, one handshake each, ~150 ms from "Chicago".
void RelayDay(DivergenceEngine& engine, int d) {
  const core::TimeUs day = kT0 + d * kDay;
  engine.OnFlow(parallax::testing::RecordOf(GatewayFlow("73.5.5.5", day + 15 * kHour, 150.2, 100 + 2 * d), {}));
  engine.OnFlow(parallax::testing::RecordOf(GatewayFlow("73.5.5.5", day + 20 * kHour, 149.8, 101 + 2 * d), {}));
}

}  // namespace

TEST_CASE("a relay seen twice a day for four days is reported") {
  roster::Roster roster;
  roster.Add(Person("c1", "73.5.5.5"));
  roster::IdentityBindings bindings;
  DivergenceEngine engine(&roster, &bindings, {}, AtDallas(), nullptr, nullptr);
  for (int d = 0; d < 4; ++d) RelayDay(engine, d);
  const auto alerts = engine.Evaluate(kT0 + 4 * kDay, true);
  // Day 1 has 2 handshakes (too few); from day 2 on the look-back holds 4, 6, 8.
  REQUIRE(alerts.size() == 3);
  for (const auto& a : alerts) CHECK(a.kind == AlertKind::kLatencyInconsistent);
  CHECK(alerts.back().evidence["rtt_samples"] == 8);
  CHECK(alerts.back().evidence["rtt_windows"] == 4);
}

TEST_CASE("a restart with a store keeps the evidence accumulated over days") {
  TempStore tmp;
  roster::Roster roster;
  roster.Add(Person("c1", "73.5.5.5"));
  roster::IdentityBindings bindings;
  DivergenceOptions o = AtDallas();
  o.min_rtt_samples = 5;  // the first run's two days give 4: only the restart's day reaches it
  {
    std::unique_ptr<AlertStore> store;
    REQUIRE(AlertStore::Open(tmp.path, &store).ok());
    DivergenceEngine engine(&roster, &bindings, {}, o, nullptr, store.get());
    RelayDay(engine, 0);
    RelayDay(engine, 1);
    CHECK(engine.Evaluate(kT0 + 2 * kDay, true).empty());
  }
  std::unique_ptr<AlertStore> store;
  REQUIRE(AlertStore::Open(tmp.path, &store).ok());
  DivergenceEngine engine(&roster, &bindings, {}, o, nullptr, store.get());
  RelayDay(engine, 2);
  const auto alerts = engine.Evaluate(kT0 + 3 * kDay, true);
  REQUIRE(alerts.size() == 1);
  CHECK(alerts[0].evidence["rtt_samples"] == 6);
  CHECK(alerts[0].evidence["rtt_windows"] == 3);
}

TEST_CASE("two identity-only contractors behind one address are both reported") {
  roster::Roster roster;
  roster.Add(Person("c5", nullptr));
  roster.Add(Person("c6", nullptr));
  std::vector<roster::IdentityEvent> events(2);
  events[0] = {kT0 + 15 * kHour, "c5", Ip("68.1.2.3"), Ip("10.8.0.51"), "vpn-gateway", 1};
  events[1] = {kT0 + 15 * kHour + core::Seconds(300), "c6", Ip("68.1.2.3"), Ip("10.8.0.52"),
               "vpn-gateway", 2};
  roster::IdentityBindings bindings;
  for (const auto& e : events) bindings.Add(e);
  DivergenceEngine engine(&roster, &bindings, events, AtDallas(), nullptr, nullptr);
  // At the gateway: flows from the shared address after both sign-ins (the wire cannot tell
  // whose they are; the latest binding takes them).
  for (int i = 0; i < 6; ++i) {
    engine.OnFlow(parallax::testing::RecordOf(GatewayFlow("68.1.2.3", kT0 + 16 * kHour + i * kHour, 12, 10 + i), {}));
  }
  const auto alerts = engine.Evaluate(kT0 + kDay, true);
  CHECK(Kinds(alerts, "c5") == std::vector<std::string>{"shared_egress"});
  CHECK(Kinds(alerts, "c6") == std::vector<std::string>{"shared_egress"});

  SECTION("an identity event alone, with no traffic from its address, accuses nobody") {
    roster::Roster r2;
    r2.Add(Person("c5", nullptr));
    r2.Add(Person("c6", nullptr));
    DivergenceEngine quiet(&r2, &bindings, events, AtDallas(), nullptr, nullptr);
    CHECK(quiet.Evaluate(kT0 + kDay, true).empty());
  }
}

TEST_CASE("a suppressed finding is counted and kept, not emitted") {
  roster::Roster roster;
  roster.Add(Person("c1", "73.5.5.5"));
  roster::IdentityBindings bindings;
  policy::Policy pol;
  policy::Suppression s;
  s.id = "SEC-1";
  s.contractor = "c1";
  s.kind = "latency_inconsistent";
  policy::NetworkSelector sel;
  sel.network = Ip("73.5.0.0");
  sel.prefix = 16;
  s.networks = {sel};
  s.reason = "satellite line, verified by HR visit";
  s.who = "alice";
  pol.AddSuppression(s);
  DivergenceEngine engine(&roster, &bindings, {}, AtDallas(), nullptr, nullptr);
  engine.SetPolicy(&pol);
  for (int d = 0; d < 4; ++d) RelayDay(engine, d);
  CHECK(engine.Evaluate(kT0 + 4 * kDay, true).empty());
  CHECK(engine.suppressed().size() == 3);
  CHECK(engine.suppressed_total() == 3);
  for (const auto& [id, f] : engine.suppressed()) {
    CHECK(f.rule_id == "SEC-1");
    CHECK(f.alert.kind == AlertKind::kLatencyInconsistent);
  }
  // Evaluating again counts nothing new; an expired rule lets the finding through.
  CHECK(engine.Evaluate(kT0 + 4 * kDay, true).empty());
  CHECK(engine.suppressed_total() == 3);
  policy::Policy expired;
  s.expires = kT0;
  expired.AddSuppression(s);
  engine.SetPolicy(&expired);
  CHECK(engine.Evaluate(kT0 + 4 * kDay, true).size() == 3);
}

}  // namespace parallax::divergence
