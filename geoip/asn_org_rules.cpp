#include "geoip/asn_org_rules.h"

#include <array>
#include <cctype>
#include <string>

namespace parallax::geoip {
namespace {

using M = AsnOrgRule::Match;
using T = NetworkType;

constexpr std::array<AsnOrgRule, 27> kRules = {{
    {"vpn", M::kSubstring, T::kVpn},
    {"hosting", M::kWordPrefix, T::kHosting},
    {"host", M::kWordPrefix, T::kHosting},
    {"datacenter", M::kWordPrefix, T::kHosting},
    {"datacentre", M::kWordPrefix, T::kHosting},
    {"data center", M::kWordPrefix, T::kHosting},
    {"data centre", M::kWordPrefix, T::kHosting},
    {"colocation", M::kWordPrefix, T::kHosting},
    {"colo", M::kWholeWord, T::kHosting},
    {"cloud", M::kWordPrefix, T::kHosting},
    {"server", M::kWordPrefix, T::kHosting},
    {"vps", M::kWholeWord, T::kHosting},
    {"dedicated", M::kWordPrefix, T::kHosting},
    {"cdn", M::kWholeWord, T::kHosting},
    {"mobil", M::kWordPrefix, T::kMobile},  // mobile, mobility, Mobilfunk
    {"wireless", M::kWordPrefix, T::kMobile},
    {"cellular", M::kWordPrefix, T::kMobile},
    {"lte", M::kWholeWord, T::kMobile},
    {"telecom", M::kWordPrefix, T::kResidential},
    {"telekom", M::kWordPrefix, T::kResidential},
    {"broadband", M::kWordPrefix, T::kResidential},
    {"cable", M::kWordPrefix, T::kResidential},
    {"fiber", M::kWordPrefix, T::kResidential},
    {"fibre", M::kWordPrefix, T::kResidential},
    {"dsl", M::kWholeWord, T::kResidential},
    {"internet service", M::kWordPrefix, T::kResidential},
    {"isp", M::kWholeWord, T::kResidential},
}};

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

bool Matches(const std::string& lower, const AsnOrgRule& rule) {
  std::size_t at = lower.find(rule.keyword);
  while (at != std::string::npos) {
    const bool starts_word = at == 0 || !IsWordChar(lower[at - 1]);
    const std::size_t end = at + rule.keyword.size();
    const bool ends_word = end == lower.size() || !IsWordChar(lower[end]);
    switch (rule.match) {
      case M::kSubstring:
        return true;
      case M::kWordPrefix:
        if (starts_word) return true;
        break;
      case M::kWholeWord:
        if (starts_word && ends_word) return true;
        break;
    }
    at = lower.find(rule.keyword, at + 1);
  }
  return false;
}

}  // namespace

std::span<const AsnOrgRule> AsnOrgRules() { return kRules; }

std::optional<AsnOrgMatch> ClassifyAsnOrg(std::string_view organisation) {
  if (organisation.empty()) return std::nullopt;
  std::string lower(organisation);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const auto& rule : kRules) {
    if (Matches(lower, rule)) return AsnOrgMatch{rule.type, rule.keyword};
  }
  return std::nullopt;
}

}  // namespace parallax::geoip
