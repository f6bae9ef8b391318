// The spool: append/ack/reopen, recovery from a record torn at every byte, a corrupt record in
// the middle, the offset surviving a crash, compaction and permissions.
#include "sensor/sinks/spool.h"

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "tests/sinks/test_util.h"

namespace parallax::sinks {
namespace {

using testing::TempDir;

Record Alert(int i) {
  return Record{output::EventType::kAlert, "alert-" + std::to_string(i),
                "{\"event_type\":\"alert\",\"id\":\"alert-" + std::to_string(i) +
                    "\",\"alert\":{\"severity\":1},\"pad\":\"" + std::string(i * 7 % 50, 'x') +
                    "\"}"};
}

std::unique_ptr<Spool> OpenSpool(const std::string& dir, SpoolOptions o = {}) {
  std::unique_ptr<Spool> s;
  core::Status st = Spool::Open(dir, o, &s);
  INFO(st.message());
  REQUIRE(st.ok());
  return s;
}

std::vector<std::string> PendingIds(const Spool& s) {
  std::vector<Record> rs;
  REQUIRE(s.Peek(1000, &rs).ok());
  std::vector<std::string> ids;
  for (const auto& r : rs) ids.push_back(r.id);
  return ids;
}

TEST_CASE("spool appends, acknowledges and reopens") {
  TempDir tmp;
  const std::string dir = tmp.path + "/sink-a";
  {
    auto s = OpenSpool(dir);
    for (int i = 0; i < 3; ++i) REQUIRE(s->Append(Alert(i)).ok());
    CHECK(s->pending_records() == 3);
    std::vector<Record> rs;
    REQUIRE(s->Peek(2, &rs).ok());
    REQUIRE(rs.size() == 2);
    CHECK(rs[0].id == "alert-0");
    CHECK(rs[0].json == Alert(0).json);
    CHECK(rs[1].type == output::EventType::kAlert);
    REQUIRE(s->Ack(1).ok());
    CHECK(s->pending_records() == 2);
    CHECK(s->pending_bytes() == Spool::EncodeRecord(Alert(1)).size() +
                                    Spool::EncodeRecord(Alert(2)).size());
  }
  auto s = OpenSpool(dir);
  CHECK(PendingIds(*s) == std::vector<std::string>{"alert-1", "alert-2"});
  std::vector<Record> rs;
  REQUIRE(s->Peek(10, &rs).ok());
  CHECK(rs[1].json == Alert(2).json);
}

TEST_CASE("spool keeps the acknowledged offset across a crash") {
  TempDir tmp;
  const std::string dir = tmp.path + "/sink-a";
  // The first spool is never closed (as after kill -9); a second one opens the same files.
  auto crashed = OpenSpool(dir);
  for (int i = 0; i < 5; ++i) REQUIRE(crashed->Append(Alert(i)).ok());
  REQUIRE(crashed->Ack(3).ok());
  auto s = OpenSpool(dir);
  CHECK(PendingIds(*s) == std::vector<std::string>{"alert-3", "alert-4"});
  CHECK(s->committed_offset() == crashed->committed_offset());
  // A crashed process runs no destructor: keep it alive (reachable, so LeakSanitizer is quiet)
  // until the test binary exits, long after the checks above.
  static std::vector<std::unique_ptr<Spool>> crashed_spools;
  crashed_spools.push_back(std::move(crashed));
}

TEST_CASE("spool discards a record torn at any byte and keeps appending after it") {
  TempDir tmp;
  const std::string dir = tmp.path + "/sink-a";
  std::string segment;
  {
    auto s = OpenSpool(dir);
    for (int i = 0; i < 3; ++i) REQUIRE(s->Append(Alert(i)).ok());
    segment = s->segment_path();
  }
  const std::string whole = testing::ReadFile(segment);
  const std::size_t last = Spool::EncodeRecord(Alert(2)).size();
  REQUIRE(whole.size() > last);
  for (std::size_t cut = 0; cut < last; ++cut) {
    INFO("last record cut after " << cut << " bytes");
    {
      std::ofstream out(segment, std::ios::binary | std::ios::trunc);
      out.write(whole.data(), static_cast<std::streamsize>(whole.size() - last + cut));
    }
    {
      auto s = OpenSpool(dir);
      REQUIRE(PendingIds(*s) == std::vector<std::string>{"alert-0", "alert-1"});
      REQUIRE(std::filesystem::file_size(segment) == whole.size() - last);
      REQUIRE(s->Append(Alert(9)).ok());
    }
    auto s = OpenSpool(dir);
    REQUIRE(PendingIds(*s) == std::vector<std::string>{"alert-0", "alert-1", "alert-9"});
  }
}

TEST_CASE("spool skips a corrupt record in the middle") {
  TempDir tmp;
  const std::string dir = tmp.path + "/sink-a";
  std::string segment;
  {
    auto s = OpenSpool(dir);
    for (int i = 0; i < 3; ++i) REQUIRE(s->Append(Alert(i)).ok());
    segment = s->segment_path();
  }
  const std::string whole = testing::ReadFile(segment);
  const std::size_t first = Spool::EncodeRecord(Alert(0)).size();
  // A flipped payload byte (CRC mismatch) and a destroyed header (length and magic).
  for (std::size_t at : {first + Spool::kHeaderBytes + 5, first + 1, first + 5}) {
    INFO("byte " << at << " damaged");
    std::string damaged = whole;
    damaged[at] = static_cast<char>(damaged[at] ^ 0x5a);
    {
      std::ofstream out(segment, std::ios::binary | std::ios::trunc);
      out << damaged;
    }
    // The previous round acknowledged everything; without an offset file the spool starts over.
    std::filesystem::remove(dir + "/offset");
    auto s = OpenSpool(dir);
    CHECK(PendingIds(*s) == std::vector<std::string>{"alert-0", "alert-2"});
    // Acknowledging past the damaged record works, and it stays acknowledged.
    REQUIRE(s->Ack(2).ok());
    s.reset();
    CHECK(OpenSpool(dir)->pending_records() == 0);
  }
}

TEST_CASE("spool starts a new segment when everything is acknowledged") {
  TempDir tmp;
  const std::string dir = tmp.path + "/sink-a";
  SpoolOptions o;
  o.compact_bytes = 1;
  auto s = OpenSpool(dir, o);
  for (int i = 0; i < 3; ++i) REQUIRE(s->Append(Alert(i)).ok());
  const std::string old_segment = s->segment_path();
  REQUIRE(s->Ack(2).ok());
  CHECK(s->segment_path() == old_segment);  // not everything acknowledged yet
  REQUIRE(s->Ack(1).ok());
  CHECK(s->segment_path() != old_segment);
  CHECK(!std::filesystem::exists(old_segment));
  CHECK(std::filesystem::file_size(s->segment_path()) == 0);
  REQUIRE(s->Append(Alert(7)).ok());
  s.reset();
  auto reopened = OpenSpool(dir, o);
  CHECK(PendingIds(*reopened) == std::vector<std::string>{"alert-7"});
}

TEST_CASE("spool folder is 0700 and its files 0600") {
  TempDir tmp;
  const std::string dir = tmp.path + "/sink-a";
  const mode_t old_umask = ::umask(0);
  auto s = OpenSpool(dir);
  ::umask(old_umask);
  REQUIRE(s->Append(Alert(1)).ok());
  REQUIRE(s->Ack(1).ok());
  struct stat st {};
  REQUIRE(::stat(dir.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    INFO(e.path());
    REQUIRE(::stat(e.path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
}

TEST_CASE("spool rejects nothing odd in ids and json") {
  TempDir tmp;
  auto s = OpenSpool(tmp.path + "/x");
  Record r{output::EventType::kAlert, "", std::string("{\"a\":\"\xe2\x82\xac\\n\"}")};
  REQUIRE(s->Append(r).ok());
  std::vector<Record> rs;
  REQUIRE(s->Peek(1, &rs).ok());
  REQUIRE(rs.size() == 1);
  CHECK(rs[0].id.empty());
  CHECK(rs[0].json == r.json);
}

}  // namespace
}  // namespace parallax::sinks
