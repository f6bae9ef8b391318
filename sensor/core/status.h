// Status: the result of start-up, configuration and file operations (LevelDB's Status): ok, or a
// message that names the file and position. The packet path never uses it: it counts anomalies.
#pragma once

#include <string>
#include <utility>

namespace parallax::core {

class Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message)); }
  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  explicit Status(std::string m) : message_(std::move(m)), failed_(true) {}
  std::string message_;
  bool failed_ = false;
};

}  // namespace parallax::core
