#include <catch2/catch.hpp>

#include "sensor/core/decoder.h"
#include "sensor/core/fragment_tracker.h"
#include "tests/core/packet_builder.h"

using namespace parallax::core;
using namespace parallax::test;

namespace {
DecodedPacket DecodeFrame(const Bytes& f, TimeUs ts) {
  PacketView pv{ts, f.data(), static_cast<std::uint32_t>(f.size()),
                static_cast<std::uint32_t>(f.size()), LinkType::kEthernet};
  DecodedPacket p;
  AnomalyCounters a;
  REQUIRE(Decode(pv, p, a) == DecodeStatus::kOk);
  return p;
}
}  // namespace

TEST_CASE("Later fragments find the flow of their first fragment") {
  Ip4Opts first;
  first.frag = 0x2000;
  first.id = 500;
  Ip4Opts rest;
  rest.frag = 0x0003;
  rest.id = 500;
  auto p1 = DecodeFrame(Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1, 2, Bytes(16, 0)), first)), Seconds(1));
  auto p2 = DecodeFrame(Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Bytes(8, 0), rest)), Seconds(1));
  auto other = DecodeFrame(Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Bytes(8, 0), [] {
                                   Ip4Opts o;
                                   o.frag = 0x0003;
                                   o.id = 501;
                                   return o;
                                 }())), Seconds(1));
  FragmentTracker t;
  bool from_lo;
  const FlowKey k = FlowKey::FromPacket(p1, &from_lo);
  t.RememberFirst(p1, k);
  FlowKey found;
  REQUIRE(t.Lookup(p2, &found));
  CHECK(found == k);
  CHECK_FALSE(t.Lookup(other, &found));
  // Forgotten after the timeout.
  p2.ts = Seconds(1) + FragmentTracker::kTimeout;
  CHECK_FALSE(t.Lookup(p2, &found));
}

TEST_CASE("The fragment tracker stays within its capacity") {
  FragmentTracker t(8);
  for (std::uint16_t id = 0; id < 100; ++id) {
    Ip4Opts o;
    o.frag = 0x2000;
    o.id = id;
    auto p = DecodeFrame(Ether(0x0800, Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1, 2), o)), Seconds(1));
    bool fl;
    t.RememberFirst(p, FlowKey::FromPacket(p, &fl));
  }
  CHECK(t.size() <= 8);
}
