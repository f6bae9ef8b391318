// FlowCollector: keeps every flow the divergence engine attributes to a contractor, as the
// report's rows (timeline, heatmap, RTT plot and flow table come from them). Fed by the
// pipeline's flow tap after the engine has seen the flow; attribution is the engine's own
// (DivergenceEngine::Attribute), so the report shows exactly the flows the alerts rest on.
// Bounded: at most max_rows_per_contractor rows each; beyond that flows are only counted.
// Thread-safety: REQUIRES external synchronization (fed by one pipeline).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "analyzers/fingerprint.h"
#include "sensor/core/flow.h"
#include "sensor/divergence/engine.h"
#include "sensor/report/report_model.h"

namespace parallax::report {

class FlowCollector {
 public:
  explicit FlowCollector(std::size_t max_rows_per_contractor = 20000)
      : max_rows_(max_rows_per_contractor) {}

  // The engine that attributes flows; must outlive the collector's use. Until set, flows are
  // ignored.
  void set_engine(const divergence::DivergenceEngine* engine) { engine_ = engine; }

  void OnFlow(const core::Flow& flow, const std::vector<analyzers::Fingerprint>& fingerprints);

  // contractor id -> rows in the order the flows ended.
  const std::map<std::string, std::vector<FlowRow>>& rows() const { return rows_; }
  // contractor id -> attributed flows not kept (over the cap).
  const std::map<std::string, std::uint64_t>& omitted() const { return omitted_; }

 private:
  const divergence::DivergenceEngine* engine_ = nullptr;
  std::size_t max_rows_;
  std::map<std::string, std::vector<FlowRow>> rows_;
  std::map<std::string, std::uint64_t> omitted_;
};

}  // namespace parallax::report
