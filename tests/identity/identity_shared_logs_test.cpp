// The adapters on the vendors' published sample logs (../shared/logs, read in place, never
// copied), checked against Filebeat's expected ECS documents beside them where they exist: the
// same address, user and time for every line we bind, and no binding where Filebeat saw a
// failure. Exits 77 (ctest SKIP_RETURN_CODE) when the folder is absent.
#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/log_time.h"

using namespace parallax::identity;
using nlohmann::json;

namespace {

std::string g_logs;

struct Line {
  std::size_t number = 0;
  std::size_t offset = 0;  // byte offset: Filebeat's log.offset
  LineResult result;
};

std::vector<Line> Run(const char* format, const std::string& file, AdapterOptions options = {}) {
  auto adapter = FindAdapter(format)->make(options);
  std::ifstream in(g_logs + "/" + file, std::ios::binary);
  REQUIRE(in);
  std::vector<Line> out;
  std::string text;
  std::size_t offset = 0, number = 0;
  while (std::getline(in, text)) {
    ++number;
    const std::size_t next = offset + text.size() + 1;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (!text.empty()) out.push_back({number, offset, adapter->Parse(text)});
    offset = next;
  }
  return out;
}

// log.offset -> document.
std::map<std::size_t, json> Expected(const std::string& file) {
  std::ifstream in(g_logs + "/" + file);
  REQUIRE(in);
  std::map<std::size_t, json> out;
  for (auto& doc : json::parse(in)) out.emplace(doc.at("log.offset").get<std::size_t>(), doc);
  return out;
}

parallax::core::TimeUs Time(const json& doc) {
  std::string error;
  auto t = ParseIsoTime(doc.at("@timestamp").get<std::string>(), &error);
  REQUIRE(t);
  return *t;
}

std::string Str(const json& doc, const char* key) {
  auto it = doc.find(key);
  return it == doc.end() || !it->is_string() ? std::string() : it->get<std::string>();
}

std::size_t Count(const std::vector<Line>& lines, LineVerdict v) {
  std::size_t n = 0;
  for (const auto& l : lines) n += l.result.verdict == v;
  return n;
}

}  // namespace

TEST_CASE("okta sample: every successful session start binds, as Filebeat reads it") {
  const auto lines = Run("okta", "okta/okta-system-test.json.log");
  const auto expected = Expected("okta/okta-system-test.json.log-expected.json");
  CHECK(Count(lines, LineVerdict::kMalformed) == 0);
  std::size_t compared = 0;
  for (const Line& l : lines) {
    auto doc = expected.find(l.offset);
    if (doc == expected.end()) continue;  // Filebeat's file covers lines 1-5 only
    INFO("line " << l.number);
    const std::string action = Str(doc->second, "event.action");
    const bool should_bind =
        (action == "user.session.start" || action.rfind("user.authentication.", 0) == 0) &&
        Str(doc->second, "event.outcome") == "success";
    CHECK((l.result.verdict == LineVerdict::kLogin) == should_bind);
    if (l.result.verdict != LineVerdict::kLogin) continue;
    ++compared;
    CHECK(l.result.login.public_ip->ToString() == Str(doc->second, "client.ip"));
    CHECK(l.result.login.user == Str(doc->second, "okta.actor.alternate_id"));
    CHECK(l.result.login.ts == Time(doc->second));
  }
  CHECK(compared >= 1);
  // Lines 6 and 7 (a session start and an authentication.verify) are beyond Filebeat's file.
  CHECK(Count(lines, LineVerdict::kLogin) == compared + 2);
}

TEST_CASE("entra samples: the successful non-interactive sign-in binds, failures do not") {
  auto lines = Run("entra", "entra/test-non-interactive-user-signin.log");
  auto expected = Expected("entra/test-non-interactive-user-signin.log-expected.json");
  REQUIRE(lines.size() == 1);
  REQUIRE(lines[0].result.verdict == LineVerdict::kLogin);
  const json& doc = expected.at(0);
  CHECK(lines[0].result.login.public_ip->ToString() == Str(doc, "client.ip"));
  CHECK(lines[0].result.login.user == Str(doc, "azure.signinlogs.properties.user_principal_name"));
  CHECK(lines[0].result.login.ts / 1000 == Time(doc) / 1000);  // Filebeat keeps milliseconds

  lines = Run("entra", "entra/test-signinlogs-raw.log");
  expected = Expected("entra/test-signinlogs-raw.log-expected.json");
  REQUIRE(lines.size() == 2);
  for (const Line& l : lines) {
    CHECK(Str(expected.at(l.offset), "event.outcome") == "failure");
    CHECK(l.result.verdict == LineVerdict::kIgnored);
  }
  lines = Run("entra", "entra/signinlogs.log");
  CHECK(Count(lines, LineVerdict::kIgnored) == lines.size());
}

