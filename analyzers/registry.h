// Registry of analyzers. Each analyzer file registers itself with one line; the library is a
// CMake OBJECT library so no registration is dropped by the linker.
// Thread-safety: registration happens during static initialisation; afterwards read-only.
#pragma once

#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"

namespace parallax::analyzers {

class Registry {
 public:
  static Registry& Get();
  bool Add(const AnalyzerSpec& spec);
  // Sorted by name, so the order of fingerprints is deterministic.
  const std::vector<AnalyzerSpec>& all() const { return specs_; }
  const AnalyzerSpec* Find(std::string_view name) const;

 private:
  std::vector<AnalyzerSpec> specs_;
};

}  // namespace parallax::analyzers

// PARALLAX_REGISTER_ANALYZER(Class, "name", "description", wants_function): one instance per
// flow, fed packets until it has decided. PARALLAX_REGISTER_FLOW_END_ANALYZER: the analyzer only
// reads the ended flow; one shared instance, no per-flow cost.
#define PARALLAX_REGISTER_ANALYZER(Class, name, description, wants) \
  PARALLAX_REGISTER_ANALYZER_AS(Class, name, description, wants, true)

#define PARALLAX_REGISTER_FLOW_END_ANALYZER(Class, name, description, wants) \
  PARALLAX_REGISTER_ANALYZER_AS(Class, name, description, wants, false)

// per_packet: true for a per-flow instance fed packets, false for one shared flow-end instance.
#define PARALLAX_REGISTER_ANALYZER_AS(Class, name, description, wants, per_packet)        \
  namespace {                                                                             \
  const bool registered_##Class = ::parallax::analyzers::Registry::Get().Add(             \
      {name, description, wants,                                                          \
       []() -> std::unique_ptr<::parallax::analyzers::Analyzer> {                         \
         return std::make_unique<Class>();                                                \
       },                                                                                 \
       per_packet});                                                                      \
  }
