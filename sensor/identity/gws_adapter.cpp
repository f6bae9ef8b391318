// Google Workspace login audit: Admin SDK Reports API activities of applicationName "login"
// (activities.list, one activity per line). A binding is an activity with a `login_success`
// event: user `actor.email`, address `ipAddress`, time `id.time`. `events` is the API's array;
// collectors that split it (Filebeat) write one object, which is read the same way. Failures,
// challenges, logouts and account warnings are ignored.
#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/json_fields.h"
#include "sensor/identity/log_time.h"

namespace parallax::identity {
namespace {

bool HasLoginSuccess(const nlohmann::json& events) {
  if (events.is_object()) return StringAt(events, {"name"}).value_or("") == "login_success";
  if (!events.is_array()) return false;
  for (const auto& e : events) {
    if (HasLoginSuccess(e)) return true;
  }
  return false;
}

class GwsAdapter : public IdentityAdapter {
 public:
  LineResult Parse(std::string_view line) override {
    nlohmann::json a;
    std::string error;
    if (!ParseJsonObject(line, &a, &error)) return LineResult::Malformed(error);
    auto app = StringAt(a, {"id", "applicationName"});
    if (!app) return LineResult::Malformed("id.applicationName: required (not a Reports activity)");
    if (*app != "login") return LineResult::Ignored();
    const nlohmann::json* events = At(a, {"events"});
    if (!events || !HasLoginSuccess(*events)) return LineResult::Ignored();
    VendorLogin login;
    auto email = StringAt(a, {"actor", "email"});
    if (!email) return LineResult::Malformed("actor.email: required for login_success");
    login.user = *email;
    auto when = StringAt(a, {"id", "time"});
    if (!when) return LineResult::Malformed("id.time: required");
    auto ts = ParseIsoTime(*when, &error);
    if (!ts) return LineResult::Malformed("id.time: " + error);
    login.ts = *ts;
    login.public_ip = AddressAt(a, {"ipAddress"}, &error);
    if (!error.empty()) return LineResult::Malformed(error);
    if (!login.public_ip) return LineResult::Ignored();
    return LineResult::Login(std::move(login));
  }
};

}  // namespace

std::unique_ptr<IdentityAdapter> MakeGwsAdapter(const AdapterOptions&) {
  return std::make_unique<GwsAdapter>();
}

}  // namespace parallax::identity
