// libFuzzer target: the daemon's YAML configuration (LoadDaemonConfig: yaml-cpp, then every
// key's type and range checks, sink and pipeline options). The loader takes a path, so each
// input is written to one per-process temp file. Seeds: config/parallax.yaml and the example
// configurations in docs/ (scripts/fuzz).
#include <cstddef>
#include <cstdint>

#include "sensor/daemon/daemon_config.h"
#include "tests/fuzz/fuzz_temp_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static parallax::fuzz::TempFile file("parallax.yaml");
  parallax::daemon::DaemonConfig config;
  const parallax::core::Status st =
      parallax::daemon::LoadDaemonConfig(file.Write(data, size), &config);
  (void)st.message();
  return 0;
}
