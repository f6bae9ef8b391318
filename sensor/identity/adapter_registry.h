// The identity-log formats by name ("okta", "asa", ...), for `--identity FORMAT:FILE`.
// Adding a format: one adapter file and one line in adapter_registry.cpp.
// Thread-safe: the table is constant.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sensor/identity/identity_adapter.h"

namespace parallax::identity {

struct AdapterInfo {
  const char* name;         // the FORMAT of --identity
  const char* description;  // one line for --help and docs/inputs.md
  std::unique_ptr<IdentityAdapter> (*make)(const AdapterOptions&);
  // One JSON object per record: besides JSON lines, a whole JSON document is accepted (an API
  // response or a portal's "download JSON": an array, or {"value": [...]} / {"items": [...]}).
  bool json_records = false;
};

const std::vector<AdapterInfo>& Adapters();
const AdapterInfo* FindAdapter(const std::string& name);
// "okta, entra, gws, ..." for messages.
std::string AdapterNames();

// The factories, one per adapter file.
std::unique_ptr<IdentityAdapter> MakeOktaAdapter(const AdapterOptions& options);
std::unique_ptr<IdentityAdapter> MakeEntraAdapter(const AdapterOptions& options);
std::unique_ptr<IdentityAdapter> MakeGwsAdapter(const AdapterOptions& options);
std::unique_ptr<IdentityAdapter> MakeAsaAdapter(const AdapterOptions& options);
std::unique_ptr<IdentityAdapter> MakeGlobalProtectAdapter(const AdapterOptions& options);
std::unique_ptr<IdentityAdapter> MakeOpenVpnAdapter(const AdapterOptions& options);
std::unique_ptr<IdentityAdapter> MakeFortiGateAdapter(const AdapterOptions& options);

}  // namespace parallax::identity
