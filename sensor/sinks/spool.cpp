#include "sensor/sinks/spool.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <boost/crc.hpp>

#include "sensor/logging/log.h"

namespace parallax::sinks {
namespace {

constexpr char kMagic[4] = {'P', 'X', 'R', '1'};
constexpr char kOffsetHeader[] = "parallax-spool-offset 1";

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

void PutU32(std::string* s, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint32_t GetU32(const char* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(p[i]);
  return v;
}

std::uint32_t Crc(const char* p, std::size_t n) {
  boost::crc_32_type crc;
  crc.process_bytes(p, n);
  return crc.checksum();
}

bool DecodePayload(const char* p, std::size_t n, Record* out) {
  if (n < 3) return false;
  const auto type = static_cast<unsigned char>(p[0]);
  if (type >= static_cast<unsigned>(output::EventType::kCount)) return false;
  const std::size_t id_len =
      static_cast<unsigned char>(p[1]) | (static_cast<std::size_t>(static_cast<unsigned char>(p[2])) << 8);
  if (3 + id_len > n) return false;
  out->type = static_cast<output::EventType>(type);
  out->id.assign(p + 3, id_len);
  out->json.assign(p + 3 + id_len, n - 3 - id_len);
  return true;
}

bool WriteAll(int fd, const char* p, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t w = ::pwrite(fd, p, n, static_cast<off_t>(offset));
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
    offset += static_cast<std::uint64_t>(w);
  }
  return true;
}

bool ReadAll(int fd, char* p, std::size_t n, std::uint64_t offset) {
  while (n > 0) {
    const ssize_t r = ::pread(fd, p, n, static_cast<off_t>(offset));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<std::size_t>(r);
    offset += static_cast<std::uint64_t>(r);
  }
  return true;
}

core::Status SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return core::Status::Error(Errno(dir));
  const int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) return core::Status::Error(Errno(dir + ": fsync"));
  return core::Status::Ok();
}

// Parses "segment-<N>.log"; returns 0 for other names.
std::uint64_t SegmentSeq(const std::string& name) {
  constexpr std::string_view kPrefix = "segment-", kSuffix = ".log";
  if (name.size() <= kPrefix.size() + kSuffix.size() || name.compare(0, kPrefix.size(), kPrefix) != 0 ||
      name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) != 0) {
    return 0;
  }
  const std::string digits =
      name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoull(digits);
}

}  // namespace

std::string Spool::EncodeRecord(const Record& record) {
  std::string payload;
  payload.reserve(3 + record.id.size() + record.json.size());
  payload.push_back(static_cast<char>(record.type));
  const std::size_t id_len = std::min<std::size_t>(record.id.size(), 0xffff);
  payload.push_back(static_cast<char>(id_len & 0xff));
  payload.push_back(static_cast<char>(id_len >> 8));
  payload.append(record.id, 0, id_len);
  payload.append(record.json);

  std::string frame(kMagic, sizeof kMagic);
  PutU32(&frame, static_cast<std::uint32_t>(payload.size()));
  std::string crc_input = frame.substr(4, 4) + payload;
  PutU32(&frame, Crc(crc_input.data(), crc_input.size()));
  frame += payload;
  return frame;
}

std::string Spool::SegmentPath(std::uint64_t seq) const {
  return dir_ + "/segment-" + std::to_string(seq) + ".log";
}

std::string Spool::segment_path() const {
  std::lock_guard<std::mutex> l(mu_);
  return SegmentPath(seq_);
}

std::uint64_t Spool::committed_offset() const {
  std::lock_guard<std::mutex> l(mu_);
  return committed_;
}

