// SinkConfig: one configured alert/event destination, as the daemon's configuration file gives
// it (docs/daemon.md documents every field and its default).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace parallax::sinks {

enum class SinkType { kFile, kStdout, kSyslog, kHttp, kKafka };

struct TlsConfig {
  bool enabled = false;      // https:// URLs turn it on for the webhook; syslog needs `tls: true`
  bool verify = true;        // certificate and host-name verification (off only when told)
  std::string ca_file;       // PEM bundle; empty: the system's default trust store
  std::string server_name;   // SNI / name to verify; empty: the host from url/host
};

struct SinkConfig {
  std::string name;                          // unique; names the spool folder and metrics label
  SinkType type = SinkType::kStdout;
  std::vector<std::string> events = {"alert"};  // event types sent: alert, fingerprint, flow, stats
  std::size_t queue_capacity = 10000;        // in-memory records for non-alert events

  // file
  std::string path;
  std::uint64_t rotate_bytes = 100ull << 20;  // rotate when the file would pass this size
  unsigned rotate_keep = 5;                   // path.1 ... path.N kept

  // syslog (RFC 5424; udp, or tcp with RFC 6587 octet counting; tcp + tls is RFC 5425)
  std::string host = "127.0.0.1";
  std::uint16_t port = 514;
  std::string transport = "udp";  // udp | tcp
  std::string facility = "local0";
  std::string app_name = "parallax";
  std::string hostname;            // empty: gethostname()

  // http webhook (batched JSON POST; "hec" is Splunk HTTP Event Collector style)
  std::string url;                 // http://host:port/path or https://...
  std::string format = "hec";      // hec | ndjson | json_array
  std::string token;               // hec: "Authorization: Splunk <token>"; else "Bearer <token>"
  std::map<std::string, std::string> headers;
  std::size_t batch_max = 100;
  double batch_linger_s = 1.0;
  double timeout_s = 10.0;
  double retry_initial_s = 0.5;    // exponential backoff, doubled per failure up to retry_max_s
  double retry_max_s = 30.0;

  // kafka (librdkafka)
  std::string brokers;             // bootstrap.servers
  std::string topic = "parallax";
  std::map<std::string, std::string> kafka_properties;  // passed to librdkafka as they are

  TlsConfig tls;
};

}  // namespace parallax::sinks
