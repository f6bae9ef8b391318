#include "sensor/roster/roster_record.h"

namespace parallax::roster {
namespace {

// Indexed by Field. The CSV columns and the nested JSON/YAML paths name the same fields; keep
// both tables in step with docs/roster.md.
constexpr const char* kCsvColumns[] = {
    "id",          "name",        "claimed_city", "claimed_country", "claimed_lat",
    "claimed_lon", "timezone",    "work_start",   "work_end",        "work_days",
    "device_ips",  "device_macs", "egress_ips",   "identity_aliases",
};
constexpr const char* kNestedPaths[] = {
    "id",          "name",         "claimed.city",        "claimed.country",   "claimed.lat",
    "claimed.lon", "timezone",     "working_hours.start", "working_hours.end", "working_hours.days",
    "devices.ips", "devices.macs", "egress_ips",          "identity_aliases",  "claimed",
};
static_assert(std::size(kCsvColumns) == kValueFieldCount);
static_assert(std::size(kNestedPaths) == static_cast<int>(Field::kClaimed) + 1);

}  // namespace

const char* CsvColumn(Field f) {
  const int i = static_cast<int>(f);
  return i < kValueFieldCount ? kCsvColumns[i] : nullptr;
}

std::string FieldName(const RosterRecord& r, Field f) {
  if (r.path.empty()) {
    // CSV has no column for a group: point at the first column of it.
    if (f == Field::kClaimed) return CsvColumn(Field::kCity);
    return CsvColumn(f);
  }
  return r.path + "." + kNestedPaths[static_cast<int>(f)];
}

}  // namespace parallax::roster
