#include "sensor/roster/roster_builder.h"

#include <cctype>

#include "sensor/roster/roster_fields.h"

namespace parallax::roster {

void RosterBuilder::Problem(std::size_t line, std::string field, std::string message) {
  problems_->push_back(RosterProblem{file_, line, std::move(field), std::move(message)});
}

std::string RosterBuilder::Text(const RosterRecord& r, Field f) const {
  const RawField& raw = r.at(f);
  if (!raw.present || raw.items.empty()) return "";
  return std::string(Trim(raw.items.front().text));
}

std::size_t RosterBuilder::LineOf(const RosterRecord& r, Field f) const {
  const RawField& raw = r.at(f);
  return raw.present && raw.line ? raw.line : r.line;
}

bool RosterBuilder::ParseAddresses(const RosterRecord& r, Field f, const std::string& id,
                                   std::map<std::string, Owner>* owners, std::vector<Cidr>* out) {
  bool all_ok = true;
  for (const RawItem& item : r.at(f).items) {
    const std::size_t line = item.line ? item.line : LineOf(r, f);
    std::string error;
    auto cidr = ParseCidr(item.text, &error);
    if (!cidr) {
      Problem(line, FieldName(r, f), error);
      all_ok = false;
      continue;
    }
    const std::string key = cidr->ToString();
    bool repeated = false;
    for (const Cidr& c : *out) repeated = repeated || c.ToString() == key;
    if (repeated) continue;  // listed twice for the same contractor: harmless
    out->push_back(*cidr);
    if (!owners || id.empty()) continue;
    auto [it, inserted] = owners->emplace(key, Owner{id, line, {}});
    // Two owners would make attribution depend on file order, so it is refused.
    if (!inserted && it->second.id != id) {
      Problem(line, FieldName(r, f),
              key + " is claimed by both " + it->second.id + " (line " +
                  std::to_string(it->second.line) + ") and " + id);
      all_ok = false;
    }
  }
  return all_ok;
}

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

}  // namespace

void RosterBuilder::ParseAliases(const RosterRecord& r, Contractor* c) {
  const std::string field = FieldName(r, Field::kIdentityAliases);
  for (const RawItem& item : r.at(Field::kIdentityAliases).items) {
    const std::size_t line = item.line ? item.line : LineOf(r, Field::kIdentityAliases);
    const std::string_view text = Trim(item.text);
    if (text.empty()) {
      Problem(line, field, "empty alias");
      continue;
    }
    // Identity logs never carry blanks in a user name; one here is most likely two aliases run
    // together (or a display name, which logs do not match on).
    if (text.find_first_of(" \t") != std::string_view::npos) {
      Problem(line, field, "'" + std::string(text) + "' contains a blank (one name per item)");
      continue;
    }
    const std::string key = Lower(text);
    bool repeated = false;
    for (const auto& a : c->identity_aliases) repeated = repeated || Lower(a) == key;
    if (repeated || key == Lower(c->id)) continue;  // harmless
    c->identity_aliases.emplace_back(text);
    if (c->id.empty()) continue;
    // Two owners would make the mapping of a log's user depend on file order.
    auto [it, inserted] = alias_owners_.emplace(key, Owner{c->id, line, field});
    if (!inserted && it->second.id != c->id) {
      Problem(line, field,
              "'" + std::string(text) + "' is claimed by both " + it->second.id + " (line " +
                  std::to_string(it->second.line) + ") and " + c->id);
    }
  }
}

std::vector<Contractor> RosterBuilder::Take() {
  // An alias spelling another contractor's id is checked once every id is known (the id may be
  // defined further down the file).
  std::map<std::string, const Contractor*> by_id;
  for (const Contractor& c : contractors_) by_id.emplace(Lower(c.id), &c);
  for (const auto& [alias, owner] : alias_owners_) {
    auto it = by_id.find(alias);
    if (it != by_id.end() && it->second->id != owner.id) {
      Problem(owner.line, owner.field,
              "'" + alias + "' (an alias of " + owner.id +
                  ") is the id of another contractor (line " +
                  std::to_string(it->second->source_line) + ")");
    }
  }
  return std::move(contractors_);
}

