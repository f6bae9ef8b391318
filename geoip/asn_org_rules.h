// Keyword rules on the ASN organisation name: the weakest public-network signal.
//
// A registry name is what the network's operator chose to call itself, so "Hetzner Online GmbH"
// says nothing while "DigitalOcean" or "Rackspace Hosting" sometimes does. The rules are a
// documented heuristic (docs/geoip.md lists them); every more specific source overrides them.
//
// Thread-safety: pure function over a constant table; safe from any thread.
#ifndef PARALLAX_GEOIP_ASN_ORG_RULES_H_
#define PARALLAX_GEOIP_ASN_ORG_RULES_H_

#include <optional>
#include <span>
#include <string_view>

#include "geoip/network_type.h"

namespace parallax::geoip {

struct AsnOrgRule {
  enum class Match {
    kSubstring,   // anywhere: "vpn" in "ExpressVPN"
    kWordPrefix,  // at the start of a word: "host" in "Hostinger", not in "Ghost"
    kWholeWord,   // a whole word: "colo", not "Colombia"
  };
  std::string_view keyword;  // lower case
  Match match;
  NetworkType type;
};

struct AsnOrgMatch {
  NetworkType type;
  std::string_view keyword;  // the rule that matched, for "decided by"
};

// The rules in priority order (first match wins): vpn, then hosting, then mobile, then
// residential ("telecom", "broadband", ...: recorded so "decided by" names the reason).
std::span<const AsnOrgRule> AsnOrgRules();

std::optional<AsnOrgMatch> ClassifyAsnOrg(std::string_view organisation);

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_ASN_ORG_RULES_H_
