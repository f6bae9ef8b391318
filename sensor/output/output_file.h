// OutputFile: the file (or standard output) a command writes its results to. A full disk,
// /dev/full or a closed pipe must not leave a silently truncated file behind an exit status of
// 0, so every write is checked, the first failure is kept with its reason, and Close() flushes
// and closes and reports any failure of the whole life of the file, naming it.
// Thread-safety: REQUIRES external synchronization.
#pragma once

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <utility>

#include "sensor/core/status.h"

namespace parallax::output {

class OutputFile {
 public:
  // "-" is standard output (flushed, never closed); anything else is created or truncated.
  // nullptr and *status = "PATH: cannot write: REASON" when it cannot be opened.
  static std::unique_ptr<OutputFile> Open(const std::string& path, core::Status* status);
  ~OutputFile();  // closes without a check if Close() was not called (an error path already)
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // For formatted writes (fprintf): their failures set the stream's error flag, which Close()
  // checks; Write() is preferred where the reason should be the first failure's.
  std::FILE* stream() const { return f_; }
  // The path, or "standard output".
  const std::string& name() const { return name_; }

  // False when the stream did not take every byte (the first failure's errno is kept).
  bool Write(const char* data, std::size_t n);
  bool Write(const std::string& s) { return Write(s.data(), s.size()); }

  // Hands what stdio buffers to the file; false on failure (kept, as for Write).
  bool Flush();

  // Flushes and closes. Any failed write, flush or close since Open: "NAME: write error: REASON".
  core::Status Close();

 private:
  void Remember(int e);
  OutputFile(std::FILE* f, std::string name, bool owned)
      : f_(f), name_(std::move(name)), owned_(owned) {}
  std::FILE* f_;
  std::string name_;
  bool owned_;
  bool closed_ = false;
  int first_errno_ = 0;
};

}  // namespace parallax::output
