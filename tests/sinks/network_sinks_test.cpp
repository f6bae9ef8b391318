// Syslog (UDP, TCP octet counting, TCP+TLS) and HTTP (HEC, retries, TLS verification) sinks
// against the receivers of receivers.py on loopback. Every check reads what the receiver wrote.
#include <utility>  // before Boost.Asio (GCC 12, C++20)

#include <filesystem>
#include <set>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sensor/sinks/sink.h"
#include "tests/sinks/test_util.h"

namespace parallax::sinks {
namespace {

using testing::Child;
using testing::IoThread;
using testing::PortFrom;
using testing::ReadLines;
using testing::TempDir;
using testing::WaitFor;

Record Alert(int i, int severity = 1) {
  return Record{output::EventType::kAlert, "alert-" + std::to_string(i),
                R"({"event_type":"alert","id":"alert-)" + std::to_string(i) +
                    R"(","alert":{"severity":)" + std::to_string(severity) + "}}"};
}

std::unique_ptr<Sink> Create(const SinkConfig& c, IoThread& io, const std::string& spool) {
  std::unique_ptr<Sink> sink;
  core::Status st = CreateSink(c, io.io, spool, &sink);
  INFO(st.message());
  REQUIRE(st.ok());
  return sink;
}

SinkConfig Base(const std::string& name, SinkType type) {
  SinkConfig c;
  c.name = name;
  c.type = type;
  c.retry_initial_s = 0.05;
  c.retry_max_s = 0.5;
  c.timeout_s = 10;
  c.batch_linger_s = 0.05;
  return c;
}

// Every alert id 0..n-1 arrived (duplicates allowed: at-least-once).
void CheckAllArrived(const std::vector<std::string>& lines, int n) {
  std::set<std::string> ids;
  for (const auto& l : lines) {
    const auto j = nlohmann::json::parse(l, nullptr, false);
    REQUIRE(j.is_object());
    ids.insert(j.value("id", ""));
  }
  for (int i = 0; i < n; ++i) CHECK(ids.count("alert-" + std::to_string(i)) == 1);
  CHECK(ids.size() == static_cast<std::size_t>(n));
}

