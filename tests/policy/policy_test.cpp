// The policy file (docs/policy.md): every loader error with its line and field, and the matching
// of sanctioned networks and suppression rules.
#include <catch2/catch.hpp>

#include <fstream>
#include <string>
#include <vector>

#include "sensor/divergence/alert.h"
#include "sensor/policy/policy.h"
#include "sensor/roster/rfc3339.h"

using parallax::core::IpAddress;
using parallax::policy::Policy;
using parallax::policy::PolicyProblem;
using parallax::policy::Subject;

namespace {

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = std::string(PARALLAX_TEST_TMP) + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

struct Loaded {
  bool ok = false;
  std::string message;
  Policy policy;
  std::vector<PolicyProblem> problems;
};

Loaded Load(const std::string& text, const std::string& name = "policy.yaml") {
  Loaded l;
  const auto s = Policy::Load(WriteTemp(name, text), &l.policy, &l.problems);
  l.ok = s.ok();
  l.message = s.message();
  return l;
}

std::string All(const std::vector<PolicyProblem>& v) {
  std::string s;
  for (const auto& p : v) s += p.ToString() + "\n";
  return s;
}

IpAddress Ip(const char* text) { return *IpAddress::Parse(text); }

parallax::core::TimeUs Time(const char* text) {
  std::string error;
  return *parallax::roster::ParseRfc3339(text, &error);
}

// A rule with its fields and nothing else, for the matching tests.
parallax::policy::Suppression Rule(std::string id, std::string contractor, std::string kind) {
  parallax::policy::Suppression s;
  s.id = std::move(id);
  s.contractor = std::move(contractor);
  s.kind = std::move(kind);
  s.reason = "r";
  s.who = "w";
  return s;
}

parallax::policy::NetworkSelector Net(const char* cidr_or_asn) {
  Loaded l = Load(std::string("sanctioned_networks:\n  - {network: \"") + cidr_or_asn +
                  "\", name: n}\n");
  REQUIRE(l.ok);
  return l.policy.sanctioned().at(0).selector;
}

}  // namespace

TEST_CASE("the sample policy in config/ loads with its documented rules") {
  Policy p;
  std::vector<PolicyProblem> problems;
  const auto s = Policy::Load(std::string(PARALLAX_CONFIG_DIR) + "/policy.yaml", &p, &problems);
  INFO(All(problems));
  REQUIRE(s.ok());
  REQUIRE(p.sanctioned().size() == 3);
  CHECK(p.sanctioned()[0].selector.ToString() == "10.20.0.0/16");
  CHECK(p.sanctioned()[0].name == "corporate VPN pool");
  CHECK(p.sanctioned()[0].line == 9);
  CHECK(p.sanctioned()[1].selector.ToString() == "198.51.100.7/32");
  CHECK(p.sanctioned()[1].reason.empty());
  CHECK(p.sanctioned()[2].selector.asn == 16509);
  REQUIRE(p.suppressions().size() == 2);
  const auto& r = p.suppressions()[0];
  CHECK(r.id == "SEC-1234");
  CHECK(r.contractor == "c9");
  CHECK(r.kind == "colocated_desktop");
  REQUIRE(r.networks.size() == 2);
  CHECK(r.networks[0].ToString() == "203.0.113.0/24");
  CHECK(r.networks[1].ToString() == "AS64500");
  REQUIRE(r.expires);
  CHECK(*r.expires == Time("2027-01-31T00:00:00Z"));
  CHECK(r.reason == "sanctioned jump host for the migration project");
  CHECK(r.who == "alice (SOC)");
  // No id: the rule is named by its line.
  CHECK(p.suppressions()[1].id == "line 30");
  CHECK(p.suppressions()[1].networks.empty());
  CHECK_FALSE(p.suppressions()[1].expires);
}

TEST_CASE("the eight alert kinds a rule may name are the engine's") {
  using parallax::divergence::AlertKind;
  std::vector<std::string> engine;
  for (int k = 0; k <= static_cast<int>(AlertKind::kImpossibleTravel); ++k) {
    engine.push_back(parallax::divergence::AlertKindName(static_cast<AlertKind>(k)));
  }
  std::vector<std::string> policy;
  for (auto k : parallax::policy::AlertKindNames()) policy.emplace_back(k);
  CHECK(policy == engine);
}