void RosterBuilder::Add(const RosterRecord& r) {
  Contractor c;
  c.source_line = r.line;
  std::string error;

  // Text first: names and places travel into alerts, SIEMs and reports, which are UTF-8.
  bool text_ok = true;
  for (int f = 0; f < kValueFieldCount; ++f) {
    const RawField& raw = r.fields[f];
    if (!raw.present) continue;
    for (const RawItem& item : raw.items) {
      if (const auto at = InvalidUtf8At(item.text)) {
        Problem(item.line ? item.line : LineOf(r, static_cast<Field>(f)),
                FieldName(r, static_cast<Field>(f)),
                "not valid UTF-8 (byte " + std::to_string(*at + 1) +
                    " of the value); save the roster as UTF-8");
        text_ok = false;
      }
    }
  }
  if (!text_ok) return;

  // Identity.
  c.id = Text(r, Field::kId);
  if (c.id.empty() && !r.at(Field::kId).invalid) {
    Problem(LineOf(r, Field::kId), FieldName(r, Field::kId), "required");
  } else if (auto [it, inserted] = ids_.emplace(c.id, LineOf(r, Field::kId)); !inserted) {
    Problem(
        LineOf(r, Field::kId), FieldName(r, Field::kId),
        "duplicate id '" + c.id + "' (first defined at line " + std::to_string(it->second) + ")");
  }
  c.name = Text(r, Field::kName);

  // Claimed place. A field that failed to parse suppresses the "no place" problem below, which
  // would only repeat it.
  bool place_parse_failed = r.at(Field::kCity).invalid || r.at(Field::kCountry).invalid ||
                            r.at(Field::kLatitude).invalid || r.at(Field::kLongitude).invalid;
  c.claimed.city = Text(r, Field::kCity);
  const std::string country = Text(r, Field::kCountry);
  for (char ch : country) {
    c.claimed.country.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(ch))));
  }
  if (!c.claimed.country.empty() && !IsCountryCode(c.claimed.country, &error)) {
    Problem(LineOf(r, Field::kCountry), FieldName(r, Field::kCountry), error);
    place_parse_failed = true;
  }
  auto coordinate = [&](Field f, double limit) -> std::optional<double> {
    const std::string text = Text(r, f);
    if (text.empty()) return std::nullopt;
    auto v = ParseNumber(text, &error);
    if (v && (*v < -limit || *v > limit)) {
      error = text + " is outside [" + std::to_string(static_cast<int>(-limit)) + ", " +
              std::to_string(static_cast<int>(limit)) + "]";
      v.reset();
    }
    if (!v) {
      Problem(LineOf(r, f), FieldName(r, f), error);
      place_parse_failed = true;
    }
    return v;
  };
  c.claimed.latitude = coordinate(Field::kLatitude, 90);
  c.claimed.longitude = coordinate(Field::kLongitude, 180);
  const bool has_lat = !Text(r, Field::kLatitude).empty();
  const bool has_lon = !Text(r, Field::kLongitude).empty();
  if (has_lat != has_lon && !place_parse_failed) {
    const Field given = has_lat ? Field::kLatitude : Field::kLongitude;
    const Field missing = has_lat ? Field::kLongitude : Field::kLatitude;
    Problem(LineOf(r, given), FieldName(r, missing),
            "required with " + FieldName(r, given) + " (give both coordinates or neither)");
    place_parse_failed = true;
  }
  const bool has_city = !c.claimed.city.empty();
  const bool has_country = !country.empty();
  if (!place_parse_failed && !(has_lat && has_lon) && !(has_city && has_country)) {
    if (has_city) {
      Problem(LineOf(r, Field::kCity), FieldName(r, Field::kCountry),
              "required with the city (or give coordinates)");
    } else if (has_country) {
      Problem(LineOf(r, Field::kCountry), FieldName(r, Field::kCity),
              "required with the country (or give coordinates)");
    } else {
      Problem(r.line, FieldName(r, Field::kClaimed),
              "no claimed place: give city and country, or coordinates");
    }
  }

  // Time zone and working hours.
  c.time_zone = Text(r, Field::kTimeZone);
  if (c.time_zone.empty() && !r.at(Field::kTimeZone).invalid) {
    Problem(LineOf(r, Field::kTimeZone), FieldName(r, Field::kTimeZone),
            "required (an IANA name such as America/New_York)");
  } else if (!IsTimeZone(c.time_zone, &error)) {
    Problem(LineOf(r, Field::kTimeZone), FieldName(r, Field::kTimeZone), error);
  }
  bool hours_ok = true;
  auto clock = [&](Field f, bool end, int* out) {
    const std::string text = Text(r, f);
    if (text.empty()) return;
    if (auto m = ParseClock(text, end, &error)) {
      *out = *m;
    } else {
      Problem(LineOf(r, f), FieldName(r, f), error);
      hours_ok = false;
    }
  };
  clock(Field::kWorkStart, false, &c.hours.start_minute);
  clock(Field::kWorkEnd, true, &c.hours.end_minute);
  // 24:00 and 00:00 are the same instant; an end equal to the start leaves no working time.
  if (hours_ok && c.hours.start_minute == c.hours.end_minute % (24 * 60)) {
    Problem(LineOf(r, Field::kWorkEnd), FieldName(r, Field::kWorkEnd),
            "equals the start (" + FormatClock(c.hours.start_minute) + "): no working time");
  }
  if (const std::string days = Text(r, Field::kWorkDays); !days.empty()) {
    if (auto d = ParseWorkDays(days, &error)) {
      c.hours.days = *d;
    } else {
      Problem(LineOf(r, Field::kWorkDays), FieldName(r, Field::kWorkDays), error);
    }
  }

  // Selectors.
  ParseAddresses(r, Field::kDeviceIps, c.id, &device_owners_, &c.device_addresses);
  for (const RawItem& item : r.at(Field::kDeviceMacs).items) {
    const std::size_t line = item.line ? item.line : LineOf(r, Field::kDeviceMacs);
    const std::string field = FieldName(r, Field::kDeviceMacs);
    auto mac = ParseMac(item.text, &error);
    if (!mac) {
      Problem(line, field, error);
      continue;
    }
    const std::string key = FormatMac(*mac);
    // The group bit marks multicast and broadcast addresses, which no device sends from.
    if ((*mac)[0] & 0x01) {
      Problem(line, field, key + " is a multicast or broadcast address, not a device's");
      continue;
    }
    bool repeated = false;
    for (const auto& m : c.macs) repeated = repeated || m == *mac;
    if (repeated) continue;
    c.macs.push_back(*mac);
    if (c.id.empty()) continue;
    auto [it, inserted] = mac_owners_.emplace(key, Owner{c.id, line, {}});
    if (!inserted && it->second.id != c.id) {
      Problem(line, field,
              key + " is claimed by both " + it->second.id + " (line " +
                  std::to_string(it->second.line) + ") and " + c.id);
    }
  }
  // Egress addresses may be shared (two people in one home): no owner check.
  ParseAddresses(r, Field::kEgressIps, c.id, nullptr, &c.egress_addresses);
  ParseAliases(r, &c);
  // No static selector at all is valid: at a remote-access gateway a contractor's addresses
  // usually come only from the VPN/SSO log (identity events). `roster check` says so.

  contractors_.push_back(std::move(c));
}

}  // namespace parallax::roster
