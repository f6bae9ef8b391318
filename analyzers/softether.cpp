// softether: SoftEther VPN by what its published protocol shows in the clear.
//   - Its HTTPS-mode handshake: the client POSTs to /vpnsvc/connect.cgi (uploading SoftEther's
//     "watermark", a GIF image) and then /vpnsvc/vpn.cgi. Normally inside TLS (ports 443, 992,
//     5555): seen only when TLS is not in the way.
//   - Its dynamic DNS and NAT traversal services, used by every SoftEther server and client that
//     enables them: HTTP POST /ddns/ddns.aspx to *.softether-network.net carrying a "PACK"
//     body, and UDP (port 5004) messages in SoftEther's PACK serialisation ("opcode", "tran_id",
//     "nat_traversal_version" elements) or the NAT-T server's "IP=a.b.c.d,PORT=n" reflection.
//   - TLS/DNS names of those services (softether-network.net, vpnazure.net relays).
// SoftEther's project website (softether.org) is deliberately not a marker: visiting it is not
// running the VPN.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "analyzers/payload_bytes.h"
#include "analyzers/flow_filters.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

constexpr std::array<std::string_view, 2> kVpnPaths = {"POST /vpnsvc/connect.cgi ",
                                                       "POST /vpnsvc/vpn.cgi "};
constexpr std::string_view kDdnsPath = "POST /ddns/ddns.aspx";
constexpr std::string_view kWatermark = "GIF89a";  // SoftEther's watermark is a GIF image
// Service domains of SoftEther's DDNS / NAT traversal and of its VPN Azure relay.
constexpr std::array<std::string_view, 2> kServiceDomains = {"softether-network.net",
                                                             "vpnazure.net"};
constexpr std::uint16_t kNatTraversalPort = 5004;  // SoftEther's UDP NAT-T servers
// PACK (SoftEther's serialisation, big-endian): element count, then per element a name length
// (string length + 1), the name, a value type (0 int, 1 data, 2 str, 3 unistr, 4 int64), a
// value count and the values.
constexpr std::uint32_t kMaxPackElements = 64;
constexpr std::uint32_t kMaxPackName = 64;
constexpr std::uint32_t kMaxPackType = 4;
constexpr std::uint32_t kMaxPackValues = 1024;
// Element names that SoftEther's NAT-T and DDNS exchanges put first (from its public source).
constexpr std::array<std::string_view, 5> kPackNames = {"opcode", "isret", "tran_id",
                                                       "nat_traversal_version", "error"};
// The identifying messages come first in a flow.
constexpr int kMaxInspected = 4;

bool IsPackName(std::string_view s) {
  for (char c : s)
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_'))
      return false;
  return !s.empty();
}

// A PACK whose first element is well formed; its name in *first.
bool PackAt(const payload::Bytes& b, std::size_t off, std::string* first) {
  const std::uint32_t count = b.Be32(off);
  const std::uint32_t name_len = b.Be32(off + 4);
  if (count == 0 || count > kMaxPackElements || name_len < 2 || name_len > kMaxPackName) return false;
  const std::string_view name = b.Text(off + 8, name_len - 1);
  if (name.size() != name_len - 1 || !IsPackName(name)) return false;
  const std::size_t after = off + 8 + name.size();
  if (!b.Has(after, 8) || b.Be32(after) > kMaxPackType || b.Be32(after + 4) == 0 ||
      b.Be32(after + 4) > kMaxPackValues) {
    return false;
  }
  *first = std::string(name);
  return true;
}

// "IP=198.51.100.7,PORT=51381": SoftEther's NAT-T server telling a client its public address.
bool IsNatTReflection(std::string_view t) {
  if (t.substr(0, 3) != "IP=") return false;
  const std::size_t port = t.find(",PORT=");
  if (port == std::string_view::npos || port < 10) return false;
  for (std::size_t i = 3; i < port; ++i)
    if (!(std::isxdigit(static_cast<unsigned char>(t[i])) || t[i] == '.' || t[i] == ':')) return false;
  return port + 6 < t.size() && std::isdigit(static_cast<unsigned char>(t[port + 6]));
}

