// ip_kvm: IP-KVM devices (PiKVM, TinyPilot and relatives) by what they reveal on the wire. An
// IP-KVM drives a laptop through its HDMI and USB ports and leaves no software on it: the
// laptop-farm cases (BACKGROUND.md) name PiKVM and TinyPilot. What the sensor can see:
//
//  - Names: DNS/mDNS queries and answers, TLS SNI and HTTP Host naming the device by its default
//    host name: "pikvm" (PiKVM OS image; pikvm/kvmd ships kvmd-avahi to announce it over mDNS as
//    pikvm.local) and "tinypilot" (TinyPilot's documented default, http://tinypilot/). A name can
//    be changed and anyone can call a host "pikvm": a hint (0.5).
//  - The certificate: PiKVM's nginx ships a self-signed certificate made by kvmd-gencert with
//    subject "/C=RU/ST=Moscow/L=Moscow/O=PiKVM/OU=PiKVM/CN=localhost" (pikvm/kvmd,
//    scripts/kvmd-gencert). nDPI exposes it as classification.tls.subject_dn/issuer_dn.
//  - Clear HTTP: a page <title> or Server header naming the product; the video of uStreamer
//    (pikvm/ustreamer, used by PiKVM and TinyPilot): its MJPEG response carries
//    "Set-Cookie: stream_client=..." and "Content-Type: multipart/x-mixed-replace;boundary=
//    boundarydonotcross", and its frames/snapshots "X-UStreamer-*" headers (ustreamer's HTTP
//    server source). PiKVM's nginx proxies Janus WebRTC (H.264) at /janus/ws (kvmd nginx config).
//    Generic MJPEG (IP cameras use it too) and /janus/ws (any Janus deployment) only corroborate.
//
// Not covered, because their wire behaviour could not be checked against public documentation
// here: JetKVM/BliKVM default host names, Raritan/ATEN KVM-over-IP banners (Raritan and ATEN
// certificates also sit on their PDUs and serial consoles, so a vendor name alone would mislead).
// Their product names in a page title, Server header or certificate subject are still matched.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>

#include "analyzers/flow_filters.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

struct Product {
  std::string_view token;    // lower-case, as it appears in names, titles and certificates
  std::string_view name;     // fingerprint product
  bool default_hostname;     // the token is the product's documented default host name
};
constexpr std::array kProducts = {
    Product{"pikvm", "PiKVM", true},
    Product{"tinypilot", "TinyPilot", true},
    Product{"jetkvm", "JetKVM", false},
    Product{"blikvm", "BliKVM", false},
};
// uStreamer alone cannot tell PiKVM from TinyPilot (both use it) or from a standalone install.
constexpr Product kUstreamerFamily{"ustreamer", "PiKVM/TinyPilot (uStreamer)", false};

// Payload inspection: the HTTP response headers and page head arrive in the first payload packets
// of each direction; names in DNS/mDNS in the first ones too.
constexpr int kSniffPayloadPackets = 8;
constexpr std::uint32_t kSniffBytes = 2048;  // headers and <title> sit in the first 2 kB
// Stop following a flow after this many packets even if it never carried payload.
constexpr std::uint64_t kMaxPacketsFollowed = 32;
constexpr std::size_t kMaxTitle = 120;  // keep evidence short
constexpr std::uint16_t kDnsPort = 53;
constexpr std::uint16_t kMdnsPort = 5353;

// Confidences, by how specific the signal is.
constexpr double kCertificateConfidence = 0.85;  // PiKVM's own self-signed certificate
constexpr double kBannerConfidence = 0.8;        // the product names itself in title/Server
constexpr double kUstreamerConfidence = 0.6;     // PiKVM/TinyPilot's streamer, also standalone
constexpr double kHostnameConfidence = 0.5;      // a default name: renamable, imitable
constexpr double kCorroborationBonus = 0.1;      // per further independent signal
constexpr double kMaxConfidence = 0.9;

