// The `alert` event: Suricata's eve `alert` object (signature_id, signature, category, severity)
// so existing eve.json pipelines take it unchanged, plus the finding under `parallax`
// (docs/alerts.md, docs/alert.schema.json).
#pragma once

#include <nlohmann/json.hpp>

#include "sensor/divergence/alert.h"

namespace parallax::output {

nlohmann::ordered_json AlertEventJson(const divergence::Alert& alert, core::TimeUs now);

}  // namespace parallax::output