TEST_CASE("google workspace sample: login_success binds, warnings and failures do not") {
  const auto lines = Run("gws", "google_workspace/login-test.json.log");
  const auto expected = Expected("google_workspace/login-test.json.log-expected.json");
  REQUIRE(lines.size() == expected.size());
  for (const Line& l : lines) {
    INFO("line " << l.number);
    const json& doc = expected.at(l.offset);
    CHECK((l.result.verdict == LineVerdict::kLogin) ==
          (Str(doc, "event.action") == "login_success"));
    if (l.result.verdict != LineVerdict::kLogin) continue;
    CHECK(l.result.login.public_ip->ToString() == Str(doc, "source.ip"));
    CHECK(l.result.login.user == Str(doc, "source.user.email"));
    CHECK(l.result.login.ts == Time(doc));
  }
  CHECK(Count(lines, LineVerdict::kLogin) == 1);
}

TEST_CASE("globalprotect sample: public and private addresses, users and times as Filebeat") {
  // Filebeat's test ran with the firewall's zone at -02:00 (event.timezone).
  AdapterOptions opt;
  opt.utc_offset_minutes = -120;
  const auto lines = Run("globalprotect", "panos/global_protect.log", opt);
  const auto expected = Expected("panos/global_protect.log-expected.json");
  REQUIRE(lines.size() == expected.size());
  CHECK(Count(lines, LineVerdict::kMalformed) == 0);
  for (const Line& l : lines) {
    INFO("line " << l.number);
    const json& doc = expected.at(l.offset);
    REQUIRE(Str(doc, "event.timezone") == "-02:00");
    if (l.result.verdict != LineVerdict::kLogin) continue;
    const VendorLogin& g = l.result.login;
    CHECK(Str(doc, "event.outcome") == "success");
    if (g.public_ip) CHECK(g.public_ip->ToString() == Str(doc, "source.nat.ip"));
    if (g.internal_ip) {
      CHECK(g.internal_ip->ToString() == Str(doc, "source.ip"));
    } else {
      const std::string s = Str(doc, "source.ip");
      CHECK((s.empty() || s == "0.0.0.0"));
    }
    // Filebeat strips the domain ("domain\user" is user.name "user"); UserMap does the same.
    // Not compared for the doubled backslash of "host\\user", which Filebeat reads as "host".
    const std::size_t slash = g.user.rfind('\\');
    if (g.user.find("\\\\") == std::string::npos) {
      CHECK((slash == std::string::npos ? g.user : g.user.substr(slash + 1)) ==
            Str(doc, "user.name"));
    }
    CHECK(g.ts == Time(doc));
  }
  CHECK(Count(lines, LineVerdict::kLogin) >= 4);
}

TEST_CASE("cisco asa samples: every line read; 113039 and 722051 bind") {
  AdapterOptions opt;
  opt.reference_time = parallax::core::Seconds(*CivilSeconds(2024, 1, 1, 0, 0, 0));
  for (const char* file :
       {"cisco_asa/test-anyconnect-messages.log", "cisco_asa/additional_messages.log"}) {
    INFO(file);
    const auto lines = Run("asa", file, opt);
    for (const Line& l : lines) {
      INFO("line " << l.number << ": " << l.result.error);
      CHECK(l.result.verdict != LineVerdict::kMalformed);
    }
  }
  const auto any = Run("asa", "cisco_asa/test-anyconnect-messages.log", opt);
  std::vector<std::string> users;
  for (const Line& l : any) {
    if (l.result.verdict == LineVerdict::kLogin) users.push_back(l.result.login.user);
  }
  // The four 113039 lines: bare and <bracketed> values, a quote inside, a blank in the group.
  CHECK(users == std::vector<std::string>{"example.user", "user-1", "first.o'last@example.com",
                                          "first.o'last@example.com"});
  const auto more = Run("asa", "cisco_asa/additional_messages.log", opt);
  std::size_t bound = 0;
  for (const Line& l : more) {
    if (l.result.verdict != LineVerdict::kLogin) continue;
    ++bound;
    CHECK(l.result.login.user == "john");  // the 722051 line
    CHECK(l.result.login.public_ip->ToString() == "192.168.50.3");
    CHECK(l.result.login.internal_ip->ToString() == "192.168.50.5");
  }
  CHECK(bound == 1);
}

TEST_CASE("fortigate sample: the SSL-VPN tunnel-up binds; IPsec negotiation, FSSO do not") {
  const auto lines = Run("fortigate", "fortigate/event.log");
  CHECK(Count(lines, LineVerdict::kMalformed) == 0);
  std::size_t bound = 0;
  for (const Line& l : lines) {
    if (l.result.verdict != LineVerdict::kLogin) continue;
    ++bound;
    CHECK(l.result.login.user == "someuser");
    CHECK(l.result.login.public_ip->ToString() == "8.8.5.4");
    CHECK(l.result.login.internal_ip->ToString() == "10.10.10.10");
    CHECK(l.result.login.ts == 1587230627698970);  // its eventtime, ns to us
  }
  CHECK(bound == 1);
}

int main(int argc, char** argv) {
  if (argc < 2 || !std::filesystem::is_directory(argv[1])) {
    std::printf("SKIP: vendor log samples not found at %s\n", argc < 2 ? "(none given)" : argv[1]);
    return 77;
  }
  g_logs = argv[1];
  // Catch sees the rest of the arguments.
  std::vector<char*> args{argv[0]};
  for (int i = 2; i < argc; ++i) args.push_back(argv[i]);
  return Catch::Session().run(static_cast<int>(args.size()), args.data());
}
