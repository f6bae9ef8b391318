// The YAML roster: the JSON structure written as YAML. The document is converted to
// nlohmann::json (every scalar as a string; the builder parses numbers) with the line of each
// path, then read by the same code as JSON.
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "sensor/roster/roster_loaders.h"
#include "sensor/roster/roster_tree.h"

namespace parallax::roster {
namespace {

// Deeper than any roster; anchors and aliases cannot loop in yaml-cpp, but a hostile nesting
// could still exhaust the stack.
constexpr int kMaxDepth = 256;

std::size_t LineOf(const YAML::Node& n) {
  const YAML::Mark m = n.Mark();
  return m.is_null() || m.line < 0 ? 0 : static_cast<std::size_t>(m.line) + 1;
}

// A key given twice in one mapping is a problem: yaml-cpp keeps both and a lookup would answer
// one of them silently ({id: a, id: b} loaded as "b"). The first is kept, for the messages.
nlohmann::json Convert(const std::string& file, const YAML::Node& node, const std::string& path,
                       std::size_t line, int depth,
                       std::unordered_map<std::string, std::size_t>* lines,
                       std::vector<RosterProblem>* problems) {
  const std::size_t own = LineOf(node);
  // An empty value ("city:") has no mark of its own; the key's line is the useful one.
  (*lines)[path] = own ? own : line;
  if (depth > kMaxDepth) return nullptr;
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return node.Scalar();
    case YAML::NodeType::Sequence: {
      nlohmann::json a = nlohmann::json::array();
      std::size_t i = 0;
      for (const auto& item : node) {
        a.push_back(Convert(file, item, path + "[" + std::to_string(i++) + "]", own, depth + 1,
                            lines, problems));
      }
      return a;
    }
    case YAML::NodeType::Map: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& kv : node) {
        const std::string key = kv.first.Scalar();
        const std::string child = path.empty() ? key : path + "." + key;
        if (o.contains(key)) {
          problems->push_back({file, LineOf(kv.first), child,
                               "given twice (first on line " + std::to_string((*lines)[child]) +
                                   ")"});
          continue;
        }
        o[key] = Convert(file, kv.second, child, LineOf(kv.first), depth + 1, lines, problems);
        // A nested map's own mark is its first key's line; the line of the key naming it
        // ("claimed:") is where a reader looks.
        if (auto kl = LineOf(kv.first)) (*lines)[child] = kl;
      }
      return o;
    }
    default:  // Null, Undefined
      return nullptr;
  }
}

}  // namespace

void ReadYamlRoster(const std::string& file, std::string_view text,
                    std::vector<RosterRecord>* records, std::vector<RosterProblem>* problems) {
  YAML::Node doc;
  try {
    doc = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    const std::size_t line = e.mark.is_null() ? 0 : static_cast<std::size_t>(e.mark.line) + 1;
    problems->push_back(
        {file, line, "", "column " + std::to_string(e.mark.column + 1) + ": " + e.msg});
    return;
  }
  std::unordered_map<std::string, std::size_t> lines;
  const nlohmann::json root = Convert(file, doc, "", 1, 0, &lines, problems);
  RecordsFromTree(
      file, root,
      [&](const std::string& path) {
        auto it = lines.find(path);
        return it == lines.end() ? std::size_t{0} : it->second;
      },
      records, problems);
}

}  // namespace parallax::roster