TEST_CASE("each loader error names the file, line and field") {
  struct Case {
    const char* text;
    const char* expect;  // the whole problem, file name included
  };
  const Case cases[] = {
      {"sanctioned_networks:\n  - network: 10.0.0.0/8\n    name: vpn\n    colour: red\n",
       "policy.yaml:4: sanctioned_networks[0].colour: unknown key (expected network, name, "
       "reason; docs/policy.md)"},
      {"suppresions:\n  - kind: off_hours\n",
       "policy.yaml:1: suppresions: unknown key (expected sanctioned_networks, suppressions; "
       "docs/policy.md)"},
      {"suppressions:\n  - kind: off_hours\n    reason: a\n    who: b\n    kind: shared_egress\n",
       "policy.yaml:5: suppressions[0].kind: given twice (first on line 2)"},
      {"suppressions: []\nsuppressions: []\n",
       "policy.yaml:2: suppressions: given twice (first on line 1)"},
      {"suppressions:\n  kind: off_hours\n", "policy.yaml:2: suppressions: expected a list"},
      {"suppressions:\n  - off_hours\n",
       "policy.yaml:2: suppressions[0]: expected a mapping (id, contractor, kind, networks, "
       "expires, reason, who)"},
      {"suppressions:\n  - kind: [off_hours]\n    reason: a\n    who: b\n",
       "policy.yaml:2: suppressions[0].kind: expected a single value, not a list or mapping"},
      {"suppressions:\n  - kind: off_hours\n    networks: {a: b}\n    reason: a\n    who: b\n",
       "policy.yaml:3: suppressions[0].networks: expected a list of CIDRs, addresses or ASNs"},
      {"sanctioned_networks:\n  - network: 10.0.0.5/24\n    name: vpn\n",
       "policy.yaml:2: sanctioned_networks[0].network: '10.0.0.5/24' has host bits set (did you "
       "mean 10.0.0.0/24?); expected an address, a CIDR or an ASN such as AS64500"},
      {"sanctioned_networks:\n  - network: 10.0.0.0/33\n    name: vpn\n",
       "policy.yaml:2: sanctioned_networks[0].network: bad prefix length in '10.0.0.0/33' (0 to "
       "32); expected an address, a CIDR or an ASN such as AS64500"},
      {"sanctioned_networks:\n  - network: 300.1.2.3\n    name: vpn\n",
       "policy.yaml:2: sanctioned_networks[0].network: not an IP address or CIDR ('300.1.2.3'); "
       "expected an address, a CIDR or an ASN such as AS64500"},
      {"suppressions:\n  - kind: off_hours\n    networks:\n      - 192.0.2.0/24\n      - "
       "AS12x\n    reason: a\n    who: b\n",
       "policy.yaml:5: suppressions[0].networks[1]: not an ASN ('AS12x'; AS1 to AS4294967295)"},
      {"sanctioned_networks:\n  - {network: AS0, name: nobody}\n",
       "policy.yaml:2: sanctioned_networks[0].network: not an ASN ('AS0'; AS1 to AS4294967295)"},
      {"sanctioned_networks:\n  - {network: AS4294967296, name: too big}\n",
       "policy.yaml:2: sanctioned_networks[0].network: not an ASN ('AS4294967296'; AS1 to "
       "AS4294967295)"},
      {"suppressions:\n  - kind: off_hours\n    expires: 2027-02-30T00:00:00Z\n    reason: a\n"
       "    who: b\n",
       "policy.yaml:3: suppressions[0].expires: not an RFC 3339 time ('2027-02-30T00:00:00Z'): "},
      {"suppressions:\n  - kind: off_hours\n    expires: next tuesday\n    reason: a\n    who: b\n",
       "policy.yaml:3: suppressions[0].expires: not an RFC 3339 time ('next tuesday'): "},
      {"suppressions:\n  - kind: colocated_dekstop\n    reason: a\n    who: b\n",
       "policy.yaml:2: suppressions[0].kind: unknown alert kind 'colocated_dekstop' (expected one "
       "of location_mismatch, anonymized_egress, latency_inconsistent, remote_controlled_device, "
       "colocated_desktop, shared_egress, off_hours, impossible_travel)"},
      {"suppressions:\n  - kind: off_hours\n    who: b\n",
       "policy.yaml:2: suppressions[0].reason: missing: why the finding is accepted"},
      {"suppressions:\n  - kind: off_hours\n    reason: a\n",
       "policy.yaml:2: suppressions[0].who: missing: the analyst or ticket that decided"},
      {"suppressions:\n  - kind: off_hours\n    reason: a\n    who:\n",
       "policy.yaml:4: suppressions[0].who: no value (leave the key out instead)"},
      {"suppressions:\n  - kind: off_hours\n    reason: \"  \"\n    who: b\n",
       "policy.yaml:3: suppressions[0].reason: empty (leave the key out instead)"},
      {"suppressions:\n  - reason: a\n    who: b\n",
       "policy.yaml:2: suppressions[0]: matches every finding: give at least one of contractor, "
       "kind or networks"},
      {"suppressions:\n  - {id: X-1, kind: off_hours, reason: a, who: b}\n"
       "  - {id: X-1, kind: shared_egress, reason: a, who: b}\n",
       "policy.yaml:3: suppressions[1].id: 'X-1' is used by an earlier rule"},
      {"suppressions:\n  - kind: off_hours\n    networks: []\n    reason: a\n    who: b\n",
       "policy.yaml:3: suppressions[0].networks: empty list (leave the key out for any address)"},
      {"sanctioned_networks:\n  - name: vpn\n",
       "policy.yaml:2: sanctioned_networks[0].network: missing: the CIDR, address or ASN"},
      {"sanctioned_networks:\n  - network: 10.0.0.0/8\n",
       "policy.yaml:2: sanctioned_networks[0].name: missing: what the network is (it is shown in "
       "evidence)"},
      {"", "policy.yaml: the file is empty (docs/policy.md)"},
      {"# only a comment\n\n", "policy.yaml: the file is empty (docs/policy.md)"},
      {"- a\n- b\n",
       "policy.yaml:1: expected a mapping with sanctioned_networks and suppressions"},
      {"suppressions:\n  - kind: off_hours\n    reason: [a\n", "policy.yaml:4: column 1: "},
  };
  for (const auto& c : cases) {
    const Loaded l = Load(c.text);
    INFO(c.text);
    INFO(All(l.problems));
    REQUIRE_FALSE(l.ok);
    REQUIRE(l.problems.size() == 1);
    const std::string got = l.problems[0].ToString();
    const std::string want = std::string(PARALLAX_TEST_TMP) + "/" + c.expect;
    CHECK(got.substr(0, want.size()) == want);
    CHECK(l.message.find(want) == 0);
  }
}

