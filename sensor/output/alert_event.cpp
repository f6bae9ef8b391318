#include "sensor/output/alert_event.h"

#include "sensor/output/time_format.h"

namespace parallax::output {

nlohmann::ordered_json AlertEventJson(const divergence::Alert& a, core::TimeUs now) {
  using Json = nlohmann::ordered_json;
  Json j;
  j["timestamp"] = FormatTimestamp(now);
  j["event_type"] = "alert";
  if (!a.community_id.empty()) j["community_id"] = a.community_id;
  Json al;
  al["action"] = "allowed";  // a passive sensor blocks nothing
  al["gid"] = 1;
  al["signature_id"] = divergence::SignatureId(a.kind);
  al["rev"] = 1;
  al["signature"] = std::string("PARALLAX ") + divergence::AlertKindName(a.kind) + ": " +
                    a.contractor_id;
  al["category"] = "Remote access laundering";
  al["severity"] = a.severity;
  al["metadata"] = {{"parallax_kind", {divergence::AlertKindName(a.kind)}},
                    {"contractor", {a.contractor_id}}};
  j["alert"] = al;
  Json p;
  p["alert_id"] = a.Id();
  p["kind"] = divergence::AlertKindName(a.kind);
  p["contractor"] = {{"id", a.contractor_id}, {"name", a.contractor_name}};
  p["severity"] = a.severity;
  p["score"] = a.score;
  p["explanation"] = a.explanation;
  p["claimed"] = a.claimed;
  p["observed"] = a.observed;
  p["evidence"] = a.evidence;
  Json m = Json::array();
  for (const auto& t : a.mitre) m.push_back({{"id", t.id}, {"name", t.name}});
  p["mitre_attack"] = m;
  p["window"] = {{"start", FormatTimestamp(a.window_start)},
                 {"end", FormatTimestamp(a.window_end)}};
  p["first_seen"] = FormatTimestamp(a.first_seen);
  p["last_seen"] = FormatTimestamp(a.last_seen);
  p["count"] = a.count;
  j["parallax"] = p;
  return j;
}

}  // namespace parallax::output
