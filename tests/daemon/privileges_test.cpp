// Regression tests for root working inside the state folder (a symbolic link planted by the
// service user was followed and its target chowned) and for the privilege drop (the capability
// bounding set was left full). Both need root; as another user they only check what they can.
#include <catch2/catch.hpp>

#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>

#include "sensor/daemon/privileges.h"

using namespace parallax;
namespace fs = std::filesystem;

namespace {

// A fresh folder under the build tree's scratch space.
std::string FreshDir(const std::string& name) {
  const fs::path p = fs::path(PARALLAX_TEST_TMP) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

uid_t OwnerOf(const std::string& path) {
  struct stat st{};
  REQUIRE(lstat(path.c_str(), &st) == 0);
  return st.st_uid;
}

}  // namespace

TEST_CASE("state folder: a symbolic link inside it is refused and its target keeps its owner") {
  if (geteuid() != 0) {
    WARN("needs root: the link is only dangerous when root follows it");
    return;
  }
  daemon::Identity nobody;
  REQUIRE(daemon::ResolveIdentity("nobody", "", &nobody).ok());
  const std::string base = FreshDir("symlink_spool");
  const std::string target = base + "/elsewhere";  // stands for /etc or another user's folder
  const std::string state = base + "/state";
  fs::create_directories(target);
  fs::create_directories(state);
  REQUIRE(chown(state.c_str(), nobody.uid, nobody.gid) == 0);  // the service user's folder
  fs::create_directory_symlink(target, state + "/spool");

  const core::Status s = daemon::PrepareStateDirectory(state, {"spool"}, &nobody);
  REQUIRE_FALSE(s.ok());
  CHECK(s.message().find(state + "/spool: is a symbolic link") != std::string::npos);
  CHECK(OwnerOf(target) == 0);
  CHECK(fs::is_symlink(state + "/spool"));  // left for the administrator to look at

  SECTION("state_dir itself a symbolic link") {
    const std::string link = base + "/state-link";
    fs::create_directory_symlink(target, link);
    const core::Status t = daemon::PrepareStateDirectory(link, {"spool"}, &nobody);
    REQUIRE_FALSE(t.ok());
    CHECK(t.message().find(link + ": is a symbolic link") != std::string::npos);
    CHECK(OwnerOf(target) == 0);
    CHECK_FALSE(fs::exists(target + "/spool"));
  }
  SECTION("a folder of another user is not taken over") {
    fs::remove(state + "/spool");
    fs::create_directories(state + "/spool");
    REQUIRE(chown((state + "/spool").c_str(), 4242, 4242) == 0);
    const core::Status t = daemon::PrepareStateDirectory(state, {"spool"}, &nobody);
    REQUIRE_FALSE(t.ok());
    CHECK(t.message().find(state + "/spool: owned by uid 4242") != std::string::npos);
    CHECK(OwnerOf(state + "/spool") == 4242);
  }
  SECTION("real folders are created and handed to the service user") {
    fs::remove(state + "/spool");
    const std::string fresh = base + "/new/state/";  // parents are created, trailing slash ok
    REQUIRE(daemon::PrepareStateDirectory(fresh, {"spool"}, &nobody).ok());
    REQUIRE(daemon::PrepareStateDirectory(state, {"spool"}, &nobody).ok());
    for (const std::string& d : {base + "/new/state", base + "/new/state/spool", state + "/spool"}) {
      INFO(d);
      struct stat st{};
      REQUIRE(lstat(d.c_str(), &st) == 0);
      CHECK(S_ISDIR(st.st_mode));
      CHECK(st.st_uid == nobody.uid);
      CHECK((st.st_mode & 0777) == 0750);
    }
    CHECK(OwnerOf(base + "/new") == 0);  // a parent stays root's
  }
}

TEST_CASE("privilege drop empties the capability bounding set") {
  if (geteuid() != 0) {
    WARN("needs root");
    return;
  }
  daemon::Identity nobody;
  REQUIRE(daemon::ResolveIdentity("nobody", "", &nobody).ok());
  // The drop cannot be undone, so it happens in a child; the exit code says what it found.
  const pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    if (!daemon::DropPrivileges(nobody).ok()) _exit(10);
    if (geteuid() != nobody.uid) _exit(11);
    for (int cap = 0; prctl(PR_CAPBSET_READ, cap, 0, 0, 0) >= 0; ++cap) {
      if (prctl(PR_CAPBSET_READ, cap, 0, 0, 0) == 1) _exit(12);
    }
    if (daemon::DescribeCredentials().find("CapBnd=0000000000000000") == std::string::npos) {
      _exit(13);
    }
    _exit(0);
  }
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  REQUIRE(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);  // 10 drop failed, 11 uid, 12 bounding set, 13 description
}
