// wireguard: WireGuard by its message format (whitepaper section 5.4), on any UDP port, and the
// products built on it: Tailscale (its "disco" side channel, UDP 41641), Cloudflare WARP (UDP
// 2408, with the client id WARP puts in the reserved bytes) and commercial providers named by the
// network intelligence on the server address (Mullvad, ProtonVPN, ...).
//
// A flow is WireGuard when its packets keep the protocol's invariants, not when one packet looks
// right: an initiation (type 1, 148 bytes) answered by a response (type 2, 92 bytes) whose
// receiver index is the initiator's sender index; or, for a capture that starts mid-session,
// transport packets (type 4) whose receiver index stays constant per direction while the 64-bit
// little-endian counter climbs. Reserved bytes must be zero (except WARP's).
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <string_view>

#include "analyzers/payload_bytes.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

// Message sizes fixed by the protocol (noise IK handshake with 32-byte keys, 16-byte tags).
constexpr std::size_t kInitiationSize = 148;
constexpr std::size_t kResponseSize = 92;
constexpr std::size_t kCookieReplySize = 64;
// Transport: 16-byte header (type, reserved, receiver, counter) + at least the 16-byte tag; an
// empty plaintext is a keepalive.
constexpr std::size_t kTransportHeader = 16;
constexpr std::size_t kMinTransport = kTransportHeader + 16;
// Transport packets needed, in one direction, to trust a constant receiver index and a rising
// counter when no handshake was seen (a random 4-byte match is 2^-32 per packet; three in a row
// with rising counters does not happen by chance).
constexpr int kTransportToConfirm = 3;
// A counter may skip (loss, reordering across cores) but not jump: larger steps are not a
// sender's nonce.
constexpr std::uint64_t kMaxCounterStep = 1 << 16;
// Payload packets examined before giving up; handshakes and the first transport packets come
// first, so this is plenty and keeps the per-flow cost bounded.
constexpr int kMaxInspected = 16;
// Unanswered initiations (the server is gone or filtered) still say "WireGuard client" when
// they repeat: the client retries every 5 seconds.
constexpr int kInitiationsAlone = 2;

// Tailscale's disco messages (tailscale.com/disco, public): "TS" + U+1F4AC in UTF-8, then the
// sender's 32-byte disco key, a 24-byte nonce and a NaCl box (16-byte tag at least).
constexpr std::string_view kDiscoMagic = "TS\xf0\x9f\x92\xac";
constexpr std::size_t kDiscoMinSize = 6 + 32 + 24 + 16;
constexpr std::uint16_t kTailscalePort = 41641;  // tailscaled's default UDP port
// Cloudflare WARP's WireGuard endpoint (engage.cloudflareclient.com:2408). WARP writes a client
// id into the three reserved bytes and sets high bits in the type byte, so on this port only the
// low nibble is the type and handshake sizes are not fixed.
constexpr std::uint16_t kWarpPort = 2408;
constexpr std::string_view kWarpHost = "cloudflareclient.com";

struct DirState {
  std::uint32_t receiver = 0;  // of this direction's transport packets
  std::uint64_t last_counter = 0;
  int transport = 0;           // transport packets with a consistent receiver and counter
  bool counter_broken = false;
  int padded = 0;              // transport packets whose ciphertext is a multiple of 16
};

