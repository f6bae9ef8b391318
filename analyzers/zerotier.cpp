// zerotier: ZeroTier on UDP 9993 by its packet header (ZeroTier's published protocol, "Packet.hpp"
// layout in its documentation):
//   [0..7] packet id (the IV) | [8..12] destination address | [13..17] source address |
//   [18] flags: hops (bits 0-2), cipher suite (bits 3-5), fragmented (bit 6) | [19..26] MAC |
//   [27..] verb and payload (encrypted except HELLO, sent with the "none" cipher).
// Fragments: [0..7] packet id | [8..12] destination | [13] 0xFF | [14] total/number | [15] hops.
// Addresses are 40-bit, never zero and never starting with 0xFF (reserved). A flow is ZeroTier
// when the addresses are consistent: each direction keeps its source and destination and the
// reply swaps them; a plaintext HELLO (verb 1, protocol version, software version) also counts.
#include <array>
#include <cstdio>
#include <string>

#include "analyzers/payload_bytes.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

constexpr std::uint16_t kZeroTierPort = 9993;
constexpr std::size_t kMinPacket = 28;  // header (27) + verb
constexpr std::size_t kMinFragment = 16;
constexpr std::size_t kAddressLen = 5;
constexpr std::size_t kDestOffset = 8;
constexpr std::size_t kSourceOffset = 13;
constexpr std::size_t kFlagsOffset = 18;
constexpr std::size_t kVerbOffset = 27;
constexpr std::uint8_t kFragmentIndicator = 0xff;
constexpr std::uint8_t kReservedAddressPrefix = 0xff;
constexpr std::uint8_t kMaxCipherSuite = 3;  // none/poly1305, salsa2012/poly1305, none, AES-GMAC-SIV
constexpr std::uint8_t kCipherNone = 0;      // HELLO is authenticated but not encrypted
constexpr std::uint8_t kVerbHello = 0x01;
constexpr std::uint8_t kMaxProtocolVersion = 32;  // ZeroTier 1.x speaks versions in the low teens
// Consistent packets needed when no swap or HELLO is seen (one direction, e.g. a peer that never
// answered).
constexpr int kOneWayToConfirm = 3;
constexpr int kMaxInspected = 10;

using Address = std::array<std::uint8_t, kAddressLen>;

bool ValidAddress(const payload::Bytes& b, std::size_t off) {
  return b.Has(off, kAddressLen) && b.U8(off) != kReservedAddressPrefix &&
         !b.AllZero(off, kAddressLen);
}
Address AddressAt(const payload::Bytes& b, std::size_t off) {
  Address a{};
  for (std::size_t i = 0; i < kAddressLen; ++i) a[i] = b.U8(off + i);
  return a;
}

class ZeroTier final : public Analyzer {
 public:
  void OnPacket(const core::Flow&, const core::DecodedPacket& p, core::Direction d) override {
    if (!payload::WithinBudget(p, kMaxInspected, &inspected_, &decided_)) return;
    const payload::Bytes b = payload::Of(p);
    const int dir = static_cast<int>(d);
    if (!ValidAddress(b, kDestOffset)) return Reject();
    if (b.U8(kSourceOffset) == kFragmentIndicator) {
      // A fragment: only its destination can be checked against the direction.
      if (b.size() < kMinFragment || !seen_[dir] || AddressAt(b, kDestOffset) != dst_[dir])
        return Reject();
      ++fragments_;
      return;
    }
    if (b.size() < kMinPacket || !ValidAddress(b, kSourceOffset)) return Reject();
    const std::uint8_t flags = b.U8(kFlagsOffset);
    const std::uint8_t cipher = (flags >> 3) & 0x07;
    if (cipher > kMaxCipherSuite) return Reject();
    const Address dst = AddressAt(b, kDestOffset);
    const Address src = AddressAt(b, kSourceOffset);
    if (dst == src) return Reject();
    if (!seen_[dir]) {
      seen_[dir] = true;
      dst_[dir] = dst;
      src_[dir] = src;
    } else if (dst != dst_[dir] || src != src_[dir]) {
      return Reject();
    }
    ++packets_[dir];
    if (cipher == kCipherNone && b.U8(kVerbOffset) == kVerbHello &&
        b.U8(kVerbOffset + 1) >= 1 && b.U8(kVerbOffset + 1) <= kMaxProtocolVersion) {
      hello_ = true;
      char buf[64];
      std::snprintf(buf, sizeof buf, "protocol %u, software %u.%u.%u", b.U8(kVerbOffset + 1),
                    b.U8(kVerbOffset + 2), b.U8(kVerbOffset + 3), b.Be16(kVerbOffset + 4));
      hello_version_ = buf;
    }
    if (Swapped()) decided_ = true;
  }

  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    if (rejected_) return;
    double conf = 0;
    std::string basis;
    if (Swapped()) {
      conf = 0.9;
      basis = "40-bit ZeroTier addresses consistent per direction and swapped in replies";
    } else if (hello_) {
      conf = 0.85;
      basis = "plaintext HELLO (verb 1)";
    } else if (packets_[0] >= kOneWayToConfirm || packets_[1] >= kOneWayToConfirm) {
      conf = 0.6;
      basis = "one-way: constant 40-bit source/destination addresses";
    }
    if (conf == 0) return;
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "ZeroTier";
    fp.confidence = conf;
    fp.decided_by = "parallax";
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
    fp.Add("zerotier", basis);
    const int dir = seen_[0] ? 0 : 1;
    fp.Add("zt_addresses", payload::Hex(src_[dir].data(), kAddressLen) + " → " +
                               payload::Hex(dst_[dir].data(), kAddressLen));
    if (hello_) fp.Add("hello", hello_version_);
    if (fragments_ > 0) fp.Add("fragments", std::to_string(fragments_));
    out.push_back(std::move(fp));
  }

 private:
  bool Swapped() const {
    return seen_[0] && seen_[1] && src_[0] == dst_[1] && dst_[0] == src_[1];
  }
  void Reject() {
    if (!Swapped()) rejected_ = true;
    decided_ = true;
  }

  std::array<Address, 2> src_{};
  std::array<Address, 2> dst_{};
  std::array<bool, 2> seen_{};
  std::array<int, 2> packets_{0, 0};
  std::string hello_version_;
  int fragments_ = 0;
  int inspected_ = 0;
  bool hello_ = false;
  bool rejected_ = false;
  bool decided_ = false;
};

bool Wants(const core::Flow& flow, const core::DecodedPacket&) {
  return flow.proto == core::kProtoUdp &&
         (flow.resp_port == kZeroTierPort || flow.orig_port == kZeroTierPort);
}

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::ZeroTier;
PARALLAX_REGISTER_ANALYZER(ZeroTier, "zerotier",
                           "ZeroTier on UDP 9993 by its packet header and address consistency",
                           parallax::analyzers::Wants)
