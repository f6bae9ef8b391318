// Where the generated test databases are: ctest sets PARALLAX_GEOIP_TEST_DB_DIR (the fixture
// geoip_make_test_mmdb writes them there); the compile-time default is the same directory.
#ifndef PARALLAX_TESTS_GEOIP_TEST_PATHS_H_
#define PARALLAX_TESTS_GEOIP_TEST_PATHS_H_

#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>

#include <unistd.h>

namespace parallax::geoip::testing {

inline std::string TestDb(const std::string& name) {
  const char* dir = std::getenv("PARALLAX_GEOIP_TEST_DB_DIR");
  return std::string(dir ? dir : PARALLAX_GEOIP_TEST_DB_DIR) + "/" + name + ".mmdb";
}

// Per process: two test runs at once (ctest -j, a developer's shell) must not truncate each
// other's scratch databases while they are mapped (that is a SIGBUS, not a test failure).
// Removed when the process exits, so runs do not pile them up in the build folder.
inline std::string ScratchPath(const std::string& name) {
  struct Cleanup {
    std::set<std::string> paths;
    ~Cleanup() {
      for (const auto& p : paths) std::remove(p.c_str());
    }
  };
  static Cleanup cleanup;
  const char* dir = std::getenv("PARALLAX_GEOIP_TEST_DB_DIR");
  std::string path = std::string(dir ? dir : PARALLAX_GEOIP_TEST_DB_DIR) + "/scratch-" +
                     std::to_string(::getpid()) + "-" + name;
  cleanup.paths.insert(path);
  return path;
}

}  // namespace parallax::geoip::testing

#endif  // PARALLAX_TESTS_GEOIP_TEST_PATHS_H_
