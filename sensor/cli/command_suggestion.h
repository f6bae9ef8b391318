// "did you mean 'read'?" for a mistyped subcommand (git's and cargo's habit): the closest known
// name by edit distance, when it is close enough to be a typo rather than another word.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace parallax::cli {

// The known name nearest to `typed` (Damerau-Levenshtein: a swap of two neighbours is one edit,
// so "raed" is one edit from "read"), if at most a third of the longer name differs (at least
// one edit); ties go to the first in `known`.
std::optional<std::string> SuggestCommand(const std::string& typed,
                                          const std::vector<std::string>& known);

}  // namespace parallax::cli
