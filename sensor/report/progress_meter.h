// ProgressMeter: a one-line progress bar for long reads (packets, bytes, share of the input
// files' total size, rate), redrawn at most `max_per_second` times on a terminal and silent
// otherwise (a log file or a pipe gets no carriage returns).
// The share is estimated from the bytes of packets read plus the per-record header (16 bytes in
// pcap; pcapng blocks are larger, so it is capped below 100 % until Finish()).
// Thread-safety: REQUIRES external synchronization.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>

namespace parallax::report {

class ProgressMeter {
 public:
  // enabled: draw at all (normally isatty(fileno(out))). total_bytes: sum of the input sizes.
  ProgressMeter(std::FILE* out, bool enabled, std::uint64_t total_bytes, double max_per_second = 4);

  // One packet of caplen bytes was read. Cheap: checks the clock every 1024 packets.
  void OnPacket(std::uint32_t caplen) {
    ++packets_;
    bytes_ += caplen;
    if (enabled_ && (packets_ & 1023) == 0) MaybeDraw(false);
  }
  // Draws the final state and ends the line (nothing when disabled).
  void Finish();

  static bool StderrIsTerminal();

 private:
  void MaybeDraw(bool force);

  std::FILE* out_;
  bool enabled_;
  std::uint64_t total_;
  std::chrono::steady_clock::duration interval_;
  std::chrono::steady_clock::time_point start_, last_draw_;
  std::uint64_t packets_ = 0, bytes_ = 0;
  bool drawn_ = false;
};

}  // namespace parallax::report
