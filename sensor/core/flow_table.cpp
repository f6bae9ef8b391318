#include "sensor/core/flow_table.h"

#include <algorithm>
#include <vector>

namespace parallax::core {

void FlowTableOptions::Sanitize() {
  max_flows = std::clamp<std::size_t>(max_flows, 16, 1u << 26);
  const TimeUs lo = Seconds(1), hi = Seconds(7 * 24 * 3600);
  tcp_idle_timeout = std::clamp(tcp_idle_timeout, lo, hi);
  udp_idle_timeout = std::clamp(udp_idle_timeout, lo, hi);
  udp_new_timeout = std::clamp(udp_new_timeout, lo, udp_idle_timeout);
  icmp_idle_timeout = std::clamp(icmp_idle_timeout, lo, hi);
  other_idle_timeout = std::clamp(other_idle_timeout, lo, hi);
  tcp_closed_timeout = std::clamp(tcp_closed_timeout, TimeUs{0}, hi);
  active_timeout = std::clamp(active_timeout, Seconds(10), hi);
  expiry_budget = std::clamp<std::size_t>(expiry_budget, 1, 1u << 20);
}

FlowTable::FlowTable(const FlowTableOptions& options, FlowObserver* observer,
                     AnomalyCounters* anomalies)
    : options_(options), observer_(observer), anomalies_(anomalies) {
  options_.Sanitize();
  flows_.reserve(std::min<std::size_t>(options_.max_flows, 1 << 16));
}

FlowTable::~FlowTable() = default;

FlowTable::TimeoutClass FlowTable::ClassOf(const Flow& f) const {
  switch (f.proto) {
    case kProtoTcp: return f.TcpClosed() ? kTcpClosed : kTcp;
    case kProtoUdp: return f.dir[1].packets > 0 ? kUdp : kUdpNew;
    case kProtoIcmp:
    case kProtoIcmpv6: return kIcmp;
    default: return kOther;
  }
}

TimeUs FlowTable::TimeoutOf(TimeoutClass c) const {
  switch (c) {
    case kTcp: return options_.tcp_idle_timeout;
    case kTcpClosed: return options_.tcp_closed_timeout;
    case kUdpNew: return options_.udp_new_timeout;
    case kUdp: return options_.udp_idle_timeout;
    case kIcmp: return options_.icmp_idle_timeout;
    default: return options_.other_idle_timeout;
  }
}

void FlowTable::Unlink(Flow* f) {
  List& l = lists_[f->timeout_class];
  if (f->lru_prev) f->lru_prev->lru_next = f->lru_next; else l.head = f->lru_next;
  if (f->lru_next) f->lru_next->lru_prev = f->lru_prev; else l.tail = f->lru_prev;
  f->lru_prev = f->lru_next = nullptr;
}

void FlowTable::PushFront(Flow* f, TimeoutClass c) {
  List& l = lists_[c];
  f->timeout_class = c;
  f->lru_prev = nullptr;
  f->lru_next = l.head;
  if (l.head) l.head->lru_prev = f; else l.tail = f;
  l.head = f;
}

void FlowTable::End(Flow* f, FlowEndReason reason) {
  Unlink(f);
  observer_->OnFlowEnd(*f, reason);
  ++stats_.ended;
  flows_.erase(f->key);  // f dangles from here on
}

void FlowTable::EvictOldest() {
  Flow* oldest = nullptr;
  for (const List& l : lists_) {
    if (l.tail && (!oldest || l.tail->last_ts < oldest->last_ts)) oldest = l.tail;
  }
  if (!oldest) return;
  ++stats_.evicted;
  anomalies_->Add(Anomaly::kFlowTableFull);
  End(oldest, FlowEndReason::kEvicted);
}

void FlowTable::Expire(TimeUs now) {
  std::size_t budget = options_.expiry_budget;
  for (int c = 0; c < kNumClasses && budget > 0; ++c) {
    const TimeUs timeout = TimeoutOf(static_cast<TimeoutClass>(c));
    List& l = lists_[c];
    while (budget > 0 && l.tail && now - l.tail->last_ts >= timeout) {
      Flow* f = l.tail;
      FlowEndReason reason = FlowEndReason::kIdleTimeout;
      if (c == kTcpClosed) reason = f->rst_seen ? FlowEndReason::kTcpRst : FlowEndReason::kTcpFin;
      End(f, reason);
      --budget;
    }
  }
}

Flow* FlowTable::Find(const FlowKey& key) {
  auto it = flows_.find(key);
  return it == flows_.end() ? nullptr : &it->second;
}

Flow* FlowTable::Process(const DecodedPacket& p, Direction* direction) {
  Expire(p.ts);
  bool from_lo = true;
  const FlowKey key = FlowKey::FromPacket(p, &from_lo);
  auto it = flows_.find(key);
  if (it != flows_.end() && p.proto == kProtoTcp &&
      (p.tcp_flags & (kTcpSyn | kTcpAck)) == kTcpSyn && it->second.TcpClosed()) {
    // A fresh SYN on a closed connection's 5-tuple is a new connection (port reuse).
    End(&it->second, FlowEndReason::kPortReuse);
    it = flows_.end();
  }
  Flow* f;
  if (it == flows_.end()) {
    if (flows_.size() >= options_.max_flows) EvictOldest();
    auto [ins, ok] = flows_.try_emplace(key);
    (void)ok;
    f = &ins->second;
    f->Start(key, from_lo, p);
    ++stats_.created;
    stats_.peak_flows = std::max(stats_.peak_flows, flows_.size());
  } else {
    f = &it->second;
    Unlink(f);
  }
  const Direction d = f->DirectionOf(from_lo);
  f->Update(p, d);
  PushFront(f, ClassOf(*f));
  if (p.ts - f->last_report_ts >= options_.active_timeout) {
    f->last_report_ts = p.ts;
    ++f->interim_count;
    ++stats_.interim_records;
    observer_->OnFlowInterim(*f);
  }
  *direction = d;
  return f;
}

void FlowTable::Account(Flow* f, const DecodedPacket& p, Direction d) {
  Unlink(f);
  f->Update(p, d);
  PushFront(f, ClassOf(*f));
}

void FlowTable::EndAll(FlowEndReason reason) {
  // Collect, then end in a stable order (oldest first) so output is deterministic.
  std::vector<Flow*> all;
  all.reserve(flows_.size());
  for (auto& [k, f] : flows_) all.push_back(&f);
  std::sort(all.begin(), all.end(), [](const Flow* a, const Flow* b) {
    return a->first_ts != b->first_ts ? a->first_ts < b->first_ts : a->id < b->id;
  });
  for (Flow* f : all) {
    FlowEndReason r = reason;
    if (f->proto == kProtoTcp && f->TcpClosed()) {
      r = f->rst_seen ? FlowEndReason::kTcpRst : FlowEndReason::kTcpFin;
    }
    End(f, r);
  }
}

}  // namespace parallax::core
