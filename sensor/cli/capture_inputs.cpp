#include "sensor/cli/capture_inputs.h"

#include <filesystem>
#include <iostream>

#include "sensor/capture/pcap_source.h"

namespace parallax::cli {

std::unique_ptr<capture::MergedSource> OpenCaptureInputs(const std::vector<std::string>& files,
                                                         const std::string& bpf,
                                                         const std::string& command) {
  const std::string prefix = "parallax " + command + ": ";
  std::vector<std::unique_ptr<capture::PacketSource>> sources;
  bool failed = false;
  int stdin_uses = 0;
  for (const auto& f : files) {
    if (f == "-") {
      // libpcap reads standard input once; a second "-" would read an empty stream.
      if (++stdin_uses > 1) {
        std::cerr << prefix << "-: standard input given more than once\n";
        failed = true;
        continue;
      }
    } else {
      std::error_code ec;
      if (!std::filesystem::exists(f, ec)) {
        std::cerr << prefix << f << ": no such file\n";
        failed = true;
        continue;
      }
      if (std::filesystem::is_directory(f, ec)) {
        std::cerr << prefix << f << ": is a directory\n";
        failed = true;
        continue;
      }
    }
    core::Status st;
    auto source = capture::OpenCaptureFile(f, bpf, &st);
    if (!source) {
      std::cerr << prefix << st.message() << "\n";
      failed = true;
      continue;
    }
    sources.push_back(std::move(source));
  }
  if (failed) return nullptr;
  return std::make_unique<capture::MergedSource>(
      std::move(sources), [prefix](const std::string& m) { std::cerr << prefix << m << "\n"; });
}

void RecordInputs(const capture::MergedSource& source, core::SensorStats* stats) {
  for (const auto& in : source.inputs()) {
    core::InputStatus s(in.name);
    switch (in.state) {
      case capture::MergedInput::State::kOk: s.status = "ok"; break;
      case capture::MergedInput::State::kFailed: s.status = "failed"; break;
      case capture::MergedInput::State::kInterrupted: s.status = "interrupted"; break;
    }
    s.error = in.error;
    s.packets = in.packets;
    s.timestamps_backwards = in.timestamps_backwards;
    stats->inputs.push_back(std::move(s));
  }
}

}  // namespace parallax::cli
