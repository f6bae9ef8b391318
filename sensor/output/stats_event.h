// The closing `stats` event: packets, bytes, flows, anomalies and capture drops of the run.
#pragma once

#include <nlohmann/json.hpp>

#include "sensor/core/sensor_stats.h"

namespace parallax::output {

nlohmann::ordered_json StatsEventJson(const core::SensorStats& stats);

}  // namespace parallax::output
