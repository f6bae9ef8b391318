#include "sensor/daemon/daemon_config.h"

#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>
#include <set>
#include <stdexcept>
#include <vector>

#include "sensor/daemon/http_endpoint.h"
#include "sensor/output/event_types.h"

namespace parallax::daemon {
namespace {

// Thrown only inside this file (configuration, never the packet path) and turned into a Status,
// for what leaves nothing to check (no file, not YAML); everything else is a Problem and the
// loading goes on, so one run names every problem.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

using Problems = std::vector<std::string>;

std::string Where(const std::string& file, const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  if (m.line < 0) return file;
  return file + ":" + std::to_string(m.line + 1) + ":" + std::to_string(m.column + 1);
}

// A mapping whose keys are read one by one; Done() rejects what nobody asked for. A value that
// is wrong is a problem (added to `problems`) and leaves the default in place.
class Section {
 public:
  Section(const std::string& file, const YAML::Node& node, std::string name, Problems* problems)
      : file_(file), node_(node), name_(std::move(name)), problems_(problems) {
    if (node_ && !node_.IsMap()) {
      Fail(node_, name_ + ": expected a mapping");
      node_ = YAML::Node();  // nothing in it can be read
      return;
    }
    // yaml-cpp keeps both of `{workers: 2, workers: 3}` and answers the first: a silent choice.
    std::set<std::string> keys;
    for (const auto& kv : node_) {
      if (kv.first.IsScalar() && !keys.insert(kv.first.Scalar()).second) {
        Fail(kv.first, "'" + Key(kv.first.Scalar().c_str()) + "' is given twice");
      }
    }
  }

  void Fail(const YAML::Node& n, const std::string& msg) const {
    problems_->push_back(Where(file_, n) + ": " + msg);
  }

  YAML::Node Get(const char* key) {
    seen_.insert(key);
    if (!node_) return YAML::Node();
    return node_[key];
  }

  template <typename T>
  void Scalar(const char* key, T* out) {
    YAML::Node n = Get(key);
    if (!n || n.IsNull()) return;
    if (!n.IsScalar()) {
      Fail(n, Key(key) + ": expected a single value");
      return;
    }
    try {
      *out = n.as<T>();
    } catch (const YAML::Exception&) {
      Fail(n, Key(key) + ": cannot read '" + n.Scalar() + "' as " + TypeName<T>());
    }
  }

  template <typename T>
  void Number(const char* key, T* out, double lo, double hi) {
    YAML::Node n = Get(key);
    const T before = *out;
    Scalar(key, out);
    // NaN compares false with everything, so the range test alone would let it through.
    if (n && !n.IsNull() && (!std::isfinite(static_cast<double>(*out)) ||
                             static_cast<double>(*out) < lo || static_cast<double>(*out) > hi)) {
      // The problem is listed and loading goes on (every problem is reported), so the value
      // must not stay: it would reach the conversions below.
      *out = before;
      Fail(n, Key(key) + ": must be between " + Fmt(lo) + " and " + Fmt(hi));
    }
  }

  void List(const char* key, std::vector<std::string>* out) {
    YAML::Node n = Get(key);
    if (!n || n.IsNull()) return;
    out->clear();
    if (n.IsScalar()) {  // a single value is a list of one
      out->push_back(n.Scalar());
      return;
    }
    if (!n.IsSequence()) {
      Fail(n, Key(key) + ": expected a list");
      return;
    }
    for (const auto& item : n) {
      if (!item.IsScalar()) {
        Fail(item, Key(key) + ": expected a list of values");
        continue;
      }
      out->push_back(item.Scalar());
    }
  }

  void Map(const char* key, std::map<std::string, std::string>* out) {
    YAML::Node n = Get(key);
    if (!n || n.IsNull()) return;
    if (!n.IsMap()) {
      Fail(n, Key(key) + ": expected a mapping");
      return;
    }
    for (const auto& kv : n) {
      if (!kv.second.IsScalar()) {
        Fail(kv.second, Key(key) + ": values must be single values");
        continue;
      }
      (*out)[kv.first.Scalar()] = kv.second.Scalar();
    }
  }

  void Done() const {
    if (!node_) return;
    for (const auto& kv : node_) {
      const std::string k = kv.first.Scalar();
      if (!seen_.count(k)) Fail(kv.first, "unknown setting '" + Key(k.c_str()) + "' (docs/daemon.md)");
    }
  }

  std::string Key(const char* key) const { return name_.empty() ? key : name_ + "." + key; }
  const std::string& file() const { return file_; }
  Problems* problems() const { return problems_; }

