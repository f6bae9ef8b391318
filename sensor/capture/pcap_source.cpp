#include "sensor/capture/pcap_source.h"

#include <pcap/pcap.h>
#include <poll.h>

#include <atomic>

#include <cstdio>

namespace parallax::capture {
namespace {

core::LinkType MapDatalink(int dlt) {
  switch (dlt) {
    case DLT_EN10MB: return core::LinkType::kEthernet;
    case DLT_LINUX_SLL: return core::LinkType::kLinuxSll;
#ifdef DLT_LINUX_SLL2
    case DLT_LINUX_SLL2: return core::LinkType::kLinuxSll2;
#endif
    case DLT_RAW: return core::LinkType::kRaw;
#ifdef DLT_IPV4
    case DLT_IPV4: return core::LinkType::kIpv4;
#endif
#ifdef DLT_IPV6
    case DLT_IPV6: return core::LinkType::kIpv6;
#endif
    case DLT_NULL: return core::LinkType::kNull;
#ifdef DLT_LOOP
    case DLT_LOOP: return core::LinkType::kLoop;
#endif
#ifdef DLT_NFLOG
    case DLT_NFLOG: return core::LinkType::kNflog;
#endif
    default: break;
  }
  // LINKTYPE_RAW (101) may reach us un-mapped from some files.
  if (dlt == 101) return core::LinkType::kRaw;
  return core::LinkType::kUnsupported;
}

struct PcapCloser {
  void operator()(pcap_t* p) const { pcap_close(p); }
};
using PcapHandle = std::unique_ptr<pcap_t, PcapCloser>;

class PcapSource final : public PacketSource {
 public:
  PcapSource(PcapHandle handle, std::string name, bool live)
      : handle_(std::move(handle)), name_(std::move(name)), live_(live) {
    const int dlt = pcap_datalink(handle_.get());
    link_ = MapDatalink(dlt);
  }

  NextResult Next(core::PacketView* packet) override {
    pcap_pkthdr* hdr = nullptr;
    const u_char* data = nullptr;
    // Where the record starts, so a corrupt one can be located with a hex editor.
    long offset = -1;
    if (!live_) {
      if (FILE* f = pcap_file(handle_.get())) offset = std::ftell(f);
    }
    int rc = pcap_next_ex(handle_.get(), &hdr, &data);
    if (rc == 0 && live_) {
      // Non-blocking live handle: wait here, with our own timeout. libpcap's TPACKET_V3 read
      // polls without one in block mode (relying on the kernel's block timer, which only runs
      // once a packet arrived), so a quiet link would never return control to the loop.
      if (break_.load(std::memory_order_relaxed)) return NextResult::kEnd;
      pollfd pfd{pcap_get_selectable_fd(handle_.get()), POLLIN, 0};
      if (pfd.fd >= 0 && poll(&pfd, 1, poll_timeout_ms_) > 0) {
        rc = pcap_next_ex(handle_.get(), &hdr, &data);
      }
      if (break_.load(std::memory_order_relaxed)) return NextResult::kEnd;
    }
    if (rc == 1) {
      ++index_;
      packet->ts = core::EpochTime(hdr->ts.tv_sec, hdr->ts.tv_usec);
      packet->data = data;
      packet->caplen = hdr->caplen;
      packet->wirelen = hdr->len;
      packet->link = link_;
      return NextResult::kPacket;
    }
    if (rc == 0) return NextResult::kTimeout;
    if (rc == PCAP_ERROR_BREAK) return NextResult::kEnd;
    std::string msg = name_ + ": ";
    if (live_) {
      msg += "capture failed after packet " + std::to_string(index_);
    } else {
      msg += "corrupt capture at packet " + std::to_string(index_ + 1);
      if (offset >= 0) msg += " (byte offset " + std::to_string(offset) + ")";
      msg += "; " + std::to_string(index_) + " packets before it were read";
    }
    msg += ": ";
    msg += pcap_geterr(handle_.get());
    error_ = core::Status::Error(msg);
    return NextResult::kError;
  }

  core::Status error() const override { return error_; }

  CaptureStats stats() const override {
    CaptureStats s;
    s.live = live_;
    s.received = index_;
    if (live_) {
      pcap_stat ps{};
      if (pcap_stats(handle_.get(), &ps) == 0) {
        s.received = ps.ps_recv;
        s.dropped = ps.ps_drop;
        s.if_dropped = ps.ps_ifdrop;
      }
    }
    return s;
  }

  void BreakLoop() override {
    break_.store(true, std::memory_order_relaxed);
    pcap_breakloop(handle_.get());
  }
  void set_poll_timeout_ms(int ms) { poll_timeout_ms_ = ms; }
  const std::string& name() const override { return name_; }
  bool link_supported() const { return link_ != core::LinkType::kUnsupported; }
  pcap_t* handle() { return handle_.get(); }

