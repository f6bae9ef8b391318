// The curated network-type table, geoip/data/network_types.tsv, compiled into the library so
// the sensor needs no data file to classify well-known networks. CMake generates the definition
// from the .tsv (geoip/CMakeLists.txt), so the file in the repo is the only copy to edit.
#ifndef PARALLAX_GEOIP_CURATED_DATA_H_
#define PARALLAX_GEOIP_CURATED_DATA_H_

#include <string_view>

namespace parallax::geoip {

std::string_view CuratedNetworkTypesTsv();
inline constexpr std::string_view kCuratedNetworkTypesName = "geoip/data/network_types.tsv";

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_CURATED_DATA_H_
