// ike: IPsec key exchange (IKEv1, RFC 2408/2409; IKEv2, RFC 7296) on UDP 500/4500 by its
// header, and ESP carried in UDP 4500 (NAT traversal, RFC 3948). nDPI 4.2 names IPsec from the
// port alone; this checks the bytes:
//   IKE header (28 bytes): initiator SPI (8, non-zero), responder SPI (8), next payload,
//   version (0x10 IKEv1 / 0x20 IKEv2), exchange type, flags, message id, length (= the message's
//   length, exactly). The reply carries the same initiator SPI.
//   On 4500 a 4-byte zero "non-ESP marker" precedes IKE; a lone 0xFF byte is a NAT-T keepalive;
//   anything else is ESP: SPI (constant per direction) and a sequence number rising by one.
#include <array>
#include <cstdio>
#include <set>
#include <string>

#include "analyzers/payload_bytes.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

constexpr std::uint16_t kIkePort = 500;
constexpr std::uint16_t kNatTPort = 4500;
constexpr std::size_t kIkeHeader = 28;
constexpr std::size_t kNonEspMarker = 4;
constexpr std::uint8_t kIkev1 = 0x10;  // major 1, minor 0
constexpr std::uint8_t kIkev2 = 0x20;  // major 2, minor 0
constexpr std::uint8_t kNatTKeepalive = 0xff;
// ESP: SPI values 1..255 are reserved (RFC 4303), so a real SA's SPI is at least 256; the
// header is SPI + sequence, then at least an IV and the integrity check value.
constexpr std::uint32_t kMinEspSpi = 256;
constexpr std::size_t kMinEsp = 8 + 16;
// ESP packets per direction with a constant SPI and a rising sequence to call it ESP; sequence
// steps beyond this are not one sender's counter (a few may be lost).
constexpr int kEspToConfirm = 3;
constexpr std::uint32_t kMaxEspSeqStep = 64;
// Payload packets examined before deciding with what was seen.
constexpr int kMaxInspected = 12;

bool ValidExchange(std::uint8_t version, std::uint8_t exch) {
  if (version == kIkev1) return exch <= 5 || exch == 32 || exch == 33;  // base..info, quick, new group
  return exch >= 34 && exch <= 44;  // IKE_SA_INIT .. IKE_FOLLOWUP_KE
}
bool ValidNextPayload(std::uint8_t version, std::uint8_t np) {
  if (np == 0) return true;
  if (version == kIkev1) return np <= 21 || np == 130 || np == 131;  // RFC 2408 + NAT-D/OA
  return np >= 33 && np <= 54;                                        // SA .. PS (RFC 7296 +)
}
bool ValidFlags(std::uint8_t version, std::uint8_t flags) {
  // IKEv1: encryption, commit, authentication-only; IKEv2: initiator, version, response.
  return version == kIkev1 ? (flags & ~0x07) == 0 : (flags & ~0x38) == 0;
}
const char* ExchangeName(std::uint8_t version, std::uint8_t exch) {
  if (version == kIkev2) {
    switch (exch) {
      case 34: return "IKE_SA_INIT";
      case 35: return "IKE_AUTH";
      case 36: return "CREATE_CHILD_SA";
      case 37: return "INFORMATIONAL";
      default: return "other";
    }
  }
  switch (exch) {
    case 2: return "Main Mode";
    case 4: return "Aggressive Mode";
    case 5: return "Informational";
    case 32: return "Quick Mode";
    default: return "other";
  }
}

struct EspDir {
  std::uint32_t spi = 0;
  std::uint32_t last_seq = 0;
  int packets = 0;
};

