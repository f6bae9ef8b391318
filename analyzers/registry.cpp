#include "analyzers/registry.h"

#include <algorithm>
#include <cstring>

namespace parallax::analyzers {

Registry& Registry::Get() {
  static Registry r;
  return r;
}

bool Registry::Add(const AnalyzerSpec& spec) {
  auto pos = std::lower_bound(specs_.begin(), specs_.end(), spec,
                              [](const AnalyzerSpec& a, const AnalyzerSpec& b) {
                                return std::strcmp(a.name, b.name) < 0;
                              });
  specs_.insert(pos, spec);
  return true;
}

const AnalyzerSpec* Registry::Find(std::string_view name) const {
  for (const auto& s : specs_)
    if (name == s.name) return &s;
  return nullptr;
}

}  // namespace parallax::analyzers
