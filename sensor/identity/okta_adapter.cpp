// Okta System Log (the /api/v1/logs LogEvent objects, one per line, as the API, an export or a
// log-streaming collector writes them). A binding is a successful `user.session.start` or
// `user.authentication.*` event of a User actor: user `actor.alternateId`, address
// `client.ipAddress` (the address Okta attributes the request to, after its own proxy
// handling), time `published`. Everything else (policy evaluations, logouts, admin events,
// failures) is ignored.
#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/json_fields.h"
#include "sensor/identity/log_time.h"

namespace parallax::identity {
namespace {

class OktaAdapter : public IdentityAdapter {
 public:
  LineResult Parse(std::string_view line) override {
    nlohmann::json e;
    std::string error;
    if (!ParseJsonObject(line, &e, &error)) return LineResult::Malformed(error);
    auto type = StringAt(e, {"eventType"});
    if (!type) return LineResult::Malformed("eventType: required (not an Okta LogEvent)");
    const bool sign_in =
        *type == "user.session.start" || type->rfind("user.authentication.", 0) == 0;
    if (!sign_in) return LineResult::Ignored();
    if (StringAt(e, {"outcome", "result"}).value_or("") != "SUCCESS") return LineResult::Ignored();
    if (auto actor_type = StringAt(e, {"actor", "type"}); actor_type && *actor_type != "User") {
      return LineResult::Ignored();
    }
    VendorLogin login;
    auto user = StringAt(e, {"actor", "alternateId"});
    if (!user) return LineResult::Malformed("actor.alternateId: required for " + *type);
    login.user = *user;
    auto published = StringAt(e, {"published"});
    if (!published) return LineResult::Malformed("published: required");
    auto ts = ParseIsoTime(*published, &error);
    if (!ts) return LineResult::Malformed("published: " + error);
    login.ts = *ts;
    login.public_ip = AddressAt(e, {"client", "ipAddress"}, &error);
    if (!error.empty()) return LineResult::Malformed(error);
    if (!login.public_ip) return LineResult::Ignored();  // Okta-internal (no client address)
    return LineResult::Login(std::move(login));
  }
};

}  // namespace

std::unique_ptr<IdentityAdapter> MakeOktaAdapter(const AdapterOptions&) {
  return std::make_unique<OktaAdapter>();
}

}  // namespace parallax::identity
