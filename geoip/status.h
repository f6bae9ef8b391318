// geoip::Status is the project's one Status (sensor/base/status.h: header-only, the only thing of
// ours geoip/ includes).
#ifndef PARALLAX_GEOIP_STATUS_H_
#define PARALLAX_GEOIP_STATUS_H_

#include "sensor/base/status.h"

namespace parallax::geoip {
using Status = ::parallax::Status;
}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_STATUS_H_
