// The file sink through CreateSink: JSON lines, rotation, permissions, spooled alerts delivered
// after a restart, memory-queue drops, and configuration errors.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <filesystem>

#include <catch2/catch.hpp>

#include "sensor/sinks/sink.h"
#include "sensor/sinks/spool.h"
#include "tests/sinks/test_util.h"

namespace parallax::sinks {
namespace {

using testing::IoThread;
using testing::ReadLines;
using testing::TempDir;

Record Alert(int i) {
  return Record{output::EventType::kAlert, "alert-" + std::to_string(i),
                R"({"event_type":"alert","id":"alert-)" + std::to_string(i) +
                    R"(","alert":{"severity":2},"pad":")" + std::string(60, 'p') + "\"}"};
}

SinkConfig FileConfig(const TempDir& tmp) {
  SinkConfig c;
  c.name = "archive";
  c.type = SinkType::kFile;
  c.path = tmp.path + "/alerts.json";
  c.events = {"alert", "flow"};
  c.retry_initial_s = 0.05;
  c.retry_max_s = 0.2;
  return c;
}

std::unique_ptr<Sink> Create(const SinkConfig& c, IoThread& io, const std::string& spool) {
  std::unique_ptr<Sink> sink;
  core::Status st = CreateSink(c, io.io, spool, &sink);
  INFO(st.message());
  REQUIRE(st.ok());
  return sink;
}

TEST_CASE("file sink writes JSON lines, fsync'd, file 0640") {
  TempDir tmp;
  IoThread io;
  SinkConfig c = FileConfig(tmp);
  auto sink = Create(c, io, tmp.path + "/spool");
  sink->Start();
  for (int i = 0; i < 5; ++i) sink->Submit(Alert(i));
  sink->Submit(Record{output::EventType::kFlow, "", R"({"event_type":"flow"})"});
  REQUIRE(sink->Flush(std::chrono::seconds(30)));
  const auto lines = ReadLines(c.path);
  REQUIRE(lines.size() == 6);
  for (int i = 0; i < 5; ++i) CHECK(lines[static_cast<std::size_t>(i)] == Alert(i).json);
  CHECK(lines[5] == R"({"event_type":"flow"})");
  const SinkStats s = sink->stats();
  CHECK(s.submitted == 6);
  CHECK(s.delivered == 6);
  CHECK(s.spool_records == 0);
  CHECK(s.up);
  struct stat st {};
  REQUIRE(::stat(c.path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
  REQUIRE(::stat((tmp.path + "/spool/archive").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  CHECK(sink->Wants(output::EventType::kFlow));
  CHECK(!sink->Wants(output::EventType::kStats));
}

TEST_CASE("file sink rotates by size and keeps rotate_keep files") {
  TempDir tmp;
  IoThread io;
  SinkConfig c = FileConfig(tmp);
  c.rotate_bytes = 400;  // a little over 3 lines
  c.rotate_keep = 2;
  auto sink = Create(c, io, tmp.path + "/spool");
  sink->Start();
  const std::size_t line = Alert(10).json.size() + 1;
  REQUIRE(line * 3 <= 400);
  REQUIRE(line * 4 > 400);
  for (int i = 10; i < 22; ++i) {
    sink->Submit(Alert(i));
    REQUIRE(sink->Flush(std::chrono::seconds(30)));  // one line per batch
  }
  // 12 lines, 3 per file: path.2 (16-18), path.1 (19-21)... newest in path.
  CHECK(std::filesystem::exists(c.path + ".1"));
  CHECK(std::filesystem::exists(c.path + ".2"));
  CHECK(!std::filesystem::exists(c.path + ".3"));
  const auto current = ReadLines(c.path), one = ReadLines(c.path + ".1"),
             two = ReadLines(c.path + ".2");
  REQUIRE(current.size() == 3);
  REQUIRE(one.size() == 3);
  REQUIRE(two.size() == 3);
  CHECK(current.back() == Alert(21).json);
  CHECK(one.front() == Alert(16).json);
  CHECK(two.front() == Alert(13).json);
  struct stat st {};
  REQUIRE(::stat((c.path + ".1").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0640);
}

TEST_CASE("alerts spooled by an earlier run are delivered after Start") {
  TempDir tmp;
  SinkConfig c = FileConfig(tmp);
  const std::string spool_dir = tmp.path + "/spool";
  {
    // An earlier run that never delivered (killed before Start).
    IoThread io;
    auto sink = Create(c, io, spool_dir);
    for (int i = 0; i < 3; ++i) sink->Submit(Alert(i));
    CHECK(sink->stats().spool_records == 3);
    CHECK(!sink->Flush(std::chrono::milliseconds(50)));
  }
  CHECK(ReadLines(c.path).empty());
  IoThread io;
  auto sink = Create(c, io, spool_dir);
  CHECK(sink->stats().spool_records == 3);
  sink->Start();
  REQUIRE(sink->Flush(std::chrono::seconds(30)));
  const auto lines = ReadLines(c.path);
  REQUIRE(lines.size() == 3);
  CHECK(lines[2] == Alert(2).json);
  CHECK(sink->stats().spool_records == 0);
}

TEST_CASE("a failing file is retried with backoff and nothing is lost") {
  TempDir tmp;
  IoThread io;
  SinkConfig c = FileConfig(tmp);
  c.path = tmp.path + "/later/alerts.json";  // the folder does not exist yet
  std::unique_ptr<Sink> sink;
  // Opening at creation fails and names the file.
  core::Status st = CreateSink(c, io.io, tmp.path + "/spool", &sink);
  REQUIRE(!st.ok());
  CHECK(st.message().find("archive") != std::string::npos);
  CHECK(st.message().find("later/alerts.json") != std::string::npos);
  // Created while the folder exists, then it goes away: delivery fails and retries.
  std::filesystem::create_directory(tmp.path + "/later");
  sink = Create(c, io, tmp.path + "/spool");
  std::filesystem::remove_all(tmp.path + "/later");
  std::filesystem::create_directory(tmp.path + "/later");
  ::chmod((tmp.path + "/later").c_str(), 0500);
  if (::access((tmp.path + "/later").c_str(), W_OK) == 0) {
    SUCCEED("running as root: permissions do not stop writes, skipping the failure half");
    return;
  }
  sink->Start();
  sink->Submit(Alert(1));
  REQUIRE(testing::WaitFor([&] { return sink->stats().retries >= 2; }));
  CHECK(!sink->stats().up);
  CHECK(!sink->stats().last_error.empty());
  CHECK(sink->stats().spool_records == 1);
  ::chmod((tmp.path + "/later").c_str(), 0700);
  REQUIRE(sink->Flush(std::chrono::seconds(30)));
  CHECK(ReadLines(c.path) == std::vector<std::string>{Alert(1).json});
  CHECK(sink->stats().up);
}

TEST_CASE("non-alert events beyond queue_capacity are dropped and counted") {
  TempDir tmp;
  IoThread io;
  SinkConfig c = FileConfig(tmp);
  c.queue_capacity = 3;
  auto sink = Create(c, io, tmp.path + "/spool");
  // Not started: nothing drains the queue.
  for (int i = 0; i < 5; ++i) {
    sink->Submit(Record{output::EventType::kFlow, "", "{\"flow\":" + std::to_string(i) + "}"});
  }
  for (int i = 0; i < 4; ++i) sink->Submit(Alert(i));  // alerts are never dropped
  SinkStats s = sink->stats();
  CHECK(s.dropped == 2);
  CHECK(s.queue_depth == 3);
  CHECK(s.spool_records == 4);
  sink->Start();
  REQUIRE(sink->Flush(std::chrono::seconds(30)));
  const auto lines = ReadLines(c.path);
  REQUIRE(lines.size() == 7);
  CHECK(lines[0] == Alert(0).json);  // the spool goes first
  CHECK(lines[6] == "{\"flow\":2}");
}

TEST_CASE("Stop ends delivery and Flush after it reports what is left") {
  TempDir tmp;
  IoThread io;
  SinkConfig c = FileConfig(tmp);
  auto sink = Create(c, io, tmp.path + "/spool");
  sink->Stop();
  sink->Start();  // no effect after Stop
  sink->Submit(Alert(1));
  CHECK(!sink->Flush(std::chrono::milliseconds(100)));
  CHECK(ReadLines(c.path).empty());
  CHECK(sink->stats().spool_records == 1);  // kept for the next run
}

TEST_CASE("stdout sink writes JSON lines on standard output") {
  TempDir tmp;
  const std::string out = tmp.path + "/stdout";
  std::fflush(stdout);
  const int saved = ::dup(STDOUT_FILENO);
  const int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  REQUIRE(fd >= 0);
  ::dup2(fd, STDOUT_FILENO);
  ::close(fd);
  bool flushed = false;
  {
    IoThread io;
    SinkConfig c;
    c.name = "console";
    c.type = SinkType::kStdout;
    auto sink = Create(c, io, tmp.path + "/spool");
    sink->Start();
    sink->Submit(Alert(1));
    sink->Submit(Alert(2));
    flushed = sink->Flush(std::chrono::seconds(30));
  }
  ::dup2(saved, STDOUT_FILENO);
  ::close(saved);
  REQUIRE(flushed);
  CHECK(ReadLines(out) == std::vector<std::string>{Alert(1).json, Alert(2).json});
}

TEST_CASE("CreateSink validates configuration and names the sink") {
  TempDir tmp;
  IoThread io;
  std::unique_ptr<Sink> sink;
  auto error_for = [&](const SinkConfig& c) {
    core::Status st = CreateSink(c, io.io, tmp.path, &sink);
    return st.ok() ? std::string() : st.message();
  };
  SinkConfig http;
  http.name = "soc-webhook";
  http.type = SinkType::kHttp;
  CHECK(error_for(http) == "sink soc-webhook: http sink needs a url");
  http.url = "http://127.0.0.1:1/x";
  http.format = "xml";
  CHECK(error_for(http).find("format") != std::string::npos);
  SinkConfig file;
  file.name = "f";
  file.type = SinkType::kFile;
  CHECK(error_for(file) == "sink f: file sink needs a path");
  SinkConfig bad_name;
  bad_name.name = "../x";
  CHECK(error_for(bad_name).find("name") != std::string::npos);
  SinkConfig syslog;
  syslog.name = "sys";
  syslog.type = SinkType::kSyslog;
  syslog.facility = "local9";
  CHECK(error_for(syslog).find("facility") != std::string::npos);
  syslog.facility = "local0";
  syslog.transport = "sctp";
  CHECK(error_for(syslog).find("transport") != std::string::npos);
  SinkConfig kafka;
  kafka.name = "k";
  kafka.type = SinkType::kKafka;
  CHECK(error_for(kafka) == "sink k: kafka sink needs brokers");
  kafka.brokers = "127.0.0.1:9";
  kafka.kafka_properties["no.such.property"] = "1";
  CHECK(error_for(kafka).find("no.such.property") != std::string::npos);
  SinkConfig events;
  events.name = "e";
  events.events = {"alert", "dns"};
  CHECK(error_for(events).find("dns") != std::string::npos);
  SinkConfig tls;
  tls.name = "t";
  tls.type = SinkType::kHttp;
  tls.url = "https://127.0.0.1:1/";
  tls.tls.ca_file = tmp.path + "/missing.pem";
  CHECK(error_for(tls).find("missing.pem") != std::string::npos);
}

}  // namespace
}  // namespace parallax::sinks