TEST_CASE("every problem of a file is collected, in line order, and the policy is not used") {
  Policy before;
  before.AddSuppression(Rule("kept", "c1", "off_hours"));
  std::vector<PolicyProblem> problems;
  const std::string path = WriteTemp("many.yaml",
                                     "sanctioned_networks:\n"             // 1
                                     "  - network: 10.0.0.1/8\n"          // 2 host bits
                                     "    name: vpn\n"                    // 3
                                     "suppressions:\n"                    // 4
                                     "  - kind: off_hour\n"               // 5 unknown kind
                                     "    reason: a\n"                    // 6
                                     "    who: b\n"                       // 7
                                     "    expires: soon\n"                // 8 bad time
                                     "  - contractor: c2\n"               // 9 no reason, no who
                                     "    colour: red\n");                // 10 unknown key
  const auto s = Policy::Load(path, &before, &problems);
  INFO(All(problems));
  REQUIRE_FALSE(s.ok());
  REQUIRE(problems.size() == 6);
  const std::vector<std::pair<std::size_t, std::string>> want = {
      {2, "sanctioned_networks[0].network"}, {5, "suppressions[0].kind"},
      {8, "suppressions[0].expires"},        {9, "suppressions[1].reason"},
      {9, "suppressions[1].who"},            {10, "suppressions[1].colour"}};
  for (std::size_t i = 0; i < want.size(); ++i) {
    CHECK(problems[i].line == want[i].first);
    CHECK(problems[i].field == want[i].second);
    CHECK(problems[i].file == path);
  }
  CHECK(s.message().find("(and 5 more problems)") != std::string::npos);
  // The policy passed in is left as it was.
  REQUIRE(before.suppressions().size() == 1);
  CHECK(before.suppressions()[0].id == "kept");
}

TEST_CASE("a missing file or a folder is a problem naming it") {
  Policy p;
  std::vector<PolicyProblem> problems;
  CHECK_FALSE(Policy::Load("/nonexistent/policy.yaml", &p, &problems).ok());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].ToString().rfind("/nonexistent/policy.yaml: cannot open: ", 0) == 0);
  problems.clear();
  CHECK_FALSE(Policy::Load(PARALLAX_TEST_TMP, &p, &problems).ok());
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].message == "is a directory");
}

