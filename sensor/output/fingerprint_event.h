// The `fingerprint` event: a flow's eve.json identity (flow_id, community_id, endpoints) with one
// analyzer finding under `fingerprint` (docs/events.md).
#pragma once

#include <nlohmann/json.hpp>

#include "analyzers/fingerprint.h"
#include "sensor/core/flow.h"

namespace parallax::output {

nlohmann::ordered_json FingerprintEventJson(const core::Flow& flow,
                                            const analyzers::Fingerprint& fp, bool interim);

}  // namespace parallax::output
