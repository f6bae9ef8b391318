// CheckStartup: `parallax run --check` (as `suricata -T`): everything `parallax run` loads, opens
// or resolves at start-up, tried without starting anything, so that a configuration the daemon
// would refuse never passes the check (the shipped unit runs it as ExecStartPre):
//   roster, identity events and policy (loaded as the daemon loads them); sensor_location;
//   GeoIP databases and lists (opened); the analyzers (a pipeline is built); every interface
//   (exists, is up) and the BPF filter (compiled for the interface's link type); user: and
//   group: (exist); the state folder (no symbolic link, a folder root may hand over); the HTTP
//   listen address and bearer_token_file; every sink's settings (URL scheme, syslog facility,
//   TLS CA file, the file sink's folder); and, as root, that the service user can read (or
//   write) every file the daemon opens after dropping privileges.
// Nothing is created or changed: no folder, no spool, no alert store, no socket.
#pragma once

#include <string>
#include <vector>

#include "sensor/daemon/daemon_config.h"

namespace parallax::daemon {

struct StartupCheck {
  std::vector<std::string> problems;  // each would stop `run`; file:line where known
  std::vector<std::string> warnings;  // what `run` would log as a warning and start anyway
  std::string loaded;                 // ", roster: N contractor(s), ..." for the summary line
};

StartupCheck CheckStartup(const DaemonConfig& config);

}  // namespace parallax::daemon
