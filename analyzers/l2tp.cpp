// l2tp: L2TP by its header: L2TPv2 (RFC 2661) and L2TPv3 (RFC 3931) over UDP 1701, and L2TPv3
// directly over IP (protocol 115). L2TP itself is not encrypted; "L2TP/IPsec" VPNs wrap it in ESP
// (then only the ike analyzer sees IPsec). Evidence the header is L2TP and not a port accident:
//   control messages: T, L and S bits set, the length field equal to the datagram, and a first
//   AVP that is the mandatory Message Type AVP (vendor 0, attribute 0, a known type);
//   data messages: reserved bits clear and, inside, a PPP frame (L2TPv2) or the pseudowire's
//   Ethernet frame (L2TPv3) with a known EtherType, behind a session id that stays constant.
#include <array>
#include <cstdio>
#include <string>

#include "analyzers/payload_bytes.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

constexpr std::uint16_t kL2tpPort = 1701;
constexpr std::uint8_t kProtoL2tp = 115;
// L2TPv2 header bits (RFC 2661 3.1): T L x x S x O P x x x x Ver.
constexpr std::uint16_t kBitT = 0x8000;
constexpr std::uint16_t kBitL = 0x4000;
constexpr std::uint16_t kBitS = 0x0800;
constexpr std::uint16_t kBitO = 0x0200;
constexpr std::uint16_t kBitP = 0x0100;
constexpr std::uint16_t kV2Reserved = 0x3000 | 0x0400 | 0x00f0;
// L2TPv3 control (RFC 3931 3.2.1): T, L, S and version 3; all other bits reserved.
constexpr std::uint16_t kV3ControlFlags = kBitT | kBitL | kBitS | 3;
constexpr std::uint16_t kMaxMessageType = 20;  // RFC 2661 1..16, RFC 3931 adds up to 20
// Where an L2TPv3 pseudowire's Ethernet frame may start after the session id: no cookie, a 4- or
// 8-byte cookie, each with or without the 4-byte default L2-specific sublayer.
constexpr std::array<std::size_t, 4> kV3InnerOffsets = {0, 4, 8, 12};
// Valid packets needed when no control message is seen.
constexpr int kDataToConfirm = 2;
constexpr int kMaxInspected = 8;

const char* MessageTypeName(std::uint16_t t) {
  static constexpr const char* kNames[] = {
      "?",     "SCCRQ", "SCCRP", "SCCCN", "StopCCN", "?",    "HELLO", "OCRQ", "OCRP",
      "OCCN",  "ICRQ",  "ICRP",  "ICCN",  "?",       "CDN",  "WEN",   "SLI",  "?",
      "?",     "?",     "?"};
  return t <= kMaxMessageType ? kNames[t] : "?";
}

// An Ethernet frame at `off`: a known EtherType, and for IPv4/ARP the next header's shape.
bool EthernetAt(const payload::Bytes& b, std::size_t off) {
  if (!b.Has(off, 14 + 4)) return false;
  const std::uint16_t type = b.Be16(off + 12);
  if (type == 0x0800) return (b.U8(off + 14) >> 4) == 4 && (b.U8(off + 14) & 0x0f) >= 5;
  if (type == 0x86dd) return (b.U8(off + 14) >> 4) == 6;
  if (type == 0x0806) return b.Be16(off + 14) == 1 && b.Be16(off + 16) == 0x0800;
  return type == 0x8100;
}

// A PPP frame: HDLC address/control (FF 03) then a protocol, or a compressed protocol field.
bool PppAt(const payload::Bytes& b, std::size_t off, std::uint16_t* proto) {
  if (!b.Has(off, 2)) return false;
  if (b.U8(off) == 0xff && b.U8(off + 1) == 0x03) {
    // RFC 1661: the protocol's high byte is even and its low byte odd.
    *proto = b.Be16(off + 2);
    return b.Has(off, 4) && (*proto & 0x0100) == 0 && (*proto & 1) == 1;
  }
  if (b.U8(off) & 1) {  // protocol-field compression: one odd byte
    *proto = b.U8(off);
    return true;
  }
  *proto = b.Be16(off);
  return (*proto & 1) == 1;
}

