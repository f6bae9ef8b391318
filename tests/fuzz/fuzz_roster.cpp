// libFuzzer target: the roster readers (CSV, JSON, YAML) and the RosterBuilder that validates
// what they read, as Roster::Load runs them but on text (no file I/O per input). Input: byte 0
// selects the format (0 CSV, 1 JSON, 2 YAML, modulo 3); the rest is the file's text. Seeds are
// the example and test rosters with that byte prepended (scripts/fuzz).
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sensor/roster/roster.h"
#include "sensor/roster/roster_builder.h"
#include "sensor/roster/roster_loaders.h"

namespace {

using parallax::roster::RosterProblem;
using parallax::roster::RosterRecord;

constexpr decltype(&parallax::roster::ReadCsvRoster) kReaders[] = {
    &parallax::roster::ReadCsvRoster, &parallax::roster::ReadJsonRoster,
    &parallax::roster::ReadYamlRoster};
constexpr const char* kNames[] = {"fuzz.csv", "fuzz.json", "fuzz.yaml"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned format = data[0] % 3;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

  std::vector<RosterRecord> records;
  std::vector<RosterProblem> problems;
  kReaders[format](kNames[format], text, &records, &problems);
  parallax::roster::RosterBuilder builder(kNames[format], &problems);
  for (const RosterRecord& r : records) builder.Add(r);
  for (const RosterProblem& p : problems) (void)p.ToString();

  // What the sensor does with a loaded roster: selector lookups.
  parallax::roster::Roster roster;
  for (auto& c : builder.Take()) roster.Add(std::move(c));
  for (const char* a : {"10.8.0.6", "203.0.113.10", "2001:db8:100::1", "0.0.0.0"}) {
    if (auto ip = parallax::core::IpAddress::Parse(a)) {
      (void)roster.ByDeviceAddress(*ip);
      (void)roster.ByEgressAddress(*ip);
    }
  }
  (void)roster.ByMac(std::array<std::uint8_t, 6>{0x3c, 0x22, 0xfb, 0x12, 0x34, 0x56});
  for (const auto& c : roster.contractors()) {
    (void)roster.Find(c.id);
    for (const auto& cidr : c.device_addresses) (void)cidr.ToString();
  }
  return 0;
}
