// libFuzzer target: the policy file (Policy::Load: yaml-cpp, then every key, type, CIDR/ASN,
// RFC 3339 and kind check), then the lookups a loaded policy answers (Sanctioned, Suppressing)
// at fixed addresses, ASNs and times. The loader takes a path, so each input is written to one
// per-process temp file. Seeds: config/policy.yaml and the YAML blocks of docs/policy.md.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sensor/policy/policy.h"
#include "tests/fuzz/fuzz_temp_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static parallax::fuzz::TempFile file("policy.yaml");
  using parallax::core::IpAddress;
  parallax::policy::Policy policy;
  std::vector<parallax::policy::PolicyProblem> problems;
  const parallax::core::Status st =
      parallax::policy::Policy::Load(file.Write(data, size), &policy, &problems);
  for (const auto& p : problems) (void)p.ToString();
  if (!st.ok()) return 0;
  static const IpAddress kIps[] = {*IpAddress::Parse("10.20.1.2"), *IpAddress::Parse("203.0.113.9"),
                                   *IpAddress::Parse("2001:db8::1"), *IpAddress::Parse("0.0.0.0")};
  for (const auto& ip : kIps) {
    for (std::uint32_t asn : {0u, 16509u, 64500u, 4294967295u}) {
      (void)policy.Sanctioned(ip, asn);
      const std::vector<parallax::policy::Subject> subjects = {{ip, asn}};
      for (auto kind : parallax::policy::AlertKindNames()) {
        for (parallax::core::TimeUs t : {parallax::core::TimeUs{0}, parallax::core::kLatestTime}) {
          (void)policy.Suppressing("c9", kind, subjects, t);
          (void)policy.Suppressing("", kind, {}, t);
        }
      }
    }
  }
  for (const auto& s : policy.suppressions()) {
    for (const auto& n : s.networks) (void)n.ToString();
  }
  return 0;
}
