// FileTransport: appends records as JSON lines to a file (0640), fsync'd once per batch, and
// rotates by size: when a batch would take the file past rotate_bytes, path.N-1 becomes path.N
// ... path becomes path.1 (rotate_keep files kept; 0 keeps none) and a new file is started.
// Thread-safety: see transport.h (called on the sink's strand only).
#pragma once

#include <memory>
#include <string>

#include "sensor/sinks/transport.h"

namespace parallax::sinks {

class FileTransport : public Transport {
 public:
  FileTransport(std::string path, std::uint64_t rotate_bytes, unsigned rotate_keep);
  ~FileTransport() override;
  // Opens (creating) the file; a Status names it when that fails.
  core::Status Open();
  void Deliver(const std::vector<Record>& batch, Done done) override;

 private:
  core::Status Rotate();
  std::string path_;
  std::uint64_t rotate_bytes_;
  unsigned rotate_keep_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// StdoutTransport: JSON lines on standard output (for containers and journald).
class StdoutTransport : public Transport {
 public:
  void Deliver(const std::vector<Record>& batch, Done done) override;
};

}  // namespace parallax::sinks
