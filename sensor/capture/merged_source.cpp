#include "sensor/capture/merged_source.h"

#include <algorithm>
#include <cstdio>
#include <tuple>

namespace parallax::capture {
namespace {

// "3600", "0.5", "0.000001": seconds without trailing zeros, for the backwards-jump notice.
std::string FormatSeconds(core::TimeUs us) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%06lld", static_cast<long long>(us / core::kMicrosPerSecond),
                static_cast<long long>(us % core::kMicrosPerSecond));
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

MergedSource::MergedSource(std::vector<std::unique_ptr<PacketSource>> sources, NoticeFn notice)
    : notice_(std::move(notice)) {
  slots_.resize(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    slots_[i].info.name = sources[i]->name();
    slots_[i].source = std::move(sources[i]);
  }
  // Read every first packet before ordering. The heads stay valid: each source is advanced only
  // after its head was used.
  for (std::size_t i = 0; i < slots_.size(); ++i) Advance(i);
  std::stable_sort(slots_.begin(), slots_.end(), [](const Slot& a, const Slot& b) {
    const bool ha = a.info.first_ts.has_value(), hb = b.info.first_ts.has_value();
    if (ha != hb) return ha;  // inputs with a packet first
    return std::tie(a.info.first_ts, a.info.name) < std::tie(b.info.first_ts, b.info.name);
  });
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].has_head) heap_.emplace(slots_[i].last_ts, i);
    if (i) name_ += ", ";
    name_ += slots_[i].info.name;
  }
}

void MergedSource::Advance(std::size_t i) {
  Slot& s = slots_[i];
  s.has_head = false;
  if (s.ended) return;
  for (;;) {
    const NextResult r = s.source->Next(&s.head);
    if (r == NextResult::kTimeout) continue;  // files do not time out; a live source is not merged
    if (r == NextResult::kEnd) {
      s.ended = true;
      return;
    }
    if (r == NextResult::kError) {
      s.ended = true;
      s.info.state = MergedInput::State::kFailed;
      s.info.error = s.source->error().message();
      if (notice_) notice_(s.info.error);
      return;
    }
    break;
  }
  ++s.info.packets;
  s.has_head = true;
  // A timestamp the sensor refuses (core::InTimeRange) takes the last time of its own input, as
  // the pipeline does, so that it keeps its place in that input instead of sorting to an end.
  if (!core::InTimeRange(s.head.ts)) {
    if (!s.info.first_ts) s.info.first_ts = s.last_ts;  // 0: before any real packet
    return;
  }
  if (!s.info.first_ts) {
    s.info.first_ts = s.head.ts;
  } else if (s.head.ts < s.last_ts) {
    if (s.info.timestamps_backwards++ == 0 && notice_) {
      notice_(s.info.name + ": timestamps go back " + FormatSeconds(s.last_ts - s.head.ts) +
              " s at packet " + std::to_string(s.info.packets));
    }
  }
  s.last_ts = s.head.ts;
}

NextResult MergedSource::Next(core::PacketView* packet) {
  if (pending_) {
    const std::size_t i = *pending_;
    pending_.reset();
    Advance(i);
    if (slots_[i].has_head) heap_.emplace(slots_[i].last_ts, i);
  }
  if (heap_.empty()) return NextResult::kEnd;
  const std::size_t i = heap_.top().second;
  heap_.pop();
  *packet = slots_[i].head;
  pending_ = i;
  return NextResult::kPacket;
}

CaptureStats MergedSource::stats() const {
  CaptureStats total;
  for (const auto& s : slots_) {
    const CaptureStats st = s.source->stats();
    total.received += st.received;
    total.dropped += st.dropped;
    total.if_dropped += st.if_dropped;
  }
  return total;
}

void MergedSource::BreakLoop() {
  for (auto& s : slots_) s.source->BreakLoop();
}

std::vector<MergedInput> MergedSource::inputs() const {
  std::vector<MergedInput> out;
  out.reserve(slots_.size());
  for (const auto& s : slots_) {
    out.push_back(s.info);
    // Not read to its end (a stop): its head, if any, was read but never delivered.
    if (!s.ended && s.info.state == MergedInput::State::kOk) {
      out.back().state = MergedInput::State::kInterrupted;
      if (s.has_head && pending_ != static_cast<std::size_t>(&s - slots_.data())) {
        --out.back().packets;
      }
    }
  }
  return out;
}

bool MergedSource::any_failed() const {
  return std::any_of(slots_.begin(), slots_.end(),
                     [](const Slot& s) { return s.info.state == MergedInput::State::kFailed; });
}

}  // namespace parallax::capture
