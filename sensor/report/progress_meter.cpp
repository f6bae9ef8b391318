#include "sensor/report/progress_meter.h"

#include <unistd.h>

#include <algorithm>
#include <string>

namespace parallax::report {
namespace {

std::string Human(double v, const char* unit) {
  static const char* kPrefix[] = {"", "k", "M", "G", "T"};
  int i = 0;
  while (v >= 1000 && i < 4) {
    v /= 1000;
    ++i;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, i ? "%.1f %s%s" : "%.0f %s%s", v, kPrefix[i], unit);
  return buf;
}

}  // namespace

ProgressMeter::ProgressMeter(std::FILE* out, bool enabled, std::uint64_t total_bytes,
                             double max_per_second)
    : out_(out), enabled_(enabled), total_(total_bytes) {
  interval_ = std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(1.0 / std::max(0.1, max_per_second)));
  start_ = last_draw_ = std::chrono::steady_clock::now();
}

bool ProgressMeter::StderrIsTerminal() { return ::isatty(STDERR_FILENO) == 1; }

void ProgressMeter::MaybeDraw(bool force) {
  const auto now = std::chrono::steady_clock::now();
  if (!force && now - last_draw_ < interval_) return;
  last_draw_ = now;
  // Record headers: 16 bytes per packet in pcap, plus the 24-byte file header.
  const double read = static_cast<double>(bytes_ + 16 * packets_ + 24);
  double share = total_ ? read / static_cast<double>(total_) : 0;
  share = force ? 1.0 : std::min(share, 0.99);
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double rate = secs > 0 ? static_cast<double>(packets_) / secs : 0;
  constexpr int kWidth = 24;
  const int filled = static_cast<int>(share * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '.');
  std::fprintf(out_, "\r[%s] %3.0f%%  %s  %s  %s\033[K", bar.c_str(), share * 100,
               Human(static_cast<double>(packets_), "pkt").c_str(),
               Human(static_cast<double>(bytes_), "B").c_str(), Human(rate, "pkt/s").c_str());
  std::fflush(out_);
  drawn_ = true;
}

void ProgressMeter::Finish() {
  if (!enabled_) return;
  MaybeDraw(true);
  std::fputc('\n', out_);
  std::fflush(out_);
}

}  // namespace parallax::report
