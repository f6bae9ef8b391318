#include "sensor/cli/explain.h"

#include <algorithm>
#include <map>
#include <string>

#include "sensor/core/terminal_text.h"
#include "sensor/output/time_format.h"

namespace parallax::cli {

void PrintExplain(const roster::Roster& roster, const std::vector<divergence::Alert>& alerts,
                  const std::map<std::string, divergence::SuppressedFinding>* suppressed,
                  std::uint64_t suppressed_total, std::FILE* out) {
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
    // Roster text, and explanations quoting GeoIP and operator-list names, may hold control
    // characters: escaped, so a name cannot rewrite the analyst's screen.
    std::fprintf(out, "%-14s %-22s %-26s %-7s %s\n", core::ForTerminal(r.c->id).c_str(),
                 core::ForTerminal(r.c->name).c_str(), core::ForTerminal(claims).c_str(),
                 kSeverity[r.worst], kinds.empty() ? "-" : kinds.c_str());
    for (const auto* a : r.alerts) {
      std::fprintf(out, "    [%s] %s: %s\n", kSeverity[a->severity],
                   divergence::AlertKindName(a->kind), core::ForTerminal(a->explanation).c_str());
    }
  }
  if (!suppressed) return;
  // Contractor, then most severe first: the same reading order as the table.
  std::vector<const divergence::SuppressedFinding*> held;
  for (const auto& [id, f] : *suppressed) held.push_back(&f);
  std::stable_sort(held.begin(), held.end(), [](const auto* x, const auto* y) {
    if (x->alert.contractor_id != y->alert.contractor_id) {
      return x->alert.contractor_id < y->alert.contractor_id;
    }
    return x->alert.severity < y->alert.severity;
  });
  std::fprintf(out, "\nsuppressed findings: %zu (suppressed %llu times; policy rules, not alerted)\n",
               held.size(), static_cast<unsigned long long>(suppressed_total));
  for (const auto* f : held) {
    const auto& a = f->alert;
    // The window tells apart the same finding on two days ("2026-01-12T00:00").
    const std::string window = output::FormatTimestamp(a.window_start).substr(0, 16);
    std::fprintf(out, "    %-14s [%s] %s (window %s): rule %s: %s (%s)\n",
                 core::ForTerminal(a.contractor_id).c_str(), kSeverity[a.severity],
                 divergence::AlertKindName(a.kind), window.c_str(),
                 core::ForTerminal(f->rule_id).c_str(), core::ForTerminal(f->reason).c_str(),
                 core::ForTerminal(f->who).c_str());
  }
}

}  // namespace parallax::cli
