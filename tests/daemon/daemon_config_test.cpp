#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include "sensor/daemon/daemon_config.h"

using parallax::daemon::DaemonConfig;
using parallax::daemon::LoadDaemonConfig;

namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = std::string(PARALLAX_TEST_TMP) + "/" + name;
  std::ofstream(path) << text;
  return path;
}

const char* kMinimal = R"(capture:
  interfaces: [eth1]
sinks:
  - type: stdout
)";

}  // namespace

TEST_CASE("the sample configuration in config/ loads with its documented values") {
  DaemonConfig c;
  const auto s = LoadDaemonConfig(std::string(PARALLAX_CONFIG_DIR) + "/parallax.yaml", &c);
  INFO(s.message());
  REQUIRE(s.ok());
  CHECK(c.capture.interfaces == std::vector<std::string>{"eth1"});
  CHECK(c.workers == 2);
  CHECK(c.user == "parallax");
  CHECK(c.state_dir == "/var/lib/parallax");
  CHECK(c.http.listen == "127.0.0.1:9109");
  REQUIRE(c.sinks.size() == 3);
  CHECK(c.sinks[0].type == parallax::sinks::SinkType::kFile);
  CHECK(c.sinks[0].events == std::vector<std::string>{"alert", "fingerprint", "stats"});
  CHECK(c.sinks[1].transport == "tcp");
  CHECK(c.sinks[2].format == "hec");
  CHECK(c.sinks[2].tls.verify);
  CHECK(c.pipeline.flows.tcp_idle_timeout == 300'000'000);
  CHECK(c.policy == "/etc/parallax/policy.yaml");
}

TEST_CASE("defaults fill what a minimal configuration leaves out") {
  DaemonConfig c;
  REQUIRE(LoadDaemonConfig(WriteTemp("minimal.yaml", kMinimal), &c).ok());
  CHECK(c.workers == 2);
  CHECK(c.allow_root == false);
  CHECK(c.sinks[0].name == "stdout-0");
  CHECK(c.sinks[0].events == std::vector<std::string>{"alert"});
  CHECK(c.evaluate_interval_s == 30);
  CHECK(c.roster.empty());
  CHECK(c.policy.empty());
}

TEST_CASE("relative paths are relative to the configuration file's folder") {
  DaemonConfig c;
  const std::string path = WriteTemp("relative.yaml", std::string(kMinimal) +
                                                          "roster: roster.yaml\nstate_dir: state\n"
                                                          "policy: policy.yaml\n");
  REQUIRE(LoadDaemonConfig(path, &c).ok());
  CHECK(c.roster == std::string(PARALLAX_TEST_TMP) + "/roster.yaml");
  CHECK(c.policy == std::string(PARALLAX_TEST_TMP) + "/policy.yaml");
  CHECK(c.state_dir == std::string(PARALLAX_TEST_TMP) + "/state");
}

