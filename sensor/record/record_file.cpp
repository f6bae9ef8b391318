#include "sensor/record/record_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "sensor/record/flow_record_json.h"

namespace parallax::record {

core::Status RecordFileWriter::Open(const std::string& path,
                                    std::unique_ptr<RecordFileWriter>* out) {
  std::FILE* f = path == "-" ? stdout : std::fopen(path.c_str(), "w");
  if (!f) return core::Status::Error(path + ": cannot write: " + std::strerror(errno));
  out->reset(new RecordFileWriter(path, f));
  return core::Status::Ok();
}

RecordFileWriter::~RecordFileWriter() { (void)Close(); }

void RecordFileWriter::OnRecord(const FlowRecord& r) {
  if (!f_ || error_) return;
  std::string line = FlowRecordLine(r);
  line += '\n';
  if (std::fwrite(line.data(), 1, line.size(), f_) != line.size()) {
    error_ = errno ? errno : EIO;
    return;
  }
  ++written_;
}

core::Status RecordFileWriter::Close() {
  if (!f_) return error_ ? core::Status::Error(path_ + ": write error: " + std::strerror(error_))
                         : core::Status::Ok();
  if (std::fflush(f_) != 0 && !error_) error_ = errno ? errno : EIO;
  if (f_ != stdout && std::fclose(f_) != 0 && !error_) error_ = errno ? errno : EIO;
  f_ = nullptr;
  if (error_) return core::Status::Error(path_ + ": write error: " + std::strerror(error_));
  return core::Status::Ok();
}

core::Status ReadRecordFile(const std::string& path, FlowRecordSink* sink,
                            std::uint64_t* records) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) return core::Status::Error(path + ": cannot read: " + std::strerror(errno));
    in = &file;
  }
  std::string line;
  std::uint64_t n = 0;
  for (std::uint64_t lineno = 1; std::getline(*in, line); ++lineno) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    FlowRecord r;
    if (auto s = ParseFlowRecord(line, &r); !s.ok()) {
      return core::Status::Error(path + ":" + std::to_string(lineno) + ": " + s.message());
    }
    sink->OnRecord(r);
    ++n;
    if (records) ++*records;
  }
  if (in->bad()) return core::Status::Error(path + ": read error after " + std::to_string(n) + " records");
  return core::Status::Ok();
}

}  // namespace parallax::record
