// Privileges: the daemon opens its captures as root (or with CAP_NET_RAW), then becomes an
// ordinary user: supplementary groups dropped, gid then uid set, no_new_privs on. Linux clears
// the permitted and effective capabilities when a root process sets a non-zero uid, so nothing
// of root survives; the drop is checked (setuid(0) must fail afterwards).
#pragma once

#include <sys/types.h>

#include <string>

#include "sensor/core/status.h"

namespace parallax::daemon {

struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string user, group;
};

// Looks up user (and group; empty = the user's primary group).
core::Status ResolveIdentity(const std::string& user, const std::string& group, Identity* out);

// Creates dir (and parents) if missing, mode 0750, owned by `owner` when running as root.
core::Status PrepareDirectory(const std::string& dir, const Identity* owner);

core::Status DropPrivileges(const Identity& to);

// "uid=.. gid=.. groups=.. CapEff=.." of this process, for the start-up log line and tests.
std::string DescribeCredentials();

}  // namespace parallax::daemon
