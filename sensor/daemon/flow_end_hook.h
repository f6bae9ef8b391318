// FlowEndHook: where a worker hands each ended flow and its fingerprints (the divergence hub).
// Called on the worker's thread.
#pragma once

#include <vector>

#include "analyzers/fingerprint.h"
#include "sensor/core/flow.h"

namespace parallax::daemon {

class FlowEndHook {
 public:
  virtual ~FlowEndHook() = default;
  virtual void OnFlowEnd(const core::Flow& flow,
                         const std::vector<analyzers::Fingerprint>& fingerprints) = 0;
};

}  // namespace parallax::daemon
