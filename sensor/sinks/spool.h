// Spool: a sink's durable queue of alerts on disk, in one folder (0700) holding a segment file
// `segment-<N>.log` (0600) of framed records and an `offset` file naming the segment and the byte
// offset up to which records are acknowledged.
//
// A record on disk is
//   magic "PXR1" (4) | payload length (u32 LE) | CRC-32 of the length and payload (u32 LE) | payload
// and the payload is event type (u8) | id length (u16 LE) | id | json. Append writes one record and
// fsyncs before returning, so an alert Submit()ted is on disk. Ack(n) advances the committed
// offset past the first n pending records and persists it (write offset.tmp, fsync, rename, fsync
// the folder), so a crash at any point leaves either the old or the new offset: at worst some
// alerts are delivered twice (at-least-once; the alert id de-duplicates).
//
// Open() recovers after a crash: a record cut short at the end of the segment (a crash in the
// middle of Append) is discarded and the file truncated to the last whole record; a record whose
// CRC does not match is skipped, scanning forward to the next valid record; both are logged with
// the file and byte offset. When every record is acknowledged and the segment has grown past
// compact_bytes, the spool starts a new empty segment and removes the old one.
//
// Thread-safety: safe for concurrent access (one internal mutex). Delivery is expected to come
// from one thread: Peek/Ack act on the head, Append on the tail.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sensor/core/status.h"
#include "sensor/sinks/sink.h"

namespace parallax::sinks {

struct SpoolOptions {
  // Start a new segment once everything is acknowledged and the segment is at least this big:
  // small enough that a busy sink does not grow its file without bound, big enough that a quiet
  // one does not create and fsync a new file for every alert.
  std::uint64_t compact_bytes = 1u << 20;
  // Larger lengths are taken as corruption (an alert is a few kilobytes).
  std::uint32_t max_record_bytes = 16u << 20;
};

class Spool {
 public:
  // Opens (creating if needed) the spool in `dir` and recovers it.
  static core::Status Open(const std::string& dir, SpoolOptions options,
                           std::unique_ptr<Spool>* out);
  ~Spool();
  Spool(const Spool&) = delete;
  Spool& operator=(const Spool&) = delete;

  // Appends one record and fsyncs it.
  core::Status Append(const Record& record);
  // Copies up to `max` of the oldest unacknowledged records into *out (replacing its contents).
  core::Status Peek(std::size_t max, std::vector<Record>* out) const;
  // Acknowledges the oldest n pending records and persists the new offset.
  core::Status Ack(std::size_t n);

  std::uint64_t pending_records() const;
  std::uint64_t pending_bytes() const;
  const std::string& dir() const { return dir_; }
  // The current segment's path and committed offset (for tests and diagnostics).
  std::string segment_path() const;
  std::uint64_t committed_offset() const;

  // Framing, exposed for tests that write damaged spools.
  static std::string EncodeRecord(const Record& record);
  static constexpr std::size_t kHeaderBytes = 12;

 private:
  struct Entry {
    std::uint64_t offset;  // of the frame header
    std::uint32_t frame_bytes;
  };
  Spool() = default;
  core::Status Recover(std::uint64_t start);
  core::Status OpenSegment(std::uint64_t seq, bool create);
  core::Status WriteOffset(std::uint64_t seq, std::uint64_t offset);
  core::Status Compact();
  std::string SegmentPath(std::uint64_t seq) const;

  mutable std::mutex mu_;
  std::string dir_;
  SpoolOptions options_;
  int fd_ = -1;
  std::uint64_t seq_ = 1;
  std::uint64_t committed_ = 0;  // byte offset in the segment up to which all is acknowledged
  std::uint64_t end_ = 0;        // segment size (end of the last whole record)
  std::deque<Entry> pending_;
  std::uint64_t pending_bytes_ = 0;
};

}  // namespace parallax::sinks
