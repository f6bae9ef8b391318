// Pipeline: the one packet handler for live and file input. Decode → flow table → nDPI →
// analyzers → flow record, with engine time taken from packets and clamped so it never goes
// backwards (ndpiReader repairs backwards timestamps the same way). Ending flows are written as
// `flow` and `fingerprint` events and handed, as flow records, to the record sink (the divergence
// stage, a records file, or both): the pipeline knows nothing of contractors.
// Thread-safety: REQUIRES external synchronization; one pipeline per worker.
#pragma once

#include <functional>
#include <memory>

#include "analyzers/analyzer_host.h"
#include "geoip/geo_intel_holder.h"
#include "sensor/classify/classifier_options.h"
#include "sensor/classify/ndpi_classifier.h"
#include "sensor/core/decoded_packet.h"
#include "sensor/core/flow_table.h"
#include "sensor/core/fragment_tracker.h"
#include "sensor/core/packet_view.h"
#include "sensor/core/sensor_stats.h"
#include "sensor/core/status.h"
#include "sensor/geo/geo_network_intel.h"
#include "sensor/output/event_writer.h"
#include "sensor/record/flow_record.h"

namespace parallax {

struct PipelineOptions {
  core::FlowTableOptions flows;
  classify::ClassifierOptions classifier;
  // Analyzers to run: "all", "none" or a comma-separated list of registered names.
  std::string analyzers = "all";
  // GeoIP and network-type data for analyzers; null runs without (network-type evidence is then
  // absent, and said so once).
  const geoip::GeoIntelHolder* geo = nullptr;
  // Where ended flows go as records, and where the capture clock is told (must outlive the
  // pipeline); null: nowhere (events only).
  record::FlowRecordSink* records = nullptr;
  // Names the sensor in every record (id and location).
  record::SensorIdentity sensor;
};

class Pipeline final : public core::FlowObserver {
 public:
  static std::unique_ptr<Pipeline> Create(const PipelineOptions& options,
                                          output::EventWriter* writer, core::Status* status);

  // Never throws on packet contents: whatever the bytes, they end as a flow update or a counter.
  void HandlePacket(const core::PacketView& packet);
  // Live capture on a quiet link: moves engine time to `now` (the capture clock) so idle flows
  // expire and the record sink hears the time although no packet arrives. Ignored when `now` is
  // not ahead of the last packet.
  void Advance(core::TimeUs now);
  // End of input: ends every live flow (writing their events and records) and tells the record
  // sink the input ended. Idempotent. The caller may add to stats() before Finish writes them.
  void EndInput();
  // EndInput if not done, then writes the closing stats event.
  void Finish();
  // Finishes if needed, then starts over with an empty flow table and zero counters, keeping the
  // (expensive to build) nDPI module. Used between fuzz inputs and between benchmark rounds.
  void Reset();

  core::SensorStats& stats() { return stats_; }
  // Engine (packet) time: the newest packet timestamp seen.
  core::TimeUs now() const { return now_; }
  // The flow-table counters so far (Finish copies them into stats()).
  const core::FlowTableStats& table_stats() const { return table_->stats(); }
  std::uint64_t fingerprints() const { return fingerprints_; }
  const core::FlowTable& flows() const { return *table_; }
  std::size_t live_flows() const;
  const classify::NdpiClassifier& classifier() const { return *classifier_; }

  void OnFlowEnd(core::Flow& flow, core::FlowEndReason reason) override;
  void OnFlowInterim(core::Flow& flow) override;

 private:
  Pipeline() = default;
  PipelineOptions options_;
  void HandleFragment(const core::DecodedPacket& p);

  output::EventWriter* writer_ = nullptr;
  std::unique_ptr<classify::NdpiClassifier> classifier_;
  std::unique_ptr<analyzers::AnalyzerHost> analyzers_;
  std::unique_ptr<GeoNetworkIntel> intel_;
  std::uint64_t fingerprints_ = 0;
  std::unique_ptr<core::FlowTable> table_;
  core::FragmentTracker fragments_;
  core::SensorStats stats_;
  core::DecodedPacket decoded_;
  core::TimeUs now_ = 0;
  core::TimeUs last_clock_ = 0;  // packet time last told to the record sink
  bool input_ended_ = false;
  bool finished_ = false;
};

}  // namespace parallax