TEST_CASE("configuration errors name the file, line and column") {
  struct Case {
    const char* text;
    const char* expect;
  };
  const Case cases[] = {
      {"capture:\n  interfaces: [eth1]\nworkrs: 4\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:1: unknown setting 'workrs'"},
      {"capture:\n  interfaces: [eth1]\nworkers: many\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:10: workers: cannot read 'many' as an integer"},
      {"capture:\n  interfaces: [eth1]\nworkers: 0\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:10: workers: must be between 1 and 256"},
      {"capture:\n  interfaces: [eth1]\nsinks:\n  - type: carrier-pigeon\n",
       "bad.yaml:4:11: sinks[0].type: expected file, stdout, syslog, http or kafka"},
      {"capture:\n  interfaces: [eth1]\nsinks:\n  - type: http\n",
       "sinks[0].url: an http sink needs a url"},
      {"capture:\n  interfaces: [eth1]\nsinks:\n  - type: stdout\n    events: [alert, bogus]\n",
       "sinks[0].events: unknown event type 'bogus'"},
      {"capture:\n  interfaces: [eth1]\nsinks:\n  - {type: stdout, name: a}\n  - {type: stdout, name: a}\n",
       "sinks[1].name: 'a' is used twice"},
      {"capture:\n  interfaces: []\nsinks:\n  - type: stdout\n",
       "capture.interfaces: at least one interface is needed"},
      {"capture:\n  interfaces: [eth1]\n", "sinks: a list of at least one sink is needed"},
      {"capture:\n  interfaces: [eth1\n", "bad.yaml:3:1: "},
      {"", "the configuration file is empty"},
      {"capture:\n  interfaces: [eth1]\nsinks:\n  - type: syslog\n    transport: sctp\n",
       "sinks[0].transport: expected udp or tcp"},
      {"capture:\n  interfaces: [eth1]\npolicy: [a.yaml, b.yaml]\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:9: policy: expected a single value"},
      {"capture:\n  interfaces: [eth1]\npolicy: p.yaml\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:9: policy: needs a roster"},
      // Non-finite numbers: NaN compares false with both bounds of a range.
      {"capture:\n  interfaces: [eth1]\nevaluate_interval_s: .nan\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:22: evaluate_interval_s: must be between 0.1 and 86400"},
      {"capture:\n  interfaces: [eth1]\nwindow_hours: .nan\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:15: window_hours: must be between 1 and 720"},
      {"capture:\n  interfaces: [eth1]\nflows:\n  tcp_timeout_s: .nan\nsinks:\n  - type: stdout\n",
       "bad.yaml:4:18: flows.tcp_timeout_s: must be between 1 and 604800"},
      {"capture:\n  interfaces: [eth1]\nstats_interval_s: .inf\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:19: stats_interval_s: must be between 0 and 86400"},
      // A key given twice is a problem at its second occurrence, in any section.
      {"capture:\n  interfaces: [eth1]\nworkers: 2\nworkers: 3\nsinks:\n  - type: stdout\n",
       "bad.yaml:4:1: 'workers' is given twice"},
      {"capture:\n  interfaces: [eth1]\n  interfaces: [eth2]\nsinks:\n  - type: stdout\n",
       "bad.yaml:3:3: 'capture.interfaces' is given twice"},
      // /metrics reachable from other hosts with no token: refused unless said explicitly.
      {"capture:\n  interfaces: [eth1]\nhttp:\n  listen: 0.0.0.0:9109\nsinks:\n  - type: stdout\n",
       "bad.yaml:4:11: http.listen: '0.0.0.0:9109' is reachable from other hosts and no "
       "bearer_token_file is set"},
      {"capture:\n  interfaces: [eth1]\nhttp: {listen: '[::]:9109'}\nsinks:\n  - type: stdout\n",
       "http.listen: '[::]:9109' is reachable from other hosts"},
      // Two sinks appending to one file interleave and rotate each other's lines away.
      {"capture:\n  interfaces: [eth1]\nsinks:\n  - {type: file, path: /var/log/eve.json}\n"
       "  - {type: file, path: /var/log/../log/eve.json}\n",
       "bad.yaml:5:24: sinks[1].path: '/var/log/../log/eve.json' is also the path of sinks[0]"},
  };
  for (const auto& c : cases) {
    DaemonConfig out;
    const auto s = LoadDaemonConfig(WriteTemp("bad.yaml", c.text), &out);
    INFO(c.text);
    INFO(s.message());
    REQUIRE_FALSE(s.ok());
    CHECK(s.message().find(c.expect) != std::string::npos);
  }
}

TEST_CASE("every problem of a configuration file is reported, each with its position") {
  DaemonConfig out;
  const auto s = LoadDaemonConfig(
      WriteTemp("many.yaml", "capture:\n  interfaces: [eth1]\nworkrs: 4\nworkers: many\n"
                             "window_hours: .nan\nsinks:\n  - type: pigeon\n"),
      &out);
  REQUIRE_FALSE(s.ok());
  const std::string m = s.message();
  CHECK(m.find("many.yaml:3:1: unknown setting 'workrs'") != std::string::npos);
  CHECK(m.find("many.yaml:4:10: workers: cannot read 'many' as an integer") != std::string::npos);
  CHECK(m.find("many.yaml:5:15: window_hours: must be between 1 and 720") != std::string::npos);
  CHECK(m.find("many.yaml:7:11: sinks[0].type: expected file, stdout") != std::string::npos);
  CHECK(std::count(m.begin(), m.end(), '\n') == 3);  // four problems, one per line
}

TEST_CASE("remote /metrics without a token, and distinct sink files, are accepted when said") {
  for (const char* http : {"{listen: '0.0.0.0:9109', allow_unauthenticated_remote: true}",
                           "{listen: '0.0.0.0:9109', bearer_token_file: token}",
                           "{listen: '127.0.0.1:9109'}", "{listen: '[::1]:9109'}"}) {
    DaemonConfig c;
    const auto s = LoadDaemonConfig(
        WriteTemp("http.yaml", std::string("capture: {interfaces: [eth1]}\nhttp: ") + http +
                                   "\nsinks:\n  - {type: file, path: a.json}\n"
                                   "  - {type: file, path: b.json}\n"),
        &c);
    INFO(http);
    INFO(s.message());
    CHECK(s.ok());
  }
}

TEST_CASE("a missing configuration file is an error naming it") {
  DaemonConfig c;
  const auto s = LoadDaemonConfig("/nonexistent/parallax.yaml", &c);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message() ==
        "/nonexistent/parallax.yaml: cannot read the configuration file: No such file or directory");
}
