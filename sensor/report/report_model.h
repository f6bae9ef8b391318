// ReportModel: what the forensics report shows, per contractor, most suspicious first
// (docs/report.md). Plain values, built once after a read by BuildReport (report_builder.h), then
// written as JSON (report_json.h) and HTML (html_writer.h). Times are microseconds since the epoch
// (UTC). Thread-safety: a value; no shared state.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "sensor/core/time.h"

namespace parallax::report {

// Timeline lanes: what kind of session a flow is part of.
enum class Lane { kVpn, kRemoteDesktop, kOrdinary };
const char* LaneName(Lane lane);  // "vpn", "remote_desktop", "ordinary"

// One flow attributed to a contractor (originator -> responder as the sensor saw it).
struct FlowRow {
  std::uint64_t flow_id = 0;
  std::string community_id;
  std::string src_ip, dest_ip;
  int src_port = -1, dest_port = -1;  // -1: the protocol has none
  std::string proto;                  // "TCP", "UDP", "ICMP"...
  std::string app;                    // nDPI's protocol ("TLS.AnyDesk")
  std::string product;                // the fingerprint's product, when an analyzer named one
  Lane lane = Lane::kOrdinary;
  std::string role;  // remote desktop: "controlled" or "controller" (this side)
  bool role_known = false;
  bool relayed = false;  // through the vendor's relay: peer_ip is the relay
  std::string peer_ip;   // remote desktop: the other party (or the relay)
  std::uint64_t bytes = 0, packets = 0;
  core::TimeUs first_ts = 0, last_ts = 0;
  bool initiated = false;             // the contractor's side opened it (counts as activity)
  std::string via;                    // "device" or "egress": which address attributed it
  std::string egress_ip;              // when attributed by a public egress
  double rtt_ms = -1;                 // handshake RTT sensor <-> egress; -1 when not measured
  std::vector<std::string> findings;  // alert kinds this flow is evidence for
};

// A point on the map, with its distance from the claimed place.
struct Place {
  std::string kind;   // "claimed", "egress", "vpn_exit", "hosted_egress", "remote_peer",
                      // "relay", "colocated_host"
  std::string label;  // "Phoenix, US"
  std::string ip;
  std::string network_type, provider, organisation;
  std::uint32_t asn = 0;
  std::optional<double> latitude, longitude;
  int accuracy_km = 0;
  std::optional<double> distance_from_claimed_km;
  std::optional<double> distance_from_sensor_km;
  std::string how;  // how it was observed ("gateway flow", "identity event (vpn-gateway)"...)
  std::uint64_t flows = 0;
};

struct Session {
  Lane lane = Lane::kOrdinary;
  std::string label;  // "AnyDesk, controlled from 123.184.60.140", "OpenVPN"...
  std::string role;
  core::TimeUs start = 0, end = 0;
  std::uint64_t flows = 0, bytes = 0;
};

struct HeatmapDay {
  std::string date;     // local date, "2026-01-26"
  std::string weekday;  // "Mon"
  std::array<std::uint32_t, 24> hours{};
};

struct Heatmap {
  std::string time_zone;       // the claimed IANA zone
  std::string claimed_offset;  // "-07:00" (at the middle of the activity)
  std::string offset_source;   // "time_zone" or "longitude"
  int work_start_minute = 0, work_end_minute = 0;
  std::uint8_t work_days = 0x1F;
  std::vector<HeatmapDay> days;  // consecutive local days with activity between them
  std::uint64_t events = 0;
  std::uint64_t days_omitted = 0;  // beyond the cap, oldest first
  std::string best_offset;         // best-fitting whole-hour UTC offset, "+09:00"
  std::string best_zones;          // zones on that offset in standard time, "Asia/Seoul, ..."
  double best_share = 0;           // share of activity in working hours at the best offset
  double claimed_share = 0;        // ... at the claimed offset
  // Working hours at the best-fitting offset, read on the claimed clock (minutes after midnight).
  int best_band_start_minute = 0, best_band_end_minute = 0;
};

struct RttSample {
  std::string egress_ip;
  double rtt_ms = 0;
  std::optional<double> distance_km;  // sensor -> egress geolocation
  core::TimeUs ts = 0;
};

struct RttPlot {
  bool available = false;  // false without --sensor-location
  std::string note;
  std::optional<double> claimed_distance_km;  // sensor -> claimed place
  std::optional<double> claimed_floor_ms;     // speed of light in fibre, straight path
  struct Egress {
    std::string ip, label;
    std::optional<double> distance_km, floor_ms;
    std::optional<double> min_rtt_ms;
    std::optional<double> max_distance_km;  // what the minimum RTT allows at stretch 1
  };
  std::vector<Egress> egress;
  std::vector<RttSample> samples;
};

struct AlertView {
  std::string id, kind;
  int severity = 2;
  double score = 0;
  std::string explanation;
  core::TimeUs first_seen = 0, last_seen = 0, window_start = 0, window_end = 0;
  std::string community_id;
  nlohmann::ordered_json claimed, observed, evidence, mitre;
  std::uint64_t flows = 0;  // attributed flows tagged as behind this finding
};

// A finding a suppression rule of the SOC's policy held back (docs/policy.md): shown, not alerted.
struct SuppressedView {
  std::string id, kind;
  int severity = 2;
  double score = 0;
  std::string explanation;
  core::TimeUs first_seen = 0, last_seen = 0;
  std::string rule_id, reason, who;
};

struct ContractorReport {
  std::string id, name;
  std::string claimed_label;
  std::string time_zone;
  bool seen = false;       // any attributed flow or alert in this capture
  int worst_severity = 4;  // 1 high .. 3 low; 4: no alert
  double top_score = 0;
  std::string verdict;  // "HIGH", "MEDIUM", "LOW", "none"
  std::string verdict_line;
  std::vector<AlertView> alerts;
  std::vector<SuppressedView> suppressed;  // worst first; only filled with a policy
  std::vector<Place> places;  // claimed first
  std::vector<Session> sessions;
  Heatmap heatmap;
  RttPlot rtt;
  std::vector<FlowRow> flows;
  std::uint64_t flows_omitted = 0;
  std::vector<std::string> devices;
};

struct ReportModel {
  std::vector<std::string> inputs;
  std::uint64_t packets = 0, bytes = 0;
  core::TimeUs first_ts = 0, last_ts = 0;
  std::uint64_t attributed_flows = 0;
  std::optional<double> sensor_latitude, sensor_longitude;
  std::vector<ContractorReport> contractors;  // most suspicious first
  // The policy in use (its file), and how many times a finding was suppressed; the report's
  // "suppressed" sections are written only with a policy.
  std::optional<std::string> policy_path;
  std::uint64_t suppressed_total = 0;
};

}  // namespace parallax::report
