// The capture files of `read` and `report`, opened together and merged into packet-time order
// (capture::MergedSource): the order they were named in does not matter.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sensor/capture/merged_source.h"
#include "sensor/core/sensor_stats.h"

namespace parallax::cli {

// Opens every file ("-" is standard input, as tcpdump -r -), before any analysis so that a typo
// fails in a second rather than after an hour. On failure prints every file that cannot be
// opened, as "parallax COMMAND: FILE: why", and returns null (an input error: exit status 1).
// Problems met while reading (a corrupt record, a backwards jump) are printed the same way.
std::unique_ptr<capture::MergedSource> OpenCaptureInputs(const std::vector<std::string>& files,
                                                         const std::string& bpf,
                                                         const std::string& command);

// Copies every input's status into the stats event (after the capture loop).
void RecordInputs(const capture::MergedSource& source, core::SensorStats* stats);

}  // namespace parallax::cli
