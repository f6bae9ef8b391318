#include "sensor/divergence/working_hours.h"

#include <cstdlib>

namespace parallax::divergence {

bool InWorkingHours(int minute_of_day, int weekday_mon0, const roster::WorkingHours& h) {
  if (!(h.days & (1u << weekday_mon0))) return false;
  if (h.start_minute <= h.end_minute) {
    return minute_of_day >= h.start_minute && minute_of_day < h.end_minute;
  }
  return minute_of_day >= h.start_minute || minute_of_day < h.end_minute;  // night shift
}

double WorkingHoursShare(const HourlyActivity& activity, int offset_min,
                         const roster::WorkingHours& h, std::uint64_t total) {
  std::uint64_t in = 0;
  for (const auto& [hour, n] : activity) {
    const std::int64_t local_min = hour * 60 + 30 + offset_min;  // middle of the hour
    const std::int64_t day = local_min >= 0 ? local_min / 1440 : (local_min - 1439) / 1440;
    const int minute = static_cast<int>(local_min - day * 1440);
    const int weekday = static_cast<int>(((day + 3) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
    if (InWorkingHours(minute, weekday, h)) in += n;
  }
  return total ? static_cast<double>(in) / static_cast<double>(total) : 0;
}

OffsetFit BestFittingOffset(const HourlyActivity& activity, int claimed_offset_min,
                            const roster::WorkingHours& h, std::uint64_t total) {
  OffsetFit best{0, -1};
  for (int off = -12 * 60; off <= 14 * 60; off += 60) {
    const double s = WorkingHoursShare(activity, off, h, total);
    if (s > best.share + 1e-9 ||
        (std::abs(s - best.share) <= 1e-9 &&
         std::abs(off - claimed_offset_min) < std::abs(best.offset_min - claimed_offset_min))) {
      best = {off, s};
    }
  }
  return best;
}

}  // namespace parallax::divergence
