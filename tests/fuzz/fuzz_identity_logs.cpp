// libFuzzer target: the identity-log adapters (sensor/identity/), which read vendor logs a SOC
// points Parallax at: Okta, Entra ID, Google Workspace JSON, Cisco ASA and FortiGate syslog,
// PAN-OS CSV, OpenVPN status files and logs. Byte 0 picks the adapter, byte 1 the options (zone
// offset, a reference time or none for year-less syslog); the rest is the file, line by line,
// through one adapter (the OpenVPN adapter keeps state across lines) and the user mapping.
// Seeds: tests/identity/data/ and the vendor samples in ../shared/logs (prefixed with the byte
// that picks their adapter).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sensor/identity/adapter_registry.h"
#include "sensor/identity/user_map.h"

namespace {

parallax::roster::Roster MakeRoster() {
  parallax::roster::Roster roster;
  for (const char* id : {"alice", "bob", "c1"}) {
    parallax::roster::Contractor c;
    c.id = id;
    c.identity_aliases = {std::string(id) + "@example.com", "EXAMPLE\\" + std::string(id)};
    roster.Add(c);
  }
  return roster;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace parallax::identity;
  static const parallax::roster::Roster roster = MakeRoster();
  static const UserMap users(roster);
  if (size < 2) return 0;
  const auto& adapters = Adapters();
  const AdapterInfo& info = adapters[data[0] % adapters.size()];
  AdapterOptions options;
  options.utc_offset_minutes = (static_cast<int>(data[1] & 0x3f) - 32) * 30;  // -16 h..+15.5 h
  options.reference_time = (data[1] & 0x40) ? 0 : parallax::core::Seconds(1'767'571'200);
  auto adapter = info.make(options);
  std::string_view text(reinterpret_cast<const char*>(data + 2), size - 2);
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (line.empty()) continue;
    LineResult r = adapter->Parse(line);
    if (r.verdict == LineVerdict::kLogin) {
      (void)users.Find(r.login.user);
      if (r.login.public_ip) (void)r.login.public_ip->ToString();
    }
  }
  return 0;
}