class Ike final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    if (!payload::WithinBudget(p, kMaxInspected, &inspected_, &decided_)) return;
    const payload::Bytes b = payload::Of(p);
    const int dir = static_cast<int>(d);
    const bool natt = flow.resp_port == kNatTPort || flow.orig_port == kNatTPort;
    std::size_t off = 0;
    if (natt) {
      if (b.size() == 1 && b.U8(0) == kNatTKeepalive) {
        ++keepalives_;
        return;
      }
      if (b.Be32(0) != 0) return Esp(dir, b);
      off = kNonEspMarker;
      marker_ = true;
    }
    if (!b.Has(off, kIkeHeader)) return Reject();
    const std::uint8_t np = b.U8(off + 16);
    const std::uint8_t version = b.U8(off + 17);
    const std::uint8_t exch = b.U8(off + 18);
    const std::uint8_t flags = b.U8(off + 19);
    const std::uint32_t length = b.Be32(off + 24);
    if ((version != kIkev1 && version != kIkev2) || !ValidExchange(version, exch) ||
        !ValidNextPayload(version, np) || !ValidFlags(version, flags) || b.AllZero(off, 8) ||
        length != p.payload_wire_len - off) {
      return Reject();
    }
    std::array<std::uint8_t, 8> ispi{};
    std::copy(b.data() + off, b.data() + off + 8, ispi.begin());
    if (ike_[dir] == 0) ispi_[dir] = ispi;
    if (ispi != ispi_[dir] && ispi != ispi_[1 - dir]) return;  // another SA (rekey): not judged
    if (!b.AllZero(off + 8, 8)) std::copy(b.data() + off + 8, b.data() + off + 16, rspi_.begin());
    ++ike_[dir];
    version_ = version;
    exchanges_.insert(ExchangeName(version, exch));
    if (ike_[0] > 0 && ike_[1] > 0 && ispi_[0] == ispi_[1]) {
      ike_confirmed_ = true;
      decided_ = true;
    }
  }

  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    const bool esp_both = esp_[0].packets >= kEspToConfirm && esp_[1].packets >= kEspToConfirm;
    const bool esp_one = esp_[0].packets >= kEspToConfirm || esp_[1].packets >= kEspToConfirm;
    const bool ike_one = !rejected_ && (ike_[0] > 0 || ike_[1] > 0);
    double conf = 0;
    if (ike_confirmed_) {
      conf = 0.95;
    } else if (esp_both) {
      conf = 0.85;
    } else if (ike_one) {
      conf = 0.75;
    } else if (esp_one) {
      conf = 0.65;
    }
    if (conf <= 0) return;
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "IPsec";
    fp.confidence = conf;
    fp.decided_by = "parallax";
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
    if (ike_[0] + ike_[1] > 0) {
      std::string ex;
      for (const auto& e : exchanges_) ex += (ex.empty() ? "" : ", ") + e;
      fp.Add("ike", std::string(version_ == kIkev2 ? "IKEv2" : "IKEv1") + " " + ex + " (" +
                        std::to_string(ike_[0]) + "/" + std::to_string(ike_[1]) +
                        " valid headers)");
      fp.Add("ike_spis", "initiator " + payload::Hex(ispi_[ike_[0] > 0 ? 0 : 1].data(), 8) +
                             ", responder " + payload::Hex(rspi_.data(), 8) +
                             (ike_confirmed_ ? " (echoed by the reply)" : ""));
    }
    if (marker_) fp.Add("nat_t", "UDP 4500 with the non-ESP marker (NAT traversal)");
    if (keepalives_ > 0) fp.Add("nat_t_keepalives", std::to_string(keepalives_));
    for (int i = 0; i < 2; ++i) {
      if (esp_[i].packets == 0) continue;
      char buf[120];
      std::snprintf(buf, sizeof buf, "%s: SPI %08x, %d packets, sequence rising to %u",
                    i == 0 ? "to server" : "to client", esp_[i].spi, esp_[i].packets,
                    esp_[i].last_seq);
      fp.Add("esp_in_udp", buf);
    }
    out.push_back(std::move(fp));
  }

 private:
  void Esp(int dir, const payload::Bytes& b) {
    const std::uint32_t spi = b.Be32(0);
    const std::uint32_t seq = b.Be32(4);
    EspDir& e = esp_[dir];
    if (b.size() < kMinEsp || spi < kMinEspSpi) return Reject();
    if (e.packets == 0) {
      e.spi = spi;
      e.last_seq = seq;
      e.packets = 1;
    } else if (spi != e.spi || seq <= e.last_seq || seq - e.last_seq > kMaxEspSeqStep) {
      return Reject();
    } else {
      e.last_seq = seq;
      ++e.packets;
    }
    if (esp_[0].packets >= kEspToConfirm && esp_[1].packets >= kEspToConfirm) decided_ = true;
  }

  void Reject() {
    // A datagram that fits neither IKE nor ESP: unless the exchange already proved itself, the
    // flow is something else on these ports.
    if (!ike_confirmed_) {
      rejected_ = true;
      ike_ = {0, 0};
      esp_ = {};
    }
    decided_ = true;
  }

  std::array<std::array<std::uint8_t, 8>, 2> ispi_{};
  std::array<std::uint8_t, 8> rspi_{};
  std::array<int, 2> ike_{0, 0};
  std::array<EspDir, 2> esp_{};
  std::set<std::string> exchanges_;
  std::uint8_t version_ = 0;
  int inspected_ = 0;
  int keepalives_ = 0;
  bool marker_ = false;
  bool ike_confirmed_ = false;
  bool rejected_ = false;
  bool decided_ = false;
};

bool Wants(const core::Flow& flow, const core::DecodedPacket&) {
  if (flow.proto != core::kProtoUdp) return false;
  for (std::uint16_t port : {flow.orig_port, flow.resp_port})
    if (port == kIkePort || port == kNatTPort) return true;
  return false;
}

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::Ike;
PARALLAX_REGISTER_ANALYZER(Ike, "ike",
                           "IPsec IKEv1/IKEv2 by header on UDP 500/4500, NAT-T and ESP in UDP",
                           parallax::analyzers::Wants)
