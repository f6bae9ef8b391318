// `parallax live -i IFACE`: live capture with libpcap until SIGINT/SIGTERM (or a limit), then
// the live flows are flushed and the stats event reports pcap's drop counters.
#include <iostream>
#include <memory>

#include "sensor/capture/pcap_source.h"
#include "sensor/capture_loop.h"
#include "sensor/cli/commands.h"
#include "sensor/cli/sensor_flags.h"
#include "sensor/cli/stop_signal.h"
#include "sensor/output/output_file.h"

namespace parallax::cli {
namespace {

struct LiveArgs {
  capture::LiveOptions live;
  bool no_promisc = false;
  bool no_immediate = false;
  CaptureLimits limits;
  SensorFlags flags;
  double evaluate_interval_s = 60;
};

int RunLive(LiveArgs& a) {
  a.live.promiscuous = !a.no_promisc;
  a.live.immediate = !a.no_immediate;
  output::EventSelection selection;
  if (auto s = a.flags.Validate(&selection); !s.ok()) {
    std::cerr << "parallax live: " << s.message() << "\n";
    return 2;
  }
  if (a.live.snaplen < 64 || a.live.snaplen > 262144) {
    std::cerr << "parallax live: --snaplen: must be between 64 and 262144\n";
    return 2;
  }
  if (!(a.limits.max_seconds >= 0 && a.limits.max_seconds <= 1e9)) {  // NaN fails both
    std::cerr << "parallax live: --duration: must be between 0 and 1e9 seconds\n";
    return 2;
  }
  if (!(a.evaluate_interval_s >= 1 && a.evaluate_interval_s <= 86400)) {
    std::cerr << "parallax live: --evaluate-interval: must be between 1 and 86400 seconds\n";
    return 2;
  }
  core::Status st;
  auto source = capture::OpenLive(a.live, a.flags.bpf, &st);
  if (!source) {
    std::cerr << "parallax live: " << st.message() << "\n";
    return 1;
  }
  // After the interface: its error is the one that matters, not a warning about the roster.
  if (auto s = a.flags.Load(); !s.ok()) {
    std::cerr << "parallax live: " << s.message() << "\n";
    return 1;
  }
  auto out = output::OutputFile::Open(a.flags.output, &st);
  if (!out) {
    std::cerr << "parallax live: " << st.message() << "\n";
    return 2;
  }
  output::EventWriter writer(out.get(), selection);
  // Alerts while the capture runs: the stage evaluates each time packet time (the capture
  // clock, which a quiet link still advances) has moved by the interval.
  std::unique_ptr<divergence::DivergenceStage> stage;
  if (a.flags.div.on()) {
    stage = a.flags.div.MakeStage(&writer, a.flags.geo_holder.get(), {}, core::Seconds(a.evaluate_interval_s));
    a.flags.pipeline.records = stage.get();
  }
  auto pipeline = Pipeline::Create(a.flags.pipeline, &writer, &st);
  if (!pipeline) {
    std::cerr << "parallax live: " << st.message() << "\n";
    return 1;
  }
  const auto& stop = InstallStopHandlers(source.get());
  ArmStopTimer(a.limits.max_seconds);
  pipeline->stats().inputs.push_back(a.live.interface);
  st = RunCapture(*source, *pipeline, stop, a.limits);
  const auto cs = source->stats();
  auto& ps = pipeline->stats();
  ps.capture_received = cs.received;
  ps.capture_dropped = cs.dropped;
  ps.capture_if_dropped = cs.if_dropped;
  SetStopSource(nullptr);
  pipeline->EndInput();
  if (stage) DivergenceFlags::FillStats(*stage, &pipeline->stats());
  pipeline->Finish();
  int rc = 0;
  if (!st.ok()) {
    std::cerr << "parallax live: " << st.message() << "\n";
    rc = 1;
  }
  if (auto s = out->Close(); !s.ok()) {
    std::cerr << "parallax live: " << s.message() << "\n";
    rc = 1;
  }
  return rc;
}

}  // namespace

void AddLiveCommand(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<LiveArgs>();
  CLI::App* cmd = app.add_subcommand("live", "Capture live from an interface (needs CAP_NET_RAW)");
  cmd->add_option("-i,--interface", a->live.interface, "Interface to capture on")->required();
  cmd->add_option("--snaplen", a->live.snaplen, "Bytes captured per packet")->capture_default_str();
  cmd->add_flag("--no-promisc", a->no_promisc, "Do not put the interface in promiscuous mode");
  cmd->add_flag("--no-immediate", a->no_immediate,
                "Let libpcap batch packets (higher latency, fewer wake-ups)");
  cmd->add_option("--buffer-size", a->live.buffer_mb, "Kernel capture buffer, MiB")
      ->capture_default_str();
  cmd->add_option("--count", a->limits.max_packets, "Stop after this many packets (0: no limit)");
  cmd->add_option("--duration", a->limits.max_seconds, "Stop after this many seconds (0: none)");
  cmd->add_option("--evaluate-interval", a->evaluate_interval_s,
                  "With --roster: evaluate the detections every N seconds of capture time")
      ->capture_default_str();
  a->flags.Register(cmd);
  cmd->callback([a, &exit_code] { exit_code = RunLive(*a); });
}

}  // namespace parallax::cli
