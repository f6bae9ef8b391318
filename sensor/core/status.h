// core::Status is the project's one Status (sensor/base/status.h).
#pragma once

#include "sensor/base/status.h"

namespace parallax::core {
using Status = ::parallax::Status;
}  // namespace parallax::core
