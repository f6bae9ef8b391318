#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>

#include "sensor/record/flow_record.h"
#include "sensor/record/flow_record_json.h"

using parallax::core::IpAddress;
using parallax::record::FlowRecord;
using parallax::record::FlowRecordLine;
using parallax::record::ParseFlowRecord;

namespace {

IpAddress Ip(const char* s) { return *IpAddress::Parse(s); }

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Every field set, with values a lossy encoding would change.
FlowRecord Full() {
  FlowRecord r;
  r.sensor = {"gw-east-1", 40.7128, -74.0060};
  r.flow_id = std::numeric_limits<std::uint64_t>::max() - 7;
  r.community_id = "1:LQU9qZlK+B5F3KDmev6m5PMibrg=";
  r.orig_addr = Ip("2001:db8::7");
  r.resp_addr = Ip("2001:db8:ffff::1");
  r.has_ports = true;
  r.orig_port = 65535;
  r.resp_port = 7070;
  r.proto = 6;
  r.has_mac = true;
  r.orig_mac = {0x02, 0x50, 0x41, 0x00, 0x20, 0xfe};
  r.resp_mac = {0xff, 0, 0, 0, 0, 1};
  r.tunnel = parallax::core::Encap::kVxlan;
  r.tunnel_src = Ip("10.0.0.1");
  r.tunnel_dst = Ip("10.0.0.2");
  r.first_ts = 1769445000123456;
  r.last_ts = 1769448600654321;
  r.end_reason = parallax::core::FlowEndReason::kTcpRst;
  r.dir[0] = {12, 3456, 789, 0x1b};
  r.dir[1] = {9'000'000'000ULL, 12'000'000'000ULL, 11'000'000'000ULL, 0x12};
  r.responder_rtt_us = 300;
  r.originator_rtt_us = 150'245;
  r.syn = {true, 1769445000123456, 116, true, 64240, 1460, 8, true, false};
  r.synack = {true, 1769445000123756, 64, false, 65160, std::nullopt, std::nullopt, false, true};
  auto& c = r.classification;
  c.done = true;
  c.protocol = "TLS.AnyDesk";
  c.master_protocol = "TLS";
  c.app_protocol = "AnyDesk";
  c.category = "RemoteAccess";
  c.confidence = "DPI";
  c.guessed = false;
  c.packets_inspected = 7;
  c.hostname = "relay-1.net.anydesk.com";
  c.risks = {"Known Proto on Non Std Port", "TLS (probably) Not Carrying HTTPS"};
  c.tls = {"TLSv1.2", "relay-1.net.anydesk.com", "", "abc", "def", "CN=AnyNet Root", "CN=relay"};
  c.ssh = {"SSH-2.0-OpenSSH_9.6", "SSH-2.0-dropbear", "h1", "h2"};
  parallax::analyzers::Fingerprint fp;
  fp.kind = parallax::analyzers::Kind::kRemoteDesktop;
  fp.product = "AnyDesk";
  fp.confidence = 0.1 + 0.2;  // 0.30000000000000004: must come back bit for bit
  fp.analyzer = "anydesk";
  fp.decided_by = "ndpi";
  fp.Add("sni", "relay-1.net.anydesk.com");
  fp.Add("payload", "quote \" backslash \\ tab \t");
  parallax::analyzers::RemoteControl rc;
  rc.controlled = Ip("2001:db8::7");
  rc.controller = Ip("203.0.113.9");
  rc.role_basis = "bytes ratio 14.2";
  rc.role_known = true;
  rc.relayed = true;
  rc.relay = "AnyDesk relay (AS 12345)";
  rc.duration_s = 1e-300;
  rc.input_events_per_min = 123.456789012345678;
  rc.median_input_gap_ms = 1.0 / 3.0;
  rc.screen_bytes = 1'200'000;
  rc.input_bytes = 85'000;
  fp.remote = rc;
  r.fingerprints.push_back(fp);
  parallax::analyzers::Fingerprint vpn;
  vpn.kind = parallax::analyzers::Kind::kTunnelInner;
  vpn.product = "encrypted tunnel";
  vpn.generic = true;
  r.fingerprints.push_back(vpn);
  return r;
}

}  // namespace

TEST_CASE("a flow record reads back from its JSON line exactly") {
  const FlowRecord r = Full();
  const std::string line = FlowRecordLine(r);
  FlowRecord back;
  const auto st = ParseFlowRecord(line, &back);
  INFO(st.message());
  REQUIRE(st.ok());
  CHECK(FlowRecordLine(back) == line);  // a fixed point: nothing lost, nothing added
  CHECK(back.sensor.id == "gw-east-1");
  CHECK(SameBits(*back.sensor.latitude, 40.7128));
  CHECK(back.flow_id == r.flow_id);
  CHECK(back.orig_addr == r.orig_addr);
  CHECK(back.resp_port == 7070);
  CHECK(back.orig_mac == r.orig_mac);
  CHECK(back.tunnel == parallax::core::Encap::kVxlan);
  CHECK(back.first_ts == r.first_ts);
  CHECK(back.last_ts == r.last_ts);
  CHECK(back.end_reason == parallax::core::FlowEndReason::kTcpRst);
  CHECK(back.dir[1].bytes == 12'000'000'000ULL);
  CHECK(back.dir[0].tcp_flags == 0x1b);
  CHECK(back.responder_rtt_us == 300);
  CHECK(back.originator_rtt_us == 150'245);
  CHECK(back.syn.mss == std::optional<std::uint16_t>(1460));
  CHECK_FALSE(back.synack.mss.has_value());
  CHECK(back.synack.timestamps);
  CHECK(back.classification.risks == r.classification.risks);
  CHECK(back.classification.ssh.hassh_server == "h2");
  REQUIRE(back.fingerprints.size() == 2);
  const auto& fp = back.fingerprints[0];
  CHECK(SameBits(fp.confidence, 0.1 + 0.2));
  CHECK(fp.evidence[1].value == "quote \" backslash \\ tab \t");
  REQUIRE(fp.remote.has_value());
  CHECK(SameBits(fp.remote->duration_s, 1e-300));
  CHECK(SameBits(fp.remote->input_events_per_min, 123.456789012345678));
  CHECK(SameBits(fp.remote->median_input_gap_ms, 1.0 / 3.0));
  CHECK(fp.remote->controller == Ip("203.0.113.9"));
  CHECK(fp.remote->relayed);
  CHECK(back.fingerprints[1].generic);
  CHECK_FALSE(back.fingerprints[1].remote.has_value());
}

TEST_CASE("a minimal record (ICMP, no handshake, no fingerprints) reads back as written") {
  FlowRecord r;
  r.orig_addr = Ip("192.0.2.1");
  r.resp_addr = Ip("198.51.100.2");
  r.proto = 1;
  r.first_ts = r.last_ts = 1'000'000;
  FlowRecord back;
  REQUIRE(ParseFlowRecord(FlowRecordLine(r), &back).ok());
  CHECK_FALSE(back.has_ports);
  CHECK_FALSE(back.has_mac);
  CHECK_FALSE(back.syn.seen);
  CHECK(back.responder_rtt_us == -1);
  CHECK(back.originator_rtt_us == -1);
  CHECK_FALSE(back.sensor.latitude.has_value());
  CHECK(FlowRecordLine(back) == FlowRecordLine(r));
}

TEST_CASE("a bad record is refused with the field that is wrong") {
  const std::string good = FlowRecordLine(Full());
  auto with = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const auto at = s.find(from);
    REQUIRE(at != std::string::npos);
    return s.replace(at, from.size(), to);
  };
  struct Case {
    std::string line;
    const char* expect;
  };
  const Case cases[] = {
      {"not json", "not valid JSON"},
      {"[1,2]", "expected a JSON object"},
      {with("\"version\":1", "\"version\":2"), "version: 2 is not supported"},
      {with("\"record\":\"flow\"", "\"record\":\"alert\""), "record: expected \"flow\""},
      {with("\"src_ip\":\"2001:db8::7\"", "\"src_ip\":\"2001:db8::zz\""),
       "src_ip: not an IP address: '2001:db8::zz'"},
      {with("\"dest_port\":7070", "\"dest_port\":70000"), "dest_port: out of range"},
      {with("\"start_us\":1769445000123456", "\"start_us\":\"soon\""), "start_us: expected an integer"},
      {with("\"kind\":\"remote_desktop\"", "\"kind\":\"teleporter\""),
       "fingerprints[0].kind: unknown kind 'teleporter'"},
      {with("\"reason\":\"tcp_rst\"", "\"reason\":\"boredom\""), "reason: unknown end reason 'boredom'"},
      {with("\"ttl\":116,", ""), "syn.ttl: missing"},
      {with("\"toserver\":{\"pkts\":12", "\"toserver\":{\"pkts\":-12"),
       "toserver.pkts: expected a non-negative integer"},
      {with("\"confidence\":0.30000000000000004", "\"confidence\":true"),
       "fingerprints[0].confidence: expected a number"},
      {with("\"src_mac\":\"02:50:41:00:20:fe\"", "\"src_mac\":\"02:50:41:00:20\""),
       "ether.src_mac: not a MAC address"},
      {with("\"latitude\":40.7128", "\"latitude\":140.7128"), "sensor: latitude/longitude out of range"},
      {with("\"end_us\":1769448600654321", "\"end_us\":1"), "end before start"},
  };
  for (const auto& c : cases) {
    FlowRecord r;
    const auto st = ParseFlowRecord(c.line, &r);
    INFO(c.line.substr(0, 200));
    INFO(st.message());
    REQUIRE_FALSE(st.ok());
    CHECK(st.message().find(c.expect) != std::string::npos);
  }
}
