// off_hours: the contractor's activity concentrates in hours that fit a time zone far from the
// claimed one (working hours that fit UTC+8/+9 rather than the claimed zone are a standard
// hunting signal). For every UTC offset the share of activity inside the claimed working hours
// (read in that offset) is computed; the best-fitting offset is reported with its share.
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "geoip/utc_offset.h"
#include "sensor/divergence/detections.h"
#include "sensor/divergence/working_hours.h"

namespace parallax::divergence {

std::optional<Alert> DetectOffHours(const DetectionContext& ctx) {
  const DivergenceOptions& o = ctx.options;
  std::map<std::int64_t, std::uint32_t> act;
  std::uint64_t total = 0;
  for (const ContractorWindow* w : ctx.lookback) {
    for (const auto& [hour, n] : w->activity) {
      act[hour] += n;
      total += n;
    }
  }
  if (static_cast<int>(total) < o.off_hours_min_events) return std::nullopt;
  const roster::Contractor& c = ctx.contractor;
  const std::int64_t mid = (ctx.window.first_ts / 2 + ctx.window.last_ts / 2) / 1'000'000;
  const auto claimed = geoip::ZoneOffsetMinutes(c.time_zone, mid);
  if (!claimed) return std::nullopt;
  const OffsetFit fit = BestFittingOffset(act, *claimed, c.hours, total);
  const int best_offset = fit.offset_min;
  const double best = fit.share;
  const double claimed_share = WorkingHoursShare(act, *claimed, c.hours, total);
  const int shift_h = std::abs(best_offset - *claimed) / 60;
  if (best < o.off_hours_min_share || claimed_share > o.off_hours_claimed_max_share ||
      shift_h < o.off_hours_min_shift_h) {
    return std::nullopt;
  }
  Alert a = NewAlert(AlertKind::kOffHours, ctx);
  a.severity = shift_h >= 8 ? 2 : 3;
  a.score = 40 + std::min(40.0, best * 40.0);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f%%", best * 100);
  const std::string best_s = buf;
  std::snprintf(buf, sizeof buf, "%.0f%%", claimed_share * 100);
  a.explanation = c.name + "'s activity fits working hours at UTC" +
                  geoip::FormatUtcOffset(best_offset) + " (" + best_s + " of " +
                  std::to_string(total) + " events), not the claimed " + c.time_zone + " (UTC" +
                  geoip::FormatUtcOffset(*claimed) + ", " + buf + ").";
  a.observed = {{"best_utc_offset", geoip::FormatUtcOffset(best_offset)},
                {"share_explained", std::round(best * 1000) / 1000}};
  a.evidence["events"] = total;
  a.evidence["claimed_utc_offset"] = geoip::FormatUtcOffset(*claimed);
  a.evidence["claimed_share"] = std::round(claimed_share * 1000) / 1000;
  a.evidence["best_utc_offset"] = geoip::FormatUtcOffset(best_offset);
  a.evidence["best_share"] = std::round(best * 1000) / 1000;
  a.evidence["shift_hours"] = shift_h;
  std::array<std::uint32_t, 24> by_hour{};
  for (const auto& [hour, n] : act) by_hour[static_cast<std::size_t>(((hour % 24) + 24) % 24)] += n;
  a.evidence["activity_by_utc_hour"] = by_hour;
  a.mitre = {{"T1078", "Valid Accounts"}};
  return a;
}

}  // namespace parallax::divergence
