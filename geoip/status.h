// Status: the result of an operation that can fail on start-up, configuration or file I/O.
//
// Modelled on LevelDB's Status: either OK or an error message that names the file (and line)
// at fault, so `main` can print it and exit non-zero. Lookups never return a Status: a failed
// lookup is just "no data".
//
// Thread-safety: a Status is a value; distinct objects may be used from distinct threads.
#ifndef PARALLAX_GEOIP_STATUS_H_
#define PARALLAX_GEOIP_STATUS_H_

#include <string>
#include <utility>

namespace parallax::geoip {

class Status {
 public:
  Status() = default;  // OK

  static Status Ok() { return Status(); }
  static Status Error(std::string message) { return Status(std::move(message), true); }

  bool ok() const { return !failed_; }
  const std::string& message() const { return message_; }

 private:
  Status(std::string message, bool failed) : message_(std::move(message)), failed_(failed) {}

  std::string message_;
  bool failed_ = false;
};

}  // namespace parallax::geoip

#endif  // PARALLAX_GEOIP_STATUS_H_
