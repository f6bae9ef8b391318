#include <catch2/catch.hpp>

#include "sensor/classify/ndpi_classifier.h"
#include "sensor/core/decoder.h"
#include "sensor/core/flow_table.h"
#include "tests/core/packet_builder.h"

using namespace parallax;
using namespace parallax::core;
using namespace parallax::test;

namespace {

struct NullObserver : FlowObserver {
  void OnFlowEnd(Flow&, FlowEndReason) override {}
  void OnFlowInterim(Flow&) override {}
};

// A DNS query for example.com and its answer, as bytes.
Bytes DnsQuery() {
  return {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 7, 'e',
          'x',  'a',  'm',  'p',  'l',  'e',  3,    'c',  'o',  'm',  0,    0x00, 0x01, 0x00, 0x01};
}
Bytes DnsAnswer() {
  Bytes b = DnsQuery();
  b[2] = 0x81;
  b[3] = 0x80;
  b[7] = 1;  // one answer
  const Bytes rr = {0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0, 0, 0x0E, 0x10, 0, 4, 93, 184, 216, 34};
  b.insert(b.end(), rr.begin(), rr.end());
  return b;
}

struct Fixture {
  NullObserver obs;
  AnomalyCounters anomalies;
  FlowTable table{FlowTableOptions{}, &obs, &anomalies};
  std::unique_ptr<classify::NdpiClassifier> c;
  Fixture() {
    std::string err;
    c = classify::NdpiClassifier::Create(classify::ClassifierOptions{}, &err);
    REQUIRE(c);
  }
  Flow* Feed(const Bytes& frame, TimeUs ts) {
    PacketView pv{ts, frame.data(), static_cast<std::uint32_t>(frame.size()),
                  static_cast<std::uint32_t>(frame.size()), LinkType::kEthernet};
    DecodedPacket p;
    REQUIRE(Decode(pv, p, anomalies) == DecodeStatus::kOk);
    Direction d;
    Flow* f = table.Process(p, &d);
    c->Process(*f, p);
    return f;
  }
};

}  // namespace

TEST_CASE("nDPI classifies DNS, records the query name and frees its state when done") {
  Fixture fx;
  Flow* f = fx.Feed(Ether(0x0800, Ipv4("192.0.2.1", "192.0.2.53", 17, Udp(40000, 53, DnsQuery()))),
                    Seconds(10));
  CHECK(fx.c->live_states() <= 1);
  f = fx.Feed(Ether(0x0800, Ipv4("192.0.2.53", "192.0.2.1", 17, Udp(53, 40000, DnsAnswer()))),
              Seconds(10) + 5000);
  fx.c->Finish(*f);
  CHECK(f->classification.done);
  CHECK(f->classification.app_protocol == "DNS");
  CHECK(f->classification.hostname == "example.com");
  CHECK(f->classification.category == "Network");
  CHECK_FALSE(f->classification.guessed);
  CHECK(f->classifier_state == nullptr);
  CHECK(fx.c->live_states() == 0);
}

TEST_CASE("An unrecognisable flow is given up at the packet cap and guessed by port") {
  Fixture fx;
  Flow* f = nullptr;
  for (int i = 0; i < 30; ++i) {
    f = fx.Feed(Ether(0x0800, Ipv4("192.0.2.1", "192.0.2.9", 17, Udp(40001, 3389, Bytes(40, 0xAB)))),
                Seconds(1) + i * 1000);
  }
  REQUIRE(f->classification.done);  // 24-packet UDP cap reached before the flow ended
  CHECK(f->classification.packets_inspected == 25);
  CHECK(f->classifier_state == nullptr);
  CHECK(f->classification.guessed);
  CHECK(f->classification.app_protocol == "RDP");  // UDP/3389, guessed from the port
  CHECK(fx.c->live_states() == 0);
}

TEST_CASE("A flow that never reached nDPI is reported Unknown, not left undecided") {
  Fixture fx;
  Flow f;
  fx.c->Finish(f);
  CHECK(f.classification.done);
  CHECK(f.classification.protocol == "Unknown");
}
