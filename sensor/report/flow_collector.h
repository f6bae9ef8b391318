// FlowCollector: keeps every flow the divergence engine attributes to a contractor, as the
// report's rows (timeline, heatmap, RTT plot and flow table come from them). Fed by the
// divergence stage's on_attributed hook with the record and the engine's own attribution (who,
// through which address, initiated or not, the egress RTT), so the report shows exactly the
// flows the alerts rest on, read as the engine read them.
// Bounded: at most max_rows_per_contractor rows each; beyond that flows are only counted.
// Thread-safety: REQUIRES external synchronization (fed by one pipeline).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sensor/divergence/engine.h"
#include "sensor/record/flow_record.h"
#include "sensor/report/report_model.h"

namespace parallax::report {

class FlowCollector {
 public:
  explicit FlowCollector(std::size_t max_rows_per_contractor = 20000)
      : max_rows_(max_rows_per_contractor) {}

  void OnFlow(const record::FlowRecord& flow, const divergence::DivergenceEngine::Attribution& at);

  // contractor id -> rows in the order the flows ended.
  const std::map<std::string, std::vector<FlowRow>>& rows() const { return rows_; }
  // contractor id -> attributed flows not kept (over the cap).
  const std::map<std::string, std::uint64_t>& omitted() const { return omitted_; }

 private:
  std::size_t max_rows_;
  std::map<std::string, std::vector<FlowRow>> rows_;
  std::map<std::string, std::uint64_t> omitted_;
};

}  // namespace parallax::report
