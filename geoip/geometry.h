// Geometry: great-circle distance and the speed-of-light bounds that tie distance to RTT.
//
// Light in fibre travels at about 2/3 c (refractive index ~1.47), ~200 km per millisecond one
// way, so each millisecond of round-trip time covers at most ~100 km of distance. Real routes
// are longer than great circles: a path stretch of ~1.5 is usual for good routes and ~2 for poor
// ones (docs/geoip.md). Use stretch 1.0 (kPhysicalStretch) for "impossible" verdicts, since no
// route beats the great circle; use 1.5..2 for "what RTT do we expect".
//
// Thread-safety: pure functions.
#ifndef PARALLAX_GEOIP_GEOMETRY_H_
#define PARALLAX_GEOIP_GEOMETRY_H_

namespace parallax::geoip {

// Mean Earth radius (IUGG), the usual choice for haversine: the sphere's error against the
// ellipsoid is below 0.5%, far under the accuracy of any IP geolocation.
inline constexpr double kEarthRadiusKm = 6371.0088;
// Kilometres of great-circle distance per millisecond of RTT at 2/3 c (200 km/ms one way).
inline constexpr double kFibreKmPerRttMs = 100.0;
inline constexpr double kPhysicalStretch = 1.0;  // the lower bound: a straight fibre
inline constexpr double kGoodPathStretch = 1.5;  // well-connected routes
inline constexpr double kPoorPathStretch = 2.0;  // detours through distant exchanges

// Great-circle distance in km between two points in decimal degrees (haversine).
double HaversineKm(double lat1, double lon1, double lat2, double lon2);

// The smallest RTT (ms) a path of `distance_km` can have with the given stretch.
double RttFloorMs(double distance_km, double stretch = kPhysicalStretch);

// The largest distance (km) a round trip of `rtt_ms` allows with the given stretch.
// Negative RTTs count as zero.
double MaxDistanceKm(double rtt_ms, double stretch = kPhysicalStretch);

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_GEOMETRY_H_
