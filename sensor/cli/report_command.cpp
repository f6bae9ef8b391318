// `parallax report`: reads capture files through the same pipeline as `read` (same flags), keeps
// the flows the divergence engine attributes to each contractor, and writes the forensics report.
#include "sensor/cli/report_command.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

#include "sensor/capture_loop.h"
#include "sensor/cli/capture_inputs.h"
#include "sensor/cli/fail_on.h"
#include "sensor/cli/sensor_flags.h"
#include "sensor/cli/stop_signal.h"
#include "sensor/output/output_file.h"
#include "sensor/report/flow_collector.h"
#include "sensor/report/html_writer.h"
#include "sensor/report/progress_meter.h"
#include "sensor/report/report_builder.h"
#include "sensor/report/report_json.h"

namespace parallax::cli {
namespace {

struct ReportArgs {
  std::vector<std::string> files;
  std::vector<std::string> read_files;  // -r FILE (CLI11 would overwrite `files` with them)
  SensorFlags flags;
  std::string json_path;
  std::string assets_dir;
  bool no_progress = false;
  std::string fail_on;
};

std::string WallClockUtc() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

core::Status WriteText(const std::string& path, const std::string& text) {
  core::Status st;
  auto f = output::OutputFile::Open(path, &st);
  if (!f) return st;
  f->Write(text);
  return f->Close();
}

int RunReport(ReportArgs& a, bool html_given) {
  auto fail = [](const std::string& m, int rc) {
    std::cerr << "parallax report: " << m << "\n";
    return rc;
  };
  a.files.insert(a.files.end(), a.read_files.begin(), a.read_files.end());
  if (a.files.empty()) return fail("no capture file given (FILE... or -r FILE)", 2);
  if (!html_given && a.json_path.empty()) {
    return fail("nothing to write: give -o FILE.html and/or --json FILE", 2);
  }
  if (a.flags.div.roster_path.empty())
    return fail("--roster is required (the report is per contractor)", 2);
  // Exit statuses (docs/cli.md): 2 usage, 1 input or output, 3 --fail-on.
  output::EventSelection selection;
  if (auto s = a.flags.Validate(&selection); !s.ok()) return fail(s.message(), 2);
  // Fail before an hour of analysis, not after it, when an input cannot be opened or an output
  // cannot be written.
  auto source = OpenCaptureInputs(a.files, a.flags.bpf, "report");
  if (!source) return fail("no report written", 1);
  for (const std::string* out : {html_given ? &a.flags.output : nullptr, &a.json_path}) {
    if (!out || out->empty() || *out == "-") continue;
    const auto parent = std::filesystem::absolute(*out).parent_path();
    std::error_code ec;
    if (!std::filesystem::is_directory(parent, ec) || ::access(parent.c_str(), W_OK) != 0) {
      return fail(
          *out + ": cannot write: folder " + parent.string() + " does not exist or is not writable",
          1);
    }
  }
  if (auto s = a.flags.Load(); !s.ok()) return fail(s.message(), 1);
  std::uint64_t total_bytes = 0;
  for (const auto& f : a.files) {
    std::error_code ec;
    if (f != "-") total_bytes += std::filesystem::file_size(f, ec);
  }
  report::MapAssets assets;
  if (html_given) {
    const std::string dir = a.assets_dir.empty() ? report::DefaultAssetsDir() : a.assets_dir;
    assets = report::LoadMapAssets(dir);
    if (!assets.complete()) {
      std::cerr << "parallax report: WARNING: the page will have no map: " << assets.missing
                << "\n";
    }
  }

  // Packets -> pipeline -> flow records -> divergence stage -> (alerts, attributed flows): the
  // report lays out the flows the stage attributed, as the stage read them.
  report::FlowCollector collector;
  divergence::StageHooks hooks;
  hooks.on_alert = [](const divergence::Alert&, core::TimeUs) {};  // the page shows them
  hooks.on_attributed = [&collector](const record::FlowRecord& r,
                                     const divergence::DivergenceEngine::Attribution& at) {
    collector.OnFlow(r, at);
  };
  // No event lines: the report replaces them (as --explain does for read).
  core::Status st;
  auto no_events = output::OutputFile::Open("-", &st);
  output::EventWriter writer(no_events.get(), output::EventSelection());
  auto stage = a.flags.div.MakeStage(&writer, a.flags.geo_holder.get(), std::move(hooks));
  a.flags.pipeline.records = stage.get();
  auto pipeline = Pipeline::Create(a.flags.pipeline, &writer, &st);
  if (!pipeline) return fail(st.message(), 1);

  const bool tty = !a.no_progress && report::ProgressMeter::StderrIsTerminal();
  report::ProgressMeter meter(stderr, tty, total_bytes);
  CaptureLimits progress;
  progress.on_packet = [&meter](const core::PacketView& pv) { meter.OnPacket(pv.caplen); };
  const auto& stop = InstallStopHandlers(nullptr);
  SetStopSource(source.get());
  // A corrupt file is reported (file and packet) by the merge, which goes on with the others so
  // that one run names every broken file; then no report is written (below).
  st = RunCapture(*source, *pipeline, stop, progress);
  SetStopSource(nullptr);
  meter.Finish();
  if (!st.ok()) return fail(st.message() + "; no report written", 1);
  if (stop.load()) return fail("interrupted; no report written", 1);
  // No partial report: a forensics page that silently stops at a corrupt packet would mislead
  // (docs/report.md), and the page has no place that says an input is missing.
  if (source->any_failed()) return fail("an input could not be read (above); no report written", 1);
  RecordInputs(*source, &pipeline->stats());
  pipeline->stats().capture_received = pipeline->stats().packets;
  pipeline->EndInput();
  DivergenceFlags::FillStats(*stage, &pipeline->stats());
  pipeline->Finish();

  report::ReportInputs in;
  in.roster = a.flags.div.inputs.roster.get();
  in.engine = &stage->engine();
  in.alerts = &stage->alerts();
  in.flows = &collector;
  in.stats = &pipeline->stats();
  // In merge order (packet time), like the stats event: the same files named in another order
  // give the same report.
  for (const auto& i : pipeline->stats().inputs) in.inputs.push_back(i.name);
  if (a.flags.div.inputs.policy) in.policy_path = a.flags.div.policy_path;
  in.sensor_latitude = a.flags.div.options.sensor_latitude;
  in.sensor_longitude = a.flags.div.options.sensor_longitude;
  const report::ReportModel model = report::BuildReport(in);
  const nlohmann::ordered_json json = report::ReportToJson(model, WallClockUtc());

  if (!a.json_path.empty()) {
    if (auto s = WriteText(a.json_path, json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n"); !s.ok()) return fail(s.message(), 1);
  }
  if (html_given) {
    auto out = output::OutputFile::Open(a.flags.output, &st);
    if (!out) return fail(st.message(), 1);
    st = report::WriteHtml(json, assets, out->stream(), a.flags.output);
    const core::Status closed = out->Close();  // the page's last bytes leave stdio here
    if (!st.ok()) return fail(st.message(), 1);
    if (!closed.ok()) return fail(closed.message(), 1);
  }
  if (FailOnTriggered(a.fail_on, stage->alerts())) return kExitFailOn;
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Analyse capture files like `read` and write a forensics report (HTML and/or JSON)");
  cmd->add_option("files", args->files,
                  "Capture files (pcap/pcapng; - reads standard input), in any order: they are "
                  "merged by packet time");
  // -r as in tcpdump, Suricata and Zeek (repeatable); joins the positional files.
  cmd->add_option("-r,--read", args->read_files, "A capture file, as tcpdump -r; may be repeated");
  args->flags.Register(cmd);
  AddFailOnOption(cmd, &args->fail_on);
  // The report replaces the event lines: --events has no meaning here, -o names the page.
  cmd->remove_option(cmd->get_option("--events"));
  CLI::Option* html = cmd->get_option("--output");
  // No default shown: without -o no page is written (--json alone writes only the JSON).
  html->description(
      "Write the self-contained HTML report here ('-' = stdout); without -o no HTML is written, "
      "so give -o and/or --json");
  html->default_str("");
  cmd->add_option("--json", args->json_path,
                  "Write the report's content as JSON here ('-' = stdout)");
  cmd->add_option("--assets", args->assets_dir,
                  "Folder with the map libraries and data (default: data/report, filled by "
                  "scripts/fetch-report-assets)");
  cmd->add_flag("--no-progress", args->no_progress, "No progress bar, even on a terminal");
  cmd->callback([args, html, &exit_code] { exit_code = RunReport(*args, html->count() > 0); });
}

}  // namespace parallax::cli
