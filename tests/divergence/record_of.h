// Tests build flows as the flow table would and hand them to the engine as the pipeline does:
// as flow records (sensor/record/).
#pragma once

#include <vector>

#include "analyzers/fingerprint.h"
#include "sensor/core/flow.h"
#include "sensor/record/flow_record.h"

namespace parallax::testing {

inline record::FlowRecord RecordOf(const core::Flow& flow,
                                   std::vector<analyzers::Fingerprint> fingerprints = {}) {
  return record::MakeFlowRecord(flow, core::FlowEndReason::kShutdown, std::move(fingerprints), {});
}

}  // namespace parallax::testing