core::Status Spool::Open(const std::string& dir, SpoolOptions options,
                         std::unique_ptr<Spool>* out) {
  std::unique_ptr<Spool> s(new Spool());
  s->dir_ = dir;
  s->options_ = options;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return core::Status::Error(dir + ": cannot create spool folder: " + ec.message());
  if (::chmod(dir.c_str(), 0700) != 0) return core::Status::Error(Errno(dir + ": chmod"));

  // Which segment, and how far it is acknowledged.
  std::uint64_t seq = 0, offset = 0;
  const std::string offset_path = dir + "/offset";
  {
    std::ifstream in(offset_path);
    if (in) {
      std::string line;
      std::getline(in, line);
      std::istringstream fields;
      if (line == kOffsetHeader && std::getline(in, line)) {
        fields.str(line);
        fields >> seq >> offset;
      }
      if (!fields || seq == 0) {
        log::Warn("sink", "spool offset file unreadable, redelivering from the start",
                  {{"file", offset_path}});
        seq = 0;
        offset = 0;
      }
    }
  }
  std::vector<std::uint64_t> segments;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (std::uint64_t n = SegmentSeq(e.path().filename().string())) segments.push_back(n);
  }
  std::sort(segments.begin(), segments.end());
  if (seq == 0) {
    // No usable offset: start at the oldest segment (a fresh spool has none).
    seq = segments.empty() ? 1 : segments.front();
    offset = 0;
  }
  for (std::uint64_t n : segments) {
    // Older segments are leftovers of a compaction interrupted after the offset moved on.
    if (n < seq) std::filesystem::remove(s->SegmentPath(n), ec);
    if (n > seq) {
      log::Warn("sink", "spool segment ignored", {{"file", s->SegmentPath(n)}});
    }
  }
  const bool exists = std::find(segments.begin(), segments.end(), seq) != segments.end();
  if (core::Status st = s->OpenSegment(seq, !exists); !st.ok()) return st;
  if (!exists || !std::filesystem::exists(offset_path)) {
    if (core::Status st = s->WriteOffset(seq, offset); !st.ok()) return st;
  }
  if (core::Status st = s->Recover(offset); !st.ok()) return st;
  *out = std::move(s);
  return core::Status::Ok();
}

Spool::~Spool() {
  if (fd_ >= 0) ::close(fd_);
}

core::Status Spool::OpenSegment(std::uint64_t seq, bool create) {
  const std::string path = SegmentPath(seq);
  const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_TRUNC : 0), 0600);
  if (fd < 0) return core::Status::Error(Errno(path));
  if (::fchmod(fd, 0600) != 0) {
    ::close(fd);
    return core::Status::Error(Errno(path + ": chmod"));
  }
  if (create) {
    if (::fsync(fd) != 0) {
      ::close(fd);
      return core::Status::Error(Errno(path + ": fsync"));
    }
    if (core::Status st = SyncDir(dir_); !st.ok()) {
      ::close(fd);
      return st;
    }
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  seq_ = seq;
  return core::Status::Ok();
}

core::Status Spool::WriteOffset(std::uint64_t seq, std::uint64_t offset) {
  const std::string tmp = dir_ + "/offset.tmp", path = dir_ + "/offset";
  const std::string content =
      std::string(kOffsetHeader) + "\n" + std::to_string(seq) + " " + std::to_string(offset) + "\n";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return core::Status::Error(Errno(tmp));
  const bool ok = WriteAll(fd, content.data(), content.size(), 0) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return core::Status::Error(Errno(tmp + ": write"));
  if (::rename(tmp.c_str(), path.c_str()) != 0) return core::Status::Error(Errno(path + ": rename"));
  return SyncDir(dir_);
}

core::Status Spool::Recover(std::uint64_t start) {
  const std::string path = SegmentPath(seq_);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return core::Status::Error(Errno(path + ": stat"));
  const auto size = static_cast<std::uint64_t>(st.st_size);
  if (start > size) {
    log::Warn("sink", "spool offset beyond the end of its segment, redelivering from the start",
              {{"file", path}, {"offset", std::to_string(start)}});
    start = 0;
  }
  std::string data(size - start, '\0');
  if (!data.empty() && !ReadAll(fd_, data.data(), data.size(), start)) {
    return core::Status::Error(Errno(path + ": read"));
  }
  // Whether a whole, valid record starts at p.
  auto valid_at = [&](std::size_t p, std::uint32_t* frame_bytes) {
    if (data.size() - p < kHeaderBytes || std::memcmp(data.data() + p, kMagic, 4) != 0) return false;
    const std::uint32_t len = GetU32(data.data() + p + 4);
    if (len > options_.max_record_bytes || data.size() - p - kHeaderBytes < len) return false;
    std::string crc_input(data.data() + p + 4, 4);
    crc_input.append(data.data() + p + kHeaderBytes, len);
    if (Crc(crc_input.data(), crc_input.size()) != GetU32(data.data() + p + 8)) return false;
    Record r;
    if (!DecodePayload(data.data() + p + kHeaderBytes, len, &r)) return false;
    *frame_bytes = static_cast<std::uint32_t>(kHeaderBytes + len);
    return true;
  };

  committed_ = start;
  pending_.clear();
  pending_bytes_ = 0;
  std::size_t p = 0;
  while (p < data.size()) {
    std::uint32_t frame = 0;
    if (valid_at(p, &frame)) {
      pending_.push_back({start + p, frame});
      pending_bytes_ += frame;
      p += frame;
      continue;
    }
    std::size_t next = p + 1;
    std::uint32_t ignored = 0;
    while (next < data.size() && !valid_at(next, &ignored)) ++next;
    if (next >= data.size()) {
      // Nothing valid follows: a record cut short by a crash (or damaged) at the end. Truncate
      // so the next Append starts on a record boundary.
      log::Warn("sink", "spool: incomplete record at the end discarded",
                {{"file", path}, {"offset", std::to_string(start + p)},
                 {"bytes", std::to_string(data.size() - p)}});
      if (::ftruncate(fd_, static_cast<off_t>(start + p)) != 0 || ::fsync(fd_) != 0) {
        return core::Status::Error(Errno(path + ": truncate"));
      }
      data.resize(p);
      break;
    }
    log::Warn("sink", "spool: corrupt record skipped",
              {{"file", path}, {"offset", std::to_string(start + p)},
               {"bytes", std::to_string(next - p)}});
    p = next;
  }
  end_ = start + data.size();
  return core::Status::Ok();
}

