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
#include "sensor/record/record_fanout.h"
#include "sensor/record/record_file.h"

namespace parallax::cli {
namespace {

struct ReadArgs {
  std::vector<std::string> files;
  SensorFlags flags;
  bool explain = false;
  std::string records_path;
};

int RunRead(ReadArgs& a) {
  output::EventSelection selection;
  if (auto s = a.flags.Finalize(&selection); !s.ok()) {
    std::cerr << "parallax read: " << s.message() << "\n";
    return 2;
  }
  if (a.explain) {
    if (!a.flags.div.on()) {
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
  std::FILE* out = OpenOutput(a.flags.output, &st);
  if (!out) {
    std::cerr << "parallax read: " << st.message() << "\n";
    return 2;
  }
  output::EventWriter writer(out, selection);
  // Packets -> pipeline -> flow records -> (divergence stage, records file).
  std::unique_ptr<record::RecordFileWriter> records;
  if (!a.records_path.empty()) {
    if (auto s = record::RecordFileWriter::Open(a.records_path, &records); !s.ok()) {
      std::cerr << "parallax read: " << s.message() << "\n";
      return 2;
    }
  }
  std::unique_ptr<divergence::DivergenceStage> stage;
  if (a.flags.div.on()) stage = a.flags.div.MakeStage(&writer, a.flags.geo_holder.get());
  record::RecordFanOut fanout({stage.get(), records.get()});
  // No roster and no --records: no records are made at all.
  a.flags.pipeline.records = fanout.empty() ? nullptr : &fanout;
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
  pipeline->EndInput();
  if (stage) DivergenceFlags::FillStats(*stage, &pipeline->stats());
  pipeline->Finish();
  if (records) {
    if (auto s = records->Close(); !s.ok()) {
      std::cerr << "parallax read: " << s.message() << "\n";
      rc = 1;
    }
  }
  if (a.explain) {
    const auto& engine = stage->engine();
    PrintExplain(*a.flags.div.inputs.roster, stage->alerts(),
                 a.flags.div.inputs.policy ? &engine.suppressed() : nullptr,
                 engine.suppressed_total(), out);
  }
  if (out != stdout) std::fclose(out);
  return rc;
}

}  // namespace

void AddReadCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReadArgs>();
  CLI::App* cmd = app.add_subcommand("read", "Analyse capture files (pcap/pcapng) in order");
  cmd->add_option("files", args->files, "Capture files (pcap, pcapng; - reads standard input)")->required();
  args->flags.Register(cmd);
  cmd->add_option("--records", args->records_path,
                  "Also write every flow record as a JSON line here (docs/flow-record.md); "
                  "`parallax correlate` reads them");
  cmd->add_flag("--explain", args->explain,
                "Print a per-contractor summary table (most suspicious first) instead of JSON");
  cmd->callback([args, &exit_code] { exit_code = RunRead(*args); });
}

}  // namespace parallax::cli
