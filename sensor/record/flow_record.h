// FlowRecord: the one value that crosses from the sensor (capture -> decode -> flow table ->
// nDPI -> analyzers) to the divergence side (attribution, evidence, detections). Everything the
// divergence stage and the forensics report know about a flow is here, as plain values: a record
// read back from a JSON line (flow_record_json.h) judges exactly as the live flow it came from.
// docs/flow-record.md documents every field; kVersion changes when a field's meaning does.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/fingerprint.h"
#include "sensor/core/classification.h"
#include "sensor/core/flow.h"
#include "sensor/core/ip_address.h"
#include "sensor/core/time.h"

namespace parallax::record {

inline constexpr int kFlowRecordVersion = 1;

// Which sensor saw the flow, and where it is (the latency checks measure from there).
struct SensorIdentity {
  std::string id;  // empty: unnamed (a single sensor)
  std::optional<double> latitude;
  std::optional<double> longitude;
};

// One TCP handshake packet as p0f reads it: TTL, DF, window and the options the stack chose.
struct HandshakeFacts {
  bool seen = false;
  core::TimeUs ts = 0;
  std::uint8_t ttl = 0;
  bool dont_fragment = false;
  std::uint16_t window = 0;
  std::optional<std::uint16_t> mss;
  std::optional<std::uint8_t> wscale;
  bool sack_permitted = false;
  bool timestamps = false;
};

struct DirectionCounts {
  std::uint64_t packets = 0;
  std::uint64_t bytes = 0;          // frame bytes on the wire
  std::uint64_t payload_bytes = 0;  // transport payload as the headers declare it
  std::uint8_t tcp_flags = 0;       // OR of the flags seen
};

struct FlowRecord {
  int version = kFlowRecordVersion;
  SensorIdentity sensor;
  std::uint64_t flow_id = 0;  // stable within a run and across runs on the same input
  std::string community_id;   // Community ID v1 (seed 0)
  core::IpAddress orig_addr;
  core::IpAddress resp_addr;
  bool has_ports = false;
  std::uint16_t orig_port = 0;
  std::uint16_t resp_port = 0;
  std::uint8_t proto = 0;
  bool has_mac = false;
  std::array<std::uint8_t, 6> orig_mac{};
  std::array<std::uint8_t, 6> resp_mac{};
  core::Encap tunnel = core::Encap::kNone;  // the tunnel the flow's packets were stripped from
  core::IpAddress tunnel_src;
  core::IpAddress tunnel_dst;
  core::TimeUs first_ts = 0;
  core::TimeUs last_ts = 0;
  core::FlowEndReason end_reason = core::FlowEndReason::kShutdown;
  std::array<DirectionCounts, 2> dir{};  // [0] to the responder, [1] to the originator
  // Handshake round trips seen from the sensor: SYN -> SYN-ACK (sensor to responder and back)
  // and SYN-ACK -> ACK (sensor to originator and back); -1 when not measured.
  core::TimeUs responder_rtt_us = -1;
  core::TimeUs originator_rtt_us = -1;
  HandshakeFacts syn;
  HandshakeFacts synack;
  core::Classification classification;
  std::vector<analyzers::Fingerprint> fingerprints;

  std::uint64_t packets() const { return dir[0].packets + dir[1].packets; }
  std::uint64_t bytes() const { return dir[0].bytes + dir[1].bytes; }
};

// The record of an ended flow and the analyzers' findings about it.
FlowRecord MakeFlowRecord(const core::Flow& flow, core::FlowEndReason reason,
                          std::vector<analyzers::Fingerprint> fingerprints,
                          const SensorIdentity& sensor);

// Where records go: the divergence stage, a records file, a fan-out of both.
// Thread-safety: each implementation says.
class FlowRecordSink {
 public:
  virtual ~FlowRecordSink() = default;
  virtual void OnRecord(const FlowRecord& record) = 0;
  // Packet time reached `now` (the capture clock: packets, or a quiet link's ticks).
  virtual void OnClock(core::TimeUs /*now*/) {}
  // The input ended (end of files, or a stop): every record has been delivered.
  virtual void OnInputEnd() {}
};

}  // namespace parallax::record
