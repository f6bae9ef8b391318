#include "sensor/capture/live_check.h"

#include <net/if.h>
#include <pcap.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace parallax::capture {
namespace {

// Linux ARPHRD_* of an interface, -1 when unknown.
long HardwareType(const std::string& interface) {
  std::ifstream f("/sys/class/net/" + interface + "/type");
  long type = -1;
  if (!(f >> type)) return -1;
  return type;
}

}  // namespace

core::Status CheckInterface(const std::string& interface) {
  if (interface == "any") return core::Status::Ok();
  if (if_nametoindex(interface.c_str()) == 0) {
    return core::Status::Error(interface + ": cannot start capture: no such interface (see `ip "
                                           "link`)");
  }
  std::ifstream f("/sys/class/net/" + interface + "/flags");
  unsigned long flags = 0;
  if (f >> std::hex >> flags && !(flags & IFF_UP)) {
    return core::Status::Error(interface + ": cannot start capture: interface is down");
  }
  return core::Status::Ok();
}

core::Status CheckFilter(const std::string& bpf, const std::string& interface, int snaplen) {
  if (bpf.empty()) return core::Status::Ok();
  int dlt = DLT_EN10MB;  // Ethernet, and Linux loopback, which libpcap gives Ethernet headers
  if (interface == "any") {
    dlt = DLT_LINUX_SLL;
  } else {
    const long type = HardwareType(interface);
    if (type == 65534) dlt = DLT_RAW;  // ARPHRD_NONE: tun devices, WireGuard
  }
  pcap_t* p = pcap_open_dead(dlt, snaplen);
  if (!p) return core::Status::Error(interface + ": cannot check the BPF filter (libpcap)");
  bpf_program prog{};
  core::Status s;
  if (pcap_compile(p, &prog, bpf.c_str(), 1, PCAP_NETMASK_UNKNOWN) != 0) {
    s = core::Status::Error(interface + ": invalid BPF filter '" + bpf + "': " + pcap_geterr(p));
  } else {
    pcap_freecode(&prog);
  }
  pcap_close(p);
  return s;
}

}  // namespace parallax::capture
