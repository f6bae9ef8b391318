// `parallax read FILE...`: offline analysis of capture files (pcap, pcapng) as one continuous
// input, merged into packet-time order whatever the order they were named in.
#include <iostream>
#include <memory>

#include "sensor/capture_loop.h"
#include "sensor/cli/capture_inputs.h"
#include "sensor/cli/commands.h"
#include "sensor/cli/explain.h"
#include "sensor/cli/fail_on.h"
#include "sensor/cli/sensor_flags.h"
#include "sensor/cli/stop_signal.h"
#include "sensor/output/output_file.h"
#include "sensor/record/record_fanout.h"
#include "sensor/record/record_file.h"

namespace parallax::cli {
namespace {

struct ReadArgs {
  std::vector<std::string> files;
  std::vector<std::string> read_files;  // -r FILE (CLI11 would overwrite `files` with them)
  SensorFlags flags;
  bool explain = false;
  std::string records_path;
  std::string fail_on;
};

int RunRead(ReadArgs& a) {
  // Exit statuses (docs/cli.md): 2 usage, 1 input, 3 --fail-on.
  a.files.insert(a.files.end(), a.read_files.begin(), a.read_files.end());
  if (a.files.empty()) {
    std::cerr << "parallax read: no capture file given (FILE... or -r FILE)\n";
    return kExitUsage;
  }
  output::EventSelection selection;
  if (auto s = a.flags.Validate(&selection); !s.ok()) {
    std::cerr << "parallax read: " << s.message() << "\n";
    return 2;
  }
  if (a.explain) {
    if (a.flags.div.roster_path.empty()) {
      std::cerr << "parallax read: --explain needs --roster\n";
      return 2;
    }
    selection = output::EventSelection();  // the table replaces the JSON lines
  }
  // Every capture is opened before anything is analysed or written: an input that cannot be
  // opened leaves no half output (no stats event) behind.
  auto source = OpenCaptureInputs(a.files, a.flags.bpf, "read");
  if (!source) return 1;
  if (auto s = a.flags.Load(); !s.ok()) {
    std::cerr << "parallax read: " << s.message() << "\n";
    return 1;
  }
  core::Status st;
  auto out = output::OutputFile::Open(a.flags.output, &st);
  if (!out) {
    std::cerr << "parallax read: " << st.message() << "\n";
    return 1;
  }
  output::EventWriter writer(out.get(), selection);
  // Packets -> pipeline -> flow records -> (divergence stage, records file).
  std::unique_ptr<record::RecordFileWriter> records;
  if (!a.records_path.empty()) {
    if (auto s = record::RecordFileWriter::Open(a.records_path, &records); !s.ok()) {
      std::cerr << "parallax read: " << s.message() << "\n";
      return 1;
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
  SetStopSource(source.get());
  // A corrupt file is reported (file and packet) by the merge, which goes on with the others.
  st = RunCapture(*source, *pipeline, stop);
  SetStopSource(nullptr);
  int rc = source->any_failed() ? 1 : 0;
  if (!st.ok()) {
    std::cerr << "parallax read: " << st.message() << "\n";
    rc = 1;
  }
  RecordInputs(*source, &pipeline->stats());
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
                 engine.suppressed_total(), out->stream());
  }
  // Output that did not reach the file is lost analysis: fatal, whatever happened before.
  if (auto s = out->Close(); !s.ok()) {
    std::cerr << "parallax read: " << s.message() << "\n";
    rc = 1;
  }
  if (rc == 0 && stage && FailOnTriggered(a.fail_on, stage->alerts())) rc = kExitFailOn;
  return rc;
}

}  // namespace

void AddReadCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReadArgs>();
  CLI::App* cmd = app.add_subcommand(
      "read", "Analyse capture files (pcap/pcapng), merged into packet-time order");
  cmd->add_option("files", args->files,
                  "Capture files (pcap, pcapng; - reads standard input), in any order: they are "
                  "merged by packet time");
  // -r as in tcpdump, Suricata and Zeek (repeatable); joins the positional files.
  cmd->add_option("-r,--read", args->read_files, "A capture file, as tcpdump -r; may be repeated");
  args->flags.Register(cmd);
  cmd->add_option("--records", args->records_path,
                  "Also write every flow record as a JSON line here (docs/flow-record.md); "
                  "`parallax correlate` reads them");
  AddFailOnOption(cmd, &args->fail_on);
  cmd->add_flag("--explain", args->explain,
                "Print a per-contractor summary table (most suspicious first) instead of JSON");
  cmd->callback([args, &exit_code] { exit_code = RunRead(*args); });
}

}  // namespace parallax::cli
