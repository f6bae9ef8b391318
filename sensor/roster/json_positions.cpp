#include "sensor/roster/json_positions.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace parallax::roster {
namespace {

// Far deeper than any roster; stops a hostile file from exhausting the stack (nlohmann has
// already parsed it, but recursion here is ours).
constexpr int kMaxDepth = 256;

}  // namespace

LineColumn PositionOf(std::string_view text, std::size_t offset) {
  LineColumn lc;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++lc.line;
      lc.column = 1;
    } else {
      ++lc.column;
    }
  }
  return lc;
}

JsonPositions::JsonPositions(std::string_view text) : text_(text) { Value(""); }

std::size_t JsonPositions::LineOf(const std::string& path) const {
  auto it = lines_.find(path);
  return it == lines_.end() ? 0 : it->second;
}

void JsonPositions::SkipSpace() {
  while (pos_ < text_.size()) {
    const char c = text_[pos_];
    if (c == '\n') {
      ++line_;
    } else if (c != ' ' && c != '\t' && c != '\r') {
      return;
    }
    ++pos_;
  }
}

std::string JsonPositions::String() {
  std::string s;
  ++pos_;  // opening quote
  while (pos_ < text_.size() && text_[pos_] != '"') {
    if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
    s.push_back(text_[pos_++]);
  }
  ++pos_;  // closing quote
  return s;
}

void JsonPositions::Value(const std::string& path) {
  SkipSpace();
  if (pos_ >= text_.size()) return;
  if (depth_ >= kMaxDepth) {
    pos_ = text_.size();  // give up on the rest: lines stay unknown (0), nothing breaks
    return;
  }
  ++depth_;
  lines_.emplace(path, line_);
  const char c = text_[pos_];
  if (c == '{' || c == '[') {
    const bool object = c == '{';
    const char close = object ? '}' : ']';
    std::unordered_set<std::string> keys;
    ++pos_;
    for (std::size_t index = 0;; ++index) {
      SkipSpace();
      if (pos_ >= text_.size()) break;
      if (text_[pos_] == close) {
        ++pos_;
        break;
      }
      if (text_[pos_] == ',') {
        ++pos_;
        SkipSpace();
      }
      std::string child;
      if (object) {
        const std::string key = String();
        SkipSpace();
        ++pos_;  // ':'
        child = path.empty() ? key : path + "." + key;
        if (!keys.insert(key).second) repeated_keys_.push_back({child, line_, LineOf(child)});
      } else {
        child = path + "[" + std::to_string(index) + "]";
      }
      Value(child);
    }
  } else if (c == '"') {
    String();
  } else {
    // Numbers and literals run to the next delimiter.
    const std::size_t start = pos_;
    while (pos_ < text_.size() && text_[pos_] != ',' && text_[pos_] != '}' && text_[pos_] != ']' &&
           text_[pos_] != ' ' && text_[pos_] != '\n' && text_[pos_] != '\t' &&
           text_[pos_] != '\r') {
      ++pos_;
    }
    // A stray delimiter where a value belongs (`[{...}}]`): step over it, or the container loop
    // above would stay on it for ever (found by fuzz_roster: 1.5 GB of paths in 15 s).
    if (pos_ == start) ++pos_;
    const std::string literal(text_.substr(start, pos_ - start));
    const bool number =
        !literal.empty() &&
        (literal[0] == '-' || std::isdigit(static_cast<unsigned char>(literal[0])));
    if (number) {
      errno = 0;
      const double v = std::strtod(literal.c_str(), nullptr);
      if (errno == ERANGE && std::isinf(v)) overflows_.push_back({path, literal, line_});
    }
  }
  --depth_;
}

}  // namespace parallax::roster
