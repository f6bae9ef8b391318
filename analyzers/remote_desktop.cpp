// remote_desktop: remote-desktop and remote-control sessions, and who controls whom.
//
// Products: what nDPI names (RDP, VNC, TeamViewer, AnyDesk, Citrix, SSH, Telnet, XDMCP, and the
// RemoteAccess category), plus our own signatures for what nDPI 4.2 does not know: NoMachine
// ("NXSH-" banner), Radmin (its 4899 handshake), AnyDesk over TLS (ALPN "anydesk/", AnyNet
// certificates), Chrome Remote Desktop, RustDesk, Splashtop, Parsec and ScreenConnect by their
// documented SNI names and ports. Zoom counts only as a very long session (screen shares held
// for a working day were seen in the laptop-farm cases).
//
// Role: the controlled machine sends the screen (many large packets), the controller sends input
// (small packets in human-timed bursts). The direction with more payload is the screen; when the
// two are too close to call, protocol semantics decide (an RDP/VNC/SSH server is the controlled
// end). Relayed: the far end is the vendor's relay (its certificate or host name says so, or
// it sits in a hosting network while the product relays by design).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>

#include "analyzers/flow_filters.h"
#include "analyzers/ndpi_confidence.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

// Screen/input thresholds, in payload bytes: a screen update fills most of a segment; keystrokes
// and mouse events are tens of bytes, and encrypted framing keeps them under ~200.
constexpr std::uint32_t kLargePacket = 500;
constexpr std::uint32_t kSmallPacket = 200;
// Payload ratio needed to call the heavier side "the screen"; below it the protocol decides.
constexpr double kRoleRatio = 1.5;
// A new input burst starts after this much silence from the controller (typing cadence ~100 ms).
constexpr core::TimeUs kBurstGapUs = 300'000;
// Zoom is ordinary unless a session lasts this long (the 8-hour screen shares of the cases).
constexpr double kZoomLongSessionS = 2 * 3600;
// Below this much payload a flow is signalling (rendezvous, keepalives): too little to tell roles.
constexpr std::uint64_t kMinRoleBytes = 20'000;

struct DirStats {
  std::uint64_t payload_packets = 0;
  std::uint64_t payload_bytes = 0;
  std::uint64_t large = 0;
  std::uint64_t small = 0;
  std::uint64_t bursts = 0;
  core::TimeUs last_payload_ts = -1;
  // Gaps between bursts, log2-bucketed in milliseconds (bucket i: [2^i, 2^(i+1)) ms).
  std::array<std::uint32_t, 24> gap_hist{};

  void Add(const core::DecodedPacket& p) {
    if (p.payload_wire_len == 0) return;
    ++payload_packets;
    payload_bytes += p.payload_wire_len;
    if (p.payload_wire_len >= kLargePacket) ++large;
    if (p.payload_wire_len <= kSmallPacket) ++small;
    if (last_payload_ts < 0 || p.ts - last_payload_ts >= kBurstGapUs) {
      ++bursts;
      if (last_payload_ts >= 0) {
        const double ms = static_cast<double>(p.ts - last_payload_ts) / 1000.0;
        const int b = std::clamp(static_cast<int>(std::log2(std::max(ms, 1.0))), 0, 23);
        ++gap_hist[b];
      }
    }
    last_payload_ts = p.ts;
  }
  double MedianGapMs() const {
    std::uint64_t total = 0;
    for (auto c : gap_hist) total += c;
    if (total == 0) return 0;
    std::uint64_t seen = 0;
    for (int i = 0; i < 24; ++i) {
      seen += gap_hist[i];
      if (seen * 2 >= total) return std::ldexp(1.5, i);  // bucket middle
    }
    return 0;
  }
};

struct Product {
  std::string name;
  double confidence = 0;
  std::string decided_by;  // "ndpi" or "parallax"
  std::string basis;
  bool server_is_controlled = true;  // protocol semantics when traffic cannot tell
  bool relays_by_design = false;     // vendor relays are normal (AnyDesk, TeamViewer...)
};

