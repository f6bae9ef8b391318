#include "sensor/cli/command_suggestion.h"

#include <algorithm>

namespace parallax::cli {
namespace {

// Optimal string alignment distance: insertions, deletions, substitutions and transpositions.
std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::optional<std::string> SuggestCommand(const std::string& typed,
                                          const std::vector<std::string>& known) {
  std::optional<std::string> best;
  std::size_t best_distance = 0;
  for (const auto& k : known) {
    const std::size_t dist = EditDistance(typed, k);
    const std::size_t allowed = std::max<std::size_t>(1, std::max(typed.size(), k.size()) / 3);
    if (dist > allowed) continue;
    if (!best || dist < best_distance) {
      best = k;
      best_distance = dist;
    }
  }
  return best;
}

}  // namespace parallax::cli
