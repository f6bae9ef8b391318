// Flow-record files (JSON lines, docs/flow-record.md): RecordFileWriter is the sink behind
// `parallax read --records FILE`; ReadRecordFile feeds `parallax correlate`.
// Thread-safety: REQUIRES external synchronization.
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include "sensor/core/status.h"
#include "sensor/record/flow_record.h"

namespace parallax::record {

class RecordFileWriter final : public FlowRecordSink {
 public:
  // path "-" is standard output. Errors name the file.
  static core::Status Open(const std::string& path, std::unique_ptr<RecordFileWriter>* out);
  ~RecordFileWriter() override;

  void OnRecord(const FlowRecord& r) override;  // never throws; a failed write is remembered
  // Flushes and closes; the first write error, if any ("FILE: write error: ...").
  core::Status Close();
  std::uint64_t written() const { return written_; }

 private:
  RecordFileWriter(std::string path, std::FILE* f) : path_(std::move(path)), f_(f) {}
  std::string path_;
  std::FILE* f_;
  std::uint64_t written_ = 0;
  int error_ = 0;  // errno of the first failed write
};

// Reads every record of `path` ("-": standard input) in order into `sink`. A line that is not a
// record stops the read with "FILE:LINE: field: message"; records before it were delivered.
// Blank lines are skipped. *records counts the records delivered.
core::Status ReadRecordFile(const std::string& path, FlowRecordSink* sink, std::uint64_t* records);

}  // namespace parallax::record
