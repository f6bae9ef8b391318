#include "sensor/divergence/divergence_inputs.h"

#include <cmath>
#include <cstdio>

namespace parallax {

core::Status LoadDivergenceInputs(const std::string& roster_path, const std::string& identity_path,
                                  DivergenceInputs* out) {
  DivergenceInputs in;
  in.roster = std::make_shared<roster::Roster>();
  std::vector<roster::RosterProblem> problems;
  if (auto s = roster::Roster::Load(roster_path, in.roster.get(), &problems); !s.ok()) {
    std::string m = roster_path + ": roster has " + std::to_string(problems.size()) +
                    " problem(s) (parallax roster check " + roster_path + "):";
    for (const auto& p : problems) m += "\n  " + p.ToString();
    return core::Status::Error(problems.empty() ? s.message() : m);
  }
  in.bindings = std::make_shared<roster::IdentityBindings>();
  in.identity_events = std::make_shared<std::vector<roster::IdentityEvent>>();
  if (!identity_path.empty()) {
    if (auto s = roster::LoadIdentityEvents(identity_path, in.roster.get(),
                                            in.identity_events.get(), &problems);
        !s.ok()) {
      std::string m = identity_path + ": " + std::to_string(problems.size()) + " problem(s):";
      for (const auto& p : problems) m += "\n  " + p.ToString();
      return core::Status::Error(problems.empty() ? s.message() : m);
    }
    for (const auto& e : *in.identity_events) in.bindings->Add(e);
  }
  *out = std::move(in);
  return core::Status::Ok();
}

core::Status LoadPolicyFile(const std::string& path, std::shared_ptr<const policy::Policy>* out) {
  auto p = std::make_shared<policy::Policy>();
  std::vector<policy::PolicyProblem> problems;
  if (auto s = policy::Policy::Load(path, p.get(), &problems); !s.ok()) {
    std::string m = path + ": policy has " + std::to_string(problems.size()) +
                    " problem(s) (parallax policy check " + path + "):";
    for (const auto& pr : problems) m += "\n  " + pr.ToString();
    return core::Status::Error(problems.empty() ? s.message() : m);
  }
  *out = std::move(p);
  return core::Status::Ok();
}

std::vector<std::string> PolicyContractorsNotInRoster(const policy::Policy& policy,
                                                      const roster::Roster& roster) {
  std::vector<std::string> out;
  const auto& rules = policy.suppressions();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& s = rules[i];
    if (s.contractor.empty() || roster.Find(s.contractor)) continue;
    out.push_back(policy::PolicyProblem{policy.path, s.line,
                                        "suppressions[" + std::to_string(i) + "].contractor",
                                        "'" + s.contractor +
                                            "' is not in the roster: the rule never applies"}
                      .ToString());
  }
  return out;
}

core::Status ParseSensorLocation(const std::string& text, const std::string& what,
                                 divergence::DivergenceOptions* options) {
  double lat = 0, lon = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%lf,%lf%c", &lat, &lon, &tail) != 2 || !std::isfinite(lat) ||
      !std::isfinite(lon) || lat < -90 || lat > 90 ||
      lon < -180 || lon > 180) {
    return core::Status::Error(what + ": expected LAT,LON in degrees, got '" + text + "'");
  }
  options->sensor_latitude = lat;
  options->sensor_longitude = lon;
  return core::Status::Ok();
}

}  // namespace parallax