class L2tp final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    if (!payload::WithinBudget(p, kMaxInspected, &inspected_, &decided_)) return;
    const payload::Bytes b = payload::Of(p);
    const bool ok = flow.proto == kProtoL2tp ? OverIp(b, p.payload_wire_len, static_cast<int>(d))
                                             : OverUdp(b, p.payload_wire_len, static_cast<int>(d));
    if (!ok) {
      if (!Confirmed()) {
        valid_ = 0;
        control_ = false;
      }
      decided_ = true;
      return;
    }
    ++valid_;
    if (control_ || valid_ >= kMaxInspected) decided_ = true;
  }

  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    if (valid_ == 0) return;
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "L2TP";
    fp.decided_by = "parallax";
    fp.confidence = control_ ? 0.9 : valid_ >= kDataToConfirm ? 0.85 : 0.7;
    fp.Add("server", flow.resp_addr.ToString() +
                         (flow.proto == kProtoL2tp ? " (IP protocol 115)"
                                                   : ":" + std::to_string(flow.resp_port)));
    fp.Add("version", version_ == 3 ? "L2TPv3" : "L2TPv2");
    if (control_) fp.Add("control", std::string("Message Type AVP ") + MessageTypeName(msg_type_));
    if (!inner_.empty()) fp.Add("inner", inner_);
    char buf[80];
    std::snprintf(buf, sizeof buf, "%s %u", version_ == 3 ? "session id" : "tunnel id", id_);
    fp.Add("ids", buf);
    fp.Add("packets", std::to_string(valid_) + " valid L2TP headers");
    out.push_back(std::move(fp));
  }

 private:
  bool Confirmed() const { return control_ || valid_ >= kDataToConfirm; }

  // Control message body at `off`: the first AVP must be Message Type (M bit, vendor 0, type 0).
  bool ControlBody(const payload::Bytes& b, std::size_t off, std::size_t end) {
    if (off == end) return true;  // a ZLB acknowledgement: header only
    if (!b.Has(off, 8)) return false;
    const std::uint16_t avp_len = b.Be16(off) & 0x03ff;
    const std::uint16_t type = b.Be16(off + 6);
    if (avp_len != 8 || b.Be16(off + 2) != 0 || b.Be16(off + 4) != 0 || type == 0 ||
        type > kMaxMessageType) {
      return false;
    }
    control_ = true;
    msg_type_ = type;
    return true;
  }

  bool SameId(std::uint32_t id, int dir) {
    if (!id_seen_[dir]) {
      id_seen_[dir] = true;
      ids_[dir] = id;
    } else if (ids_[dir] != id) {
      return false;
    }
    id_ = id;
    return true;
  }

  bool OverUdp(const payload::Bytes& b, std::uint32_t wire_len, int dir) {
    const std::uint16_t flags = b.Be16(0);
    const int ver = flags & 0x0f;
    if (!b.Has(0, 8)) return false;
    if (ver == 2) {
      if (flags & kV2Reserved) return false;
      version_ = 2;
      std::size_t off = 2;
      if (flags & kBitL) {
        if (b.Be16(off) != wire_len) return false;
        off += 2;
      }
      const std::uint16_t tunnel = b.Be16(off);
      off += 4;  // tunnel id, session id
      if (flags & kBitS) off += 4;
      if (flags & kBitO) off += 2 + b.Be16(off);
      if (!b.Has(0, off)) return false;
      if (flags & kBitT) {
        if ((flags & (kBitL | kBitS)) != (kBitL | kBitS) || (flags & (kBitO | kBitP))) return false;
        if (!SameId(tunnel, dir)) return false;
        return ControlBody(b, off, wire_len);
      }
      std::uint16_t ppp = 0;
      if (!PppAt(b, off, &ppp) || !SameId(tunnel, dir)) return false;
      char buf[40];
      std::snprintf(buf, sizeof buf, "PPP protocol 0x%04x", ppp);
      inner_ = buf;
      return true;
    }
    if (ver == 3) {
      version_ = 3;
      if (flags & kBitT) {
        if (flags != kV3ControlFlags || b.Be16(2) != wire_len || !b.Has(0, 12)) return false;
        if (!SameId(b.Be32(4), dir)) return false;
        return ControlBody(b, 12, wire_len);
      }
      // Data over UDP: T=0, version 3, 16 reserved bits, then the session id.
      if (flags != 3 || b.Be16(2) != 0) return false;
      return V3Data(b, 4, dir);
    }
    return false;
  }

  bool OverIp(const payload::Bytes& b, std::uint32_t wire_len, int dir) {
    version_ = 3;
    if (!b.Has(0, 8)) return false;
    if (b.Be32(0) == 0) {  // session id 0: a control message follows
      const payload::Bytes c(b.data() + 4, b.size() - 4);
      if (c.Be16(0) != kV3ControlFlags || c.Be16(2) != wire_len - 4 || !c.Has(0, 12)) return false;
      if (!SameId(c.Be32(4), dir)) return false;
      return ControlBody(c, 12, wire_len - 4);
    }
    return V3Data(b, 0, dir);
  }

  bool V3Data(const payload::Bytes& b, std::size_t session_off, int dir) {
    const std::uint32_t session = b.Be32(session_off);
    if (session == 0) return false;
    for (std::size_t extra : kV3InnerOffsets) {
      const std::size_t off = session_off + 4 + extra;
      if (EthernetAt(b, off)) {
        if (!SameId(session, dir)) return false;
        char buf[60];
        std::snprintf(buf, sizeof buf, "Ethernet pseudowire, EtherType 0x%04x", b.Be16(off + 12));
        inner_ = buf;
        return true;
      }
    }
    return false;
  }

  std::array<std::uint32_t, 2> ids_{};
  std::array<bool, 2> id_seen_{};
  std::uint32_t id_ = 0;
  std::string inner_;
  std::uint16_t msg_type_ = 0;
  int version_ = 0;
  int valid_ = 0;
  int inspected_ = 0;
  bool control_ = false;
  bool decided_ = false;
};

bool Wants(const core::Flow& flow, const core::DecodedPacket&) {
  if (flow.proto == kProtoL2tp) return true;
  return flow.proto == core::kProtoUdp &&
         (flow.resp_port == kL2tpPort || flow.orig_port == kL2tpPort);
}

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::L2tp;
PARALLAX_REGISTER_ANALYZER(L2tp, "l2tp",
                           "L2TPv2/v3 by header on UDP 1701 and IP protocol 115",
                           parallax::analyzers::Wants)
