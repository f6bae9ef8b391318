#include "analyzers/analyzer_host.h"

#include <algorithm>
#include <cstdio>

#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

// The analyzers following one flow, kept in Flow::analyzer_state.
class FlowAnalyzers : public core::FlowExtension {
 public:
  struct Entry {
    const AnalyzerSpec* spec;
    std::unique_ptr<Analyzer> analyzer;
    bool decided = false;
  };
  std::vector<Entry> entries;
  std::size_t undecided = 0;
};

std::string FormatConfidence(double c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.2f", c);
  return buf;
}

}  // namespace

core::Status AnalyzerHost::Create(const std::string& selection,
                                  std::unique_ptr<AnalyzerHost>* out) {
  auto host = std::make_unique<AnalyzerHost>();
  const auto& reg = Registry::Get();
  if (selection == "all" || selection.empty()) {
    for (const auto& s : reg.all()) host->specs_.push_back(&s);
  } else if (selection != "none") {
    std::size_t pos = 0;
    while (pos <= selection.size()) {
      std::size_t comma = selection.find(',', pos);
      if (comma == std::string::npos) comma = selection.size();
      const std::string name = selection.substr(pos, comma - pos);
      if (!name.empty()) {
        const AnalyzerSpec* s = reg.Find(name);
        if (!s) {
          std::string known;
          for (const auto& k : reg.all()) known += (known.empty() ? "" : ", ") + std::string(k.name);
          return core::Status::Error("--analyzers: unknown analyzer '" + name + "' (known: " +
                                     known + ", all, none)");
        }
        host->specs_.push_back(s);
      }
      pos = comma + 1;
    }
  }
  // Flow-end analyzers move to their shared instances.
  std::vector<const AnalyzerSpec*> per_flow;
  for (const AnalyzerSpec* s : host->specs_) {
    if (s->per_flow) {
      per_flow.push_back(s);
    } else {
      host->flow_end_.push_back({s, s->create()});
    }
  }
  host->specs_ = std::move(per_flow);
  *out = std::move(host);
  return core::Status::Ok();
}

void AnalyzerHost::OnPacket(core::Flow& flow, const core::DecodedPacket& packet,
                            core::Direction direction) {
  if (specs_.empty()) return;  // only flow-end analyzers (or none): nothing per packet
  auto* fa = static_cast<FlowAnalyzers*>(flow.analyzer_state.get());
  if (!flow.analyzers_attached) {
    flow.analyzers_attached = true;
    std::unique_ptr<FlowAnalyzers> fresh;
    for (const AnalyzerSpec* s : specs_) {
      if (s->wants && !s->wants(flow, packet)) continue;
      if (!fresh) fresh = std::make_unique<FlowAnalyzers>();
      fresh->entries.push_back({s, s->create(), false});
      ++fresh->undecided;
    }
    if (!fresh) return;
    fa = fresh.get();
    flow.analyzer_state = std::move(fresh);
  }
  if (!fa || fa->undecided == 0) return;
  for (auto& e : fa->entries) {
    if (e.decided) continue;
    e.analyzer->OnPacket(flow, packet, direction);
    if (e.analyzer->Decided()) {
      e.decided = true;
      --fa->undecided;
      if (e.analyzer->Disposable()) e.analyzer.reset();
    }
  }
}

std::vector<Fingerprint> AnalyzerHost::OnFlowEnd(core::Flow& flow) {
  std::vector<Fingerprint> all;
  auto run = [&](const AnalyzerSpec* spec, Analyzer& a) {
    const std::size_t before = all.size();
    a.OnFlowEnd(flow, ctx_, all);
    for (std::size_t i = before; i < all.size(); ++i) {
      all[i].analyzer = spec->name;
      all[i].confidence = std::clamp(all[i].confidence, 0.0, 1.0);
    }
  };
  if (auto* fa = static_cast<FlowAnalyzers*>(flow.analyzer_state.get())) {
    for (auto& e : fa->entries) {
      if (e.analyzer) run(e.spec, *e.analyzer);
    }
  }
  static const core::DecodedPacket kNoPacket;
  for (auto& s : flow_end_) {
    if (!s.spec->wants || s.spec->wants(flow, kNoPacket)) run(s.spec, *s.analyzer);
  }
  if (all.empty()) return all;
  // Stable order regardless of which analyzers were per-flow: by analyzer name.
  std::stable_sort(all.begin(), all.end(), [](const Fingerprint& a, const Fingerprint& b) {
    return a.analyzer < b.analyzer;
  });
  // Generic tunnel heuristics yield to a named session: a remote-desktop relay's encrypted stream
  // looks like a tunnel but is already explained.
  const bool named_session = std::any_of(all.begin(), all.end(), [](const Fingerprint& f) {
    return f.kind == Kind::kRemoteDesktop && f.confidence >= 0.5;
  });
  if (named_session) {
    std::erase_if(all, [](const Fingerprint& f) { return f.generic; });
  }
  // One per kind: the most confident (ties: the first analyzer by name), corroborated by others.
  std::stable_sort(all.begin(), all.end(), [](const Fingerprint& a, const Fingerprint& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.confidence > b.confidence;
  });
  std::vector<Fingerprint> merged;
  for (auto& fp : all) {
    if (!merged.empty() && merged.back().kind == fp.kind) {
      merged.back().Add("corroborated_by", fp.analyzer + ": " + fp.product + " (" +
                                               FormatConfidence(fp.confidence) + ")");
      continue;
    }
    merged.push_back(std::move(fp));
  }
  return merged;
}

void AnalyzerHost::Release(core::Flow& flow) { flow.analyzer_state.reset(); }

}  // namespace parallax::analyzers
