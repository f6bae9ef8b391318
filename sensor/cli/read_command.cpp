// `parallax read FILE...`: offline analysis of capture files (pcap, pcapng), in order, as one
// continuous input.
#include <filesystem>
#include <iostream>
#include <memory>

#include "sensor/capture/pcap_source.h"
#include "sensor/capture_loop.h"
#include "sensor/cli/commands.h"
#include "sensor/cli/explain.h"
#include "sensor/cli/sensor_flags.h"
#include "sensor/cli/stop_signal.h"
#include "sensor/output/output_file.h"

namespace parallax::cli {
namespace {

struct ReadArgs {
  std::vector<std::string> files;
  SensorFlags flags;
  bool explain = false;
};

int RunRead(ReadArgs& a) {
  output::EventSelection selection;
  if (auto s = a.flags.Finalize(&selection); !s.ok()) {
    std::cerr << "parallax read: " << s.message() << "\n";
    return 2;
  }
  if (a.explain) {
    if (!a.flags.roster) {
      std::cerr << "parallax read: --explain needs --roster\n";
      return 2;
    }
    selection = output::EventSelection();  // the table replaces the JSON lines
  }
  // Check every file before analysing any, so a typo fails fast instead of after an hour.
  for (const auto& f : a.files) {
    if (f == "-") continue;  // standard input, as tcpdump -r - (libpcap reads it)
    std::error_code ec;
    if (!std::filesystem::exists(f, ec)) {
      std::cerr << "parallax read: " << f << ": no such file\n";
      return 2;
    }
    if (std::filesystem::is_directory(f, ec)) {
      std::cerr << "parallax read: " << f << ": is a directory\n";
      return 2;
    }
  }
  core::Status st;
  auto out = output::OutputFile::Open(a.flags.output, &st);
  if (!out) {
    std::cerr << "parallax read: " << st.message() << "\n";
    return 2;
  }
  output::EventWriter writer(out.get(), selection);
  auto pipeline = Pipeline::Create(a.flags.pipeline, &writer, &st);
  if (!pipeline) {
    std::cerr << "parallax read: " << st.message() << "\n";
    return 1;
  }
  const auto& stop = InstallStopHandlers(nullptr);
  int rc = 0;
  for (const auto& file : a.files) {
    if (stop.load()) break;
    auto source = capture::OpenCaptureFile(file, a.flags.bpf, &st);
    if (!source) {
      std::cerr << "parallax read: " << st.message() << "\n";
      rc = 1;
      // An unreadable file is fatal, but what was read so far is still reported below.
      break;
    }
    SetStopSource(source.get());
    pipeline->stats().inputs.push_back(file);
    st = RunCapture(*source, *pipeline, stop);
    SetStopSource(nullptr);
    if (!st.ok()) {
      std::cerr << "parallax read: " << st.message() << "\n";
      rc = 1;
      break;
    }
  }
  pipeline->stats().capture_received = pipeline->stats().packets;
  pipeline->Finish();
  if (a.explain) {
    const auto* engine = pipeline->engine();
    PrintExplain(*a.flags.roster, pipeline->alerts(),
                 a.flags.policy && engine ? &engine->suppressed() : nullptr,
                 engine ? engine->suppressed_total() : 0, out->stream());
  }
  // Output that did not reach the file is lost analysis: fatal, whatever happened before.
  if (auto s = out->Close(); !s.ok()) {
    std::cerr << "parallax read: " << s.message() << "\n";
    rc = 1;
  }
  return rc;
}

}  // namespace

void AddReadCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReadArgs>();
  CLI::App* cmd = app.add_subcommand("read", "Analyse capture files (pcap/pcapng) in order");
  cmd->add_option("files", args->files, "Capture files (pcap, pcapng; - reads standard input)")->required();
  args->flags.Register(cmd);
  cmd->add_flag("--explain", args->explain,
                "Print a per-contractor summary table (most suspicious first) instead of JSON");
  cmd->callback([args, &exit_code] { exit_code = RunRead(*args); });
}

}  // namespace parallax::cli