class WireGuard final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    if (flow.proto != core::kProtoUdp) {  // TCP: only the DERP name, at flow end
      decided_ = true;
      return;
    }
    if (!payload::WithinBudget(p, kMaxInspected, &inspected_, &decided_)) return;
    const payload::Bytes b = payload::Of(p);
    const bool warp_port = flow.resp_port == kWarpPort || flow.orig_port == kWarpPort;
    if (b.StartsWith(kDiscoMagic) && b.size() >= kDiscoMinSize) {
      ++disco_;
      return;
    }
    const std::uint8_t b0 = b.U8(0);
    const bool std_header = b0 >= 1 && b0 <= 4 && b.AllZero(1, 3);
    const bool warp_header = warp_port && (b0 & 0x3f) >= 1 && (b0 & 0x3f) <= 4 &&
                             (b0 & 0xc0) == (b0 & 0xf0) && b.size() >= kMinTransport;
    if (!std_header && !warp_header) return Reject();
    if (warp_header && !std_header) warp_variant_ = true;
    const int type = b0 & 0x0f;
    const int dir = static_cast<int>(d);
    switch (type) {
      case 1:
        // Some providers append bytes to the handshake (TunnelBear's initiations are 204 bytes):
        // such an initiation counts only once a response names its index.
        if (b.size() < kInitiationSize) return Reject();
        if (!warp_variant_ && b.size() != kInitiationSize) {
          odd_sizes_ = true;
        } else {
          ++initiations_;
        }
        initiator_dir_ = dir;
        initiator_index_ = b.Le32(4);
        init_size_ = b.size();
        break;
      case 2: {
        const bool names_initiator = initiator_dir_ >= 0 && dir != initiator_dir_ &&
                                     b.Le32(8) == initiator_index_;
        if (!warp_variant_ && b.size() != kResponseSize && !names_initiator) return Reject();
        if (b.size() != kResponseSize) odd_sizes_ = true;
        responder_index_ = b.Le32(4);
        response_size_ = b.size();
        if (names_initiator) handshake_ = true;
        break;
      }
      case 3:
        if (!warp_variant_ && b.size() != kCookieReplySize) return Reject();
        ++cookies_;
        break;
      default:  // 4: transport
        if (b.size() < kMinTransport) return Reject();
        Transport(dirs_[dir], b);
        if (handshake_ && dir == initiator_dir_ && b.Le32(4) == responder_index_) {
          handshake_confirmed_ = true;
        }
        break;
    }
    if (Confirmed() && (handshake_confirmed_ || BothDirectionsConfirmed())) decided_ = true;
  }

  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                 std::vector<Fingerprint>& out) override {
    const core::Classification& c = flow.classification;
    const std::string& sni = c.tls.sni.empty() ? c.hostname : c.tls.sni;
    // Tailscale's DERP relays carry WireGuard over TLS to *.tailscale.com: the tunnel is
    // encrypted inside TLS, so the name is the evidence.
    if (!Confirmed() && disco_ == 0) {
      if (flow.proto == core::kProtoTcp && payload::HostIsUnder(sni, "tailscale.com") &&
          sni.rfind("derp", 0) == 0) {
        Fingerprint fp = Make(flow, "Tailscale", 0.8);
        fp.Add("sni", sni + " (Tailscale DERP relay: WireGuard packets relayed over TLS)");
        out.push_back(std::move(fp));
      }
      return;
    }

    double conf;
    std::string basis;
    if (handshake_confirmed_) {
      conf = 0.97;
      basis = "handshake: initiation answered by a response naming the initiator's index, then "
              "transport to the responder's index";
    } else if (handshake_) {
      conf = 0.93;
      basis = "handshake: initiation answered by a response naming the initiator's index";
    } else if (BothDirectionsConfirmed()) {
      conf = 0.9;
      basis = "transport in both directions: constant receiver index per direction, rising "
              "64-bit counters";
    } else if (OneDirectionConfirmed()) {
      conf = 0.75;
      basis = "transport in one direction: constant receiver index, rising 64-bit counter";
    } else if (initiations_ >= kInitiationsAlone) {
      conf = 0.6;
      basis = std::to_string(initiations_) + " handshake initiations (148 B), unanswered";
    } else {
      conf = 0;
    }

    std::string product = "WireGuard";
    std::string product_basis;
    const bool ts_port = flow.resp_port == kTailscalePort || flow.orig_port == kTailscalePort;
    if (disco_ > 0) {
      product = "Tailscale";
      product_basis = std::to_string(disco_) + " Tailscale disco packets (magic \"TS\\U0001F4AC\")";
      conf = std::max(conf, 0.9);
    } else if (ts_port && conf > 0) {
      product = "Tailscale";
      product_basis = "UDP 41641, tailscaled's default port";
    } else if (conf > 0 && (flow.resp_port == kWarpPort || flow.orig_port == kWarpPort ||
                            payload::HostIsUnder(sni, kWarpHost))) {
      product = "Cloudflare WARP";
      product_basis = warp_variant_ ? "UDP 2408 with WARP's client id in the reserved bytes"
                                    : "UDP 2408, WARP's WireGuard port";
    }
    if (conf <= 0) return;

    Fingerprint fp = Make(flow, product, conf);
    fp.Add("protocol", "WireGuard");
    fp.Add("wireguard", basis);
    if (!product_basis.empty()) fp.Add("product_basis", product_basis);
    if (odd_sizes_) {
      fp.Add("handshake_sizes", std::to_string(init_size_) + "/" + std::to_string(response_size_) +
                                    " bytes instead of 148/92 (a modified WireGuard)");
    }
    char facts[160];
    std::snprintf(facts, sizeof facts,
                  "initiations %d, handshake %s, cookie replies %d, transport %d/%d",
                  initiations_, handshake_ ? "yes" : "no", cookies_, dirs_[0].transport,
                  dirs_[1].transport);
    fp.Add("messages", facts);
    for (int i = 0; i < 2; ++i) {
      if (dirs_[i].transport == 0) continue;
      fp.Add(i == 0 ? "receiver_index_to_server" : "receiver_index_to_client",
             payload::Hex32(dirs_[i].receiver));
    }
    if (ctx.intel && product == "WireGuard") {
      // The server is usually the responder; a capture that starts mid-session may have the
      // client as responder, so the other address is asked too.
      for (const core::IpAddress* a : {&flow.resp_addr, &flow.orig_addr}) {
        const NetworkInfo n = ctx.intel->Lookup(*a);
        if (n.type == "vpn" && !n.provider.empty()) {
          fp.product = "WireGuard (" + n.provider + ")";
          fp.Add("server_network", "vpn " + n.provider + " " + a->ToString() +
                                       (n.asn ? " AS" + std::to_string(n.asn) : "") +
                                       (n.decided_by.empty() ? "" : " (" + n.decided_by + ")"));
          break;
        }
      }
    }
    out.push_back(std::move(fp));
  }

 private:
  static Fingerprint Make(const core::Flow& flow, std::string product, double conf) {
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = std::move(product);
    fp.confidence = conf;
    fp.decided_by = "parallax";
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
    return fp;
  }

  void Transport(DirState& s, const payload::Bytes& b) {
    const std::uint32_t receiver = b.Le32(4);
    const std::uint64_t counter = b.Le64(8);
    if ((b.size() - kTransportHeader) % 16 == 0) ++s.padded;
    if (s.transport == 0 && !s.counter_broken) {
      s.receiver = receiver;
      s.last_counter = counter;
      s.transport = 1;
      return;
    }
    // Keepalives and data share the counter; it never repeats and grows by small steps.
    if (receiver != s.receiver || counter <= s.last_counter ||
        counter - s.last_counter > kMaxCounterStep) {
      if (!Confirmed()) Reject();
      s.counter_broken = true;
      return;
    }
    s.last_counter = counter;
    ++s.transport;
  }

  void Reject() {
    // Something that is not a WireGuard message: unless the flow already proved itself, it is
    // not WireGuard (a tunnel never interleaves foreign datagrams on its 4-tuple).
    if (!Confirmed()) {
      rejected_ = true;
      initiations_ = 0;
      handshake_ = handshake_confirmed_ = false;
      dirs_ = {};
    }
    decided_ = true;
  }

  bool OneDirectionConfirmed() const {
    return dirs_[0].transport >= kTransportToConfirm || dirs_[1].transport >= kTransportToConfirm;
  }
  bool BothDirectionsConfirmed() const {
    return dirs_[0].transport >= kTransportToConfirm && dirs_[1].transport >= kTransportToConfirm;
  }
  bool Confirmed() const {
    return !rejected_ && (handshake_ || OneDirectionConfirmed() ||
                          initiations_ >= kInitiationsAlone);
  }

  std::array<DirState, 2> dirs_{};
  int inspected_ = 0;
  int initiations_ = 0;
  int initiator_dir_ = -1;
  std::uint32_t initiator_index_ = 0;
  std::uint32_t responder_index_ = 0;
  std::size_t init_size_ = 0;
  std::size_t response_size_ = 0;
  bool odd_sizes_ = false;
  int cookies_ = 0;
  int disco_ = 0;
  bool handshake_ = false;
  bool handshake_confirmed_ = false;
  bool warp_variant_ = false;
  bool rejected_ = false;
  bool decided_ = false;
};

bool Wants(const core::Flow& flow, const core::DecodedPacket&) {
  // Any UDP port (providers move WireGuard to 443, 53, 5060...); TCP for Tailscale's DERP name.
  return flow.proto == core::kProtoUdp || flow.proto == core::kProtoTcp;
}

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::WireGuard;
PARALLAX_REGISTER_ANALYZER(WireGuard, "wireguard",
                           "WireGuard by its message format; Tailscale, Cloudflare WARP and VPN "
                           "providers on it",
                           parallax::analyzers::Wants)
