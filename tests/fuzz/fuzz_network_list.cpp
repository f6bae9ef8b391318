// libFuzzer target: network-type lists. Byte 0 selects the parser and options: bit 0 set parses
// the curated tab-separated table (ParseCurated), otherwise an operator list (Parse) with no
// default type (bit 1 clear) or a default of tor_exit/"Tor" (bit 1 set, as for a Tor bulk exit
// list). The rest is the text. A parsed list is then queried for a few addresses and ASNs so
// the prefix map built from it is walked. Seeds: geoip/data/*, the scenarios' lists.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "geoip/network_list.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const std::uint8_t mode = data[0];
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  using parallax::geoip::NetworkList;
  NetworkList list;
  parallax::geoip::Status st;
  if (mode & 1) {
    st = NetworkList::ParseCurated(text, "fuzz.tsv", &list);
  } else {
    parallax::geoip::ListOptions options;
    if (mode & 2) {
      options.default_type = parallax::geoip::NetworkType::kTorExit;
      options.default_provider = "Tor";
    }
    st = NetworkList::Parse(text, "fuzz.txt", options, &list);
  }
  if (!st.ok()) return 0;
  static const auto kAddresses = [] {
    std::vector<parallax::geoip::IpAddress> v;
    for (const char* a : {"0.0.0.0", "10.1.2.3", "185.65.134.1", "198.51.100.7", "203.0.113.7",
                          "255.255.255.255", "::", "2001:db8::1", "2a03:1b20::1",
                          "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}) {
      v.push_back(*parallax::geoip::IpAddress::Parse(a));
    }
    return v;
  }();
  for (const auto& a : kAddresses) {
    for (std::uint32_t asn : {0u, 9009u, 13335u, 4294967295u}) (void)list.Find(a, asn);
  }
  return 0;
}
