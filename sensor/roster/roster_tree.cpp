#include "sensor/roster/roster_tree.h"

#include <utility>

namespace parallax::roster {
namespace {

using nlohmann::json;

// The keys of a contractor object, nested or not, and the field each holds.
struct Key {
  const char* name;
  Field field;
};
constexpr Key kTopKeys[] = {{"id", Field::kId},
                            {"name", Field::kName},
                            {"timezone", Field::kTimeZone},
                            {"egress_ips", Field::kEgressIps},
                            {"identity_aliases", Field::kIdentityAliases}};
constexpr Key kClaimedKeys[] = {{"city", Field::kCity},
                                {"country", Field::kCountry},
                                {"lat", Field::kLatitude},
                                {"lon", Field::kLongitude}};
constexpr Key kHoursKeys[] = {
    {"start", Field::kWorkStart}, {"end", Field::kWorkEnd}, {"days", Field::kWorkDays}};
constexpr Key kDeviceKeys[] = {{"ips", Field::kDeviceIps}, {"macs", Field::kDeviceMacs}};

template <std::size_t N>
std::string KeyList(const Key (&keys)[N], const char* extra = nullptr) {
  std::string s;
  for (const Key& k : keys) s += (s.empty() ? "" : ", ") + std::string(k.name);
  if (extra) s += std::string(", ") + extra;
  return s;
}

class TreeReader {
 public:
  TreeReader(const std::string& file, const LineOfPath& line_of,
             std::vector<RosterProblem>* problems)
      : file_(file), line_of_(line_of), problems_(problems) {}

  // False when `obj` is not a contractor object at all (reported; no record is made, so its
  // fields are not also reported missing).
  bool Contractor(const json& obj, const std::string& path, RosterRecord* rec) {
    rec->path = path;
    rec->line = line_of_(path);
    if (!obj.is_object()) {
      Problem(path, "expected an object (one contractor)");
      return false;
    }
    for (const auto& [key, value] : obj.items()) {
      const std::string child = path + "." + key;
      if (key == "claimed") {
        Group(value, child, kClaimedKeys, rec);
      } else if (key == "working_hours") {
        Group(value, child, kHoursKeys, rec);
      } else if (key == "devices") {
        Group(value, child, kDeviceKeys, rec);
      } else if (const Key* k = Find(kTopKeys, key)) {
        Set(value, child, k->field, rec);
      } else {
        // Refused rather than ignored: a misspelt key would silently drop a selector.
        Problem(child, "unknown key (expected " +
                           KeyList(kTopKeys, "claimed, working_hours, devices") + ")");
      }
    }
    return true;
  }

  void Problem(const std::string& path, std::string message) {
    problems_->push_back({file_, line_of_(path), path, std::move(message)});
  }

 private:
  template <std::size_t N>
  static const Key* Find(const Key (&keys)[N], const std::string& name) {
    for (const Key& k : keys) {
      if (name == k.name) return &k;
    }
    return nullptr;
  }

  template <std::size_t N>
  void Group(const json& obj, const std::string& path, const Key (&keys)[N], RosterRecord* rec) {
    if (obj.is_null()) return;
    if (!obj.is_object()) {
      Problem(path, "expected an object with " + KeyList(keys));
      for (const Key& k : keys) rec->at(k.field).invalid = true;
      return;
    }
    for (const auto& [key, value] : obj.items()) {
      const std::string child = path + "." + key;
      if (const Key* k = Find(keys, key)) {
        Set(value, child, k->field, rec);
      } else {
        Problem(child, "unknown key (expected " + KeyList(keys) + ")");
      }
    }
  }

  // Scalars as text: strings as they are, numbers as written (so "40.7128" stays exact).
  static bool ScalarText(const json& v, std::string* out) {
    if (v.is_string()) {
      *out = v.get<std::string>();
    } else if (v.is_number_integer()) {
      *out = v.dump();
    } else if (v.is_number_float()) {
      *out = v.dump();
    } else {
      return false;
    }
    return true;
  }

  void Set(const json& value, const std::string& path, Field f, RosterRecord* rec) {
    if (value.is_null()) return;  // "key: ~" in YAML, null in JSON: absent
    RawField& raw = rec->at(f);
    raw.line = line_of_(path);
    const bool list = f == Field::kDeviceIps || f == Field::kDeviceMacs || f == Field::kEgressIps ||
                      f == Field::kIdentityAliases;
    if (list || (f == Field::kWorkDays && value.is_array())) {
      if (!value.is_array()) {
        Problem(path, "expected a list of strings");
        raw.invalid = true;
        return;
      }
      std::string joined;  // days as a list join into one "Mon,Wed" text
      for (std::size_t i = 0; i < value.size(); ++i) {
        const std::string item_path = path + "[" + std::to_string(i) + "]";
        std::string text;
        if (!value[i].is_string() || !ScalarText(value[i], &text)) {
          Problem(item_path, "expected a string");
          raw.invalid = true;
          continue;
        }
        if (f == Field::kWorkDays) {
          joined += (joined.empty() ? "" : ",") + text;
        } else {
          std::size_t line = line_of_(item_path);
          raw.items.push_back({text, line ? line : raw.line});
        }
      }
      if (f == Field::kWorkDays) raw.items.push_back({joined, raw.line});
      raw.present = true;
      return;
    }
    std::string text;
    if (!ScalarText(value, &text)) {
      Problem(path, f == Field::kLatitude || f == Field::kLongitude ? "expected a number"
                                                                    : "expected a string");
      raw.invalid = true;
      return;
    }
    raw.items.push_back({text, raw.line});
    raw.present = true;
  }

  const std::string& file_;
  const LineOfPath& line_of_;
  std::vector<RosterProblem>* problems_;
};

}  // namespace

void RecordsFromTree(const std::string& file, const nlohmann::json& root, const LineOfPath& line_of,
                     std::vector<RosterRecord>* records, std::vector<RosterProblem>* problems) {
  TreeReader reader(file, line_of, problems);
  if (!root.is_object() || !root.contains("contractors")) {
    problems->push_back(
        {file, line_of(""), "contractors", "missing: the roster is {\"contractors\": [...]}"});
    return;
  }
  for (const auto& [key, value] : root.items()) {
    if (key != "contractors") reader.Problem(key, "unknown key (expected contractors)");
  }
  const json& list = root.at("contractors");
  if (!list.is_array()) {
    reader.Problem("contractors", "expected a list of contractors");
    return;
  }
  for (std::size_t i = 0; i < list.size(); ++i) {
    RosterRecord rec;
    if (reader.Contractor(list[i], "contractors[" + std::to_string(i) + "]", &rec)) {
      records->push_back(std::move(rec));
    }
  }
}

}  // namespace parallax::roster
