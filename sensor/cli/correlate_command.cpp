// `parallax correlate RECORDS...`: runs the divergence stage on flow records alone (JSON lines
// from `parallax read --records`, docs/flow-record.md), with the same roster, identity events,
// policy and GeoIP flags as `read`. `read --roster` is exactly `read --records` followed by
// `correlate`: the same records meet the same stage, so the alerts are the same.
#include <filesystem>
#include <iostream>
#include <memory>

#include "sensor/cli/commands.h"
#include "sensor/cli/divergence_flags.h"
#include "sensor/cli/explain.h"
#include "sensor/cli/fail_on.h"
#include "sensor/cli/geo_flags.h"
#include "sensor/cli/sensor_flags.h"
#include "sensor/output/output_file.h"
#include "sensor/output/time_format.h"
#include "sensor/record/record_file.h"

namespace parallax::cli {
namespace {

struct CorrelateArgs {
  std::vector<std::string> files;
  DivergenceFlags div;
  GeoFlags geo;
  std::string events = "alert,stats";
  std::string output = "-";
  bool explain = false;
  std::string fail_on;
};

int RunCorrelate(CorrelateArgs& a) {
  auto fail = [](const std::string& m, int rc) {
    std::cerr << "parallax correlate: " << m << "\n";
    return rc;
  };
  output::EventSelection selection;
  if (auto s = output::EventSelection::Parse(a.events, &selection); !s.ok()) return fail(s.message(), 2);
  if (a.div.roster_path.empty()) return fail("--roster is required (records are judged per contractor)", 2);
  for (const auto& f : a.files) {
    if (f == "-") continue;
    std::error_code ec;
    if (!std::filesystem::exists(f, ec)) return fail(f + ": no such file", 2);
    if (std::filesystem::is_directory(f, ec)) return fail(f + ": is a directory", 2);
  }
  if (auto s = a.div.Validate(); !s.ok()) return fail(s.message(), 2);
  std::shared_ptr<geoip::GeoIntelHolder> geo;
  if (auto s = a.geo.OpenHolder(&geo); !s.ok()) return fail(s.message(), 1);
  if (auto s = a.div.Load(); !s.ok()) return fail(s.message(), 1);
  if (a.explain) selection = output::EventSelection();  // the table replaces the JSON lines
  core::Status st;
  auto out = output::OutputFile::Open(a.output, &st);
  if (!out) return fail(st.message(), 2);
  output::EventWriter writer(out.get(), selection);
  auto stage = a.div.MakeStage(&writer, geo.get());

  int rc = 0;
  std::uint64_t records = 0;
  for (const auto& file : a.files) {
    if (auto s = record::ReadRecordFile(file, stage.get(), &records); !s.ok()) {
      // What was read so far is still judged and reported below.
      std::cerr << "parallax correlate: " << s.message() << "\n";
      rc = 1;
      break;
    }
  }
  stage->OnInputEnd();

  nlohmann::ordered_json stats;
  stats["timestamp"] = output::FormatTimestamp(stage->now());
  stats["event_type"] = "stats";
  nlohmann::ordered_json s;
  s["inputs"] = a.files;
  s["records"] = records;
  s["alerts"] = stage->alerts().size();
  if (stage->inputs().policy) s["suppressed"] = stage->engine().suppressed_total();
  s["attributed_flows"] = stage->engine().attributed_flows();
  stats["stats"] = s;
  writer.Write(output::EventType::kStats, stats);
  writer.Flush();
  if (a.explain) {
    const auto& engine = stage->engine();
    PrintExplain(*a.div.inputs.roster, stage->alerts(),
                 a.div.inputs.policy ? &engine.suppressed() : nullptr, engine.suppressed_total(),
                 out->stream());
  }
  // Every write, the flush and the close: a full disk is an error naming the file, exit 1.
  if (auto closed = out->Close(); !closed.ok()) return fail(closed.message(), 1);
  if (rc == 0 && FailOnTriggered(a.fail_on, stage->alerts())) rc = kExitFailOn;
  return rc;
}

}  // namespace

void AddCorrelateCommand(CLI::App& app, int& exit_code) {
  auto a = std::make_shared<CorrelateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "correlate", "Judge flow records (from `read --records`) against a roster: alerts only");
  cmd->add_option("records", a->files, "Flow-record files (JSON lines; - reads standard input)")
      ->required();
  cmd->add_option("--events", a->events, "Event types to print: alert, stats")
      ->capture_default_str();
  cmd->add_option("-o,--output", a->output, "Write JSON lines here ('-' = stdout)")
      ->capture_default_str();
  a->geo.Register(cmd, true);
  a->div.Register(cmd);
  AddFailOnOption(cmd, &a->fail_on);
  cmd->add_flag("--explain", a->explain,
                "Print a per-contractor summary table (most suspicious first) instead of JSON");
  cmd->callback([a, &exit_code] { exit_code = RunCorrelate(*a); });
}

}  // namespace parallax::cli
