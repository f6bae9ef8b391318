// Pipeline: the one packet handler for live and file input. Decode → flow table → nDPI, with
// engine time taken from packets and clamped so it never goes backwards (ndpiReader repairs
// backwards timestamps the same way). Ending flows are written as `flow` events.
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
#include "sensor/divergence/alert_store.h"
#include "sensor/divergence/engine.h"
#include "sensor/geo_network_intel.h"
#include "sensor/output/event_writer.h"

namespace parallax {

struct PipelineOptions {
  core::FlowTableOptions flows;
  classify::ClassifierOptions classifier;
  // Analyzers to run: "all", "none" or a comma-separated list of registered names.
  std::string analyzers = "all";
  // GeoIP and network-type data for analyzers; null runs without (network-type evidence is then
  // absent, and said so once).
  const geoip::GeoIntelHolder* geo = nullptr;
  // Location divergence: on when a roster is given (all must outlive the pipeline).
  const roster::Roster* roster = nullptr;
  const roster::IdentityBindings* bindings = nullptr;
  const std::vector<roster::IdentityEvent>* identity_events = nullptr;
  divergence::DivergenceOptions divergence;
  divergence::AlertStore* store = nullptr;
  // The SOC's sanctioned networks and suppressions (docs/policy.md); null: none.
  const policy::Policy* policy = nullptr;
  // Called with every ended flow and its fingerprints, after the divergence engine has seen it
  // (the forensics report collects the flows behind its pictures here). Empty: nothing is called.
  std::function<void(const core::Flow&, const std::vector<analyzers::Fingerprint>&)> flow_tap;
};

class Pipeline final : public core::FlowObserver {
 public:
  static std::unique_ptr<Pipeline> Create(const PipelineOptions& options,
                                          output::EventWriter* writer, core::Status* status);

  // Never throws on packet contents: whatever the bytes, they end as a flow update or a counter.
  void HandlePacket(const core::PacketView& packet);
  // Live capture on a quiet link: moves engine time to `now` (wall clock) so idle flows expire
  // although no packet arrives. Ignored when `now` is not ahead of the last packet.
  void Advance(core::TimeUs now);
  // Ends every live flow (writing their records) and writes the closing stats event.
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
  // Every alert written this run (for --explain).
  const std::vector<divergence::Alert>& alerts() const { return alerts_; }
  const divergence::DivergenceEngine* engine() const { return engine_.get(); }
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
  std::unique_ptr<divergence::DivergenceEngine> engine_;
  std::vector<divergence::Alert> alerts_;
  std::unique_ptr<core::FlowTable> table_;
  core::FragmentTracker fragments_;
  core::SensorStats stats_;
  core::DecodedPacket decoded_;
  core::TimeUs now_ = 0;
  bool finished_ = false;
};

}  // namespace parallax
