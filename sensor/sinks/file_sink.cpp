#include "sensor/sinks/file_sink.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace parallax::sinks {
namespace {

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

bool WriteAll(int fd, const std::string& data) {
  const char* p = data.data();
  std::size_t n = data.size();
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
  return true;
}

std::string JsonLines(const std::vector<Record>& batch) {
  std::string out;
  for (const Record& r : batch) {
    out += r.json;
    out += '\n';
  }
  return out;
}

}  // namespace

FileTransport::FileTransport(std::string path, std::uint64_t rotate_bytes, unsigned rotate_keep)
    : path_(std::move(path)), rotate_bytes_(rotate_bytes), rotate_keep_(rotate_keep) {}

FileTransport::~FileTransport() {
  if (fd_ >= 0) ::close(fd_);
}

core::Status FileTransport::Open() {
  if (fd_ >= 0) return core::Status::Ok();
  const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
  if (fd < 0) return core::Status::Error(Errno(path_));
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return core::Status::Error(Errno(path_ + ": stat"));
  }
  // The umask may have taken bits away; the file holds alerts, so no more than 0640 either.
  if ((st.st_mode & 07777) != 0640 && ::fchmod(fd, 0640) != 0) {
    ::close(fd);
    return core::Status::Error(Errno(path_ + ": chmod"));
  }
  fd_ = fd;
  size_ = static_cast<std::uint64_t>(st.st_size);
  return core::Status::Ok();
}

core::Status FileTransport::Rotate() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (rotate_keep_ == 0) {
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) return core::Status::Error(Errno(path_));
  } else {
    for (unsigned i = rotate_keep_; i > 1; --i) {
      const std::string from = path_ + "." + std::to_string(i - 1);
      const std::string to = path_ + "." + std::to_string(i);
      if (::rename(from.c_str(), to.c_str()) != 0 && errno != ENOENT) {
        return core::Status::Error(Errno(from + ": rename"));
      }
    }
    const std::string first = path_ + ".1";
    if (::rename(path_.c_str(), first.c_str()) != 0 && errno != ENOENT) {
      return core::Status::Error(Errno(path_ + ": rename"));
    }
  }
  return Open();
}

void FileTransport::Deliver(const std::vector<Record>& batch, Done done) {
  // A failed open or rotation earlier is retried here with the batch.
  if (core::Status st = Open(); !st.ok()) return done(st);
  const std::string data = JsonLines(batch);
  if (size_ > 0 && rotate_bytes_ > 0 && size_ + data.size() > rotate_bytes_) {
    if (core::Status st = Rotate(); !st.ok()) return done(st);
  }
  if (!WriteAll(fd_, data)) {
    const std::string err = Errno(path_ + ": write");
    // Cut off a partial line so that the retried batch starts on a line of its own.
    if (::ftruncate(fd_, static_cast<off_t>(size_)) != 0) {
      // Nothing more to do: the error below is reported and the batch retried.
    }
    ::close(fd_);
    fd_ = -1;
    return done(core::Status::Error(err));
  }
  size_ += data.size();
  if (::fdatasync(fd_) != 0) return done(core::Status::Error(Errno(path_ + ": fsync")));
  done(core::Status::Ok());
}

void StdoutTransport::Deliver(const std::vector<Record>& batch, Done done) {
  std::fflush(stdout);  // keep order with anything else the process printed through stdio
  if (!WriteAll(STDOUT_FILENO, JsonLines(batch))) {
    return done(core::Status::Error(Errno("stdout: write")));
  }
  done(core::Status::Ok());
}

}  // namespace parallax::sinks
