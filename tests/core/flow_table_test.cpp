#include <catch2/catch.hpp>
#include <vector>

#include "sensor/core/decoder.h"
#include "sensor/core/flow_table.h"
#include "tests/core/packet_builder.h"

using namespace parallax::core;
using namespace parallax::test;

namespace {

struct Ended {
  FlowKey key;
  FlowEndReason reason;
  std::uint64_t pkts_ts, pkts_tc;
  std::string orig;
  std::uint16_t orig_port;
  TimeUs rtt_resp, rtt_orig;
};

struct Recorder : FlowObserver {
  std::vector<Ended> ended;
  int interims = 0;
  void OnFlowEnd(Flow& f, FlowEndReason r) override {
    ended.push_back({f.key, r, f.dir[0].packets, f.dir[1].packets, f.orig_addr.ToString(),
                     f.orig_port, f.ResponderRttUs(), f.OriginatorRttUs()});
  }
  void OnFlowInterim(Flow&) override { ++interims; }
};

struct Harness {
  explicit Harness(FlowTableOptions o = {}) : table(o, &rec, &anomalies) {}
  Flow* Feed(const Bytes& frame, TimeUs ts, Direction* dir = nullptr) {
    PacketView pv{ts, frame.data(), static_cast<std::uint32_t>(frame.size()),
                  static_cast<std::uint32_t>(frame.size()), LinkType::kEthernet};
    DecodedPacket p;
    REQUIRE(Decode(pv, p, anomalies) == DecodeStatus::kOk);
    Direction d;
    Flow* f = table.Process(p, &d);
    if (dir) *dir = d;
    return f;
  }
  Recorder rec;
  AnomalyCounters anomalies;
  FlowTable table;
};

Bytes TcpFrame(const char* s, const char* d, std::uint16_t sp, std::uint16_t dp, std::uint8_t fl) {
  return Ether(0x0800, Ipv4(s, d, 6, Tcp(sp, dp, fl)));
}
Bytes UdpFrame(const char* s, const char* d, std::uint16_t sp, std::uint16_t dp) {
  return Ether(0x0800, Ipv4(s, d, 17, Udp(sp, dp, {1, 2, 3, 4})));
}

}  // namespace

