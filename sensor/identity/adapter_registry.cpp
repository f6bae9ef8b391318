#include "sensor/identity/adapter_registry.h"

namespace parallax::identity {

const std::vector<AdapterInfo>& Adapters() {
  static const std::vector<AdapterInfo> kAdapters = {
      {"okta", "Okta System Log events (JSON lines or array)", MakeOktaAdapter, true},
      {"entra", "Microsoft Entra ID sign-in logs (Graph signIn or diagnostic export)",
       MakeEntraAdapter, true},
      {"gws", "Google Workspace login audit (Reports API activities)", MakeGwsAdapter, true},
      {"asa", "Cisco ASA / AnyConnect syslog (722051, 722022, 113039, 716001)", MakeAsaAdapter},
      {"globalprotect", "PAN-OS GlobalProtect logs (CSV, optionally behind a syslog header)",
       MakeGlobalProtectAdapter},
      {"openvpn", "OpenVPN server status file (versions 1, 2, 3) or server log",
       MakeOpenVpnAdapter},
      {"fortigate", "FortiGate SSL-VPN / IPsec tunnel-up event logs (key=value syslog)",
       MakeFortiGateAdapter},
  };
  return kAdapters;
}

const AdapterInfo* FindAdapter(const std::string& name) {
  for (const AdapterInfo& a : Adapters()) {
    if (name == a.name) return &a;
  }
  return nullptr;
}

std::string AdapterNames() {
  std::string s;
  for (const AdapterInfo& a : Adapters()) s += (s.empty() ? "" : ", ") + std::string(a.name);
  return s;
}

}  // namespace parallax::identity
