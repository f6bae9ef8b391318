#include "sensor/cli/explain.h"

#include <algorithm>
#include <map>
#include <string>

namespace parallax::cli {

void PrintExplain(const roster::Roster& roster, const std::vector<divergence::Alert>& alerts,
                  std::FILE* out) {
  struct Row {
    const roster::Contractor* c;
    std::vector<const divergence::Alert*> alerts;
    int worst = 4;     // severity 1 is the worst
    double score = 0;  // highest score
  };
  std::vector<Row> rows;
  for (const auto& c : roster.contractors()) rows.push_back({&c, {}, 4, 0});
  for (const auto& a : alerts) {
    for (auto& r : rows) {
      if (r.c->id != a.contractor_id) continue;
      r.alerts.push_back(&a);
      r.worst = std::min(r.worst, a.severity);
      r.score = std::max(r.score, a.score);
    }
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
    if (x.worst != y.worst) return x.worst < y.worst;
    return x.score > y.score;
  });
  static const char* kSeverity[] = {"", "HIGH", "MEDIUM", "LOW", "none"};
  std::fprintf(out, "%-14s %-22s %-26s %-7s %s\n", "contractor", "name", "claims", "verdict",
               "alerts");
  for (const auto& r : rows) {
    const std::string claims = r.c->claimed.city + (r.c->claimed.country.empty() ? "" : ", ") +
                               r.c->claimed.country;
    std::string kinds;
    std::map<std::string, int> seen;
    for (const auto* a : r.alerts) {
      if (seen[divergence::AlertKindName(a->kind)]++) continue;
      kinds += (kinds.empty() ? "" : ", ") + std::string(divergence::AlertKindName(a->kind));
    }
    std::fprintf(out, "%-14s %-22s %-26s %-7s %s\n", r.c->id.c_str(), r.c->name.c_str(),
                 claims.c_str(), kSeverity[r.worst], kinds.empty() ? "-" : kinds.c_str());
    for (const auto* a : r.alerts) {
      std::fprintf(out, "    [%s] %s: %s\n", kSeverity[a->severity],
                   divergence::AlertKindName(a->kind), a->explanation.c_str());
    }
  }
}

}  // namespace parallax::cli