std::vector<std::string> Receivers(const std::string& out_dir, std::vector<std::string> extra) {
  std::vector<std::string> argv = {PARALLAX_PYTHON3, PARALLAX_RECEIVERS_PY, "--out-dir", out_dir};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

// A free TCP port on loopback (bound and released: nothing listens on it afterwards).
int FreePort() {
  Child probe({PARALLAX_PYTHON3, "-c",
               "import socket; s=socket.socket(); s.bind(('127.0.0.1',0)); "
               "print(s.getsockname()[1], flush=True)"});
  const auto line = probe.ReadyLine();
  REQUIRE(line);
  return std::atoi(line->c_str());
}

TEST_CASE("syslog over UDP: one RFC 5424 datagram per alert") {
  TempDir tmp;
  Child receivers(Receivers(tmp.path, {"--udp", "0"}));
  const auto ready = receivers.ReadyLine();
  REQUIRE(ready);
  IoThread io;
  SinkConfig c = Base("siem-udp", SinkType::kSyslog);
  c.port = static_cast<std::uint16_t>(PortFrom(*ready, "udp"));
  c.hostname = "sensor-1";
  c.facility = "local3";
  auto sink = Create(c, io, tmp.path + "/spool");
  sink->Start();
  for (int i = 0; i < 5; ++i) sink->Submit(Alert(i, i % 3 + 1));
  REQUIRE(sink->Flush(std::chrono::seconds(30)));
  REQUIRE(WaitFor([&] { return ReadLines(tmp.path + "/syslog-udp.jsonl").size() >= 5; }));
  CheckAllArrived(ReadLines(tmp.path + "/syslog-udp.jsonl"), 5);
  const auto raw = ReadLines(tmp.path + "/syslog-udp.raw");
  // local3 = 19: severity 1 -> 19*8+2 = 154, 2 -> 155, 3 -> 156.
  std::set<std::string> pris;
  for (const auto& m : raw) {
    pris.insert(m.substr(0, m.find('>') + 1));
    CHECK(m.find(" sensor-1 parallax ") != std::string::npos);
    CHECK(m.find(" alert - {") != std::string::npos);
  }
  CHECK(pris == std::set<std::string>{"<154>", "<155>", "<156>"});
}

TEST_CASE("syslog over TCP: octet counting, retried until the server comes up") {
  TempDir tmp;
  const int port = FreePort();
  IoThread io;
  SinkConfig c = Base("siem-tcp", SinkType::kSyslog);
  c.transport = "tcp";
  c.port = static_cast<std::uint16_t>(port);
  auto sink = Create(c, io, tmp.path + "/spool");
  sink->Start();
  for (int i = 0; i < 20; ++i) sink->Submit(Alert(i));
  REQUIRE(WaitFor([&] { return sink->stats().retries >= 2; }));
  CHECK(!sink->stats().up);
  CHECK(sink->stats().last_error.find("connect") != std::string::npos);
  CHECK(sink->stats().spool_records == 20);

  Child receivers(Receivers(tmp.path, {"--tcp", std::to_string(port)}));
  REQUIRE(receivers.ReadyLine());
  REQUIRE(sink->Flush(std::chrono::seconds(60)));
  REQUIRE(WaitFor([&] { return ReadLines(tmp.path + "/syslog-tcp.jsonl").size() >= 20; }));
  CheckAllArrived(ReadLines(tmp.path + "/syslog-tcp.jsonl"), 20);
  CHECK(sink->stats().up);
  CHECK(sink->stats().delivered == 20);
  CHECK(sink->stats().spool_records == 0);
}

struct Cert {
  std::string cert, key;
};

Cert MakeCert(const std::string& dir) {
  Cert c{dir + "/cert.pem", dir + "/key.pem"};
  const std::string cmd = std::string(PARALLAX_OPENSSL) +
                          " req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=localhost"
                          " -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " +
                          c.key + " -out " + c.cert + " 2>/dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
  return c;
}

TEST_CASE("syslog over TCP with TLS verifies the server") {
  TempDir tmp;
  const Cert cert = MakeCert(tmp.path);
  Child receivers(
      Receivers(tmp.path, {"--tcp", "0", "--tls-cert", cert.cert, "--tls-key", cert.key}));
  const auto ready = receivers.ReadyLine();
  REQUIRE(ready);
  IoThread io;
  SinkConfig c = Base("siem-tls", SinkType::kSyslog);
  c.transport = "tcp";
  c.tls.enabled = true;
  c.port = static_cast<std::uint16_t>(PortFrom(*ready, "tcp"));
  {
    auto untrusted = Create(c, io, tmp.path + "/spool");  // system trust store only
    untrusted->Start();
    untrusted->Submit(Alert(0));
    REQUIRE(WaitFor([&] { return untrusted->stats().retries >= 1; }));
    CHECK(untrusted->stats().last_error.find("TLS handshake") != std::string::npos);
    untrusted->Stop();
  }
  c.tls.ca_file = cert.cert;
  auto sink = Create(c, io, tmp.path + "/spool");  // same spool: alert-0 is still there
  sink->Start();
  sink->Submit(Alert(1));
  REQUIRE(sink->Flush(std::chrono::seconds(60)));
  REQUIRE(WaitFor([&] { return ReadLines(tmp.path + "/syslog-tcp.jsonl").size() >= 2; }));
  CheckAllArrived(ReadLines(tmp.path + "/syslog-tcp.jsonl"), 2);
}

TEST_CASE("HTTP HEC: 503 then accepted, every alert at least once, retries counted") {
  TempDir tmp;
  const std::string open_file = tmp.path + "/accept";
  Child receivers(Receivers(tmp.path, {"--http", "0", "--http-fail-until", open_file,
                                       "--http-token", "s3cret"}));
  const auto ready = receivers.ReadyLine();
  REQUIRE(ready);
  IoThread io;
  SinkConfig c = Base("soc-webhook", SinkType::kHttp);
  c.url = "http://127.0.0.1:" + std::to_string(PortFrom(*ready, "http")) +
          "/services/collector/event";
  c.token = "s3cret";
  c.batch_max = 7;
  c.events = {"alert", "stats"};
  c.headers["X-Sensor"] = "lab";
  auto sink = Create(c, io, tmp.path + "/spool");
  sink->Start();
  for (int i = 0; i < 30; ++i) sink->Submit(Alert(i));
  sink->Submit(Record{output::EventType::kStats, "", R"({"event_type":"stats","n":1})"});
  REQUIRE(WaitFor([&] { return sink->stats().retries >= 2; }));
  CHECK(!sink->stats().up);
  CHECK(sink->stats().last_error.find("HTTP 503") != std::string::npos);
  CHECK(ReadLines(tmp.path + "/http.jsonl").empty());
  { std::ofstream(open_file) << "ok"; }
  REQUIRE(sink->Flush(std::chrono::seconds(60)));
  const auto lines = ReadLines(tmp.path + "/http.jsonl");
  std::vector<std::string> alerts;
  for (const auto& l : lines) {
    if (l.find("\"stats\"") == std::string::npos) alerts.push_back(l);
  }
  CheckAllArrived(alerts, 30);
  CHECK(lines.size() - alerts.size() == 1);
  // HEC wrapper shape.
  for (const auto& raw : ReadLines(tmp.path + "/http.raw")) {
    const auto j = nlohmann::json::parse(raw);
    CHECK(j["source"] == "parallax");
    CHECK(j["time"].is_number());
    CHECK(j["event"].is_object());
    CHECK(j["sourcetype"] == "parallax:" + j["event"]["event_type"].get<std::string>());
  }
  // Batches of at most batch_max, the token as a Splunk header.
  bool saw_ok = false;
  for (const auto& r : ReadLines(tmp.path + "/http.requests")) {
    const auto j = nlohmann::json::parse(r);
    CHECK(j["path"] == "/services/collector/event");
    CHECK(j["headers"]["Authorization"] == "Splunk s3cret");
    CHECK(j["headers"]["Content-Type"] == "application/json");
    CHECK(j["records"].get<int>() <= 7);
    saw_ok |= j["status"] == 200;
  }
  CHECK(saw_ok);
  const SinkStats s = sink->stats();
  CHECK(s.up);
  CHECK(s.delivered == 31);
  CHECK(s.retries >= 2);
  CHECK(s.spool_records == 0);
}

TEST_CASE("HTTP sink retries while the server is down, ndjson with a bearer token") {
  TempDir tmp;
  const int port = FreePort();
  IoThread io;
  SinkConfig c = Base("hook", SinkType::kHttp);
  c.url = "http://127.0.0.1:" + std::to_string(port) + "/in";
  c.format = "ndjson";
  c.token = "t0k";
  auto sink = Create(c, io, tmp.path + "/spool");
  sink->Start();
  for (int i = 0; i < 4; ++i) sink->Submit(Alert(i));
  REQUIRE(WaitFor([&] { return sink->stats().retries >= 2; }));
  Child receivers(Receivers(tmp.path, {"--http", std::to_string(port), "--http-token", "t0k"}));
  REQUIRE(receivers.ReadyLine());
  REQUIRE(sink->Flush(std::chrono::seconds(60)));
  CheckAllArrived(ReadLines(tmp.path + "/http.jsonl"), 4);
  for (const auto& r : ReadLines(tmp.path + "/http.requests")) {
    const auto j = nlohmann::json::parse(r);
    CHECK(j["headers"]["Authorization"] == "Bearer t0k");
    CHECK(j["headers"]["Content-Type"] == "application/x-ndjson");
  }
  // Keep-alive: a second batch after the first goes over the same or a new connection alike.
  for (int i = 4; i < 8; ++i) sink->Submit(Alert(i));
  REQUIRE(sink->Flush(std::chrono::seconds(60)));
  CheckAllArrived(ReadLines(tmp.path + "/http.jsonl"), 8);
}

TEST_CASE("after Stop no retry of the sink runs and the alert stays spooled") {
  TempDir tmp;
  const int port = FreePort();
  IoThread io;
  SinkConfig c = Base("stopped-hook", SinkType::kHttp);
  c.url = "http://127.0.0.1:" + std::to_string(port) + "/";
  c.retry_initial_s = 0.01;
  c.retry_max_s = 0.02;
  auto sink = Create(c, io, tmp.path + "/spool");
  sink->Start();
  sink->Submit(Alert(1));
  REQUIRE(WaitFor([&] { return sink->stats().retries >= 3; }));
  sink->Stop();
  const std::uint64_t retries = sink->stats().retries;
  // Retries come every 20 ms while running; none may come after Stop.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(sink->stats().retries == retries);
  CHECK(sink->stats().spool_records == 1);
  CHECK(!sink->Flush(std::chrono::milliseconds(10)));
}

TEST_CASE("HTTPS verifies the certificate and the host name") {
  TempDir tmp;
  const Cert cert = MakeCert(tmp.path);
  Child receivers(
      Receivers(tmp.path, {"--http", "0", "--tls-cert", cert.cert, "--tls-key", cert.key}));
  const auto ready = receivers.ReadyLine();
  REQUIRE(ready);
  IoThread io;
  SinkConfig c = Base("secure-hook", SinkType::kHttp);
  c.url = "https://127.0.0.1:" + std::to_string(PortFrom(*ready, "http")) + "/";
  c.format = "json_array";
  SECTION("without the CA the certificate is refused") {
    auto sink = Create(c, io, tmp.path + "/spool");
    sink->Start();
    sink->Submit(Alert(0));
    REQUIRE(WaitFor([&] { return sink->stats().retries >= 1; }));
    CHECK(sink->stats().last_error.find("certificate verify failed") != std::string::npos);
    CHECK(sink->stats().delivered == 0);
  }
  SECTION("with the CA but another expected name the certificate is refused") {
    c.tls.ca_file = cert.cert;
    c.tls.server_name = "siem.example.org";
    auto sink = Create(c, io, tmp.path + "/spool");
    sink->Start();
    sink->Submit(Alert(0));
    REQUIRE(WaitFor([&] { return sink->stats().retries >= 1; }));
    CHECK(sink->stats().last_error.find("TLS handshake") != std::string::npos);
    CHECK(sink->stats().delivered == 0);
  }
  SECTION("with tls.ca_file it is delivered") {
    c.tls.ca_file = cert.cert;
    auto sink = Create(c, io, tmp.path + "/spool");
    sink->Start();
    for (int i = 0; i < 3; ++i) sink->Submit(Alert(i));
    REQUIRE(sink->Flush(std::chrono::seconds(60)));
    CheckAllArrived(ReadLines(tmp.path + "/http.jsonl"), 3);
  }
  CHECK(ReadLines(tmp.path + "/http.jsonl").size() <= 3);
}

}  // namespace
}  // namespace parallax::sinks
