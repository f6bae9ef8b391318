// AnalyzerHost: runs the registered analyzers over one worker's flows. At a flow's first packet
// it creates the analyzers that want the flow; it feeds each until it has decided; at flow end it
// collects their fingerprints and keeps, per kind, the most confident one (the others are named
// in its evidence as corroboration).
// Thread-safety: REQUIRES external synchronization (one host per worker).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "sensor/core/status.h"

namespace parallax::analyzers {

class AnalyzerHost {
 public:
  // selection: "all", "none", or comma-separated analyzer names. Errors name the unknown one.
  static core::Status Create(const std::string& selection, std::unique_ptr<AnalyzerHost>* out);

  void set_intel(NetworkIntel* intel) { ctx_.intel = intel; }
  bool empty() const { return specs_.empty() && flow_end_.empty(); }

  void OnPacket(core::Flow& flow, const core::DecodedPacket& packet, core::Direction direction);
  // Fingerprints for the flow (ended, or at an interim record), merged one per kind.
  std::vector<Fingerprint> OnFlowEnd(core::Flow& flow);
  // Drops the flow's analyzer state (after its final record).
  void Release(core::Flow& flow);

 private:
  std::vector<const AnalyzerSpec*> specs_;          // per-flow analyzers
  struct Shared {
    const AnalyzerSpec* spec;
    std::unique_ptr<Analyzer> analyzer;
  };
  std::vector<Shared> flow_end_;                     // one shared instance each
  AnalyzerContext ctx_;
};

}  // namespace parallax::analyzers
