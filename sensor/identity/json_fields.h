// Reading the JSON-lines identity logs (Okta, Entra ID, Google Workspace): one object per line,
// with members found by path. Parse errors become a message with the column, never an
// exception. Internal to parallax_identity. Thread-safe: pure functions.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sensor/core/ip_address.h"

namespace parallax::identity {

// The line as a JSON object; false with *error ("column 17: ...") otherwise.
bool ParseJsonObject(std::string_view line, nlohmann::json* out, std::string* error);

// The member at a path of object keys, or nullptr (absent, null, or a step is not an object).
const nlohmann::json* At(const nlohmann::json& obj, std::initializer_list<const char*> path);

// A non-empty string at the path, trimmed; nullopt otherwise.
std::optional<std::string> StringAt(const nlohmann::json& obj,
                                    std::initializer_list<const char*> path);

// An address at the path: absent is nullopt with no error; present but not an address sets
// *error.
std::optional<core::IpAddress> AddressAt(const nlohmann::json& obj,
                                         std::initializer_list<const char*> path,
                                         std::string* error);

}  // namespace parallax::identity
