// DaemonConfig: everything `parallax run --config FILE` reads from its YAML configuration file.
// Every key, its default and its meaning is in docs/daemon.md; config/parallax.yaml is a sample.
// Loading is strict: an unknown key, a wrong type or an out-of-range value is an error naming the
// file, line and column, so a typo never silently falls back to a default.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sensor/core/status.h"
#include "sensor/geo/geo_sources.h"
#include "sensor/pipeline.h"
#include "sensor/sinks/sink_config.h"

namespace parallax::daemon {

struct CaptureConfig {
  std::vector<std::string> interfaces;  // at least one
  std::string bpf;                      // tcpdump syntax; empty: everything
  int snaplen = 262144;
  bool promiscuous = true;
  int buffer_mb = 64;
};

struct GeoConfig {
  GeoSources sources;  // a kind not named: the default data (data/, /usr/share/GeoIP, ...)
  bool disabled = false;
};

struct HttpConfig {
  std::string listen = "127.0.0.1:9109";  // "" disables the endpoint
  std::string bearer_token_file;          // when set, every request needs "Bearer <token>"
  // /metrics names interfaces, sinks and contractor counts: on an address other than loopback
  // it needs a token unless this is said explicitly.
  bool allow_unauthenticated_remote = false;
};

struct DaemonConfig {
  std::string path;  // the file this came from (for reload and messages)

  CaptureConfig capture;
  unsigned workers = 2;                 // pipeline threads, packets sharded by address pair
  std::size_t worker_queue_packets = 65536;
  std::string user = "parallax";        // drop to this user after opening the capture
  std::string group;                    // empty: the user's primary group
  bool allow_root = false;              // run on as root when the user cannot be dropped to
  std::string state_dir = "/var/lib/parallax";  // alert store and sink spools

  std::string roster;                   // empty: no divergence analysis (fingerprints only)
  std::string identity_events;
  std::string policy;                   // sanctioned networks and suppressions (docs/policy.md)
  std::string sensor_location;          // "LAT,LON"
  double window_hours = 24;
  double evaluate_interval_s = 30;      // how often alerts are evaluated while running

  GeoConfig geoip;
  PipelineOptions pipeline;             // analyzers, flow table and nDPI settings
  HttpConfig http;
  std::string log_level = "info";
  unsigned log_burst_per_minute = 20;
  double stats_interval_s = 60;         // a `stats` event this often (0: only at exit)

  std::vector<sinks::SinkConfig> sinks;  // at least one
};

// Reads and validates `path`. Every problem is reported, one per line of the message, each
// with its file:line:column, not only the first.
core::Status LoadDaemonConfig(const std::string& path, DaemonConfig* out);

}  // namespace parallax::daemon
