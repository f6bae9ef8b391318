// Privileges: the daemon opens its captures as root (or with CAP_NET_RAW), then becomes an
// ordinary user: capability bounding set cleared, supplementary groups dropped, gid then uid set,
// no_new_privs on. Linux clears the permitted and effective capabilities when a root process
// sets a non-zero uid, and the empty bounding set means no later execve can bring one back, so
// nothing of root survives; the drop is checked (setuid(0) must fail afterwards, the bounding set
// must be empty).
//
// Before the drop, root works inside state_dir, a folder the service user owns and so can fill
// with symbolic links. Everything root does there goes through descriptors opened with
// O_NOFOLLOW (fchown, fchmod on the descriptor), so a planted link is refused, never followed.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "sensor/core/status.h"

namespace parallax::daemon {

struct Identity {
  uid_t uid = 0;
  gid_t gid = 0;
  std::string user, group;
};

// Looks up user (and group; empty = the user's primary group).
core::Status ResolveIdentity(const std::string& user, const std::string& group, Identity* out);

// Creates `dir` (and its parents) if missing, then each of `subdirs` (single names) inside it;
// each gets mode 0750 and, when running as root, the owner `owner`. `dir` itself and every
// subdirectory must be a real directory (a symbolic link is refused, naming the path) owned by
// root, by `owner` or by this process's user: root never takes over somebody else's folder.
core::Status PrepareStateDirectory(const std::string& dir, const std::vector<std::string>& subdirs,
                                   const Identity* owner);

core::Status DropPrivileges(const Identity& to);

// A file the daemon opens after the drop, and how (R_OK, W_OK, X_OK as for access(2)).
struct AccessNeed {
  std::string path;
  int mode = 0;
  std::string what;  // the setting that names it, for the message
};

// The needs `as` could not meet, one message each ("PATH: user nobody cannot read it (roster)").
// As root the checks run in a child process that becomes `as` first (groups, gid, uid), so the
// kernel answers, ACLs included; otherwise (as == nullptr) they run as this process.
std::vector<std::string> CheckAccess(const Identity* as, const std::vector<AccessNeed>& needs);

// Whether this process holds CAP_SETPCAP, which emptying the bounding set takes (run --check).
bool HasSetpcap();

// "uid=.. gid=.. groups=.. CapEff=.. CapPrm=.. CapBnd=.." of this process, for the start-up log
// line and tests.
std::string DescribeCredentials();

}  // namespace parallax::daemon