TEST_CASE("an expired rule loads and stops applying at its expiry") {
  const Loaded l = Load(
      "suppressions:\n"
      "  - {id: old, contractor: c1, kind: off_hours, expires: 2020-01-01T00:00:00Z, reason: a, "
      "who: b}\n");
  INFO(All(l.problems));
  REQUIRE(l.ok);
  const auto& p = l.policy;
  REQUIRE(p.suppressions().size() == 1);
  const auto expiry = Time("2020-01-01T00:00:00Z");
  CHECK(p.Suppressing("c1", "off_hours", {}, expiry - 1) == &p.suppressions()[0]);
  CHECK(p.Suppressing("c1", "off_hours", {}, expiry) == nullptr);
  CHECK(p.Suppressing("c1", "off_hours", {}, expiry + parallax::core::Seconds(86400)) == nullptr);
}

TEST_CASE("a rule matches by contractor, kind and network; the first that matches wins") {
  Policy p;
  auto by_net = Rule("net", "c1", "colocated_desktop");
  by_net.networks = {Net("203.0.113.0/24"), Net("AS64500"), Net("2001:db8::/32")};
  p.AddSuppression(by_net);
  p.AddSuppression(Rule("kind", "", "off_hours"));
  p.AddSuppression(Rule("contractor", "c2", ""));
  const auto t = Time("2026-06-01T12:00:00Z");
  const std::vector<Subject> in_cidr = {{Ip("198.51.100.1"), 0}, {Ip("203.0.113.9"), 0}};
  const std::vector<Subject> in_asn = {{Ip("192.0.2.1"), 64500}};
  const std::vector<Subject> in_v6 = {{Ip("2001:db8::5"), 0}};
  const std::vector<Subject> elsewhere = {{Ip("192.0.2.1"), 64501}, {Ip("2001:db9::5"), 0}};

  auto id = [&](std::string_view c, std::string_view k, const std::vector<Subject>& s) {
    const auto* r = p.Suppressing(c, k, s, t);
    return r ? r->id : std::string("-");
  };
  CHECK(id("c1", "colocated_desktop", in_cidr) == "net");
  CHECK(id("c1", "colocated_desktop", in_asn) == "net");
  CHECK(id("c1", "colocated_desktop", in_v6) == "net");
  CHECK(id("c1", "colocated_desktop", elsewhere) == "-");
  CHECK(id("c1", "colocated_desktop", {}) == "-");          // a network rule needs a subject
  CHECK(id("c3", "colocated_desktop", in_cidr) == "-");     // another contractor
  CHECK(id("c1", "shared_egress", in_cidr) == "-");         // another kind
  CHECK(id("c7", "off_hours", {}) == "kind");               // any contractor
  CHECK(id("c2", "location_mismatch", elsewhere) == "contractor");  // any kind, any address
  CHECK(id("c2", "off_hours", {}) == "kind");               // the first rule that matches
}

TEST_CASE("sanctioned lookups: by CIDR, by single address, by ASN, per family") {
  const Loaded l = Load(
      "sanctioned_networks:\n"
      "  - {network: 10.20.0.0/16, name: vpn pool}\n"
      "  - {network: 198.51.100.7, name: jump host}\n"
      "  - {network: as16509, name: aws}\n"
      "  - {network: \"2001:db8:10::/48\", name: v6 pool}\n"
      "  - {network: 0.0.0.0/0, name: everything v4}\n");
  INFO(All(l.problems));
  REQUIRE(l.ok);
  const auto& p = l.policy;
  auto name = [&](const char* ip, std::uint32_t asn) {
    const auto* n = p.Sanctioned(Ip(ip), asn);
    return n ? n->name : std::string("-");
  };
  CHECK(name("10.20.255.1", 0) == "vpn pool");
  CHECK(name("198.51.100.7", 0) == "jump host");
  CHECK(name("52.1.2.3", 16509) == "aws");
  CHECK(name("2001:db8:10:ffff::1", 0) == "v6 pool");
  CHECK(name("2001:db8:11::1", 16509) == "aws");  // ASN, whatever the family
  CHECK(name("2001:db8:11::1", 0) == "-");        // 0.0.0.0/0 holds no IPv6 address
  CHECK(name("10.21.0.1", 0) == "everything v4");
  CHECK(p.sanctioned()[2].selector.ToString() == "AS16509");
  CHECK(p.sanctioned()[1].selector.ToString() == "198.51.100.7/32");
}

TEST_CASE("an ASN that is unknown for an address (0) never matches an ASN selector") {
  Policy p;
  auto r = Rule("asn", "", "anonymized_egress");
  r.networks = {Net("AS64500")};
  p.AddSuppression(r);
  CHECK(p.Suppressing("c1", "anonymized_egress", {{Ip("192.0.2.1"), 0}}, 0) == nullptr);
  CHECK(p.Suppressing("c1", "anonymized_egress", {{Ip("192.0.2.1"), 64500}}, 0) != nullptr);
}
