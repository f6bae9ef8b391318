#include "sensor/divergence/rtt_judgement.h"

#include <cstdio>

#include "geoip/geometry.h"
#include "sensor/divergence/detections.h"

namespace parallax::divergence {

RttVerdict JudgeRtt(double rtt, double km, const DivergenceOptions& o, bool mobile,
                    const std::string& what) {
  RttVerdict v;
  v.rtt_ms = rtt;
  v.km = km;
  v.floor_ms = geoip::RttFloorMs(km);
  const double allowance = o.last_mile_allowance_ms + (mobile ? o.mobile_allowance_ms : 0);
  v.ceiling_ms = geoip::RttFloorMs(km, geoip::kPoorPathStretch) + allowance;
  char buf[360];
  if (rtt + o.impossible_tolerance_ms < v.floor_ms) {
    v.fit = RttFit::kTooFast;
    std::snprintf(buf, sizeof buf,
                  "%.1f ms is below the %.1f ms light needs for the %s %s from the sensor: "
                  "impossible",
                  rtt, v.floor_ms, Km(km).c_str(), what.c_str());
  } else if (rtt > v.ceiling_ms) {
    v.fit = RttFit::kTooSlow;
    std::snprintf(buf, sizeof buf,
                  "%.1f ms is far above the %.1f ms the %s %s needs at worst (stretch 2 + %.0f ms "
                  "%s): an extra leg such as a relay",
                  rtt, v.ceiling_ms, Km(km).c_str(), what.c_str(), allowance,
                  mobile ? "last mile and mobile radio" : "last mile");
  } else {
    std::snprintf(buf, sizeof buf, "%.1f ms fits the %s %s (%.1f..%.1f ms)", rtt, Km(km).c_str(),
                  what.c_str(), v.floor_ms, v.ceiling_ms);
  }
  v.why = buf;
  return v;
}

bool IsMobile(const GeoFact& g) { return g.network_type == "mobile"; }

}  // namespace parallax::divergence