TEST_CASE("Both directions land in one flow; the SYN sender is the originator") {
  Harness h;
  Direction d1, d2, d3;
  Flow* a = h.Feed(TcpFrame("10.0.0.9", "10.0.0.1", 40000, 22, kTcpSyn), Seconds(100), &d1);
  Flow* b = h.Feed(TcpFrame("10.0.0.1", "10.0.0.9", 22, 40000, kTcpSyn | kTcpAck),
                   Seconds(100) + 30'000, &d2);
  Flow* c = h.Feed(TcpFrame("10.0.0.9", "10.0.0.1", 40000, 22, kTcpAck), Seconds(100) + 45'000, &d3);
  CHECK(a == b);
  CHECK(b == c);
  CHECK(h.table.size() == 1);
  CHECK(d1 == Direction::kToServer);
  CHECK(d2 == Direction::kToClient);
  CHECK(d3 == Direction::kToServer);
  CHECK(a->orig_addr.ToString() == "10.0.0.9");
  CHECK(a->orig_port == 40000);
  CHECK(a->ResponderRttUs() == 30'000);
  CHECK(a->OriginatorRttUs() == 15'000);
  CHECK(a->sample_count == 3);
  CHECK(a->samples[1].direction == 1);
  CHECK(a->samples[1].offset_us == 30'000);
}

TEST_CASE("A SYN-ACK seen first still makes the SYN sender the originator") {
  Harness h;
  Flow* f = h.Feed(TcpFrame("10.0.0.1", "10.0.0.9", 443, 40001, kTcpSyn | kTcpAck), Seconds(5));
  CHECK(f->orig_addr.ToString() == "10.0.0.9");
  CHECK(f->resp_port == 443);
}

TEST_CASE("VLANs separate otherwise identical flows") {
  Harness h;
  auto ip = Ipv4("10.0.0.1", "10.0.0.2", 17, Udp(1, 2));
  PacketView pv{};
  for (std::uint16_t vlan : {10, 20}) {
    auto frame = Ether(0x0800, ip, {vlan});
    pv = {Seconds(1), frame.data(), static_cast<std::uint32_t>(frame.size()),
          static_cast<std::uint32_t>(frame.size()), LinkType::kEthernet};
    DecodedPacket p;
    REQUIRE(Decode(pv, p, h.anomalies) == DecodeStatus::kOk);
    Direction d;
    h.table.Process(p, &d);
  }
  CHECK(h.table.size() == 2);
}

TEST_CASE("Idle timeouts expire on packet time, per protocol") {
  FlowTableOptions o;
  o.udp_new_timeout = Seconds(30);
  o.udp_idle_timeout = Seconds(60);
  o.tcp_idle_timeout = Seconds(300);
  Harness h(o);
  h.Feed(UdpFrame("10.0.0.1", "10.0.0.2", 1000, 53), Seconds(0));
  h.Feed(UdpFrame("10.0.0.2", "10.0.0.1", 53, 1000), Seconds(0));  // answered: established
  h.Feed(UdpFrame("10.0.0.1", "10.0.0.9", 1001, 53), Seconds(0));  // never answered
  h.Feed(TcpFrame("10.0.0.1", "10.0.0.3", 1000, 80, kTcpSyn), Seconds(0));
  h.table.Expire(Seconds(29));
  CHECK(h.rec.ended.empty());
  h.table.Expire(Seconds(30));
  REQUIRE(h.rec.ended.size() == 1);
  CHECK(h.rec.ended[0].orig_port == 1001);
  h.table.Expire(Seconds(59));
  CHECK(h.rec.ended.size() == 1);
  h.table.Expire(Seconds(60));
  REQUIRE(h.rec.ended.size() == 2);
  CHECK(h.rec.ended[1].key.proto == kProtoUdp);
  CHECK(h.rec.ended[1].reason == FlowEndReason::kIdleTimeout);
  CHECK(h.rec.ended[1].pkts_tc == 1);
  h.table.Expire(Seconds(299));
  CHECK(h.rec.ended.size() == 2);
  h.table.Expire(Seconds(300));
  CHECK(h.rec.ended.size() == 3);
  CHECK(h.table.size() == 0);
}

TEST_CASE("FIN both ways and RST end TCP flows after the closed linger") {
  FlowTableOptions o;
  o.tcp_closed_timeout = Seconds(5);
  Harness h(o);
  h.Feed(TcpFrame("10.0.0.1", "10.0.0.2", 1000, 80, kTcpSyn), Seconds(0));
  h.Feed(TcpFrame("10.0.0.1", "10.0.0.2", 1000, 80, kTcpFin | kTcpAck), Seconds(1));
  h.Feed(TcpFrame("10.0.0.2", "10.0.0.1", 80, 1000, kTcpFin | kTcpAck), Seconds(1));
  h.Feed(TcpFrame("10.0.0.1", "10.0.0.4", 1001, 80, kTcpSyn), Seconds(1));
  h.Feed(TcpFrame("10.0.0.4", "10.0.0.1", 80, 1001, kTcpRst), Seconds(2));
  h.table.Expire(Seconds(5));
  CHECK(h.rec.ended.empty());
  h.table.Expire(Seconds(7));
  REQUIRE(h.rec.ended.size() == 2);
  CHECK(h.rec.ended[0].reason == FlowEndReason::kTcpFin);
  CHECK(h.rec.ended[1].reason == FlowEndReason::kTcpRst);
}

TEST_CASE("A new SYN on a closed 5-tuple starts a new flow (port reuse)") {
  Harness h;
  h.Feed(TcpFrame("10.0.0.1", "10.0.0.2", 1000, 80, kTcpSyn), Seconds(0));
  h.Feed(TcpFrame("10.0.0.2", "10.0.0.1", 80, 1000, kTcpRst), Seconds(1));
  h.Feed(TcpFrame("10.0.0.1", "10.0.0.2", 1000, 80, kTcpSyn), Seconds(2));
  REQUIRE(h.rec.ended.size() == 1);
  CHECK(h.rec.ended[0].reason == FlowEndReason::kPortReuse);
  CHECK(h.table.size() == 1);
}

TEST_CASE("The flow cap evicts the least recently seen flow and counts it") {
  FlowTableOptions o;
  o.max_flows = 16;
  Harness h(o);
  for (int i = 0; i < 20; ++i) {
    h.Feed(UdpFrame("10.0.0.1", "10.0.0.2", static_cast<std::uint16_t>(1000 + i), 53),
           Seconds(1) + i);
  }
  CHECK(h.table.size() == 16);
  CHECK(h.table.stats().evicted == 4);
  CHECK(h.anomalies.Get(Anomaly::kFlowTableFull) == 4);
  REQUIRE(h.rec.ended.size() == 4);
  for (int i = 0; i < 4; ++i) {
    CHECK(h.rec.ended[i].reason == FlowEndReason::kEvicted);
    CHECK(h.rec.ended[i].orig_port == 1000 + i);  // oldest first
  }
  CHECK(h.table.stats().peak_flows == 16);
}

TEST_CASE("Long flows emit interim records at the active timeout") {
  FlowTableOptions o;
  o.active_timeout = Seconds(60);
  Harness h(o);
  for (int t = 0; t <= 150; t += 10) h.Feed(UdpFrame("10.0.0.1", "10.0.0.2", 5, 6), Seconds(t));
  CHECK(h.rec.interims == 2);  // at 60 s and 120 s
  CHECK(h.rec.ended.empty());
  h.table.EndAll(FlowEndReason::kShutdown);
  REQUIRE(h.rec.ended.size() == 1);
  CHECK(h.rec.ended[0].reason == FlowEndReason::kShutdown);
  CHECK(h.rec.ended[0].pkts_ts == 16);
}

TEST_CASE("Only the first 32 packets are sampled") {
  Harness h;
  Flow* f = nullptr;
  for (int i = 0; i < 40; ++i) f = h.Feed(UdpFrame("10.0.0.1", "10.0.0.2", 5, 6), Seconds(1) + i);
  CHECK(f->sample_count == Flow::kMaxSamples);
  CHECK(f->dir[0].packets == 40);
}
