#include "sensor/cli/stop_signal.h"

#include <sys/time.h>

#include <csignal>

namespace parallax::cli {
namespace {
std::atomic<bool> g_stop{false};
std::atomic<capture::PacketSource*> g_source{nullptr};

extern "C" void OnStopSignal(int) {
  g_stop.store(true);
  if (auto* s = g_source.load()) s->BreakLoop();
}
}  // namespace

const std::atomic<bool>& InstallStopHandlers(capture::PacketSource* source) {
  g_source.store(source);
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  return g_stop;
}

void SetStopSource(capture::PacketSource* source) { g_source.store(source); }

void ArmStopTimer(double seconds) {
  if (!(seconds > 0)) return;
  struct sigaction sa {};
  sa.sa_handler = OnStopSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGALRM, &sa, nullptr);
  itimerval t{};
  t.it_value.tv_sec = static_cast<time_t>(seconds);
  t.it_value.tv_usec = static_cast<suseconds_t>((seconds - static_cast<double>(t.it_value.tv_sec)) * 1e6);
  setitimer(ITIMER_REAL, &t, nullptr);
}

}  // namespace parallax::cli