std::string HeaderValue(std::string_view text, std::string_view name) {
  const std::size_t at = text.find(name);
  if (at == std::string_view::npos) return {};
  const std::size_t start = at + name.size();
  const std::size_t end = text.find("\r\n", start);
  std::string_view v = text.substr(start, end == std::string_view::npos ? std::string_view::npos
                                                                         : end - start);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  return std::string(v);
}

class SoftEther final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    if (p.payload_len == 0) return;
    const payload::Bytes b = payload::Of(p);
    if (flow.proto == core::kProtoTcp) {
      if (d == core::Direction::kToServer) Http(b);
    } else {
      Udp(flow, b, d);
    }
    if (++inspected_ >= kMaxInspected || confidence_ >= 0.9) decided_ = true;
  }

  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    const core::Classification& c = flow.classification;
    const std::string& name = !c.tls.sni.empty() ? c.tls.sni : c.hostname;
    if (confidence_ == 0) {
      for (std::string_view domain : kServiceDomains) {
        if (!name.empty() && payload::HostIsUnder(name, domain)) {
          Found(0.7, "name", name + " (SoftEther DDNS / NAT traversal / VPN Azure service)");
          break;
        }
      }
    }
    if (confidence_ == 0) return;
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "SoftEther";
    fp.confidence = confidence_;
    fp.decided_by = "parallax";
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
    for (auto& e : evidence_) fp.evidence.push_back(e);
    out.push_back(std::move(fp));
  }

 private:
  void Found(double conf, std::string key, std::string value) {
    confidence_ = std::max(confidence_, conf);
    for (const Evidence& e : evidence_)
      if (e.key == key) return;  // repeated messages (NAT-T polls) add nothing new
    evidence_.push_back({std::move(key), std::move(value)});
  }

  void Http(const payload::Bytes& b) {
    const std::string_view text = b.Text(0, 2048);
    for (std::string_view path : kVpnPaths) {
      if (text.substr(0, path.size()) != path) continue;
      Found(0.95, "http", std::string(path.substr(5)) + "(SoftEther HTTPS-mode handshake, "
                                                         "outside TLS)");
      const std::size_t body = text.find("\r\n\r\n");
      if (body != std::string_view::npos && text.substr(body + 4, kWatermark.size()) == kWatermark)
        Found(0.95, "watermark", "request body is SoftEther's GIF watermark");
      return;
    }
    if (text.substr(0, kDdnsPath.size()) == kDdnsPath) {
      const std::string host = HeaderValue(text, "\r\nHost:");
      const std::size_t body = text.find("\r\n\r\n");
      const bool pack_body = body != std::string_view::npos && text.substr(body + 4, 4) == "PACK";
      bool service_host = false;
      for (std::string_view domain : kServiceDomains)
        service_host = service_host || payload::HostIsUnder(host, domain);
      if (service_host || pack_body) {
        Found(0.85, "http", "POST /ddns/ddns.aspx" + (host.empty() ? "" : " to " + host) +
                                (pack_body ? " with a PACK body" : "") +
                                " (SoftEther dynamic DNS registration)");
      }
    }
  }

  void Udp(const core::Flow& flow, const payload::Bytes& b, core::Direction d) {
    std::string first;
    if (PackAt(b, 0, &first)) {
      for (std::string_view known : kPackNames) {
        if (first == known) {
          Found(0.85, "pack", "SoftEther PACK message, first element \"" + first + "\"");
          return;
        }
      }
    }
    const bool from_natt_server =
        (d == core::Direction::kToClient && flow.resp_port == kNatTraversalPort) ||
        (d == core::Direction::kToServer && flow.orig_port == kNatTraversalPort);
    if (from_natt_server && IsNatTReflection(b.Text(0, 64))) {
      Found(0.7, "nat_traversal",
            "\"" + std::string(b.Text(0, 64)) + "\" from UDP 5004 (SoftEther NAT-T server)");
    }
  }

  std::vector<Evidence> evidence_;
  double confidence_ = 0;
  int inspected_ = 0;
  bool decided_ = false;
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::SoftEther;
PARALLAX_REGISTER_ANALYZER(SoftEther, "softether",
                           "SoftEther VPN: /vpnsvc/ handshake outside TLS, DDNS and NAT-T "
                           "(PACK) services",
                           parallax::analyzers::WantsTcpOrUdp)
