// Analyzer: one detection, one file (Zeek's analyzer habit). The host makes one instance per flow
// the analyzer wants, feeds it the flow's packets until it says it has decided (so a decided
// analyzer costs nothing per packet, like nDPI's give-up), and asks it for fingerprints when the
// flow ends. Analyzers see sensor/core types only: never pcap, nDPI or Asio.
//
// Adding an analyzer: one new file in analyzers/, one PARALLAX_REGISTER_ANALYZER line in it, one
// test with a capture.
#pragma once

#include <memory>
#include <vector>

#include "analyzers/fingerprint.h"
#include "analyzers/network_intel.h"
#include "sensor/core/decoded_packet.h"
#include "sensor/core/flow.h"

namespace parallax::analyzers {

struct AnalyzerContext {
  NetworkIntel* intel = nullptr;  // may be null: no GeoIP data
};

class Analyzer {
 public:
  virtual ~Analyzer() = default;
  // Each packet of the flow (after nDPI has seen it) until Decided() returns true.
  virtual void OnPacket(const core::Flow& /*flow*/, const core::DecodedPacket& /*packet*/,
                        core::Direction /*direction*/) {}
  virtual bool Decided() const { return true; }
  // True when the analyzer has decided and will report nothing for this flow: the host then
  // frees it at once (a long flow then costs no analyzer memory).
  virtual bool Disposable() const { return false; }
  // The flow ends (or an interim record is due): append what was found to `out`.
  virtual void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                         std::vector<Fingerprint>& out) = 0;
};

struct AnalyzerSpec {
  const char* name;         // registered name ("wireguard")
  const char* description;  // one line for `parallax analyzers`
  // At the flow's first packet: should this analyzer follow the flow? (cheap: proto, ports)
  bool (*wants)(const core::Flow& flow, const core::DecodedPacket& first);
  std::unique_ptr<Analyzer> (*create)();
  // False for analyzers that only read the ended flow (no per-packet state): the host then keeps
  // one shared instance instead of one per flow, and never feeds it packets.
  bool per_flow = true;
};

}  // namespace parallax::analyzers
