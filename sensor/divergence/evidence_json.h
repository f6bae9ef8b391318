// Evidence to and from JSON, for the SQLite store: a restart (or a second `read` with the same
// --store) continues from the evidence already gathered instead of starting blind.
#pragma once

#include <nlohmann/json.hpp>

#include "sensor/divergence/evidence.h"

namespace parallax::divergence {

nlohmann::json ToJson(const ContractorWindow& w);
// Malformed input (a store written by another version) yields false, never an exception.
bool FromJson(const nlohmann::json& j, ContractorWindow* w);

}  // namespace parallax::divergence
