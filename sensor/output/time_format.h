// Timestamps as Suricata's eve.json writes them: "2016-07-27T09:31:58.123456+0000" (UTC).
#pragma once

#include <string>

#include "sensor/core/time.h"

namespace parallax::output {

std::string FormatTimestamp(core::TimeUs ts);

}  // namespace parallax::output
