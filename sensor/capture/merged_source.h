// MergedSource: several capture sources read as one input in packet-time order, whatever the
// order they were given in (mergecap's merge: always the earliest next packet of all sources).
// Shell globs and hand-typed lists name files in name order, not capture order, and a pipeline fed
// a week late and then a week early clamps time and judges latency, windows and hours wrongly.
//
// Each source is assumed to be in time order; a real backwards jump inside one is passed on as it
// is (the pipeline counts `timestamp_backwards` and clamps), counted per input here, and said once
// per input through the notice callback. A source that fails mid-way (a corrupt record) is
// reported through the same callback, marked failed, and the others go on: Next() never returns
// kError, the caller looks at inputs() (or any_failed()) at the end.
//
// Ties (equal timestamps in two sources) go to the source whose first packet is earlier, then to
// the smaller name, so that the output does not depend on the order the sources were given in.
// Thread-safety: REQUIRES external synchronization, except BreakLoop() (see PacketSource).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <utility>
#include <vector>

#include "sensor/capture/packet_source.h"

namespace parallax::capture {

// What happened to one input, for the closing stats event and the exit status.
struct MergedInput {
  enum class State { kOk, kFailed, kInterrupted };
  std::string name;
  State state = State::kOk;
  std::string error;                       // kFailed: the source's message (file and packet)
  std::uint64_t packets = 0;               // delivered from this input
  std::uint64_t timestamps_backwards = 0;  // packets earlier than their predecessor in this input
  std::optional<core::TimeUs> first_ts;    // of its first packet, if it had one
};

class MergedSource final : public PacketSource {
 public:
  // Called for each failed input and for the first backwards jump of each input, with a message
  // that names the input and the packet ("a.pcap: timestamps go back 3600 s at packet 12").
  using NoticeFn = std::function<void(const std::string&)>;

  // Reads the first packet of every source (to order them), so errors on a first record are
  // noticed here, through `notice`. `sources` must not be empty nor hold null pointers.
  MergedSource(std::vector<std::unique_ptr<PacketSource>> sources, NoticeFn notice);

  NextResult Next(core::PacketView* packet) override;
  // Always Ok: a failing input does not end the merge (see inputs()).
  core::Status error() const override { return core::Status::Ok(); }
  CaptureStats stats() const override;
  void BreakLoop() override;
  const std::string& name() const override { return name_; }

  // Every input, in merge order (first packet time, then name; inputs with no packet last). After
  // the loop: inputs not read to their end because of a stop are kInterrupted.
  std::vector<MergedInput> inputs() const;
  bool any_failed() const;

 private:
  struct Slot {
    std::unique_ptr<PacketSource> source;
    MergedInput info;
    core::PacketView head;  // valid while has_head: the source is not advanced until it is used
    bool has_head = false;
    bool ended = false;
    core::TimeUs last_ts = 0;
  };

  // Reads the next packet of slot i into its head; records errors and backwards jumps.
  void Advance(std::size_t i);

  std::vector<Slot> slots_;  // in merge order
  // (head timestamp, slot) of every slot with a head, earliest first; the slot index breaks ties.
  using HeapEntry = std::pair<core::TimeUs, std::size_t>;
  std::priority_queue<HeapEntry, std::vector<HeapEntry>, std::greater<HeapEntry>> heap_;
  NoticeFn notice_;
  std::string name_;
  // The slot whose head was handed out by the last Next(): advanced at the start of the next one,
  // since its packet must stay valid until then.
  std::optional<std::size_t> pending_;
};

}  // namespace parallax::capture
