#include "sensor/roster/identity_events.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "sensor/roster/json_positions.h"
#include "sensor/roster/rfc3339.h"
#include "sensor/roster/roster_fields.h"

namespace parallax::roster {
namespace {

using nlohmann::json;

// An optional address member: absent or null is fine, anything else must parse.
bool Address(const json& obj, const char* key, std::optional<core::IpAddress>* out,
             std::string* field, std::string* error) {
  auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return true;
  if (it->is_string()) {
    if (auto a = core::IpAddress::Parse(Trim(it->get<std::string>()))) {
      *out = *a;
      return true;
    }
  }
  *field = key;
  *error = "not an IP address (" + it->dump() + ")";
  return false;
}

}  // namespace

bool ParseIdentityEvent(const std::string& line, IdentityEvent* out, std::string* field,
                        std::string* error) {
  field->clear();
  json obj;
  // nlohmann keeps the last of a key given twice; the callback sees every key of every object.
  std::vector<std::set<std::string>> open_objects;
  std::string repeated;
  const json::parser_callback_t see_keys = [&](int, json::parse_event_t event, json& parsed) {
    if (event == json::parse_event_t::object_start) {
      open_objects.emplace_back();
    } else if (event == json::parse_event_t::object_end) {
      if (!open_objects.empty()) open_objects.pop_back();
    } else if (event == json::parse_event_t::key && !open_objects.empty() &&
               !open_objects.back().insert(parsed.get<std::string>()).second &&
               repeated.empty()) {
      repeated = parsed.get<std::string>();
    }
    return true;
  };
  try {
    obj = json::parse(line, see_keys);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    if (auto colon = what.find(": "); colon != std::string::npos) what = what.substr(colon + 2);
    *error =
        "column " + std::to_string(PositionOf(line, e.byte ? e.byte - 1 : 0).column) + ": " + what;
    return false;
  } catch (const json::exception& e) {
    // Not a syntax error but still a bad line: out_of_range.406 for a number beyond a double
    // ("1e309"). Uncaught it would end the daemon that tails the file (found by fuzzing).
    std::string what = e.what();
    if (auto bracket = what.find("] "); bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    *error = what;
    return false;
  }
  if (!obj.is_object()) {
    *error = "expected a JSON object";
    return false;
  }
  if (!repeated.empty()) {
    *field = repeated;
    *error = "given twice";
    return false;
  }
  IdentityEvent ev;

  auto ts = obj.find("timestamp");
  *field = "timestamp";
  if (ts == obj.end() || ts->is_null()) {
    *error = "required (RFC 3339 text or epoch seconds)";
    return false;
  }
  if (ts->is_string()) {
    auto t = ParseRfc3339(ts->get<std::string>(), error);
    if (!t) return false;
    ev.ts = *t;
  } else if (ts->is_number_integer() && ts->get<std::int64_t>() > -1'000'000'000'000 &&
             ts->get<std::int64_t>() < 1'000'000'000'000) {
    // Integers stay exact; only fractional seconds go through a double. Beyond +-1e12 s (the
    // float path's bound) microseconds would overflow: found by fuzz_identity_events.
    ev.ts = core::Seconds(ts->get<std::int64_t>());
  } else if (ts->is_number_float() && std::isfinite(ts->get<double>()) &&
             std::fabs(ts->get<double>()) < 1e12) {
    ev.ts = static_cast<core::TimeUs>(std::llround(ts->get<double>() * 1e6));
  } else {
    *error = "expected RFC 3339 text or epoch seconds (" + ts->dump() + ")";
    return false;
  }

  *field = "contractor";
  auto who = obj.find("contractor");
  if (who == obj.end() || !who->is_string() || Trim(who->get<std::string>()).empty()) {
    *error = "required: the roster id as a string";
    return false;
  }
  ev.contractor = std::string(Trim(who->get<std::string>()));

  if (!Address(obj, "public_ip", &ev.public_ip, field, error) ||
      !Address(obj, "internal_ip", &ev.internal_ip, field, error)) {
    return false;
  }
  if (!ev.public_ip && !ev.internal_ip) {
    *field = "public_ip";
    *error = "one of public_ip or internal_ip is required";
    return false;
  }

  if (auto src = obj.find("source"); src != obj.end() && !src->is_null()) {
    if (!src->is_string()) {
      *field = "source";
      *error = "expected a string";
      return false;
    }
    ev.source = src->get<std::string>();
  }
  // Other members are ignored on purpose: gateways add their own (user names, session ids).
  field->clear();
  ev.line = out->line;
  *out = std::move(ev);
  return true;
}

core::Status LoadIdentityEvents(const std::string& path, const Roster* roster,
                                std::vector<IdentityEvent>* out,
                                std::vector<RosterProblem>* problems) {
  const std::size_t before = problems->size();
  out->clear();
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problems->push_back({path, 0, "", "cannot open: " + std::string(std::strerror(errno))});
  }
  std::string text;
  std::size_t line_no = 0;
  while (in && std::getline(in, text)) {
    ++line_no;
    if (!text.empty() && text.back() == '\r') text.pop_back();
    if (Trim(text).empty()) continue;
    IdentityEvent ev;
    std::string field, error;
    if (!ParseIdentityEvent(text, &ev, &field, &error)) {
      problems->push_back({path, line_no, field, error});
      continue;
    }
    ev.line = line_no;
    if (roster && !roster->Find(ev.contractor)) {
      problems->push_back({path, line_no, "contractor",
                           "unknown contractor '" + ev.contractor + "' (not in the roster)"});
      continue;
    }
    out->push_back(std::move(ev));
  }
  const std::size_t n = problems->size() - before;
  if (n == 0) return core::Status::Ok();
  std::string m = (*problems)[before].ToString();
  if (n > 1) m += " (and " + std::to_string(n - 1) + " more problems)";
  return core::Status::Error(m);
}

void IdentityBindings::Add(const IdentityEvent& e) {
  // After any equal timestamps, so that of two bindings at the same instant the one added last
  // (later in the file) wins.
  auto at = std::upper_bound(events_.begin(), events_.end(), e.ts,
                             [](core::TimeUs t, const IdentityEvent& x) { return t < x.ts; });
  events_.insert(at, e);
}

namespace {

// The latest event at or before `ts` whose `member` is `a`; the scan runs backwards from `ts`,
// so the first match is the binding in force.
const std::string* Holder(const std::vector<IdentityEvent>& events,
                          std::optional<core::IpAddress> IdentityEvent::*member,
                          const core::IpAddress& a, core::TimeUs ts) {
  auto end = std::upper_bound(events.begin(), events.end(), ts,
                              [](core::TimeUs t, const IdentityEvent& x) { return t < x.ts; });
  for (auto it = std::make_reverse_iterator(end); it != events.rend(); ++it) {
    if ((*it).*member == a) return &it->contractor;
  }
  return nullptr;
}

}  // namespace

const std::string* IdentityBindings::ByPublic(const core::IpAddress& a, core::TimeUs ts) const {
  return Holder(events_, &IdentityEvent::public_ip, a, ts);
}

const std::string* IdentityBindings::ByInternal(const core::IpAddress& a, core::TimeUs ts) const {
  return Holder(events_, &IdentityEvent::internal_ip, a, ts);
}

std::vector<core::IpAddress> IdentityBindings::PublicOf(const std::string& contractor,
                                                        core::TimeUs ts) const {
  // Only addresses the contractor still holds at `ts`: one rebound to someone else has moved to
  // them, which is what attribution at `ts` needs.
  std::vector<core::IpAddress> held;
  std::set<core::IpAddress> decided;
  auto end = std::upper_bound(events_.begin(), events_.end(), ts,
                              [](core::TimeUs t, const IdentityEvent& x) { return t < x.ts; });
  for (auto it = std::make_reverse_iterator(end); it != events_.rend(); ++it) {
    if (!it->public_ip || !decided.insert(*it->public_ip).second) continue;
    if (it->contractor == contractor) held.push_back(*it->public_ip);
  }
  return held;
}

}  // namespace parallax::roster
