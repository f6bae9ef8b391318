// The Kafka sink against librdkafka's mock cluster run by parallax-mock-kafka, which consumes
// the topic back: every alert arrives, keyed by its id, and the spool is emptied.
#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <set>

#include <catch2/catch.hpp>

#include "sensor/sinks/sink.h"
#include "tests/sinks/test_util.h"

namespace parallax::sinks {
namespace {

using testing::Child;
using testing::IoThread;
using testing::ReadLines;
using testing::TempDir;
using testing::WaitFor;

Record Alert(int i) {
  return Record{output::EventType::kAlert, "alert-" + std::to_string(i),
                R"({"event_type":"alert","id":"alert-)" + std::to_string(i) +
                    R"(","alert":{"severity":1}})"};
}

TEST_CASE("kafka sink produces every alert, keyed by id, acknowledged from delivery reports") {
  TempDir tmp;
  const std::string values = tmp.path + "/values", keys = tmp.path + "/keys";
  Child cluster({PARALLAX_MOCK_KAFKA, "--topic", "parallax-alerts", "--out", values, "--keys",
                 keys, "--partitions", "2"});
  const auto ready = cluster.ReadyLine();
  REQUIRE(ready);
  REQUIRE(ready->rfind("bootstrap=", 0) == 0);

  IoThread io;
  SinkConfig c;
  c.name = "kafka";
  c.type = SinkType::kKafka;
  c.brokers = ready->substr(std::string("bootstrap=").size());
  c.topic = "parallax-alerts";
  c.batch_max = 4;
  c.retry_initial_s = 0.05;
  c.kafka_properties["linger.ms"] = "5";
  std::unique_ptr<Sink> sink;
  core::Status st = CreateSink(c, io.io, tmp.path + "/spool", &sink);
  INFO(st.message());
  REQUIRE(st.ok());
  sink->Start();
  for (int i = 0; i < 10; ++i) sink->Submit(Alert(i));
  REQUIRE(sink->Flush(std::chrono::seconds(60)));
  const SinkStats s = sink->stats();
  CHECK(s.delivered == 10);
  CHECK(s.spool_records == 0);
  CHECK(s.up);

  REQUIRE(WaitFor([&] { return ReadLines(values).size() >= 10; }, std::chrono::seconds(60)));
  const auto got = ReadLines(values);
  const auto got_keys = ReadLines(keys);
  std::set<std::string> want, have(got.begin(), got.end()), want_keys,
      have_keys(got_keys.begin(), got_keys.end());
  for (int i = 0; i < 10; ++i) {
    want.insert(Alert(i).json);
    want_keys.insert(Alert(i).id);
  }
  CHECK(have == want);
  CHECK(have_keys == want_keys);
}

TEST_CASE("kafka sink keeps alerts spooled while no broker answers") {
  TempDir tmp;
  IoThread io;
  SinkConfig c;
  c.name = "kafka-down";
  c.type = SinkType::kKafka;
  c.brokers = "127.0.0.1:1";  // nothing listens
  c.timeout_s = 1;            // message.timeout.ms: reports come back as failures quickly
  c.retry_initial_s = 0.05;
  std::unique_ptr<Sink> sink;
  REQUIRE(CreateSink(c, io.io, tmp.path + "/spool", &sink).ok());
  sink->Start();
  sink->Submit(Alert(1));
  REQUIRE(WaitFor([&] { return sink->stats().retries >= 1; }, std::chrono::seconds(60)));
  CHECK(!sink->stats().up);
  CHECK(sink->stats().spool_records == 1);
  CHECK(sink->stats().delivered == 0);
}

}  // namespace
}  // namespace parallax::sinks
