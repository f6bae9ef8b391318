#include "sensor/identity/json_fields.h"

#include "sensor/roster/json_positions.h"
#include "sensor/roster/roster_fields.h"

namespace parallax::identity {

using nlohmann::json;

bool ParseJsonObject(std::string_view line, json* out, std::string* error) {
  try {
    *out = json::parse(line);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    *error = "column " +
             std::to_string(roster::PositionOf(std::string(line), e.byte ? e.byte - 1 : 0).column) +
             ": " + what;
    return false;
  } catch (const json::exception& e) {
    // Not a syntax error but still a bad line (a number beyond a double).
    *error = e.what();
    return false;
  }
  if (!out->is_object()) {
    *error = "expected a JSON object";
    return false;
  }
  return true;
}

const json* At(const json& obj, std::initializer_list<const char*> path) {
  const json* at = &obj;
  for (const char* key : path) {
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at->is_null() ? nullptr : at;
}

std::optional<std::string> StringAt(const json& obj, std::initializer_list<const char*> path) {
  const json* v = At(obj, path);
  if (!v || !v->is_string()) return std::nullopt;
  std::string s(roster::Trim(v->get_ref<const std::string&>()));
  if (s.empty()) return std::nullopt;
  return s;
}

std::optional<core::IpAddress> AddressAt(const json& obj, std::initializer_list<const char*> path,
                                         std::string* error) {
  const json* v = At(obj, path);
  if (!v) return std::nullopt;
  if (v->is_string()) {
    const std::string_view text = roster::Trim(v->get_ref<const std::string&>());
    if (text.empty()) return std::nullopt;
    if (auto a = core::IpAddress::Parse(std::string(text))) return a;
  }
  std::string name;
  for (const char* key : path) name += (name.empty() ? "" : ".") + std::string(key);
  *error = name + ": not an IP address (" + v->dump() + ")";
  return std::nullopt;
}

}  // namespace parallax::identity
