// Where things are in a JSON text, for messages: nlohmann::json keeps no positions, so the
// loaders that need a line for a value scan the text once more with this small tokenizer.
// Internal to parallax_roster. Thread-safe: immutable once built.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace parallax::roster {

struct LineColumn {
  std::size_t line = 1;    // 1-based
  std::size_t column = 1;  // 1-based, in bytes
};

// The line and column of byte `offset` (0-based) of `text`.
LineColumn PositionOf(std::string_view text, std::size_t offset);

// The line on which each value starts, keyed by its path: object members as "a.b", array
// elements as "a[2]" ("contractors[2].claimed.lat"); the root is "". REQUIRES: `text` is
// well-formed JSON (parse it with nlohmann first, which may refuse it only for a number out of
// range); on malformed text the map is incomplete.
class JsonPositions {
 public:
  // A member whose key its object already has (nlohmann keeps the last one silently).
  struct RepeatedKey {
    std::string path;
    std::size_t line = 0, first_line = 0;
  };

  explicit JsonPositions(std::string_view text);
  std::size_t LineOf(const std::string& path) const;  // 0 when unknown (the first, if twice)
  const std::vector<RepeatedKey>& repeated_keys() const { return repeated_keys_; }  // in text order

  // A number beyond a double ("1e400"): nlohmann refuses the whole text without a position.
  struct Overflow {
    std::string path, literal;
    std::size_t line = 0;
  };
  const std::vector<Overflow>& overflows() const { return overflows_; }

 private:
  void Value(const std::string& path);
  void SkipSpace();
  std::string String();  // at a '"'; returns the raw (unescaped only for \" and \\) contents

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  int depth_ = 0;
  std::unordered_map<std::string, std::size_t> lines_;
  std::vector<RepeatedKey> repeated_keys_;
  std::vector<Overflow> overflows_;
};

}  // namespace parallax::roster