bool Contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}
bool PortIn(std::uint16_t p, std::uint16_t lo, std::uint16_t hi) { return p >= lo && p <= hi; }

class RemoteDesktop final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    if (p.payload_len > 0 && sniffed_ < kSniffPackets) Sniff(flow, p);
    stats_[static_cast<int>(d)].Add(p);
    // Once nDPI has decided and neither it nor our signatures see remote control, stop.
    if (flow.classification.done && !Candidate(flow)) decided_ = true;
  }
  bool Decided() const override { return decided_; }
  bool Disposable() const override { return decided_; }  // decided only when not remote control

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                 std::vector<Fingerprint>& out) override {
    Product prod;
    if (!Identify(flow, &prod)) return;
    const double duration = static_cast<double>(flow.last_ts - flow.first_ts) / 1e6;
    if (prod.name == "Zoom" && duration < kZoomLongSessionS) return;

    Fingerprint fp;
    fp.kind = Kind::kRemoteDesktop;
    fp.product = prod.name;
    fp.confidence = prod.confidence;
    fp.decided_by = prod.decided_by;
    fp.Add("identified_by", prod.basis);
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));

    RemoteControl rc;
    const DirStats& up = stats_[0];    // originator → responder
    const DirStats& down = stats_[1];  // responder → originator
    const double ub = static_cast<double>(up.payload_bytes);
    const double db = static_cast<double>(down.payload_bytes);
    bool orig_controlled;
    rc.role_known = true;
    char basis[200];
    if (up.payload_bytes + down.payload_bytes < kMinRoleBytes) {
      orig_controlled = !prod.server_is_controlled;
      rc.role_known = false;
      std::snprintf(basis, sizeof basis,
                    "signalling only (%.0f + %.0f payload bytes): too little to tell roles", ub,
                    db);
    } else if (db >= kRoleRatio * std::max(ub, 1.0) && down.payload_bytes > 0) {
      orig_controlled = false;
      std::snprintf(basis, sizeof basis, "responder sends the screen: %.0f vs %.0f payload bytes",
                    db, ub);
    } else if (ub >= kRoleRatio * std::max(db, 1.0) && up.payload_bytes > 0) {
      orig_controlled = true;
      std::snprintf(basis, sizeof basis, "originator sends the screen: %.0f vs %.0f payload bytes",
                    ub, db);
    } else {
      orig_controlled = !prod.server_is_controlled;
      rc.role_known = false;
      std::snprintf(basis, sizeof basis,
                    "traffic balanced (%.0f vs %.0f payload bytes): protocol role, the %s is "
                    "controlled",
                    ub, db, prod.server_is_controlled ? "server" : "client");
    }
    rc.role_basis = basis;
    rc.controlled = orig_controlled ? flow.orig_addr : flow.resp_addr;
    rc.controller = orig_controlled ? flow.resp_addr : flow.orig_addr;
    const DirStats& screen = orig_controlled ? up : down;
    const DirStats& input = orig_controlled ? down : up;
    rc.screen_bytes = screen.payload_bytes;
    rc.input_bytes = input.payload_bytes;
    rc.duration_s = duration;
    rc.input_events_per_min =
        duration > 0 ? static_cast<double>(input.payload_packets) * 60.0 / duration : 0;
    rc.median_input_gap_ms = input.MedianGapMs();

    // Relay: the vendor's relay terminates the session; the real peer is behind it.
    const core::Classification& c = flow.classification;
    std::string relay;
    if (Contains(c.tls.subject_dn, "Relay") || Contains(c.hostname, "relay")) {
      relay = !c.tls.subject_dn.empty() ? c.tls.subject_dn : c.hostname;
    }
    if (prod.name == "RustDesk" && flow.resp_port == 21117) relay = "RustDesk relay (hbbr, 21117)";
    NetworkInfo far;
    if (ctx.intel) far = ctx.intel->Lookup(flow.resp_addr);
    if (relay.empty() && prod.relays_by_design && far.known && far.IsHosting()) {
      relay = "hosting network AS" + std::to_string(far.asn) + " " + far.organisation;
    }
    rc.relayed = !relay.empty();
    rc.relay = relay;
    if (far.known) {
      fp.Add("server_network", far.type + (far.provider.empty() ? "" : " " + far.provider) +
                                   (far.asn ? " AS" + std::to_string(far.asn) : ""));
    }
    fp.remote = rc;
    out.push_back(fp);

    // Colocated desktop: the machine being driven sits in a datacenter (rented remote desktop),
    // unless that datacenter machine is the vendor's relay.
    if (ctx.intel && !rc.relayed) {
      const NetworkInfo controlled = ctx.intel->Lookup(rc.controlled);
      if (controlled.known && controlled.IsHosting()) {
        Fingerprint co;
        co.kind = Kind::kColocatedDesktop;
        co.product = prod.name;
        co.confidence = std::min(0.9, prod.confidence);
        co.decided_by = "parallax";
        co.Add("controlled_host", rc.controlled.ToString());
        co.Add("controlled_network", "hosting AS" + std::to_string(controlled.asn) + " " +
                                         controlled.organisation + " (" +
                                         controlled.decided_by + ")");
        co.Add("session", prod.name + " " + rc.role_basis);
        co.remote = rc;
        out.push_back(co);
      }
    }
  }

 private:
  // Payload signatures of the first packets, for products nDPI 4.2 does not know.
  static constexpr int kSniffPackets = 4;  // banners come in the first payload packets
  void Sniff(const core::Flow& flow, const core::DecodedPacket& p) {
    ++sniffed_;
    const std::string_view pl(reinterpret_cast<const char*>(p.payload),
                              std::min<std::uint32_t>(p.payload_len, 64));
    if (pl.substr(0, 5) == "NXSH-" || pl.substr(0, 4) == "NXD-") signature_ = "nomachine";
    if (flow.proto == core::kProtoTcp && (flow.resp_port == 4899) && pl.size() >= 10 &&
        pl[0] == 0x01 && pl[1] == 0 && pl[2] == 0 && pl[3] == 0) {
      signature_ = "radmin";
    }
  }

  bool Candidate(const core::Flow& flow) const {
    Product p;
    return Identify(flow, &p);
  }

  bool Identify(const core::Flow& flow, Product* out) const {
    const core::Classification& c = flow.classification;
    const std::string& app = c.app_protocol;
    const std::uint16_t rp = flow.resp_port;
    const bool tcp = flow.proto == core::kProtoTcp;
    const bool udp = flow.proto == core::kProtoUdp;
    auto set = [&](std::string name, double conf, std::string by, std::string basis,
                   bool server_controlled, bool relays) {
      *out = Product{std::move(name), conf, std::move(by), std::move(basis), server_controlled,
                     relays};
      return true;
    };
    const std::string ndpi_basis = "nDPI " + c.protocol + " (" + c.confidence + ")";
    // nDPI-named products first.
    // AnyDesk's direct connections go to the accessed machine's port 7070 (the server is the
    // controlled end); through a relay both ends are clients and only the traffic tells.
    if (app == "AnyDesk")
      return set("AnyDesk", NdpiConfidence(c), "ndpi", ndpi_basis, rp == 7070, rp != 7070);
    if (app == "TeamViewer")
      return set("TeamViewer", NdpiConfidence(c), "ndpi", ndpi_basis, false, true);
    if (app == "RDP") return set("RDP", NdpiConfidence(c), "ndpi", ndpi_basis, true, false);
    if (app == "VNC") return set("VNC", NdpiConfidence(c), "ndpi", ndpi_basis, true, false);
    if (app == "Citrix") return set("Citrix", NdpiConfidence(c), "ndpi", ndpi_basis, true, false);
    if (app == "SSH") return set("SSH", NdpiConfidence(c), "ndpi", ndpi_basis, true, false);
    if (app == "Telnet") return set("Telnet", NdpiConfidence(c), "ndpi", ndpi_basis, true, false);
    if (app == "XDMCP") return set("XDMCP", NdpiConfidence(c), "ndpi", ndpi_basis, true, false);
    if (app == "NoMachine" || app == "Radmin" || app == "Splashtop")
      return set(app, NdpiConfidence(c), "ndpi", ndpi_basis, true, false);
    if (app == "Zoom") return set("Zoom", NdpiConfidence(c) * 0.8, "ndpi", ndpi_basis, false, true);
    // Our signatures.
    if (signature_ == "nomachine")
      return set("NoMachine", 0.9, "parallax", "NX protocol banner (NXSH-/NXD-)", true, false);
    if (signature_ == "radmin")
      return set("Radmin", 0.7, "parallax", "Radmin handshake on TCP/4899", true, false);
    // Host names count only on the session itself: a DNS lookup of a vendor name is not a session.
    const bool dns = IsDnsFlow(flow);
    const std::string sni = dns ? std::string() : (c.tls.sni.empty() ? c.hostname : c.tls.sni);
    if (Contains(c.tls.alpn, "anydesk/") || Contains(c.tls.subject_dn, "philandro") ||
        Contains(c.tls.issuer_dn, "AnyNet") || Contains(c.tls.subject_dn, "AnyDesk"))
      return set("AnyDesk", 0.9, "parallax", "TLS ALPN/certificate of AnyDesk", rp == 7070,
                 rp != 7070);
    if (Contains(sni, "remotedesktop-pa.googleapis.com") ||
        Contains(sni, "remotedesktop.google.com") || Contains(sni, "chromoting"))
      return set("Chrome Remote Desktop", 0.85, "parallax", "SNI " + sni, false, true);
    if (Contains(sni, "rustdesk")) return set("RustDesk", 0.85, "parallax", "SNI " + sni, false, true);
    if ((tcp && PortIn(rp, 21115, 21119)) || (udp && rp == 21116))
      return set("RustDesk", 0.6, "parallax",
                 "port " + std::to_string(rp) + " (RustDesk hbbs/hbbr)", false, true);
    if (Contains(sni, "splashtop"))
      return set("Splashtop", 0.85, "parallax", "SNI " + sni, false, true);
    if (tcp && PortIn(rp, 6783, 6785))
      return set("Splashtop", 0.5, "parallax", "port " + std::to_string(rp) + " (Splashtop)",
                 true, false);
    if (Contains(sni, "parsec.app") || Contains(sni, "parsecusercontent"))
      return set("Parsec", 0.85, "parallax", "SNI " + sni, false, true);
    if (Contains(sni, "screenconnect.com") || (tcp && (rp == 8040 || rp == 8041)))
      return set("ScreenConnect", Contains(sni, "screenconnect") ? 0.85 : 0.5, "parallax",
                 sni.empty() ? "port " + std::to_string(rp) + " (ScreenConnect relay)"
                             : "SNI " + sni,
                 false, true);
    if ((tcp || udp) && rp == 3283)
      return set("Apple Remote Desktop", 0.6, "parallax", "port 3283 (ARD)", true, false);
    if (c.category == "RemoteAccess")
      return set(app, NdpiConfidence(c), "ndpi", ndpi_basis, true, false);
    return false;
  }

  std::array<DirStats, 2> stats_;
  std::string signature_;
  int sniffed_ = 0;
  bool decided_ = false;
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::RemoteDesktop;
PARALLAX_REGISTER_ANALYZER(RemoteDesktop, "remote_desktop",
                           "Remote-desktop/control sessions: product, who controls whom, relay, "
                           "interactivity; colocated (hosted) desktops",
                           parallax::analyzers::WantsTcpOrUdp)
