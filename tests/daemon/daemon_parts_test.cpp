#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "sensor/daemon/metrics.h"
#include "sensor/daemon/packet_batch.h"
#include "sensor/daemon/shard.h"
#include "tests/core/packet_builder.h"

using namespace parallax;
using namespace std::chrono_literals;

namespace {

constexpr std::uint8_t kSyn = 0x02, kAck = 0x10;

struct Frame {
  test::Bytes bytes;
  core::PacketView View() const {
    return core::PacketView{1'000'000, bytes.data(), static_cast<std::uint32_t>(bytes.size()),
                            static_cast<std::uint32_t>(bytes.size()), core::LinkType::kEthernet};
  }
};

Frame TcpFrame(const std::string& src, std::uint16_t sport, const std::string& dst,
               std::uint16_t dport, std::uint8_t flags) {
  return {test::Ether(0x0800, test::Ipv4(src.c_str(), dst.c_str(), 6,
                                         test::Tcp(sport, dport, flags)))};
}

}  // namespace

TEST_CASE("sharding keeps both directions of a flow, and its fragments, on one worker") {
  daemon::Sharder sharder(4);
  std::set<std::size_t> used;
  for (int host = 1; host < 60; ++host) {
    const std::string a = "10.0.0." + std::to_string(host), b = "198.51.100.7";
    const auto fwd = TcpFrame(a, 40000 + host, b, 443, kSyn);
    const auto rev = TcpFrame(b, 443, a, 40000 + host, kSyn | kAck);
    const auto other_port = TcpFrame(a, 50000, b, 80, kSyn);
    const std::size_t s = sharder.ShardOf(fwd.View());
    CHECK(sharder.ShardOf(rev.View()) == s);
    CHECK(sharder.ShardOf(other_port.View()) == s);  // address pair, not 5-tuple
    CHECK(s < 4);
    used.insert(s);
  }
  CHECK(used.size() == 4);  // 59 hosts spread over every worker
}

TEST_CASE("batch queue hands batches over in order and waits when full") {
  daemon::BatchQueue q(128);
  const auto p = TcpFrame("10.0.0.1", 1, "10.0.0.2", 2, kSyn);
  auto b = std::make_unique<daemon::PacketBatch>();
  for (int i = 0; i < 100; ++i) b->Add(p.View());
  REQUIRE(q.Push(&b, 10ms));
  REQUIRE(b->empty());  // a fresh batch came back
  for (int i = 0; i < 100; ++i) b->Add(p.View());
  CHECK_FALSE(q.Push(&b, 20ms));  // 200 > 128: stays full, the caller keeps its batch
  CHECK(b->packets.size() == 100);
  CHECK(q.depth() == 100);
  auto got = q.Pop(10ms);
  REQUIRE(got);
  REQUIRE(got->packets.size() == 100);
  CHECK(got->View(99).caplen == p.View().caplen);
  CHECK(std::equal(p.bytes.begin(), p.bytes.end(), got->View(5).data));
  q.Recycle(std::move(got));
  CHECK(q.Push(&b, 10ms));
  std::thread consumer([&] {
    while (q.Pop(50ms)) {
    }
  });
  q.Close();
  consumer.join();
  CHECK(q.closed());
}

TEST_CASE("metrics render in the Prometheus text format with escaped labels") {
  daemon::MetricsSnapshot m;
  daemon::WorkerSnapshot w;
  w.stats.packets = 10;
  w.stats.bytes = 1500;
  w.live_flows = 3;
  w.fingerprints_by_kind["vpn"] = 2;
  m.workers = {w, w};
  m.captures.push_back({"eth\"1", {100, 7, 0, true}});
  m.divergence.alerts_by_kind["location_mismatch"] = 1;
  m.divergence.suppressed = 5;
  m.divergence.policy_sanctioned = 2;
  m.divergence.policy_suppressions = 3;
  parallax::sinks::SinkStats s;
  s.spool_records = 4;
  s.up = false;
  m.sinks.emplace_back("splunk", s);
  const std::string text = daemon::RenderPrometheus(m);
  CHECK(text.find("# TYPE parallax_packets_total counter\n") != std::string::npos);
  CHECK(text.find("parallax_packets_total{worker=\"1\"} 10\n") != std::string::npos);
  CHECK(text.find("parallax_bytes_total 3000\n") != std::string::npos);
  CHECK(text.find("parallax_flows_live 6\n") != std::string::npos);
  CHECK(text.find("parallax_fingerprints_total{kind=\"vpn\"} 4\n") != std::string::npos);
  CHECK(text.find("parallax_capture_dropped_total{interface=\"eth\\\"1\"} 7\n") != std::string::npos);
  CHECK(text.find("parallax_alerts_total{kind=\"location_mismatch\"} 1\n") != std::string::npos);
  CHECK(text.find("# TYPE parallax_suppressed_findings_total counter\n") != std::string::npos);
  CHECK(text.find("parallax_suppressed_findings_total 5\n") != std::string::npos);
  CHECK(text.find("parallax_policy_rules{type=\"sanctioned\"} 2\n") != std::string::npos);
  CHECK(text.find("parallax_policy_rules{type=\"suppression\"} 3\n") != std::string::npos);
  CHECK(text.find("parallax_sink_spool_records{sink=\"splunk\"} 4\n") != std::string::npos);
  CHECK(text.find("parallax_sink_up{sink=\"splunk\"} 0\n") != std::string::npos);
  // Every sample line belongs to a family declared before it.
  std::set<std::string> families;
  std::size_t pos = 0;
  while (pos < text.size()) {
    const auto end = text.find('\n', pos);
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("# TYPE ", 0) == 0) {
      families.insert(line.substr(7, line.find(' ', 7) - 7));
    } else if (line[0] != '#') {
      const std::string name = line.substr(0, line.find_first_of("{ "));
      INFO(line);
      CHECK(families.count(name) == 1);
    }
  }
}
