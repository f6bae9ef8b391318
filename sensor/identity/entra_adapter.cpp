// Microsoft Entra ID (Azure AD) sign-in logs, one JSON object per line, in either shape:
// - a Microsoft Graph `signIn` resource (GET /auditLogs/signIns, one element of `value` per
//   line): `userPrincipalName`, `ipAddress`, `createdDateTime`, `status.errorCode`;
// - an Azure Monitor diagnostic-settings record (storage account, Event Hub, Log Analytics
//   export; category SignInLogs, NonInteractiveUserSignInLogs...): the same members under
//   `properties`, with `time` and `callerIpAddress` beside them.
// A binding is a sign-in whose `status.errorCode` is 0 (success). Failed and interrupted
// sign-ins (50140 "keep me signed in" and the like) are ignored: an address someone merely
// tried from binds no one.
#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/json_fields.h"
#include "sensor/identity/log_time.h"

namespace parallax::identity {
namespace {

class EntraAdapter : public IdentityAdapter {
 public:
  LineResult Parse(std::string_view line) override {
    nlohmann::json record;
    std::string error;
    if (!ParseJsonObject(line, &record, &error)) return LineResult::Malformed(error);
    // The diagnostic export wraps the sign-in in `properties`.
    const bool diagnostic = At(record, {"properties"}) && At(record, {"category"});
    const nlohmann::json* p = diagnostic ? At(record, {"properties"}) : &record;
    if (!p->is_object()) return LineResult::Malformed("properties: expected an object");
    if (diagnostic) {
      const std::string category = StringAt(record, {"category"}).value_or("");
      if (category.find("SignInLogs") == std::string::npos) return LineResult::Ignored();
      // Applications signing in: no person, no user principal name.
      if (category == "ServicePrincipalSignInLogs" || category == "ManagedIdentitySignInLogs") {
        return LineResult::Ignored();
      }
    }
    const nlohmann::json* code = At(*p, {"status", "errorCode"});
    if (!code) {
      return LineResult::Malformed(std::string(diagnostic ? "properties." : "") +
                                   "status.errorCode: required (not a sign-in record)");
    }
    if (!code->is_number_integer() || code->get<std::int64_t>() != 0) {
      return LineResult::Ignored();
    }
    VendorLogin login;
    auto upn = StringAt(*p, {"userPrincipalName"});
    if (!upn) return LineResult::Malformed("userPrincipalName: required");
    login.user = *upn;
    auto when = StringAt(*p, {"createdDateTime"});
    if (!when && diagnostic) when = StringAt(record, {"time"});
    if (!when) return LineResult::Malformed("createdDateTime: required");
    auto ts = ParseIsoTime(*when, &error);
    if (!ts) return LineResult::Malformed("createdDateTime: " + error);
    login.ts = *ts;
    login.public_ip = AddressAt(*p, {"ipAddress"}, &error);
    if (!login.public_ip && error.empty() && diagnostic) {
      login.public_ip = AddressAt(record, {"callerIpAddress"}, &error);
    }
    if (!error.empty()) return LineResult::Malformed(error);
    if (!login.public_ip) return LineResult::Ignored();
    return LineResult::Login(std::move(login));
  }
};

}  // namespace

std::unique_ptr<IdentityAdapter> MakeEntraAdapter(const AdapterOptions&) {
  return std::make_unique<EntraAdapter>();
}

}  // namespace parallax::identity
