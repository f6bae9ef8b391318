// libFuzzer target: the whole packet path (decode → flow table → nDPI → flow records) on a
// sequence of frames. Input format (tests/fuzz/make_seeds.py writes seeds in it from real
// captures): byte 0 selects the link type; then records of [u16 LE length][u8 time step, ms]
// [length bytes]. A truncated last record is fed as it is: truncation is what we want to test.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "geoip/geo_intel.h"
#include "geoip/geo_intel_holder.h"
#include "sensor/output/event_writer.h"
#include "sensor/pipeline.h"
#include "tests/fuzz/fuzz_temp_file.h"

namespace {

constexpr parallax::core::LinkType kLinks[] = {
    parallax::core::LinkType::kEthernet, parallax::core::LinkType::kLinuxSll,
    parallax::core::LinkType::kLinuxSll2, parallax::core::LinkType::kRaw,
    parallax::core::LinkType::kIpv4,     parallax::core::LinkType::kIpv6,
    parallax::core::LinkType::kNull,     parallax::core::LinkType::kLoop,
    parallax::core::LinkType::kNflog,
};

// Network intelligence for the analyzers that only speak when they know what a server's network
// is (vpn_endpoint, fake_tls, tls_without_sni, and the intel branches of ndpi_vpn, openvpn,
// wireguard, remote_desktop, encrypted_tunnel): without it those paths never run. The curated
// table plus an operator list that gives every public address a type, by quarters of the
// address space, so fuzzed addresses reach each branch without having to guess a listed network.
constexpr char kFuzzList[] =
    "0.0.0.0/2 vpn FuzzVPN\n"
    "64.0.0.0/2 hosting FuzzHost\n"
    "128.0.0.0/2 tor_exit Tor\n"
    "192.0.0.0/2 proxy FuzzProxy\n"
    "::/1 vpn FuzzVPN\n"
    "8000::/1 hosting FuzzHost\n";

const parallax::geoip::GeoIntelHolder* MakeGeo() {
  static parallax::fuzz::TempFile list("networks.txt");
  list.Write(reinterpret_cast<const std::uint8_t*>(kFuzzList), sizeof kFuzzList - 1);
  parallax::geoip::GeoIntelOptions options;
  options.lists.push_back({list.path(), {}});
  std::shared_ptr<const parallax::geoip::GeoIntel> intel;
  if (const auto st = parallax::geoip::GeoIntel::Open(options, &intel); !st.ok()) {
    std::fprintf(stderr, "fuzz_packet_path: %s\n", st.message().c_str());
    std::abort();  // a harness that silently lost its intel would fuzz less than it claims
  }
  static parallax::geoip::GeoIntelHolder holder(intel);
  return &holder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // Flow records are serialised for real (the JSON path is part of what we fuzz), then dropped.
  // One pipeline for the whole run (building nDPI's module takes ~50 ms); Reset() gives each
  // input an empty flow table.
  static parallax::core::Status open_status;
  static std::unique_ptr<parallax::output::OutputFile> sink =
      parallax::output::OutputFile::Open("/dev/null", &open_status);
  static parallax::output::EventWriter writer(sink.get(), parallax::output::EventSelection::All());
  static std::unique_ptr<parallax::Pipeline> pipeline = [] {
    parallax::PipelineOptions options;
    options.flows.max_flows = 64;  // small, so eviction paths run too
    options.analyzers = "all";     // every registered analyzer (the default, said explicitly)
    options.geo = MakeGeo();
    parallax::core::Status st;
    return parallax::Pipeline::Create(options, &writer, &st);
  }();
  if (!pipeline) return 0;

  const auto link = kLinks[data[0] % (sizeof kLinks / sizeof kLinks[0])];
  std::size_t off = 1;
  parallax::core::TimeUs ts = 1'600'000'000'000'000;
  while (off + 3 <= size) {
    const std::size_t len = data[off] | (data[off + 1] << 8);
    ts += static_cast<parallax::core::TimeUs>(data[off + 2]) * 1000 * 7;  // ~0..1.8 s steps
    off += 3;
    const std::size_t avail = std::min(len, size - off);
    parallax::core::PacketView pv;
    pv.ts = ts;
    pv.data = data + off;
    pv.caplen = static_cast<std::uint32_t>(avail);
    pv.wirelen = static_cast<std::uint32_t>(len);
    pv.link = link;
    pipeline->HandlePacket(pv);
    off += avail;
  }
  pipeline->Reset();
  return 0;
}
