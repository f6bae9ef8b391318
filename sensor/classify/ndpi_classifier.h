// NdpiClassifier: the adapter between flows and nDPI, and the only place that includes nDPI
// headers. Feeds each flow's packets until nDPI has decided (plus extra dissection for TLS/SSH
// metadata) or the packet cap is reached, copies the result into Flow::classification, then frees
// nDPI's per-flow state at once (a decided flow costs nDPI nothing more).
// Thread-safety: REQUIRES external synchronization; each worker owns one classifier.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "sensor/classify/classifier_options.h"
#include "sensor/core/decoded_packet.h"
#include "sensor/core/flow.h"

namespace parallax::classify {

class NdpiClassifier {
 public:
  // Returns nullptr and sets *error when nDPI cannot be initialised.
  static std::unique_ptr<NdpiClassifier> Create(const ClassifierOptions& options,
                                                std::string* error);
  ~NdpiClassifier();
  NdpiClassifier(const NdpiClassifier&) = delete;
  NdpiClassifier& operator=(const NdpiClassifier&) = delete;

  // Feeds p (a packet of f with an IP header) to nDPI if f is still being inspected. Cheap when
  // f.classification.done.
  void Process(core::Flow& f, const core::DecodedPacket& p);
  // The flow ends: an undecided flow is given up (guessed), and its nDPI state freed.
  void Finish(core::Flow& f);

  // nDPI's own version string and the bytes of one nDPI flow state (for the memory report).
  static std::string Version();
  static std::size_t FlowStateBytes();
  // Flows currently holding nDPI state.
  std::size_t live_states() const { return live_states_; }
  // Packets kept from nDPI because they would crash this nDPI release (ndpi_guards.h).
  std::uint64_t withheld_packets() const { return withheld_packets_; }

 private:
  struct Module;
  explicit NdpiClassifier(const ClassifierOptions& options);
  void Complete(core::Flow& f, bool give_up);

  ClassifierOptions options_;
  std::unique_ptr<Module> module_;
  std::size_t live_states_ = 0;
  std::uint64_t withheld_packets_ = 0;
};

}  // namespace parallax::classify
