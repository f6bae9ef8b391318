// libFuzzer target: the whole packet path (decode → flow table → nDPI → flow records) on a
// sequence of frames. Input format (tests/fuzz/make_seeds.py writes seeds in it from real
// captures): byte 0 selects the link type; then records of [u16 LE length][u8 time step, ms]
// [length bytes]. A truncated last record is fed as it is: truncation is what we want to test.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>

#include "sensor/output/event_writer.h"
#include "sensor/pipeline.h"

namespace {

constexpr parallax::core::LinkType kLinks[] = {
    parallax::core::LinkType::kEthernet, parallax::core::LinkType::kLinuxSll,
    parallax::core::LinkType::kLinuxSll2, parallax::core::LinkType::kRaw,
    parallax::core::LinkType::kIpv4,     parallax::core::LinkType::kIpv6,
    parallax::core::LinkType::kNull,     parallax::core::LinkType::kLoop,
    parallax::core::LinkType::kNflog,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  // Flow records are serialised for real (the JSON path is part of what we fuzz), then dropped.
  // One pipeline for the whole run (building nDPI's module takes ~50 ms); Reset() gives each
  // input an empty flow table.
  static std::FILE* sink = std::fopen("/dev/null", "w");
  static parallax::output::EventWriter writer(sink, parallax::output::EventSelection::All());
  static std::unique_ptr<parallax::Pipeline> pipeline = [] {
    parallax::PipelineOptions options;
    options.flows.max_flows = 64;  // small, so eviction paths run too
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