 private:
  template <typename T>
  static const char* TypeName() {
    if constexpr (std::is_same_v<T, bool>) return "true/false";
    if constexpr (std::is_integral_v<T>) return "an integer";
    if constexpr (std::is_floating_point_v<T>) return "a number";
    return "text";
  }
  static std::string Fmt(double v) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", v);
    return b;
  }
  std::string file_;
  YAML::Node node_;
  std::string name_;
  std::set<std::string> seen_;
  Problems* problems_;
};

// Relative paths in the file are relative to the file's folder (so a config and its roster can
// move together); absolute paths and "" stay as they are.
std::string Resolve(const std::filesystem::path& base, const std::string& p) {
  if (p.empty() || p == "-" || std::filesystem::path(p).is_absolute()) return p;
  return (base / p).lexically_normal().string();
}

// Ranges are checked (Number) before this; a non-finite value never converts.
core::TimeUs Seconds(double s) {
  return std::isfinite(s) ? static_cast<core::TimeUs>(s * core::kMicrosPerSecond) : 0;
}

void ReadTls(Section& parent, sinks::TlsConfig* tls) {
  YAML::Node n = parent.Get("tls");
  Section s(parent.file(), n, parent.Key("tls"), parent.problems());
  s.Scalar("enabled", &tls->enabled);
  s.Scalar("verify", &tls->verify);
  s.Scalar("ca_file", &tls->ca_file);
  s.Scalar("server_name", &tls->server_name);
  s.Done();
}

sinks::SinkConfig ReadSink(const std::string& file, const YAML::Node& n, std::size_t index,
                           const std::filesystem::path& base, Problems* problems) {
  sinks::SinkConfig c;
  if (!n.IsMap()) {
    problems->push_back(Where(file, n) + ": sinks[" + std::to_string(index) +
                        "]: each sink is a mapping");
    return c;
  }
  Section s(file, n, "sinks[" + std::to_string(index) + "]", problems);
  std::string type;
  s.Scalar("name", &c.name);
  s.Scalar("type", &type);
  if (type == "file") c.type = sinks::SinkType::kFile;
  else if (type == "stdout") c.type = sinks::SinkType::kStdout;
  else if (type == "syslog") c.type = sinks::SinkType::kSyslog;
  else if (type == "http") c.type = sinks::SinkType::kHttp;
  else if (type == "kafka") c.type = sinks::SinkType::kKafka;
  else {
    s.Fail(n["type"] ? n["type"] : n,
           s.Key("type") + ": expected file, stdout, syslog, http or kafka, got '" + type + "'");
    return c;  // what else the sink needs depends on its type
  }
  if (c.name.empty()) c.name = type + "-" + std::to_string(index);
  for (char ch : c.name) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '-' && ch != '_') {
      s.Fail(n["name"], s.Key("name") + ": letters, digits, '-' and '_' only (it names a folder)");
      break;
    }
  }
  s.List("events", &c.events);
  for (const auto& e : c.events) {
    output::EventSelection sel;
    if (!output::EventSelection::Parse(e, &sel).ok() || e == "all") {
      s.Fail(n["events"], s.Key("events") + ": unknown event type '" + e +
                              "' (alert, fingerprint, flow, stats)");
    }
  }
  s.Number("queue_capacity", &c.queue_capacity, 1, 1e8);
  s.Scalar("path", &c.path);
  c.path = Resolve(base, c.path);
  s.Number("rotate_bytes", &c.rotate_bytes, 4096, 1e15);
  s.Number("rotate_keep", &c.rotate_keep, 0, 1000);
  s.Scalar("host", &c.host);
  int port = c.port;
  s.Number("port", &port, 1, 65535);
  c.port = static_cast<std::uint16_t>(port);
  s.Scalar("transport", &c.transport);
  if (c.transport != "udp" && c.transport != "tcp") {
    s.Fail(n["transport"], s.Key("transport") + ": expected udp or tcp");
  }
  s.Scalar("facility", &c.facility);
  s.Scalar("app_name", &c.app_name);
  s.Scalar("hostname", &c.hostname);
  s.Scalar("url", &c.url);
  s.Scalar("format", &c.format);
  if (c.format != "hec" && c.format != "ndjson" && c.format != "json_array") {
    s.Fail(n["format"], s.Key("format") + ": expected hec, ndjson or json_array");
  }
  s.Scalar("token", &c.token);
  s.Map("headers", &c.headers);
  s.Number("batch_max", &c.batch_max, 1, 100000);
  s.Number("batch_linger_s", &c.batch_linger_s, 0, 3600);
  s.Number("timeout_s", &c.timeout_s, 0.1, 3600);
  s.Number("retry_initial_s", &c.retry_initial_s, 0.01, 3600);
  s.Number("retry_max_s", &c.retry_max_s, 0.01, 86400);
  s.Scalar("brokers", &c.brokers);
  s.Scalar("topic", &c.topic);
  s.Map("kafka_properties", &c.kafka_properties);
  ReadTls(s, &c.tls);
  c.tls.ca_file = Resolve(base, c.tls.ca_file);
  s.Done();
  switch (c.type) {
    case sinks::SinkType::kFile:
      if (c.path.empty()) s.Fail(n, s.Key("path") + ": a file sink needs a path");
      break;
    case sinks::SinkType::kHttp:
      if (c.url.empty()) s.Fail(n, s.Key("url") + ": an http sink needs a url");
      break;
    case sinks::SinkType::kKafka:
      if (c.brokers.empty()) s.Fail(n, s.Key("brokers") + ": a kafka sink needs brokers");
      break;
    default:
      break;
  }
  return c;
}

