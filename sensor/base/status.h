// Status: the result of start-up, configuration and file operations (LevelDB's Status): ok, or a
// message that names the file and position. The one result type of every library (core::Status
// and geoip::Status name it); the packet path never uses it: it counts anomalies, and a failed
// lookup is just "no data".
// Thread-safety: a value; distinct objects may be used from distinct threads.
#pragma once

#include <string>
#include <utility>

namespace parallax {

class Status {
 public:
  Status() = default;  // ok
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }
  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string m) : message_(std::move(m)), failed_(true) {}
  std::string message_;
  bool failed_ = false;
};

}  // namespace parallax
