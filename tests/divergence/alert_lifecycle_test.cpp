// The life of evidence and alerts in a long-running engine: retention (Retire) holds a bounded
// number of windows, late flows are counted and ignored, a restart on the same store neither
// resurrects retired windows nor repeats an alert, updates come at doubling or rising severity,
// and an older store gains the severity column in place.
#include <catch2/catch.hpp>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sqlite3.h>
#include <unistd.h>

#include "tests/divergence/record_of.h"
#include "sensor/divergence/alert_store.h"
#include "sensor/divergence/engine.h"
#include "tests/divergence/temp_store.h"

namespace parallax::divergence {
namespace {

constexpr core::TimeUs kDay = core::Seconds(24 * 3600);
constexpr core::TimeUs kT0 = core::Seconds(1'767'225'600);  // 2026-01-01T00:00:00Z

roster::Contractor Contractor() {
  roster::Contractor c;
  c.id = "c1";
  c.name = "Test Person";
  c.claimed.country = "US";
  c.device_addresses.push_back({*core::IpAddress::Parse("10.9.0.9"), 32});
  return c;
}

// A flow from the contractor's device; `remote` makes it an inbound remote-control session
// (the laptop-farm signature), which raises remote_controlled_device for its window.
core::Flow DeviceFlow(core::TimeUs ts, std::uint64_t id) {
  core::Flow f;
  f.orig_addr = *core::IpAddress::Parse("10.9.0.9");
  f.resp_addr = *core::IpAddress::Parse("38.140.12.34");
  f.orig_port = static_cast<std::uint16_t>(40000 + id % 20000);
  f.resp_port = 443;
  f.proto = 6;
  f.has_ports = true;
  f.first_ts = ts;
  f.last_ts = ts + core::Seconds(30);
  f.id = id;
  return f;
}

std::vector<analyzers::Fingerprint> RemoteSession() {
  analyzers::Fingerprint fp;
  fp.kind = analyzers::Kind::kRemoteDesktop;
  fp.product = "AnyDesk";
  analyzers::RemoteControl rc;
  rc.controlled = *core::IpAddress::Parse("10.9.0.9");
  rc.controller = *core::IpAddress::Parse("38.140.12.34");
  rc.role_known = true;
  rc.screen_bytes = 1'000'000;
  fp.remote = rc;
  return {fp};
}

}  // namespace

TEST_CASE("a long-running engine holds a bounded number of windows") {
  roster::Roster roster;
  roster.Add(Contractor());
  roster::IdentityBindings bindings;
  DivergenceEngine engine(&roster, &bindings, {}, DivergenceOptions(), nullptr, nullptr);
  std::uint64_t id = 1;
  std::size_t most = 0;
  for (int day = 0; day < 60; ++day) {
    for (int i = 0; i < 10; ++i) engine.OnFlow(parallax::testing::RecordOf(DeviceFlow(kT0 + day * kDay + i * 3600'000'000LL, id++), {}));
    const core::TimeUs now = kT0 + (day + 1) * kDay - 1;
    engine.Evaluate(now, true);
    engine.Retire(now);
    most = std::max(most, engine.windows());
  }
  // Window (1 day) + evidence look-back (7 days): the current window and 8 before it at most.
  CHECK(most <= 9);
  CHECK(engine.windows() == 8);
  CHECK(engine.retired_windows() == 52);
  CHECK(engine.attributed_flows() == 600);
  CHECK(engine.late_flows() == 0);

  // A flow that started in a retired window is counted and ignored; a current one is kept.
  engine.OnFlow(parallax::testing::RecordOf(DeviceFlow(kT0 + 10 * kDay, id++), {}));
  CHECK(engine.late_flows() == 1);
  CHECK(engine.windows() == 8);
  engine.OnFlow(parallax::testing::RecordOf(DeviceFlow(kT0 + 59 * kDay + 5, id++), {}));
  CHECK(engine.late_flows() == 1);
  CHECK(engine.evidence().at("c1").rbegin()->second.flows == 11);
}

TEST_CASE("a window still inside the evidence look-back is kept") {
  roster::Roster roster;
  roster.Add(Contractor());
  roster::IdentityBindings bindings;
  DivergenceEngine engine(&roster, &bindings, {}, DivergenceOptions(), nullptr, nullptr);
  engine.OnFlow(parallax::testing::RecordOf(DeviceFlow(kT0 + 3600'000'000LL, 1), {}));
  // The window [kT0, kT0 + 1 day) ends at kT0 + 1 day; it may retire 7 days after that.
  CHECK(engine.Retire(kT0 + 8 * kDay - 1) == 0);
  CHECK(engine.windows() == 1);
  CHECK(engine.Retire(kT0 + 8 * kDay) == 1);
  CHECK(engine.windows() == 0);
  CHECK(engine.Retire(kT0 + 8 * kDay) == 0);  // idempotent
}

TEST_CASE("a restart on the same store keeps retention and does not repeat alerts") {
  TempStore tmp;
  roster::Roster roster;
  roster.Add(Contractor());
  roster::IdentityBindings bindings;
  std::vector<std::string> first_ids;
  {
    std::unique_ptr<AlertStore> store;
    REQUIRE(AlertStore::Open(tmp.path, &store).ok());
    DivergenceEngine engine(&roster, &bindings, {}, DivergenceOptions(), nullptr, store.get());
    for (int day = 0; day < 12; ++day) {
      engine.OnFlow(parallax::testing::RecordOf(DeviceFlow(kT0 + day * kDay + 3600'000'000LL, 100 + day), RemoteSession()));
      const core::TimeUs now = kT0 + (day + 1) * kDay - 1;
      for (const auto& a : engine.Evaluate(now, true)) first_ids.push_back(a.Id());
      engine.Retire(now);
    }
    CHECK(first_ids.size() == 12);  // one remote_controlled_device per day
    CHECK(engine.windows() == 8);
    CHECK(store->errors() == 0);
  }
  std::unique_ptr<AlertStore> store;
  REQUIRE(AlertStore::Open(tmp.path, &store).ok());
  CHECK(store->LoadEvidence().size() == 8);  // retired windows left the evidence table
  REQUIRE(store->RetiredBefore().has_value());
  CHECK(*store->RetiredBefore() == kT0 + 4 * kDay);
  CHECK(store->EmittedAlerts().size() == 12);  // the alert history stays

  // An identity event inside a retired window is not turned back into evidence.
  std::vector<roster::IdentityEvent> events(1);
  events[0].contractor = "c1";
  events[0].ts = kT0 + kDay;
  events[0].public_ip = core::IpAddress::Parse("38.140.12.40");
  events[0].source = "vpn";
  DivergenceEngine engine(&roster, &bindings, events, DivergenceOptions(), nullptr, store.get());
  CHECK(engine.windows() == 8);
  // Re-reading the same days raises nothing new: retained windows know their flows and alerts,
  // retired days are late.
  for (int day = 0; day < 12; ++day) {
    engine.OnFlow(parallax::testing::RecordOf(DeviceFlow(kT0 + day * kDay + 3600'000'000LL, 100 + day), RemoteSession()));
  }
  CHECK(engine.late_flows() == 4);
  CHECK(engine.Evaluate(kT0 + 12 * kDay - 1, true).empty());
}

TEST_CASE("an alert is updated when its severity rises or its evidence doubles") {
  Alert now;
  now.severity = 2;
  now.count = 7;
  CHECK_FALSE(WorthUpdating({4, 0, 2}, now));  // grew, not doubled
  now.count = 8;
  CHECK(WorthUpdating({4, 0, 2}, now));        // doubled
  now.count = 5;
  CHECK(WorthUpdating({4, 0, 3}, now));        // severity 3 -> 2
  now.severity = 3;
  CHECK_FALSE(WorthUpdating({4, 0, 2}, now));  // severity fell: not news
}

TEST_CASE("a window gathering evidence at every evaluation is updated when it doubles") {
  roster::Roster roster;
  roster.Add(Contractor());
  roster::IdentityBindings bindings;
  DivergenceEngine engine(&roster, &bindings, {}, DivergenceOptions(), nullptr, nullptr);
  std::vector<std::uint64_t> emitted_counts;
  for (int i = 0; i < 40; ++i) {  // one more remote session per evaluation, all in one window
    engine.OnFlow(parallax::testing::RecordOf(DeviceFlow(kT0 + i * 60'000'000LL, 500 + i), RemoteSession()));
    for (const auto& a : engine.Evaluate(kT0 + i * 60'000'000LL + 1, true)) {
      emitted_counts.push_back(a.count);
    }
  }
  // Weight = flows + egress + remote sessions (listed up to 16) + colocated: 2, 4, ... 32, 33 ...
  // 56. Emitted at the first and at each doubling: 2, 4, 8, 16, 32 (not 39 times).
  CHECK(emitted_counts == std::vector<std::uint64_t>{2, 4, 8, 16, 32});
}

TEST_CASE("a store written before severities were kept is upgraded in place") {
  TempStore tmp;
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(tmp.path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db,
                       "CREATE TABLE alerts (id TEXT PRIMARY KEY, contractor TEXT NOT NULL,"
                       " kind TEXT NOT NULL, window_start INTEGER NOT NULL, weight INTEGER NOT NULL,"
                       " times_emitted INTEGER NOT NULL, explanation TEXT NOT NULL);"
                       "INSERT INTO alerts VALUES ('a1', 'c1', 'off_hours', 0, 9, 1, 'x');",
                       nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  std::unique_ptr<AlertStore> store;
  REQUIRE(AlertStore::Open(tmp.path, &store).ok());
  const auto emitted = store->EmittedAlerts();
  REQUIRE(emitted.count("a1") == 1);
  CHECK(emitted.at("a1").weight == 9);
  CHECK(emitted.at("a1").severity == 3);
  store.reset();
  REQUIRE(AlertStore::Open(tmp.path, &store).ok());  // the second open finds the column
  CHECK(store->EmittedAlerts().size() == 1);
}

}  // namespace parallax::divergence
