#include "geoip/geometry.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace parallax::geoip {

double HaversineKm(double lat1, double lon1, double lat2, double lon2) {
  constexpr double kRad = std::numbers::pi / 180.0;
  const double dlat = (lat2 - lat1) * kRad;
  const double dlon = (lon2 - lon1) * kRad;
  const double a =
      std::sin(dlat / 2) * std::sin(dlat / 2) +
      std::cos(lat1 * kRad) * std::cos(lat2 * kRad) * std::sin(dlon / 2) * std::sin(dlon / 2);
  // Clamp: rounding can push `a` a hair above 1 for antipodal points, and asin(>1) is NaN.
  return 2 * kEarthRadiusKm * std::asin(std::sqrt(std::clamp(a, 0.0, 1.0)));
}

double RttFloorMs(double distance_km, double stretch) {
  return std::max(distance_km, 0.0) * stretch / kFibreKmPerRttMs;
}

double MaxDistanceKm(double rtt_ms, double stretch) {
  if (stretch <= 0) stretch = kPhysicalStretch;
  return std::max(rtt_ms, 0.0) * kFibreKmPerRttMs / stretch;
}

}  // namespace parallax::geoip
