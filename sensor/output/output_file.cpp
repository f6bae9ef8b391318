#include "sensor/output/output_file.h"

#include <cerrno>
#include <cstring>
#include <utility>

namespace parallax::output {

std::unique_ptr<OutputFile> OutputFile::Open(const std::string& path, core::Status* status) {
  if (path == "-") return std::unique_ptr<OutputFile>(new OutputFile(stdout, "standard output", false));
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) {
    *status = core::Status::Error(path + ": cannot write: " + std::strerror(errno));
    return nullptr;
  }
  return std::unique_ptr<OutputFile>(new OutputFile(f, path, true));
}

OutputFile::~OutputFile() {
  if (!closed_ && owned_) std::fclose(f_);
}

bool OutputFile::Write(const char* data, std::size_t n) {
  errno = 0;
  // stdio may take every byte of this call while writing out its full buffer failed: the
  // error flag, not the count, says the file is missing data.
  if (std::fwrite(data, 1, n, f_) == n && !std::ferror(f_)) return true;
  Remember(errno);
  return false;
}

bool OutputFile::Flush() {
  errno = 0;
  if (std::fflush(f_) == 0 && !std::ferror(f_)) return true;
  Remember(errno);
  return false;
}

void OutputFile::Remember(int e) {
  if (first_errno_ == 0) first_errno_ = e ? e : EIO;
}

core::Status OutputFile::Close() {
  if (closed_) return core::Status::Ok();
  closed_ = true;
  // A failed write leaves the stream's error flag set; what stdio still buffers fails (or is
  // written) now, and close() itself can report a delayed error (NFS, quotas).
  int err = first_errno_;
  const bool had_error = std::ferror(f_) != 0;
  errno = 0;
  if (std::fflush(f_) != 0 && err == 0) err = errno ? errno : EIO;
  if (owned_) {
    errno = 0;
    if (std::fclose(f_) != 0 && err == 0) err = errno ? errno : EIO;
  }
  if (had_error && err == 0) err = EIO;  // a formatted write failed and its reason is gone
  if (err == 0) return core::Status::Ok();
  if (!owned_) std::clearerr(f_);  // reported here, once (main() checks standard output too)
  return core::Status::Error(name_ + ": write error: " + std::strerror(err));
}

}  // namespace parallax::output
