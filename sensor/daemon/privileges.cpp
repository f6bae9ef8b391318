#include "sensor/daemon/privileges.h"

#include <grp.h>
#include <pwd.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>
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

namespace {

std::string ErrnoText(int e) { return std::strerror(e); }

// Owns a file descriptor: closed when it goes out of scope.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_ = -1;
};

// Creates `name` inside the folder `parent_fd` if missing and opens it without following a
// symbolic link in `name`; then checks the owner and sets owner and mode on the descriptor, so
// what is checked is what is changed (no path is looked up twice). `path` is for messages.
core::Status OpenStateFolder(int parent_fd, const std::string& name, const std::string& path,
                             const Identity* owner, Fd* out) {
  if (mkdirat(parent_fd, name.c_str(), 0750) != 0 && errno != EEXIST) {
    return core::Status::Error(path + ": cannot create: " + ErrnoText(errno));
  }
  const int fd = openat(parent_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    struct stat lst{};
    if (fstatat(parent_fd, name.c_str(), &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode)) {
      return core::Status::Error(path + ": is a symbolic link; refusing to follow it (remove it "
                                        "and the daemon creates a real folder)");
    }
    if (e == ENOTDIR) return core::Status::Error(path + ": not a directory");
    return core::Status::Error(path + ": cannot open: " + ErrnoText(e));
  }
  Fd dir(fd);
  struct stat st{};
  if (fstat(fd, &st) != 0) return core::Status::Error(path + ": cannot stat: " + ErrnoText(errno));
  const bool root = geteuid() == 0;
  // Root hands the folder to the service user: it must already be root's or the service
  // user's, or root would give away a folder that belongs to somebody else.
  if (root && st.st_uid != 0 && !(owner && st.st_uid == owner->uid)) {
    return core::Status::Error(path + ": owned by uid " + std::to_string(st.st_uid) +
                               ", not by root" + (owner ? " or " + owner->user : std::string()) +
                               "; refusing to take it over");
  }
  if (root && owner && fchown(fd, owner->uid, owner->gid) != 0) {
    return core::Status::Error(path + ": cannot chown: " + ErrnoText(errno));
  }
  if ((st.st_mode & 0027) && (root || st.st_uid == geteuid()) && fchmod(fd, 0750) != 0) {
    return core::Status::Error(path + ": cannot chmod 0750: " + ErrnoText(errno));
  }
  *out = std::move(dir);
  return core::Status::Ok();
}

}  // namespace

core::Status PrepareStateDirectory(const std::string& dir, const std::vector<std::string>& subdirs,
                                   const Identity* owner) {
  // The parents of state_dir belong to the administrator (the service user cannot change
  // them), so they are created and followed as usual; state_dir itself and what is inside it
  // may be the service user's and are opened with O_NOFOLLOW.
  std::filesystem::path p = std::filesystem::path(dir).lexically_normal();
  if (p.has_relative_path() && !p.has_filename()) p = p.parent_path();  // "a/b/" -> "a/b"
  const std::filesystem::path parent = p.parent_path();
  Fd parent_fd;
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) return core::Status::Error(parent.string() + ": cannot create: " + ec.message());
    const int fd = open(parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return core::Status::Error(parent.string() + ": cannot open: " + ErrnoText(errno));
    parent_fd = Fd(fd);
  }
  const std::string leaf = p.filename().empty() ? p.string() : p.filename().string();
  Fd state;
  if (auto s = OpenStateFolder(parent.empty() ? AT_FDCWD : parent_fd.get(), leaf, dir, owner,
                               &state);
      !s.ok()) {
    return s;
  }
  for (const auto& sub : subdirs) {
    Fd d;
    if (auto s = OpenStateFolder(state.get(), sub, dir + "/" + sub, owner, &d); !s.ok()) return s;
  }
  return core::Status::Ok();
}

namespace {

// Empties the capability bounding set (needs CAP_SETPCAP, so before the uid changes): with
// no_new_privs it means no capability can come back, not even through a file capability.
core::Status ClearBoundingSet() {
  for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; ++cap) {
    if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1 && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0) {
      const int e = errno;
      return core::Status::Error(
          "cannot drop capability " + std::to_string(cap) + " from the bounding set: " +
          ErrnoText(e) +
          (e == EPERM ? std::string(" (it takes CAP_SETPCAP: under systemd, list CAP_SETPCAP in "
                                    "CapabilityBoundingSet=, as config/parallax.service does)")
                      : std::string()));
    }
  }
  return core::Status::Ok();
}

bool BoundingSetEmpty() {
  for (int cap = 0;; ++cap) {
    const int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
    if (r < 0) return true;  // past the last capability this kernel knows
    if (r == 1) return false;
  }
}

}  // namespace

core::Status DropPrivileges(const Identity& to) {
  if (auto s = ClearBoundingSet(); !s.ok()) return s;
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
  if (!BoundingSetEmpty()) {
    return core::Status::Error(
        "privileges could not be dropped: the capability bounding set is not empty");
  }
  return core::Status::Ok();
}

namespace {

std::string AccessMessage(const AccessNeed& n, const Identity* as, int err) {
  const std::string who = as ? "user " + as->user : "this process";
  const char* verb = (n.mode & W_OK) ? "write" : "read";
  return n.path + ": " + who + " cannot " + verb + " it (" + n.what + "): " + ErrnoText(err);
}

}  // namespace

std::vector<std::string> CheckAccess(const Identity* as, const std::vector<AccessNeed>& needs) {
  std::vector<std::string> out;
  if (needs.empty()) return out;
  if (!as || geteuid() != 0) {
    for (const auto& n : needs) {
      if (access(n.path.c_str(), n.mode) != 0) out.push_back(AccessMessage(n, nullptr, errno));
    }
    return out;
  }
  // The child reports one errno per need (0: fine) through a pipe.
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    out.push_back("cannot check file permissions as user " + as->user + ": pipe: " +
                  ErrnoText(errno));
    return out;
  }
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    out.push_back("cannot check file permissions as user " + as->user + ": fork: " +
                  ErrnoText(errno));
    return out;
  }
  if (pid == 0) {
    close(fds[0]);
    int failed = 0;
    if (setgroups(0, nullptr) != 0 || setresgid(as->gid, as->gid, as->gid) != 0 ||
        setresuid(as->uid, as->uid, as->uid) != 0) {
      failed = errno ? errno : EPERM;
    }
    for (const auto& n : needs) {
      int e = failed;
      if (!e && access(n.path.c_str(), n.mode) != 0) e = errno;
      if (write(fds[1], &e, sizeof e) != static_cast<ssize_t>(sizeof e)) _exit(1);
    }
    _exit(0);
  }
  close(fds[1]);
  for (const auto& n : needs) {
    int e = 0;
    if (read(fds[0], &e, sizeof e) != static_cast<ssize_t>(sizeof e)) {
      out.push_back("cannot check file permissions as user " + as->user + ": the check stopped");
      break;
    }
    if (e != 0) out.push_back(AccessMessage(n, as, e));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  return out;
}

bool HasSetpcap() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapEff:", 0) == 0) {
      const unsigned long long eff = std::stoull(line.substr(7), nullptr, 16);
      return (eff >> CAP_SETPCAP) & 1;
    }
  }
  return false;
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
    if (line.rfind("CapEff:", 0) == 0 || line.rfind("CapPrm:", 0) == 0 ||
        line.rfind("CapBnd:", 0) == 0) {
      std::string v = line.substr(7);
      v.erase(0, v.find_first_not_of(" \t"));
      out += " " + line.substr(0, 6) + "=" + v;
    }
  }
  return out;
}

}  // namespace parallax::daemon