char LowerChar(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

// Case-insensitive find of a lower-case needle.
std::size_t FindNoCase(std::string_view hay, std::string_view needle, std::size_t from = 0) {
  if (needle.empty() || hay.size() < needle.size()) return std::string_view::npos;
  for (std::size_t i = from; i + needle.size() <= hay.size(); ++i) {
    std::size_t j = 0;
    while (j < needle.size() && LowerChar(hay[i + j]) == needle[j]) ++j;
    if (j == needle.size()) return i;
  }
  return std::string_view::npos;
}

// A host-name label names the product when it starts with the token followed by nothing, a
// digit or a dash ("pikvm", "pikvm2", "pikvm-lab"), not when the token is part of a word.
bool LabelNames(std::string_view label, std::string_view token) {
  if (label.size() < token.size()) return false;
  for (std::size_t i = 0; i < token.size(); ++i) {
    if (LowerChar(label[i]) != token[i]) return false;
  }
  if (label.size() == token.size()) return true;
  const char next = label[token.size()];
  return next == '-' || (next >= '0' && next <= '9');
}

const Product* ProductInHostname(std::string_view host) {
  const std::string_view first = host.substr(0, host.find('.'));
  for (const auto& p : kProducts) {
    if (p.default_hostname && LabelNames(first, p.token)) return &p;
  }
  return nullptr;
}

const Product* ProductInText(std::string_view text) {
  for (const auto& p : kProducts) {
    if (FindNoCase(text, p.token) != std::string_view::npos) return &p;
  }
  return nullptr;
}

// An HTTP request or response starts with a method or the version.
bool LooksLikeHttp(std::string_view pl) {
  for (std::string_view m : {"HTTP/1.", "GET ", "POST ", "HEAD ", "PUT ", "OPTIONS "}) {
    if (pl.substr(0, m.size()) == m) return true;
  }
  return false;
}

struct Signal {
  const Product* product = nullptr;  // null: corroborating only (MJPEG, Janus path)
  double confidence = 0;
  std::string key, value;
};

class IpKvm final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p, core::Direction) override {
    ++packets_;
    if (p.payload_len > 0 && p.payload != nullptr && sniffed_ < kSniffPayloadPackets) {
      ++sniffed_;
      const std::string_view pl(reinterpret_cast<const char*>(p.payload),
                                std::min(p.payload_len, kSniffBytes));
      if (flow.proto == core::kProtoUdp && IsDnsPort(flow)) {
        SniffDnsNames(pl);
      } else if (flow.proto == core::kProtoTcp && LooksLikeHttp(pl)) {
        // Only clear-text HTTP carries banners and titles; scanning every TLS record
        // case-insensitively was most of the analyzers' per-packet cost (callgrind).
        SniffHttp(pl);
      }
    }
    if (sniffed_ >= kSniffPayloadPackets || packets_ >= kMaxPacketsFollowed) decided_ = true;
  }
  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    const core::Classification& c = flow.classification;
    // Certificate subject/issuer (PiKVM's default self-signed one names O=PiKVM).
    for (const std::string* dn : {&c.tls.subject_dn, &c.tls.issuer_dn}) {
      if (dn->empty()) continue;
      if (const Product* p = ProductInText(*dn)) {
        Add({p, kCertificateConfidence, "certificate", *dn});
        break;
      }
    }
    // Names nDPI extracted: DNS query, TLS SNI, HTTP Host.
    for (const std::string* name : {&c.tls.sni, &c.hostname}) {
      if (name->empty()) continue;
      if (const Product* p = ProductInHostname(*name)) {
        Add({p, kHostnameConfidence, "hostname", *name + " (the product's default host name)"});
        break;
      }
    }
    const Signal* best = nullptr;
    for (const Signal& s : signals_) {
      if (!s.product) continue;
      if (!best || s.confidence > best->confidence) best = &s;
    }
    if (!best) return;  // MJPEG or a Janus path alone: cameras and web apps use them too
    const int corroborating = static_cast<int>(signals_.size()) - 1;

    Fingerprint fp;
    fp.kind = Kind::kIpKvm;
    fp.product = std::string(best->product->name);
    fp.decided_by = "parallax";
    fp.confidence = std::min(kMaxConfidence, best->confidence + kCorroborationBonus * corroborating);
    const bool dns = IsDnsPort(flow);
    if (dns) {
      fp.Add("seen_in", "DNS/mDNS: an IP-KVM is named on this network");
    } else {
      fp.Add("device", Endpoint(flow.resp_addr, flow.resp_port));
      fp.Add("viewer", flow.orig_addr.ToString());
    }
    for (const Signal& s : signals_) fp.Add(s.key, s.value);
    out.push_back(std::move(fp));
  }

 private:
  static bool IsDnsPort(const core::Flow& flow) {
    for (std::uint16_t port : {flow.orig_port, flow.resp_port}) {
      if (port == kDnsPort || port == kMdnsPort) return true;
    }
    return false;
  }

  void Add(Signal s) {
    for (const Signal& have : signals_) {
      if (have.key == s.key) return;  // one signal per kind
    }
    signals_.push_back(std::move(s));
  }

  // DNS labels are length-prefixed: look for a label naming a product anywhere in the message
  // (questions and answers, mDNS PTR/SRV records included). Bounded by the payload view.
  void SniffDnsNames(std::string_view pl) {
    for (std::size_t i = 0; i < pl.size(); ++i) {
      const std::size_t len = static_cast<unsigned char>(pl[i]);
      if (len == 0 || len > 63 || i + 1 + len > pl.size()) continue;
      const std::string_view label = pl.substr(i + 1, len);
      for (const auto& p : kProducts) {
        if (p.default_hostname && LabelNames(label, p.token)) {
          Add({&p, kHostnameConfidence, "dns_name",
               std::string(label) + " (DNS/mDNS label; the product's default host name)"});
          return;
        }
      }
    }
  }

  void SniffHttp(std::string_view pl) {
    // Lower-case the sniffed bytes once; the searches are then plain (memmem-fast) finds. One
    // buffer per thread: per-flow it would keep 2 kB alive for every flow's lifetime.
    static thread_local std::string lowered;
    lowered.assign(pl.begin(), pl.end());
    for (char& ch : lowered) ch = LowerChar(ch);
    const std::string_view lc(lowered);
    if (lc.find("x-ustreamer-") != std::string_view::npos ||
        lc.find("set-cookie: stream_client=") != std::string_view::npos) {
      Add({&kUstreamerFamily, kUstreamerConfidence, "streamer",
           "uStreamer HTTP headers (PiKVM/TinyPilot video streamer)"});
    }
    if (lc.find("multipart/x-mixed-replace") != std::string_view::npos) {
      Add({nullptr, 0, "video", "MJPEG over HTTP (multipart/x-mixed-replace)"});
    }
    if (lc.find("get /janus/ws") != std::string_view::npos) {
      Add({nullptr, 0, "webrtc_signalling", "Janus WebRTC at /janus/ws (PiKVM's H.264 path)"});
    }
    const std::size_t t = lc.find("<title>");
    if (t != std::string_view::npos) {
      const std::size_t start = t + 7;
      std::size_t end = lc.find("</title>", start);
      if (end == std::string_view::npos) end = pl.size();
      const std::string_view title = pl.substr(start, std::min(end - start, kMaxTitle));
      if (const Product* p = ProductInText(title)) {
        Add({p, kBannerConfidence, "page_title", std::string(title)});
      }
    }
    const std::size_t s = lc.find("\r\nserver:");
    if (s != std::string_view::npos) {
      const std::size_t start = s + 9;
      std::size_t end = pl.find('\r', start);
      if (end == std::string_view::npos) end = pl.size();
      const std::string_view server = pl.substr(start, std::min(end - start, kMaxTitle));
      if (const Product* p = ProductInText(server)) {
        Add({p, kBannerConfidence, "http_server", std::string(server)});
      }
    }
  }

  std::vector<Signal> signals_;
  std::uint64_t packets_ = 0;
  int sniffed_ = 0;
  bool decided_ = false;
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::IpKvm;
PARALLAX_REGISTER_ANALYZER(IpKvm, "ip_kvm",
                           "IP-KVMs (PiKVM, TinyPilot...) by host names, certificate, HTTP banners "
                           "and their uStreamer/Janus video",
                           parallax::analyzers::WantsTcpOrUdp)
