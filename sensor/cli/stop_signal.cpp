#include "sensor/cli/stop_signal.h"

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

}  // namespace parallax::cli
