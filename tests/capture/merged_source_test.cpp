#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "sensor/capture/merged_source.h"

using namespace parallax;
using capture::MergedInput;
using capture::MergedSource;
using capture::NextResult;

namespace {

// A file-like source: the given timestamps (seconds), then the end or an error. Each packet's one
// byte is its source's tag, and its bytes are overwritten on the next call (as libpcap's buffer
// is), so a merge that hands out a packet after advancing its source is caught.
class FakeSource final : public capture::PacketSource {
 public:
  FakeSource(std::string name, std::vector<double> times, bool fail_at_end = false)
      : name_(std::move(name)), times_(std::move(times)), fail_at_end_(fail_at_end) {}

  NextResult Next(core::PacketView* packet) override {
    buffer_ = '?';
    if (i_ == times_.size()) {
      if (!fail_at_end_) return NextResult::kEnd;
      error_ = core::Status::Error(name_ + ": corrupt capture at packet " +
                                   std::to_string(i_ + 1));
      return NextResult::kError;
    }
    buffer_ = name_[0];
    packet->ts = static_cast<core::TimeUs>(times_[i_++] * core::kMicrosPerSecond);
    packet->data = reinterpret_cast<const std::uint8_t*>(&buffer_);
    packet->caplen = packet->wirelen = 1;
    return NextResult::kPacket;
  }
  core::Status error() const override { return error_; }
  capture::CaptureStats stats() const override {
    capture::CaptureStats s;
    s.received = i_;
    return s;
  }
  void BreakLoop() override {}
  const std::string& name() const override { return name_; }

 private:
  std::string name_;
  std::vector<double> times_;
  bool fail_at_end_;
  std::size_t i_ = 0;
  char buffer_ = '?';
  core::Status error_;
};

struct Got {
  std::string order;  // the tag of every packet, in delivery order
  std::vector<core::TimeUs> times;
  std::vector<std::string> notices;
};

Got Drain(std::vector<std::unique_ptr<capture::PacketSource>> sources,
          std::vector<MergedInput>* inputs = nullptr) {
  Got g;
  MergedSource m(std::move(sources), [&g](const std::string& n) { g.notices.push_back(n); });
  core::PacketView pv;
  while (m.Next(&pv) == NextResult::kPacket) {
    g.order += static_cast<char>(pv.data[0]);
    g.times.push_back(pv.ts);
  }
  CHECK(m.Next(&pv) == NextResult::kEnd);  // stays ended
  if (inputs) *inputs = m.inputs();
  return g;
}

template <typename... S>
std::vector<std::unique_ptr<capture::PacketSource>> Sources(S... s) {
  std::vector<std::unique_ptr<capture::PacketSource>> v;
  (v.push_back(std::make_unique<FakeSource>(std::move(s))), ...);
  return v;
}

}  // namespace

TEST_CASE("MergedSource yields the earliest next packet of all sources") {
  const Got g = Drain(Sources(FakeSource("late", {10, 11, 12}), FakeSource("early", {1, 2, 3}),
                              FakeSource("mid", {2.5, 10.5, 20})));
  CHECK(g.order == "eemelmllm");
  CHECK(std::is_sorted(g.times.begin(), g.times.end()));
  CHECK(g.notices.empty());
}

TEST_CASE("MergedSource output does not depend on the order sources are given in") {
  // Equal timestamps in both: the source whose first packet is earlier goes first, then the name.
  auto a = [] { return FakeSource("a", {5, 7, 7, 9}); };
  auto b = [] { return FakeSource("b", {3, 7, 9}); };
  auto c = [] { return FakeSource("c", {3, 7}); };
  std::vector<MergedInput> in1, in2;
  const Got g1 = Drain(Sources(a(), b(), c()), &in1);
  const Got g2 = Drain(Sources(c(), a(), b()), &in2);
  CHECK(g1.order == g2.order);
  // 3: b then c (same time, b's name first); 5: a; 7: b, c, a, a (rank b, c, a); 9: b, a.
  CHECK(g1.order == "bcabcaaba");
  REQUIRE(in1.size() == 3);
  REQUIRE(in2.size() == 3);
  for (std::size_t i = 0; i < 3; ++i) CHECK(in1[i].name == in2[i].name);
  CHECK(in1[0].name == "b");  // first packet 3, name b < c
  CHECK(in1[1].name == "c");
  CHECK(in1[2].name == "a");
}

TEST_CASE("MergedSource counts and reports a backwards jump inside one source, once") {
  std::vector<MergedInput> in;
  const Got g = Drain(Sources(FakeSource("jumpy", {100, 101, 102, 40, 41, 30}),
                              FakeSource("calm", {50, 60})),
                      &in);
  REQUIRE(g.notices.size() == 1);
  CHECK(g.notices[0] == "jumpy: timestamps go back 62 s at packet 4");
  REQUIRE(in.size() == 2);
  const MergedInput& jumpy = in[0].name == "jumpy" ? in[0] : in[1];
  CHECK(jumpy.timestamps_backwards == 2);  // 102 -> 40 and 41 -> 30
  CHECK(jumpy.packets == 6);
  CHECK(jumpy.state == MergedInput::State::kOk);
  CHECK(g.order.size() == 8);
}

TEST_CASE("MergedSource goes on past a failing source and marks it") {
  std::vector<MergedInput> in;
  std::vector<std::unique_ptr<capture::PacketSource>> v;
  v.push_back(std::make_unique<FakeSource>("x", std::vector<double>{1, 4}));
  v.push_back(std::make_unique<FakeSource>("y", std::vector<double>{2, 3}, true));
  v.push_back(std::make_unique<FakeSource>("z", std::vector<double>{5, 6}));
  v.push_back(std::make_unique<FakeSource>("w", std::vector<double>{}, true));  // fails at once
  const Got g = Drain(std::move(v), &in);
  CHECK(g.order == "xyyxzz");
  REQUIRE(g.notices.size() == 2);
  CHECK(g.notices[0] == "w: corrupt capture at packet 1");  // noticed while priming
  CHECK(g.notices[1] == "y: corrupt capture at packet 3");
  REQUIRE(in.size() == 4);
  CHECK(in[3].name == "w");  // no packet: last
  CHECK(in[3].state == MergedInput::State::kFailed);
  CHECK(in[3].packets == 0);
  CHECK(in[1].name == "y");
  CHECK(in[1].state == MergedInput::State::kFailed);
  CHECK(in[1].error == "y: corrupt capture at packet 3");
  CHECK(in[1].packets == 2);
  CHECK(in[0].state == MergedInput::State::kOk);
  CHECK(in[2].state == MergedInput::State::kOk);
}

TEST_CASE("MergedSource marks inputs not read to their end as interrupted") {
  MergedSource m(Sources(FakeSource("p", {1, 2, 3}), FakeSource("q", {1.5, 10})), nullptr);
  core::PacketView pv;
  REQUIRE(m.Next(&pv) == NextResult::kPacket);  // p at 1
  REQUIRE(m.Next(&pv) == NextResult::kPacket);  // q at 1.5
  const auto in = m.inputs();
  REQUIRE(in.size() == 2);
  CHECK(in[0].state == MergedInput::State::kInterrupted);
  CHECK(in[0].packets == 1);  // its head (2) was read but not delivered
  CHECK(in[1].state == MergedInput::State::kInterrupted);
  CHECK(in[1].packets == 1);  // delivered just now
}
