// DivergenceInputs: the roster, identity events and bindings the divergence engine works from,
// loaded the same way by `read`/`live` (flags) and by the daemon (configuration, and again on
// SIGHUP). Errors list every problem as file:line: field.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sensor/core/status.h"
#include "sensor/divergence/divergence_options.h"
#include "sensor/policy/policy.h"
#include "sensor/roster/identity_events.h"
#include "sensor/roster/roster.h"

namespace parallax {

struct DivergenceInputs {
  std::shared_ptr<roster::Roster> roster;
  std::shared_ptr<roster::IdentityBindings> bindings;
  std::shared_ptr<std::vector<roster::IdentityEvent>> identity_events;
  // The SOC's policy (LoadPolicyFile); null: none.
  std::shared_ptr<const policy::Policy> policy;
};

// identity_path may be empty.
core::Status LoadDivergenceInputs(const std::string& roster_path, const std::string& identity_path,
                                  DivergenceInputs* out);

// The SOC's policy file (docs/policy.md). The error names the file and lists every problem as
// file:line: field: message (as a roster's does).
core::Status LoadPolicyFile(const std::string& path, std::shared_ptr<const policy::Policy>* out);

// Suppressions naming a contractor the roster does not have (a typo, or someone who left): such
// a rule can never apply. One "file:line: suppressions[i].contractor: ..." line each; said as a
// warning, not refused, so that a roster edit never breaks a running policy.
std::vector<std::string> PolicyContractorsNotInRoster(const policy::Policy& policy,
                                                      const roster::Roster& roster);

// "LAT,LON" in degrees into options' sensor location; `what` names the flag or setting.
core::Status ParseSensorLocation(const std::string& text, const std::string& what,
                                 divergence::DivergenceOptions* options);

}  // namespace parallax
