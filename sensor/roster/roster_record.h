// RosterRecord: one contractor as the loaders read it, before validation: the raw text of each
// field with the line it came from. The CSV, JSON and YAML loaders only produce records; the
// RosterBuilder turns them into Contractors so that all three formats validate identically.
// Internal to parallax_roster.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace parallax::roster {

enum class Field : int {
  kId,
  kName,
  kCity,
  kCountry,
  kLatitude,
  kLongitude,
  kTimeZone,
  kWorkStart,
  kWorkEnd,
  kWorkDays,
  kDeviceIps,
  kDeviceMacs,
  kEgressIps,
  kIdentityAliases,
  // Groups, for problems about several fields at once.
  kClaimed,
};
constexpr int kValueFieldCount = static_cast<int>(Field::kIdentityAliases) + 1;

struct RawItem {
  std::string text;
  std::size_t line = 0;
};

struct RawField {
  bool present = false;  // given in the file (an empty CSV cell counts as absent)
  // Given but unusable (a list where a string belongs...): the reader has reported it, and the
  // builder stays quiet about the field rather than also calling it missing.
  bool invalid = false;
  std::size_t line = 0;
  std::vector<RawItem> items;  // one for scalar fields; any number for lists
};

struct RosterRecord {
  std::size_t line = 0;  // where the contractor starts (CSV row, JSON/YAML object)
  // "" for CSV (fields are named by column); "contractors[2]" for JSON and YAML.
  std::string path;
  std::array<RawField, kValueFieldCount> fields;

  RawField& at(Field f) { return fields[static_cast<int>(f)]; }
  const RawField& at(Field f) const { return fields[static_cast<int>(f)]; }
};

// The CSV column of a value field ("claimed_lat"); nullptr for group fields.
const char* CsvColumn(Field f);
// What problems call a field: the CSV column, or the JSON/YAML path
// ("contractors[2].claimed.lat").
std::string FieldName(const RosterRecord& r, Field f);

}  // namespace parallax::roster
