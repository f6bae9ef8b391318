// Test harness for analyzers: frames → decoder → flow table → nDPI → AnalyzerHost, with a fake
// NetworkIntel whose answers the test sets per address. Also reads whole capture files.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analyzers/analyzer_host.h"
#include "sensor/capture/pcap_source.h"
#include "sensor/classify/ndpi_classifier.h"
#include "sensor/core/decoder.h"
#include "sensor/core/flow_table.h"
#include "tests/core/packet_builder.h"

namespace parallax::test {

class FakeIntel : public analyzers::NetworkIntel {
 public:
  // Sets the answer for an address ("hosting", "vpn", "residential"...). Any other address is
  // what geoip says of a public address no source knows: "unknown" (known: the data is loaded).
  void Set(const std::string& ip, analyzers::NetworkInfo info) {
    info.known = true;
    answers_[ip] = std::move(info);
  }
  analyzers::NetworkInfo Lookup(const core::IpAddress& a) override {
    auto it = answers_.find(a.ToString());
    if (it != answers_.end()) return it->second;
    analyzers::NetworkInfo n;
    n.type = "unknown";
    n.known = true;
    return n;
  }

 private:
  std::map<std::string, analyzers::NetworkInfo> answers_;
};

struct Found {
  std::string src, dst;
  analyzers::Fingerprint fp;
};

// Runs the named analyzers ("all" for every registered one) over frames or captures and collects
// the fingerprints of every flow as it ends.
class AnalyzerHarness : public core::FlowObserver {
 public:
  explicit AnalyzerHarness(const std::string& analyzers = "all") {
    std::string err;
    classifier_ = classify::NdpiClassifier::Create(classify::ClassifierOptions{}, &err);
    REQUIRE(classifier_);
    REQUIRE(analyzers::AnalyzerHost::Create(analyzers, &host_).ok());
    host_->set_intel(&intel);
    table_ = std::make_unique<core::FlowTable>(core::FlowTableOptions{}, this, &anomalies_);
  }

  void Feed(const Bytes& frame, core::TimeUs ts, core::LinkType link = core::LinkType::kEthernet) {
    core::PacketView pv{ts, frame.data(), static_cast<std::uint32_t>(frame.size()),
                        static_cast<std::uint32_t>(frame.size()), link};
    FeedView(pv);
  }

  void FeedView(const core::PacketView& pv) {
    core::DecodedPacket p;
    if (core::Decode(pv, p, anomalies_) != core::DecodeStatus::kOk) return;
    if (p.is_fragment && !p.is_first_fragment) return;
    core::Direction d;
    core::Flow* f = table_->Process(p, &d);
    classifier_->Process(*f, p);
    host_->OnPacket(*f, p, d);
  }

  // Reads a whole capture; returns false (and the test should SKIP/WARN) when it is missing.
  bool ReadFile(const std::string& path) {
    core::Status st;
    auto src = capture::OpenCaptureFile(path, "", &st);
    if (!src) return false;
    core::PacketView pv;
    while (src->Next(&pv) == capture::NextResult::kPacket) FeedView(pv);
    return true;
  }

  // Ends every flow and returns all fingerprints.
  const std::vector<Found>& Finish() {
    table_->EndAll(core::FlowEndReason::kShutdown);
    return found;
  }

  void OnFlowEnd(core::Flow& f, core::FlowEndReason) override {
    classifier_->Finish(f);
    for (auto& fp : host_->OnFlowEnd(f)) {
      found.push_back({f.orig_addr.ToString(), f.resp_addr.ToString(), std::move(fp)});
    }
    host_->Release(f);
  }
  void OnFlowInterim(core::Flow&) override {}

  // The fingerprints of one kind.
  std::vector<analyzers::Fingerprint> OfKind(analyzers::Kind k) const {
    std::vector<analyzers::Fingerprint> out;
    for (const auto& f : found)
      if (f.fp.kind == k) out.push_back(f.fp);
    return out;
  }

  FakeIntel intel;
  std::vector<Found> found;

 private:
  core::AnomalyCounters anomalies_;
  std::unique_ptr<classify::NdpiClassifier> classifier_;
  std::unique_ptr<analyzers::AnalyzerHost> host_;
  std::unique_ptr<core::FlowTable> table_;
};

inline std::string SharedPcap(const std::string& rel) {
  return std::string(PARALLAX_SHARED_PCAPS) + "/" + rel;
}

}  // namespace parallax::test
