// `parallax report`: reads capture files through the same pipeline as `read` (same flags), keeps
// the flows the divergence engine attributes to each contractor, and writes the forensics report.
#include "sensor/cli/report_command.h"

#include <unistd.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <memory>

#include "sensor/capture/pcap_source.h"
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
  SensorFlags flags;
  std::string json_path;
  std::string assets_dir;
  bool no_progress = false;
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
  if (!html_given && a.json_path.empty()) {
    return fail("nothing to write: give -o FILE.html and/or --json FILE", 2);
  }
  if (a.flags.roster_path.empty())
    return fail("--roster is required (the report is per contractor)", 2);
  output::EventSelection selection;
  if (auto s = a.flags.Finalize(&selection); !s.ok()) return fail(s.message(), 2);
  // Fail before an hour of analysis, not after it, when an output cannot be written.
  for (const std::string* out : {html_given ? &a.flags.output : nullptr, &a.json_path}) {
    if (!out || out->empty() || *out == "-") continue;
    const auto parent = std::filesystem::absolute(*out).parent_path();
    std::error_code ec;
    if (!std::filesystem::is_directory(parent, ec) || ::access(parent.c_str(), W_OK) != 0) {
      return fail(
          *out + ": cannot write: folder " + parent.string() + " does not exist or is not writable",
          2);
    }
  }
  std::uint64_t total_bytes = 0;
  for (const auto& f : a.files) {
    std::error_code ec;
    if (!std::filesystem::exists(f, ec)) return fail(f + ": no such file", 2);
    if (std::filesystem::is_directory(f, ec)) return fail(f + ": is a directory", 2);
    total_bytes += std::filesystem::file_size(f, ec);
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

  report::FlowCollector collector;
  a.flags.pipeline.flow_tap = [&collector](const core::Flow& f,
                                           const std::vector<analyzers::Fingerprint>& fps) {
    collector.OnFlow(f, fps);
  };
  // No event lines: the report replaces them (as --explain does for read).
  core::Status st;
  auto no_events = output::OutputFile::Open("-", &st);
  output::EventWriter writer(no_events.get(), output::EventSelection());
  auto pipeline = Pipeline::Create(a.flags.pipeline, &writer, &st);
  if (!pipeline) return fail(st.message(), 1);
  collector.set_engine(pipeline->engine());

  const bool tty = !a.no_progress && report::ProgressMeter::StderrIsTerminal();
  report::ProgressMeter meter(stderr, tty, total_bytes);
  const auto& stop = InstallStopHandlers(nullptr);
  for (const auto& file : a.files) {
    if (stop.load()) break;
    auto source = capture::OpenCaptureFile(file, a.flags.bpf, &st);
    if (!source) return fail(st.message() + "; no report written", 1);
    SetStopSource(source.get());
    pipeline->stats().inputs.push_back(file);
    core::PacketView pv;
    capture::NextResult r;
    while (!stop.load(std::memory_order_relaxed) &&
           (r = source->Next(&pv)) != capture::NextResult::kEnd) {
      if (r == capture::NextResult::kError) {
        SetStopSource(nullptr);
        meter.Finish();
        return fail(source->error().message() + "; no report written", 1);
      }
      if (r != capture::NextResult::kPacket) continue;
      pipeline->HandlePacket(pv);
      meter.OnPacket(pv.caplen);
    }
    SetStopSource(nullptr);
  }
  meter.Finish();
  if (stop.load()) return fail("interrupted; no report written", 1);
  pipeline->stats().capture_received = pipeline->stats().packets;
  pipeline->Finish();

  report::ReportInputs in;
  in.roster = a.flags.roster.get();
  in.engine = pipeline->engine();
  in.alerts = &pipeline->alerts();
  in.flows = &collector;
  in.stats = &pipeline->stats();
  in.inputs = a.files;
  if (a.flags.policy) in.policy_path = a.flags.policy_path;
  in.sensor_latitude = a.flags.pipeline.divergence.sensor_latitude;
  in.sensor_longitude = a.flags.pipeline.divergence.sensor_longitude;
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
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Analyse capture files like `read` and write a forensics report (HTML and/or JSON)");
  cmd->add_option("files", args->files, "Capture files (pcap/pcapng), read in order")->required();
  args->flags.Register(cmd);
  // The report replaces the event lines: --events has no meaning here, -o names the page.
  cmd->remove_option(cmd->get_option("--events"));
  CLI::Option* html = cmd->get_option("--output");
  html->description("Write the self-contained HTML report here ('-' = stdout)");
  cmd->add_option("--json", args->json_path,
                  "Write the report's content as JSON here ('-' = stdout)");
  cmd->add_option("--assets", args->assets_dir,
                  "Folder with the map libraries and data (default: data/report, filled by "
                  "scripts/fetch-report-assets)");
  cmd->add_flag("--no-progress", args->no_progress, "No progress bar, even on a terminal");
  cmd->callback([args, html, &exit_code] { exit_code = RunReport(*args, html->count() > 0); });
}

}  // namespace parallax::cli
