#include "sensor/daemon/startup_check.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sensor/capture/live_check.h"
#include "sensor/daemon/http_endpoint.h"
#include "sensor/daemon/privileges.h"
#include "sensor/divergence/divergence_inputs.h"
#include "sensor/geo/geo_sources.h"
#include "sensor/output/event_writer.h"
#include "sensor/pipeline.h"
#include "sensor/sinks/sink.h"

namespace parallax::daemon {
namespace {

namespace fs = std::filesystem;

// A loader's message as problems, one per line. A multi-line message is a count followed by the
// problems ("R: roster has 2 problem(s) (...):\n  R:3: ...\n  R:9: ..."): the count is dropped,
// the caller counts.
void AddProblems(const std::string& message, std::vector<std::string>* out) {
  std::istringstream in(message);
  std::vector<std::string> lines;
  std::string line;
  while (std::getline(in, line)) {
    const auto start = line.find_first_not_of(' ');
    if (start != std::string::npos) lines.push_back(line.substr(start));
  }
  const std::size_t first = lines.size() > 1 ? 1 : 0;
  for (std::size_t i = first; i < lines.size(); ++i) out->push_back(lines[i]);
}

bool Exists(const std::string& path) {
  struct stat st{};
  return lstat(path.c_str(), &st) == 0;
}

// A file the daemon reads after the drop: missing is said once here (the loaders may not be
// reached), present goes on to the permission check.
void NeedRead(const std::string& path, const std::string& what, std::vector<AccessNeed>* needs) {
  if (!path.empty() && Exists(path)) needs->push_back({path, R_OK, what});
}

// The nearest folder of `path` that exists (path itself when it does).
std::string ExistingAncestor(const std::string& path) {
  fs::path p = fs::absolute(path).lexically_normal();
  while (!p.empty() && !Exists(p.string()) && p != p.parent_path()) p = p.parent_path();
  return p.string();
}

// `owner_known`: false when the user to become is already a problem (whose folder it may be is
// then unknown, and saying so would only repeat that problem).
void CheckStateDir(const DaemonConfig& c, const Identity* owner, bool owner_known,
                   StartupCheck* r, std::vector<AccessNeed>* needs) {
  const bool root = geteuid() == 0;
  for (const std::string& d : {c.state_dir, c.state_dir + "/spool"}) {
    struct stat st{};
    if (lstat(d.c_str(), &st) != 0) {
      if (errno != ENOENT) r->problems.push_back(d + ": " + std::strerror(errno) + " (state_dir)");
      continue;  // made at start-up
    }
    if (S_ISLNK(st.st_mode)) {
      r->problems.push_back(d + ": is a symbolic link; the daemon refuses to follow it "
                                "(state_dir)");
    } else if (!S_ISDIR(st.st_mode)) {
      r->problems.push_back(d + ": not a directory (state_dir)");
    } else if (root && owner_known && st.st_uid != 0 && !(owner && st.st_uid == owner->uid)) {
      r->problems.push_back(d + ": owned by uid " + std::to_string(st.st_uid) + ", not by root" +
                            (owner ? " or " + owner->user : std::string()) +
                            "; the daemon refuses to take it over (state_dir)");
    }
  }
  if (!root) {
    // The daemon creates the folders, its spools and the store as this very user.
    const std::string dir = Exists(c.state_dir) ? c.state_dir : ExistingAncestor(c.state_dir);
    needs->push_back({dir, W_OK | X_OK, "state_dir"});
  }
  const std::string store = c.state_dir + "/alerts.sqlite";
  struct stat st{};
  if (lstat(store.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode)) {
      r->problems.push_back(store + ": not a regular file (the alert store)");
    } else {
      needs->push_back({store, R_OK | W_OK, "the alert store"});
    }
  }
}

void CheckSinks(const DaemonConfig& c, StartupCheck* r, std::vector<AccessNeed>* needs) {
  for (std::size_t i = 0; i < c.sinks.size(); ++i) {
    const sinks::SinkConfig& s = c.sinks[i];
    const std::string key = "sinks[" + std::to_string(i) + "]";
    if (auto st = sinks::ValidateSinkConfig(s); !st.ok()) {
      r->problems.push_back(c.path + ": " + key + ": " + st.message());
    }
    if (!s.tls.ca_file.empty()) {
      if (!Exists(s.tls.ca_file)) {
        r->problems.push_back(s.tls.ca_file + ": no such file (" + key + ".tls.ca_file)");
      } else {
        needs->push_back({s.tls.ca_file, R_OK, key + ".tls.ca_file"});
      }
    }
    if (s.type == sinks::SinkType::kFile && !s.path.empty()) {
      const fs::path parent = fs::absolute(s.path).parent_path();
      struct stat st{};
      if (Exists(s.path)) {
        needs->push_back({s.path, W_OK, key + ".path"});
      } else if (stat(parent.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
        r->problems.push_back(s.path + ": folder " + parent.string() + " does not exist (" + key +
                              ".path)");
      } else {
        needs->push_back({parent.string(), W_OK | X_OK, key + ".path (to create the file)"});
      }
    }
  }
}

}  // namespace

StartupCheck CheckStartup(const DaemonConfig& c) {
  StartupCheck r;
  auto& problems = r.problems;
  const bool root = geteuid() == 0;

  // Who the daemon becomes, as Daemon::Impl::Setup decides it.
  Identity to;
  bool drop = false;
  if (root) {
    core::Status s = c.user.empty() || c.user == "root"
                         ? core::Status::Error("no unprivileged `user:` configured")
                         : ResolveIdentity(c.user, c.group, &to);
    if (s.ok()) {
      drop = true;
      if (!HasSetpcap()) {
        problems.push_back("no CAP_SETPCAP: the privilege drop cannot empty the capability "
                           "bounding set (under systemd, list CAP_SETPCAP in "
                           "CapabilityBoundingSet=, as config/parallax.service does)");
      }
    } else if (!c.allow_root) {
      problems.push_back(c.path + ": " + s.message() +
                         "; refusing to run on as root (set `allow_root: true` to override)");
    } else {
      r.warnings.push_back(c.path + ": running on as root (allow_root: true): " + s.message());
    }
  }
  std::vector<AccessNeed> needs;  // files opened after the drop

  bool filter_refused = false;  // a syntax error is said once, not once per interface
  for (const auto& ifname : c.capture.interfaces) {
    if (auto s = capture::CheckInterface(ifname); !s.ok()) problems.push_back(s.message());
    if (filter_refused) continue;
    if (auto s = capture::CheckFilter(c.capture.bpf, ifname, c.capture.snaplen); !s.ok()) {
      problems.push_back(c.path + ": capture.bpf: " + s.message());
      filter_refused = true;
    }
  }
  CheckStateDir(c, drop ? &to : nullptr, !root || drop || c.allow_root, &r, &needs);

  std::shared_ptr<const geoip::GeoIntel> intel;
  if (!c.geoip.disabled) {
    std::vector<std::string> searched;
    if (auto s = OpenGeoSources(c.geoip.sources, &intel, &searched); !s.ok()) {
      AddProblems(s.message(), &problems);
    } else if (intel->location_dbs().empty() && intel->asn_dbs().empty()) {
      r.warnings.push_back("no GeoIP databases found; network types come from special ranges "
                           "and curated lists only");
    }
    const auto& g = c.geoip.sources;
    for (const auto& p : g.city_dbs) NeedRead(p, "geoip.city_db", &needs);
    for (const auto& p : g.asn_dbs) NeedRead(p, "geoip.asn_db", &needs);
    NeedRead(g.anon_db, "geoip.anonymous_db", &needs);
    for (const auto& p : g.lists) NeedRead(p, "geoip.lists", &needs);
    for (const auto& p : g.tor_lists) NeedRead(p, "geoip.tor_lists", &needs);
  }

  // The analyzers and nDPI, as each worker builds them.
  {
    output::EventWriter discard(
        [](output::EventType, const nlohmann::ordered_json&, std::string&&) {},
        output::EventSelection());
    PipelineOptions po = c.pipeline;
    core::Status st;
    if (!Pipeline::Create(po, &discard, &st)) problems.push_back(c.path + ": " + st.message());
  }

  if (!c.roster.empty()) {
    DivergenceInputs in;
    if (auto s = LoadDivergenceInputs(c.roster, c.identity_events, &in); !s.ok()) {
      AddProblems(s.message(), &problems);
    } else {
      r.loaded += ", roster: " + std::to_string(in.roster->contractors().size()) +
                  " contractor(s), " + std::to_string(in.identity_events->size()) +
                  " identity event(s)";
    }
    NeedRead(c.roster, "roster", &needs);
    NeedRead(c.identity_events, "identity_events", &needs);
    if (!c.policy.empty()) {
      if (auto s = LoadPolicyFile(c.policy, &in.policy); !s.ok()) {
        AddProblems(s.message(), &problems);
      } else {
        r.loaded += ", policy: " + std::to_string(in.policy->sanctioned().size()) +
                    " sanctioned network(s), " + std::to_string(in.policy->suppressions().size()) +
                    " suppression(s)";
        if (in.roster) {
          for (const auto& w : PolicyContractorsNotInRoster(*in.policy, *in.roster)) {
            r.warnings.push_back(w);
          }
        }
      }
      NeedRead(c.policy, "policy", &needs);
    }
  }
  if (!c.sensor_location.empty()) {
    divergence::DivergenceOptions dopt;
    if (auto s = ParseSensorLocation(c.sensor_location, c.path + ": sensor_location", &dopt);
        !s.ok()) {
      problems.push_back(s.message());
    }
  }

  if (!c.http.listen.empty()) {
    boost::asio::ip::tcp::endpoint ep;
    if (auto s = ParseListenAddress(c.http.listen, &ep); !s.ok()) {
      problems.push_back(c.path + ": " + s.message());
    }
    const std::string& token_file = c.http.bearer_token_file;
    if (!token_file.empty()) {
      std::ifstream f(token_file);
      std::string token;
      if (!f || !std::getline(f, token) || token.empty()) {
        problems.push_back(token_file + ": cannot read the bearer token (first line) "
                                        "(http.bearer_token_file)");
      } else {
        needs.push_back({token_file, R_OK, "http.bearer_token_file"});
      }
    }
  }
  CheckSinks(c, &r, &needs);

  for (auto& m : CheckAccess(drop ? &to : nullptr, needs)) problems.push_back(std::move(m));
  return r;
}

}  // namespace parallax::daemon
