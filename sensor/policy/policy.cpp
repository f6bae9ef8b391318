#include "sensor/policy/policy.h"

#include "sensor/core/terminal_text.h"

namespace parallax::policy {

bool NetworkSelector::Matches(const core::IpAddress& ip, std::uint32_t ip_asn) const {
  if (asn != 0) return ip_asn == asn;
  if (!network || network->family() != ip.family()) return false;
  const std::uint8_t* a = network->bytes();
  const std::uint8_t* b = ip.bytes();
  const unsigned bits = prefix;
  const unsigned whole = bits / 8;
  for (unsigned i = 0; i < whole; ++i) {
    if (a[i] != b[i]) return false;
  }
  if (bits % 8 == 0) return true;
  const auto mask = static_cast<std::uint8_t>(0xFF << (8 - bits % 8));
  return (a[whole] & mask) == (b[whole] & mask);
}

std::string NetworkSelector::ToString() const {
  if (asn != 0) return "AS" + std::to_string(asn);
  if (!network) return "";
  return network->ToString() + "/" + std::to_string(prefix);
}

std::string PolicyProblem::ToString() const {
  std::string s = file;
  if (line) s += ":" + std::to_string(line);
  s += ": ";
  if (!field.empty()) s += field + ": ";
  // Messages quote values from the file; these lines are read on terminals.
  return core::ForTerminal(s + message);
}

const SanctionedNetwork* Policy::Sanctioned(const core::IpAddress& ip, std::uint32_t ip_asn) const {
  for (const auto& n : sanctioned_) {
    if (n.selector.Matches(ip, ip_asn)) return &n;
  }
  return nullptr;
}

const Suppression* Policy::Suppressing(std::string_view contractor, std::string_view kind,
                                       const std::vector<Subject>& subjects,
                                       core::TimeUs at) const {
  for (const auto& s : suppressions_) {
    if (!s.contractor.empty() && s.contractor != contractor) continue;
    if (!s.kind.empty() && s.kind != kind) continue;
    if (s.expires && at >= *s.expires) continue;
    bool match = s.networks.empty();
    for (const auto& sel : s.networks) {
      for (const auto& sub : subjects) match = match || sel.Matches(sub.ip, sub.asn);
    }
    if (match) return &s;
  }
  return nullptr;
}

}  // namespace parallax::policy
