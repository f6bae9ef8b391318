// A scratch SQLite alert-store path for one test, removed (with its WAL files) at the end.
#pragma once

#include <catch2/catch.hpp>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace parallax::divergence {

struct TempStore {
  std::string path;
  TempStore() {
    char tmpl[] = "/tmp/parallax-store-XXXXXX";
    const int fd = mkstemp(tmpl);
    REQUIRE(fd >= 0);
    close(fd);
    path = tmpl;
  }
  ~TempStore() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
  }
};

}  // namespace parallax::divergence
