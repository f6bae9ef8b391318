#include "sensor/daemon/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <vector>

namespace parallax::daemon {

core::Status ResolveIdentity(const std::string& user, const std::string& group, Identity* out) {
  std::vector<char> buf(16384);
  passwd pw{};
  passwd* pwr = nullptr;
  if (getpwnam_r(user.c_str(), &pw, buf.data(), buf.size(), &pwr) != 0 || !pwr) {
    return core::Status::Error("user '" + user + "' does not exist (create it, e.g. useradd "
                               "--system --no-create-home parallax, or set `user:`)");
  }
  out->uid = pw.pw_uid;
  out->gid = pw.pw_gid;
  out->user = user;
  if (!group.empty()) {
    struct group gr{};
    struct group* grr = nullptr;
    if (getgrnam_r(group.c_str(), &gr, buf.data(), buf.size(), &grr) != 0 || !grr) {
      return core::Status::Error("group '" + group + "' does not exist");
    }
    out->gid = gr.gr_gid;
  }
  out->group = group;
  return core::Status::Ok();
}

core::Status PrepareDirectory(const std::string& dir, const Identity* owner) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Status::Error(dir + ": cannot create: " + ec.message());
  if (owner && geteuid() == 0 && chown(dir.c_str(), owner->uid, owner->gid) != 0) {
    return core::Status::Error(dir + ": cannot chown: " + std::strerror(errno));
  }
  struct stat st{};
  if (stat(dir.c_str(), &st) == 0 && (st.st_mode & 0027) && (geteuid() == 0 || st.st_uid == geteuid())) {
    if (chmod(dir.c_str(), 0750) != 0) {
      return core::Status::Error(dir + ": cannot chmod 0750: " + std::strerror(errno));
    }
  }
  return core::Status::Ok();
}

core::Status DropPrivileges(const Identity& to) {
  if (setgroups(0, nullptr) != 0) {
    return core::Status::Error(std::string("setgroups: ") + std::strerror(errno));
  }
  if (setresgid(to.gid, to.gid, to.gid) != 0) {
    return core::Status::Error("setgid " + std::to_string(to.gid) + ": " + std::strerror(errno));
  }
  if (setresuid(to.uid, to.uid, to.uid) != 0) {
    return core::Status::Error("setuid " + std::to_string(to.uid) + ": " + std::strerror(errno));
  }
  prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  if (to.uid != 0 && (setuid(0) == 0 || geteuid() == 0)) {
    return core::Status::Error("privileges could not be dropped: root regained");
  }
  return core::Status::Ok();
}

std::string DescribeCredentials() {
  std::string out = "uid=" + std::to_string(geteuid()) + " gid=" + std::to_string(getegid());
  gid_t groups[64];
  const int n = getgroups(64, groups);
  out += " groups=";
  for (int i = 0; i < n; ++i) out += (i ? "," : "") + std::to_string(groups[i]);
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) == 0 || line.rfind("CapPrm:", 0) == 0) {
      std::string v = line.substr(7);
      v.erase(0, v.find_first_not_of(" \t"));
      out += " " + line.substr(0, 6) + "=" + v;
    }
  }
  return out;
}

}  // namespace parallax::daemon
