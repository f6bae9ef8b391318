#include "sensor/core/mac_address.h"
#include "sensor/record/flow_record_json.h"

#include <cmath>
#include <cstdio>
#include <limits>


namespace parallax::record {
namespace {

using OJson = nlohmann::ordered_json;
using Json = nlohmann::json;

// Thrown inside this file only (never on the packet path), turned into a Status by the parser.
struct FieldError {
  std::string message;
};

OJson HandshakeJson(const HandshakeFacts& h) {
  OJson j;
  j["ts_us"] = h.ts;
  j["ttl"] = h.ttl;
  j["df"] = h.dont_fragment;
  j["window"] = h.window;
  if (h.mss) j["mss"] = *h.mss;
  if (h.wscale) j["wscale"] = *h.wscale;
  j["sack_permitted"] = h.sack_permitted;
  j["timestamps"] = h.timestamps;
  return j;
}

OJson DirectionJson(const DirectionCounts& d) {
  return {{"pkts", d.packets}, {"bytes", d.bytes}, {"payload_bytes", d.payload_bytes},
          {"tcp_flags", d.tcp_flags}};
}

OJson ClassificationJson(const core::Classification& c) {
  OJson j;
  j["protocol"] = c.protocol;
  j["master_protocol"] = c.master_protocol;
  j["app_protocol"] = c.app_protocol;
  j["category"] = c.category;
  j["confidence"] = c.confidence;
  j["guessed"] = c.guessed;
  j["packets_inspected"] = c.packets_inspected;
  j["hostname"] = c.hostname;
  j["risks"] = c.risks;
  j["tls"] = {{"version", c.tls.version},     {"sni", c.tls.sni},
              {"alpn", c.tls.alpn},           {"ja3", c.tls.ja3_client},
              {"ja3s", c.tls.ja3_server},     {"issuerdn", c.tls.issuer_dn},
              {"subject", c.tls.subject_dn}};
  j["ssh"] = {{"client_banner", c.ssh.client_banner},
              {"server_banner", c.ssh.server_banner},
              {"hassh", c.ssh.hassh_client},
              {"hassh_server", c.ssh.hassh_server}};
  return j;
}

OJson FingerprintJson(const analyzers::Fingerprint& fp) {
  OJson j;
  j["kind"] = analyzers::KindName(fp.kind);
  j["product"] = fp.product;
  j["confidence"] = fp.confidence;
  j["analyzer"] = fp.analyzer;
  j["decided_by"] = fp.decided_by;
  j["generic"] = fp.generic;
  OJson ev = OJson::array();
  for (const auto& e : fp.evidence) ev.push_back({{"key", e.key}, {"value", e.value}});
  j["evidence"] = ev;
  if (fp.remote) {
    const auto& r = *fp.remote;
    j["remote_control"] = {{"controlled_ip", r.controlled.ToString()},
                           {"controller_ip", r.controller.ToString()},
                           {"role_basis", r.role_basis},
                           {"role_known", r.role_known},
                           {"relayed", r.relayed},
                           {"relay", r.relay},
                           {"duration_s", r.duration_s},
                           {"input_events_per_min", r.input_events_per_min},
                           {"median_input_gap_ms", r.median_input_gap_ms},
                           {"screen_bytes", r.screen_bytes},
                           {"input_bytes", r.input_bytes}};
  }
  return j;
}

// --- reading ---------------------------------------------------------------------------------

const Json& Field(const Json& obj, const std::string& path, const char* key) {
  if (!obj.is_object()) throw FieldError{path + ": expected an object"};
  auto it = obj.find(key);
  if (it == obj.end()) throw FieldError{(path.empty() ? "" : path + ".") + key + ": missing"};
  return *it;
}

std::string Path(const std::string& path, const char* key) {
  return path.empty() ? key : path + "." + key;
}

template <typename T>
T Int(const Json& obj, const std::string& path, const char* key) {
  const Json& v = Field(obj, path, key);
  const std::string p = Path(path, key);
  if constexpr (std::is_signed_v<T>) {
    if (!v.is_number_integer()) throw FieldError{p + ": expected an integer"};
    const auto x = v.get<std::int64_t>();
    if (x < std::numeric_limits<T>::min() || x > std::numeric_limits<T>::max()) {
      throw FieldError{p + ": out of range"};
    }
    return static_cast<T>(x);
  } else {
    if (!v.is_number_unsigned()) throw FieldError{p + ": expected a non-negative integer"};
    const auto x = v.get<std::uint64_t>();
    if (x > std::numeric_limits<T>::max()) throw FieldError{p + ": out of range"};
    return static_cast<T>(x);
  }
}

double Number(const Json& obj, const std::string& path, const char* key) {
  const Json& v = Field(obj, path, key);
  if (!v.is_number()) throw FieldError{Path(path, key) + ": expected a number"};
  const double d = v.get<double>();
  if (!std::isfinite(d)) throw FieldError{Path(path, key) + ": not a finite number"};
  return d;
}

bool Bool(const Json& obj, const std::string& path, const char* key) {
  const Json& v = Field(obj, path, key);
  if (!v.is_boolean()) throw FieldError{Path(path, key) + ": expected true or false"};
  return v.get<bool>();
}

std::string Text(const Json& obj, const std::string& path, const char* key) {
  const Json& v = Field(obj, path, key);
  if (!v.is_string()) throw FieldError{Path(path, key) + ": expected text"};
  return v.get<std::string>();
}

core::IpAddress Address(const Json& obj, const std::string& path, const char* key) {
  const std::string s = Text(obj, path, key);
  const auto ip = core::IpAddress::Parse(s);
  if (!ip) throw FieldError{Path(path, key) + ": not an IP address: '" + s + "'"};
  return *ip;
}

std::array<std::uint8_t, 6> ParseMac(const Json& obj, const std::string& path, const char* key) {
  const std::string s = Text(obj, path, key);
  std::array<unsigned, 6> v{};
  char tail = 0;
  if (s.size() != 17 || std::sscanf(s.c_str(), "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2],
                                    &v[3], &v[4], &v[5], &tail) != 6) {
    throw FieldError{Path(path, key) + ": not a MAC address: '" + s + "'"};
  }
  std::array<std::uint8_t, 6> m{};
  for (std::size_t i = 0; i < 6; ++i) m[i] = static_cast<std::uint8_t>(v[i]);
  return m;
}

HandshakeFacts ParseHandshake(const Json& j, const std::string& p) {
  HandshakeFacts h;
  h.seen = true;
  h.ts = Int<core::TimeUs>(j, p, "ts_us");
  h.ttl = Int<std::uint8_t>(j, p, "ttl");
  h.dont_fragment = Bool(j, p, "df");
  h.window = Int<std::uint16_t>(j, p, "window");
  if (j.contains("mss")) h.mss = Int<std::uint16_t>(j, p, "mss");
  if (j.contains("wscale")) h.wscale = Int<std::uint8_t>(j, p, "wscale");
  h.sack_permitted = Bool(j, p, "sack_permitted");
  h.timestamps = Bool(j, p, "timestamps");
  return h;
}

DirectionCounts ParseDirection(const Json& j, const std::string& p) {
  return {Int<std::uint64_t>(j, p, "pkts"), Int<std::uint64_t>(j, p, "bytes"),
          Int<std::uint64_t>(j, p, "payload_bytes"), Int<std::uint8_t>(j, p, "tcp_flags")};
}

core::Classification ParseClassification(const Json& j, const std::string& p) {
  core::Classification c;
  c.done = true;
  c.protocol = Text(j, p, "protocol");
  c.master_protocol = Text(j, p, "master_protocol");
  c.app_protocol = Text(j, p, "app_protocol");
  c.category = Text(j, p, "category");
  c.confidence = Text(j, p, "confidence");
  c.guessed = Bool(j, p, "guessed");
  c.packets_inspected = Int<std::uint32_t>(j, p, "packets_inspected");
  c.hostname = Text(j, p, "hostname");
  const Json& risks = Field(j, p, "risks");
  if (!risks.is_array()) throw FieldError{Path(p, "risks") + ": expected a list"};
  for (std::size_t i = 0; i < risks.size(); ++i) {
    if (!risks[i].is_string()) throw FieldError{Path(p, "risks") + "[" + std::to_string(i) + "]: expected text"};
    c.risks.push_back(risks[i].get<std::string>());
  }
  const Json& tls = Field(j, p, "tls");
  const std::string tp = Path(p, "tls");
  c.tls = {Text(tls, tp, "version"), Text(tls, tp, "sni"),      Text(tls, tp, "alpn"),
           Text(tls, tp, "ja3"),     Text(tls, tp, "ja3s"),     Text(tls, tp, "issuerdn"),
           Text(tls, tp, "subject")};
  const Json& ssh = Field(j, p, "ssh");
  const std::string sp = Path(p, "ssh");
  c.ssh = {Text(ssh, sp, "client_banner"), Text(ssh, sp, "server_banner"), Text(ssh, sp, "hassh"),
           Text(ssh, sp, "hassh_server")};
  return c;
}

analyzers::Kind ParseKind(const std::string& name, const std::string& p) {
  for (auto k : {analyzers::Kind::kVpn, analyzers::Kind::kRemoteDesktop,
                 analyzers::Kind::kColocatedDesktop, analyzers::Kind::kIpKvm,
                 analyzers::Kind::kTunnelInner}) {
    if (name == analyzers::KindName(k)) return k;
  }
  throw FieldError{p + ": unknown kind '" + name + "'"};
}

analyzers::Fingerprint ParseFingerprint(const Json& j, const std::string& p) {
  analyzers::Fingerprint fp;
  fp.kind = ParseKind(Text(j, p, "kind"), Path(p, "kind"));
  fp.product = Text(j, p, "product");
  fp.confidence = Number(j, p, "confidence");
  fp.analyzer = Text(j, p, "analyzer");
  fp.decided_by = Text(j, p, "decided_by");
  fp.generic = Bool(j, p, "generic");
  const Json& ev = Field(j, p, "evidence");
  if (!ev.is_array()) throw FieldError{Path(p, "evidence") + ": expected a list"};
  for (std::size_t i = 0; i < ev.size(); ++i) {
    const std::string ep = Path(p, "evidence") + "[" + std::to_string(i) + "]";
    fp.evidence.push_back({Text(ev[i], ep, "key"), Text(ev[i], ep, "value")});
  }
  if (j.contains("remote_control")) {
    const Json& r = j["remote_control"];
    const std::string rp = Path(p, "remote_control");
    analyzers::RemoteControl rc;
    rc.controlled = Address(r, rp, "controlled_ip");
    rc.controller = Address(r, rp, "controller_ip");
    rc.role_basis = Text(r, rp, "role_basis");
    rc.role_known = Bool(r, rp, "role_known");
    rc.relayed = Bool(r, rp, "relayed");
    rc.relay = Text(r, rp, "relay");
    rc.duration_s = Number(r, rp, "duration_s");
    rc.input_events_per_min = Number(r, rp, "input_events_per_min");
    rc.median_input_gap_ms = Number(r, rp, "median_input_gap_ms");
    rc.screen_bytes = Int<std::uint64_t>(r, rp, "screen_bytes");
    rc.input_bytes = Int<std::uint64_t>(r, rp, "input_bytes");
    fp.remote = rc;
  }
  return fp;
}

core::FlowEndReason ParseReason(const std::string& name) {
  using R = core::FlowEndReason;
  for (R r : {R::kIdleTimeout, R::kTcpFin, R::kTcpRst, R::kActiveTimeout, R::kEvicted,
              R::kPortReuse, R::kShutdown}) {
    if (name == core::FlowEndReasonName(r)) return r;
  }
  throw FieldError{"reason: unknown end reason '" + name + "'"};
}

core::Encap ParseEncap(const std::string& name) {
  using E = core::Encap;
  for (E e : {E::kIpInIp, E::kGre, E::kErspan, E::kVxlan}) {
    if (name == core::EncapName(e)) return e;
  }
  throw FieldError{"tunnel.type: unknown tunnel type '" + name + "'"};
}

void Parse(const Json& j, FlowRecord* r) {
  if (!j.is_object()) throw FieldError{"expected a JSON object"};
  if (Text(j, "", "record") != "flow") throw FieldError{"record: expected \"flow\""};
  r->version = Int<int>(j, "", "version");
  if (r->version < 1 || r->version > kFlowRecordVersion) {
    throw FieldError{"version: " + std::to_string(r->version) + " is not supported (this build reads 1 to " +
                     std::to_string(kFlowRecordVersion) + ")"};
  }
  const Json& s = Field(j, "", "sensor");
  r->sensor.id = Text(s, "sensor", "id");
  if (s.contains("latitude") || s.contains("longitude")) {
    const double lat = Number(s, "sensor", "latitude"), lon = Number(s, "sensor", "longitude");
    if (lat < -90 || lat > 90 || lon < -180 || lon > 180) {
      throw FieldError{"sensor: latitude/longitude out of range"};
    }
    r->sensor.latitude = lat;
    r->sensor.longitude = lon;
  }
  r->flow_id = Int<std::uint64_t>(j, "", "flow_id");
  r->community_id = Text(j, "", "community_id");
  r->orig_addr = Address(j, "", "src_ip");
  r->resp_addr = Address(j, "", "dest_ip");
  r->proto = Int<std::uint8_t>(j, "", "proto");
  r->has_ports = j.contains("src_port") || j.contains("dest_port");
  if (r->has_ports) {
    r->orig_port = Int<std::uint16_t>(j, "", "src_port");
    r->resp_port = Int<std::uint16_t>(j, "", "dest_port");
  }
  if (j.contains("ether")) {
    r->has_mac = true;
    r->orig_mac = ParseMac(j["ether"], "ether", "src_mac");
    r->resp_mac = ParseMac(j["ether"], "ether", "dest_mac");
  }
  if (j.contains("tunnel")) {
    r->tunnel = ParseEncap(Text(j["tunnel"], "tunnel", "type"));
    r->tunnel_src = Address(j["tunnel"], "tunnel", "src_ip");
    r->tunnel_dst = Address(j["tunnel"], "tunnel", "dest_ip");
  }
  r->first_ts = Int<core::TimeUs>(j, "", "start_us");
  r->last_ts = Int<core::TimeUs>(j, "", "end_us");
  if (!core::InTimeRange(r->first_ts) || !core::InTimeRange(r->last_ts) ||
      r->last_ts < r->first_ts) {
    throw FieldError{"start_us/end_us: out of range or end before start"};
  }
  r->end_reason = ParseReason(Text(j, "", "reason"));
  r->dir[0] = ParseDirection(Field(j, "", "toserver"), "toserver");
  r->dir[1] = ParseDirection(Field(j, "", "toclient"), "toclient");
  const Json& rtt = Field(j, "", "rtt_us");
  r->responder_rtt_us = rtt.contains("responder") ? Int<core::TimeUs>(rtt, "rtt_us", "responder") : -1;
  r->originator_rtt_us =
      rtt.contains("originator") ? Int<core::TimeUs>(rtt, "rtt_us", "originator") : -1;
  if (j.contains("syn")) r->syn = ParseHandshake(j["syn"], "syn");
  if (j.contains("synack")) r->synack = ParseHandshake(j["synack"], "synack");
  r->classification = ParseClassification(Field(j, "", "app"), "app");
  const Json& fps = Field(j, "", "fingerprints");
  if (!fps.is_array()) throw FieldError{"fingerprints: expected a list"};
  for (std::size_t i = 0; i < fps.size(); ++i) {
    r->fingerprints.push_back(ParseFingerprint(fps[i], "fingerprints[" + std::to_string(i) + "]"));
  }
}

}  // namespace

OJson FlowRecordJson(const FlowRecord& r) {
  OJson j;
  j["record"] = "flow";
  j["version"] = r.version;
  OJson s;
  s["id"] = r.sensor.id;
  if (r.sensor.latitude && r.sensor.longitude) {
    s["latitude"] = *r.sensor.latitude;
    s["longitude"] = *r.sensor.longitude;
  }
  j["sensor"] = s;
  j["flow_id"] = r.flow_id;
  j["community_id"] = r.community_id;
  j["src_ip"] = r.orig_addr.ToString();
  if (r.has_ports) j["src_port"] = r.orig_port;
  j["dest_ip"] = r.resp_addr.ToString();
  if (r.has_ports) j["dest_port"] = r.resp_port;
  j["proto"] = r.proto;
  if (r.has_mac) j["ether"] = {{"src_mac", core::MacToString(r.orig_mac)}, {"dest_mac", core::MacToString(r.resp_mac)}};
  if (r.tunnel != core::Encap::kNone) {
    j["tunnel"] = {{"type", core::EncapName(r.tunnel)},
                   {"src_ip", r.tunnel_src.ToString()},
                   {"dest_ip", r.tunnel_dst.ToString()}};
  }
  j["start_us"] = r.first_ts;
  j["end_us"] = r.last_ts;
  j["reason"] = core::FlowEndReasonName(r.end_reason);
  j["toserver"] = DirectionJson(r.dir[0]);
  j["toclient"] = DirectionJson(r.dir[1]);
  OJson rtt = OJson::object();
  if (r.responder_rtt_us >= 0) rtt["responder"] = r.responder_rtt_us;
  if (r.originator_rtt_us >= 0) rtt["originator"] = r.originator_rtt_us;
  j["rtt_us"] = rtt;
  if (r.syn.seen) j["syn"] = HandshakeJson(r.syn);
  if (r.synack.seen) j["synack"] = HandshakeJson(r.synack);
  j["app"] = ClassificationJson(r.classification);
  OJson fps = OJson::array();
  for (const auto& fp : r.fingerprints) fps.push_back(FingerprintJson(fp));
  j["fingerprints"] = fps;
  return j;
}

std::string FlowRecordLine(const FlowRecord& r) {
  return FlowRecordJson(r).dump(-1, ' ', false, OJson::error_handler_t::replace);
}

core::Status ParseFlowRecord(std::string_view line, FlowRecord* out) {
  const Json j = Json::parse(line.begin(), line.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return core::Status::Error("not valid JSON");
  FlowRecord r;
  try {
    Parse(j, &r);
  } catch (const FieldError& e) {
    return core::Status::Error(e.message);
  } catch (const Json::exception& e) {  // a type the checks above did not foresee
    return core::Status::Error(e.what());
  }
  *out = std::move(r);
  return core::Status::Ok();
}

}  // namespace parallax::record