void Load(const std::string& path, DaemonConfig* c, Problems* problems) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    // Missing or not permitted: the same refusal, with the reason.
    std::FILE* f = std::fopen(path.c_str(), "r");
    const std::string why = f ? "" : std::string(": ") + std::strerror(errno);
    if (f) std::fclose(f);
    throw ConfigError(path + ": cannot read the configuration file" + why);
  } catch (const YAML::ParserException& e) {
    throw ConfigError(path + ":" + std::to_string(e.mark.line + 1) + ":" +
                      std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
  if (!root || root.IsNull()) throw ConfigError(path + ": the configuration file is empty");
  const std::filesystem::path base = std::filesystem::absolute(path).parent_path();
  c->path = path;
  Section top(path, root, "", problems);

  {
    Section s(path, top.Get("capture"), "capture", problems);
    s.List("interfaces", &c->capture.interfaces);
    s.Scalar("bpf", &c->capture.bpf);
    s.Number("snaplen", &c->capture.snaplen, 64, 262144);
    s.Scalar("promiscuous", &c->capture.promiscuous);
    s.Number("buffer_mb", &c->capture.buffer_mb, 1, 4096);
    s.Done();
    if (c->capture.interfaces.empty()) {
      top.Fail(root, "capture.interfaces: at least one interface is needed");
    }
  }
  top.Number("workers", &c->workers, 1, 256);
  top.Number("worker_queue_packets", &c->worker_queue_packets, 1024, 1e8);
  top.Scalar("user", &c->user);
  top.Scalar("group", &c->group);
  top.Scalar("allow_root", &c->allow_root);
  top.Scalar("state_dir", &c->state_dir);
  c->state_dir = Resolve(base, c->state_dir);
  top.Scalar("roster", &c->roster);
  c->roster = Resolve(base, c->roster);
  top.Scalar("identity_events", &c->identity_events);
  c->identity_events = Resolve(base, c->identity_events);
  top.Scalar("policy", &c->policy);
  c->policy = Resolve(base, c->policy);
  if (!c->policy.empty() && c->roster.empty()) {
    top.Fail(root["policy"], "policy: needs a roster (suppressions and sanctioned networks apply "
                             "to divergence findings)");
  }
  top.Scalar("sensor_location", &c->sensor_location);
  top.Number("window_hours", &c->window_hours, 1, 720);
  top.Number("evaluate_interval_s", &c->evaluate_interval_s, 0.1, 86400);
  top.Number("stats_interval_s", &c->stats_interval_s, 0, 86400);
  top.Scalar("analyzers", &c->pipeline.analyzers);
  {
    Section s(path, top.Get("flows"), "flows", problems);
    auto& f = c->pipeline.flows;
    double tcp = 300, udp = 300, udp_new = 30, icmp = 30, other = 300, active = 1800;
    s.Number("max_flows", &f.max_flows, 16, 1e9);
    s.Number("tcp_timeout_s", &tcp, 1, 604800);
    s.Number("udp_timeout_s", &udp, 1, 604800);
    s.Number("udp_new_timeout_s", &udp_new, 1, 604800);
    s.Number("icmp_timeout_s", &icmp, 1, 604800);
    s.Number("other_timeout_s", &other, 1, 604800);
    s.Number("active_timeout_s", &active, 1, 604800);
    s.Done();
    f.tcp_idle_timeout = Seconds(tcp);
    f.udp_idle_timeout = Seconds(udp);
    f.udp_new_timeout = Seconds(udp_new);
    f.icmp_idle_timeout = Seconds(icmp);
    f.other_idle_timeout = Seconds(other);
    f.active_timeout = Seconds(active);
  }
  {
    Section s(path, top.Get("ndpi"), "ndpi", problems);
    s.Number("max_tcp_packets", &c->pipeline.classifier.max_tcp_packets, 1, 10000);
    s.Number("max_udp_packets", &c->pipeline.classifier.max_udp_packets, 1, 10000);
    s.Done();
  }
  {
    Section s(path, top.Get("geoip"), "geoip", problems);
    auto& g = c->geoip.sources;
    s.Scalar("disabled", &c->geoip.disabled);
    s.List("city_db", &g.city_dbs);
    s.List("asn_db", &g.asn_dbs);
    s.Scalar("anonymous_db", &g.anon_db);
    s.List("lists", &g.lists);
    s.List("tor_lists", &g.tor_lists);
    s.Done();
    for (auto* v : {&g.city_dbs, &g.asn_dbs, &g.lists, &g.tor_lists}) {
      for (auto& p : *v) p = Resolve(base, p);
    }
    g.anon_db = Resolve(base, g.anon_db);
  }
  {
    Section s(path, top.Get("http"), "http", problems);
    s.Scalar("listen", &c->http.listen);
    s.Scalar("bearer_token_file", &c->http.bearer_token_file);
    c->http.bearer_token_file = Resolve(base, c->http.bearer_token_file);
    s.Scalar("allow_unauthenticated_remote", &c->http.allow_unauthenticated_remote);
    s.Done();
    boost::asio::ip::tcp::endpoint ep;
    // A bad address is refused where the endpoint starts (and by run --check), with its reason.
    if (!c->http.listen.empty() && ParseListenAddress(c->http.listen, &ep).ok() &&
        !ep.address().is_loopback() && c->http.bearer_token_file.empty() &&
        !c->http.allow_unauthenticated_remote) {
      s.Fail(root["http"]["listen"],
             "http.listen: '" + c->http.listen + "' is reachable from other hosts and no "
             "bearer_token_file is set: anyone could read /metrics (set bearer_token_file, "
             "listen on 127.0.0.1, or say allow_unauthenticated_remote: true)");
    }
  }
  {
    Section s(path, top.Get("logging"), "logging", problems);
    s.Scalar("level", &c->log_level);
    s.Number("burst_per_minute", &c->log_burst_per_minute, 0, 1e6);
    s.Done();
    if (c->log_level != "debug" && c->log_level != "info" && c->log_level != "warn" &&
        c->log_level != "error") {
      s.Fail(root["logging"]["level"], "logging.level: expected debug, info, warn or error");
    }
  }
  {
    YAML::Node n = top.Get("sinks");
    const bool listed = n && n.IsSequence() && n.size() > 0;
    if (!listed) {
      top.Fail(n ? n : root, "sinks: a list of at least one sink is needed (docs/daemon.md)");
    }
    std::set<std::string> names;
    std::map<std::string, std::size_t> files;  // a file sink's path -> its index
    for (std::size_t i = 0; listed && i < n.size(); ++i) {
      c->sinks.push_back(ReadSink(path, n[i], i, base, problems));
      const sinks::SinkConfig& sc = c->sinks.back();
      if (!names.insert(sc.name).second) {
        top.Fail(n[i], "sinks[" + std::to_string(i) + "].name: '" + sc.name + "' is used twice");
      }
      // Two writers appending and rotating one file interleave and lose each other's lines.
      if (sc.type == sinks::SinkType::kFile && !sc.path.empty()) {
        const std::string key = std::filesystem::absolute(sc.path).lexically_normal().string();
        if (auto [it, fresh] = files.emplace(key, i); !fresh) {
          top.Fail(n[i]["path"] ? n[i]["path"] : n[i],
                   "sinks[" + std::to_string(i) + "].path: '" + sc.path + "' is also the path "
                   "of sinks[" + std::to_string(it->second) + "]: two sinks cannot write one file");
        }
      }
    }
  }
  top.Done();
}

}  // namespace

core::Status LoadDaemonConfig(const std::string& path, DaemonConfig* out) {
  DaemonConfig c;
  Problems problems;
  try {
    Load(path, &c, &problems);
  } catch (const ConfigError& e) {
    problems.push_back(e.what());
  } catch (const YAML::Exception& e) {
    problems.push_back(path + ": " + e.what());
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += (all.empty() ? "" : "\n") + p;
    return core::Status::Error(all);
  }
  *out = std::move(c);
  return core::Status::Ok();
}

}  // namespace parallax::daemon
