// Working-hours arithmetic shared by the off_hours detection and the forensics report (which
// shows the same figures the detection judged): the share of a contractor's activity (flow
// starts per UTC hour) inside their claimed working hours on a UTC+offset clock, and the
// whole-hour offset that fits the activity best.
#pragma once

#include <cstdint>
#include <map>

#include "sensor/roster/roster.h"

namespace parallax::divergence {

// UTC hour (hours since the epoch) -> flow starts in it.
using HourlyActivity = std::map<std::int64_t, std::uint32_t>;

// Whether minute_of_day on weekday (0 = Monday) is inside h (night shifts wrap midnight).
bool InWorkingHours(int minute_of_day, int weekday_mon0, const roster::WorkingHours& h);

// Share of `total` activity inside working hours if the worker's clock were UTC+offset_min
// (each hour counted at its middle); 0 when total is 0.
double WorkingHoursShare(const HourlyActivity& activity, int offset_min,
                         const roster::WorkingHours& h, std::uint64_t total);

struct OffsetFit {
  int offset_min = 0;
  double share = 0;
};
// The whole-hour offset from UTC-12 to UTC+14 with the largest share; ties go to the offset
// nearest the claimed one (never accuse on an ambiguous fit). Activity is counted per UTC
// hour, so a half-hour zone (India's +05:30) cannot be told from its neighbours.
OffsetFit BestFittingOffset(const HourlyActivity& activity, int claimed_offset_min,
                            const roster::WorkingHours& h, std::uint64_t total);

}  // namespace parallax::divergence
