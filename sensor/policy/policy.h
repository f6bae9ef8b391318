// Policy: what a SOC has decided about its own networks and about findings, loaded from one YAML
// file (docs/policy.md):
//  - sanctioned networks: the company's own cloud ranges, ASNs and VPN concentrators. Traffic
//    through them is known-good infrastructure: an egress or remote desktop there says nothing
//    about where a person is, so the detections do not accuse on it (the evidence is still kept).
//  - suppressions: an analyst's decision that a finding (contractor, kind, address/CIDR/ASN) is
//    known and accepted until an expiry, with the reason and who decided. A suppressed finding is
//    still evaluated and recorded, counted and shown (--explain, metrics, report), not emitted.
// Thread-safety: immutable once loaded; safe for concurrent reads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "sensor/core/ip_address.h"
#include "sensor/core/status.h"
#include "sensor/core/time.h"

namespace parallax::policy {

// A network given as a CIDR (an address is a /32 or /128) or as an ASN.
struct NetworkSelector {
  std::optional<core::IpAddress> network;  // set for a CIDR
  std::uint8_t prefix = 0;
  std::uint32_t asn = 0;                   // set (non-zero) for an ASN
  bool Matches(const core::IpAddress& ip, std::uint32_t ip_asn) const;
  std::string ToString() const;            // "10.1.0.0/16" or "AS16509"
};

struct SanctionedNetwork {
  NetworkSelector selector;
  std::string name;    // "corporate VPN concentrators (us-east-1)"
  std::string reason;  // why it is known-good
  std::size_t line = 0;
};

struct Suppression {
  std::string id;                        // given, or "line N"
  std::string contractor;                // roster id; empty: any contractor
  std::string kind;                      // alert kind name ("colocated_desktop"); empty: any
  std::vector<NetworkSelector> networks; // empty: any address
  std::optional<core::TimeUs> expires;   // the rule stops applying at this time (RFC 3339 in YAML)
  std::string reason;                    // required
  std::string who;                       // required: the analyst or ticket that decided
  std::size_t line = 0;
};

// What a finding is about: the addresses (egress, controller, hosted desktop) it names, with the
// ASN the GeoIP database gives each (0 when unknown).
struct Subject {
  core::IpAddress ip;
  std::uint32_t asn = 0;
};

struct PolicyProblem {
  std::string file;
  std::size_t line = 0;  // 1-based; 0 when not applicable
  std::string field;
  std::string message;
  std::string ToString() const;  // "policy.yaml:12: suppressions[2].expires: not RFC 3339 ('x')"
};

// The alert kind names a suppression may give (as sensor/divergence/alert.cpp's AlertKindName
// spells them; policy does not depend on divergence, tests/policy checks the two agree).
std::span<const std::string_view> AlertKindNames();

class Policy {
 public:
  // Strict YAML: unknown keys, duplicate keys, wrong types, malformed CIDRs/ASNs/times, a
  // suppression without reason or who, an unknown alert kind are problems with their line. Every
  // problem is collected; the status fails when there is at least one (the policy is not used).
  static core::Status Load(const std::string& path, Policy* out,
                           std::vector<PolicyProblem>* problems);

  // The sanctioned network that holds ip (by CIDR, or by ASN through ip_asn); nullptr when none.
  const SanctionedNetwork* Sanctioned(const core::IpAddress& ip, std::uint32_t ip_asn) const;
  // The first suppression that applies at `at` to a finding of `kind` about `contractor` whose
  // subjects include a matching address (a rule without networks matches any finding, even one
  // with no subjects); nullptr when none.
  const Suppression* Suppressing(std::string_view contractor, std::string_view kind,
                                 const std::vector<Subject>& subjects, core::TimeUs at) const;

  const std::vector<SanctionedNetwork>& sanctioned() const { return sanctioned_; }
  const std::vector<Suppression>& suppressions() const { return suppressions_; }
  std::string path;  // where it was loaded from ("" when built in code)

  void AddSanctioned(SanctionedNetwork n) { sanctioned_.push_back(std::move(n)); }
  void AddSuppression(Suppression s) { suppressions_.push_back(std::move(s)); }

 private:
  std::vector<SanctionedNetwork> sanctioned_;
  std::vector<Suppression> suppressions_;
};

}  // namespace parallax::policy
