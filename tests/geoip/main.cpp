// Catch2 main for the geoip unit tests (tests/geoip/CMakeLists.txt).
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