 private:
  PcapHandle handle_;
  std::string name_;
  bool live_;
  core::LinkType link_ = core::LinkType::kUnsupported;
  std::uint64_t index_ = 0;
  core::Status error_;
  std::atomic<bool> break_{false};
  int poll_timeout_ms_ = 250;
};

core::Status ApplyFilter(pcap_t* p, const std::string& bpf, const std::string& name,
                         bpf_u_int32 netmask) {
  if (bpf.empty()) return core::Status::Ok();
  bpf_program prog{};
  if (pcap_compile(p, &prog, bpf.c_str(), 1, netmask) != 0) {
    return core::Status::Error(name + ": invalid BPF filter '" + bpf + "': " + pcap_geterr(p));
  }
  const int rc = pcap_setfilter(p, &prog);
  pcap_freecode(&prog);
  if (rc != 0) {
    return core::Status::Error(name + ": cannot set BPF filter: " + pcap_geterr(p));
  }
  return core::Status::Ok();
}

}  // namespace

std::unique_ptr<PacketSource> OpenCaptureFile(const std::string& path, const std::string& bpf,
                                              core::Status* status) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* raw = pcap_open_offline_with_tstamp_precision(path.c_str(), PCAP_TSTAMP_PRECISION_MICRO,
                                                        errbuf);
  if (!raw) {
    *status = core::Status::Error(path + ": cannot open capture: " + errbuf);
    return nullptr;
  }
  PcapHandle h(raw);
  if (auto s = ApplyFilter(h.get(), bpf, path, PCAP_NETMASK_UNKNOWN); !s.ok()) {
    *status = s;
    return nullptr;
  }
  auto src = std::make_unique<PcapSource>(std::move(h), path, false);
  if (!src->link_supported()) {
    const int dlt = pcap_datalink(src->handle());
    const char* n = pcap_datalink_val_to_name(dlt);
    *status = core::Status::Error(path + ": unsupported link type " + std::to_string(dlt) + " (" +
                                  (n ? n : "unknown") + ")");
    return nullptr;
  }
  *status = core::Status::Ok();
  return src;
}

std::unique_ptr<PacketSource> OpenLive(const LiveOptions& o, const std::string& bpf,
                                       core::Status* status) {
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  const std::string& name = o.interface;
  pcap_t* raw = pcap_create(name.c_str(), errbuf);
  if (!raw) {
    *status = core::Status::Error(name + ": cannot open interface: " + errbuf);
    return nullptr;
  }
  PcapHandle h(raw);
  pcap_set_snaplen(h.get(), o.snaplen);
  pcap_set_promisc(h.get(), o.promiscuous ? 1 : 0);
  pcap_set_timeout(h.get(), o.timeout_ms);
  pcap_set_immediate_mode(h.get(), o.immediate ? 1 : 0);
  pcap_set_buffer_size(h.get(), o.buffer_mb * 1024 * 1024);
  const int rc = pcap_activate(h.get());
  if (rc < 0) {
    std::string why;
    switch (rc) {
      case PCAP_ERROR_NO_SUCH_DEVICE:
        why = "no such interface (see `ip link`)";
        break;
      case PCAP_ERROR_PERM_DENIED:
        why = "permission denied: run as root or grant CAP_NET_RAW,CAP_NET_ADMIN "
              "(setcap cap_net_raw,cap_net_admin=eip build/parallax)";
        break;
      case PCAP_ERROR_PROMISC_PERM_DENIED:
        why = "no permission for promiscuous mode (try --no-promisc)";
        break;
      case PCAP_ERROR_IFACE_NOT_UP:
        why = "interface is down";
        break;
      default:
        why = pcap_geterr(h.get());
    }
    *status = core::Status::Error(name + ": cannot start capture: " + why);
    return nullptr;
  }
  bpf_u_int32 net = 0, mask = PCAP_NETMASK_UNKNOWN;
  if (pcap_lookupnet(name.c_str(), &net, &mask, errbuf) != 0) mask = PCAP_NETMASK_UNKNOWN;
  if (auto s = ApplyFilter(h.get(), bpf, name, mask); !s.ok()) {
    *status = s;
    return nullptr;
  }
  if (pcap_setnonblock(h.get(), 1, errbuf) != 0) {
    *status = core::Status::Error(name + ": cannot set non-blocking mode: " + errbuf);
    return nullptr;
  }
  auto src = std::make_unique<PcapSource>(std::move(h), name, true);
  if (!src->link_supported()) {
    *status = core::Status::Error(name + ": unsupported link type " +
                                  std::to_string(pcap_datalink(src->handle())));
    return nullptr;
  }
  src->set_poll_timeout_ms(o.timeout_ms > 0 ? o.timeout_ms : 250);
  // rc > 0 is a warning (e.g. promiscuous mode unsupported): the capture still works.
  *status = core::Status::Ok();
  return src;
}

}  // namespace parallax::capture