core::Status Spool::Append(const Record& record) {
  const std::string frame = EncodeRecord(record);
  std::lock_guard<std::mutex> l(mu_);
  const std::string path = SegmentPath(seq_);
  if (!WriteAll(fd_, frame.data(), frame.size(), end_) || ::fdatasync(fd_) != 0) {
    const std::string err = Errno(path + ": append");
    // Leave no partial record behind for the next Append to follow.
    if (::ftruncate(fd_, static_cast<off_t>(end_)) != 0) {
      // Recovery at the next start discards it.
    }
    return core::Status::Error(err);
  }
  pending_.push_back({end_, static_cast<std::uint32_t>(frame.size())});
  pending_bytes_ += frame.size();
  end_ += frame.size();
  return core::Status::Ok();
}

core::Status Spool::Peek(std::size_t max, std::vector<Record>* out) const {
  out->clear();
  std::lock_guard<std::mutex> l(mu_);
  const std::size_t n = std::min(max, pending_.size());
  std::string buf;
  for (std::size_t i = 0; i < n; ++i) {
    const Entry& e = pending_[i];
    buf.resize(e.frame_bytes);
    if (!ReadAll(fd_, buf.data(), buf.size(), e.offset)) {
      return core::Status::Error(Errno(SegmentPath(seq_) + ": read at " + std::to_string(e.offset)));
    }
    Record r;
    if (!DecodePayload(buf.data() + kHeaderBytes, buf.size() - kHeaderBytes, &r)) {
      return core::Status::Error(SegmentPath(seq_) + ": bad record at " + std::to_string(e.offset));
    }
    out->push_back(std::move(r));
  }
  return core::Status::Ok();
}

core::Status Spool::Ack(std::size_t n) {
  std::lock_guard<std::mutex> l(mu_);
  n = std::min(n, pending_.size());
  if (n == 0) return core::Status::Ok();
  const std::uint64_t committed = n == pending_.size() ? end_ : pending_[n].offset;
  for (std::size_t i = 0; i < n; ++i) {
    pending_bytes_ -= pending_.front().frame_bytes;
    pending_.pop_front();
  }
  committed_ = committed;
  if (pending_.empty() && end_ >= options_.compact_bytes) return Compact();
  return WriteOffset(seq_, committed_);
}

core::Status Spool::Compact() {
  // New segment first, then the offset that points at it, then the old segment goes: a crash
  // in between leaves either the old state or a leftover file that Open() removes.
  const std::uint64_t old_seq = seq_;
  const std::string old_path = SegmentPath(old_seq);
  if (core::Status st = OpenSegment(old_seq + 1, true); !st.ok()) {
    return WriteOffset(seq_, committed_);
  }
  if (core::Status st = WriteOffset(seq_, 0); !st.ok()) {
    // The offset still names the old segment: keep appending there.
    const std::string new_path = SegmentPath(seq_);
    if (OpenSegment(old_seq, false).ok()) ::unlink(new_path.c_str());
    return st;
  }
  committed_ = 0;
  end_ = 0;
  if (::unlink(old_path.c_str()) != 0) return core::Status::Error(Errno(old_path + ": unlink"));
  return SyncDir(dir_);
}

std::uint64_t Spool::pending_records() const {
  std::lock_guard<std::mutex> l(mu_);
  return pending_.size();
}

std::uint64_t Spool::pending_bytes() const {
  std::lock_guard<std::mutex> l(mu_);
  return pending_bytes_;
}

}  // namespace parallax::sinks
