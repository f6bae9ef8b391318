#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "sensor/core/community_id.h"

using parallax::core::CommunityIdV1;
using parallax::core::IpAddress;

namespace {

void CheckBaseline(const std::string& file, std::uint16_t seed) {
  std::ifstream in(std::string(PARALLAX_TEST_DATA) + "/" + file);
  REQUIRE(in.good());
  const auto vectors = nlohmann::json::parse(in);
  REQUIRE(vectors.size() == 23);
  for (const auto& v : vectors) {
    const auto src = IpAddress::Parse(v["saddr"].get<std::string>());
    const auto dst = IpAddress::Parse(v["daddr"].get<std::string>());
    REQUIRE(src);
    REQUIRE(dst);
    const bool has_ports = !v["sport"].is_null();
    const auto sport = has_ports ? v["sport"].get<std::uint16_t>() : std::uint16_t{0};
    const auto dport = has_ports ? v["dport"].get<std::uint16_t>() : std::uint16_t{0};
    INFO(v.dump());
    CHECK(CommunityIdV1(*src, *dst, v["proto"].get<std::uint8_t>(), sport, dport, has_ports,
                        seed) == v["communityid"].get<std::string>());
  }
}

}  // namespace

TEST_CASE("Community ID matches the spec's published baseline (seed 0)") {
  CheckBaseline("community_id_baseline_seed0.json", 0);
}

TEST_CASE("Community ID matches the spec's published baseline (seed 1)") {
  CheckBaseline("community_id_baseline_seed1.json", 1);
}

TEST_CASE("Community ID is the same for both directions of a TCP flow") {
  auto a = *IpAddress::Parse("10.0.0.1");
  auto b = *IpAddress::Parse("10.0.0.2");
  CHECK(CommunityIdV1(a, b, 6, 1234, 443, true) == CommunityIdV1(b, a, 6, 443, 1234, true));
  CHECK(CommunityIdV1(a, b, 6, 1234, 443, true) != CommunityIdV1(a, b, 17, 1234, 443, true));
}
