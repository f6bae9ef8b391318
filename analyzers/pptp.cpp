// pptp: PPTP (RFC 2637), both halves: the control connection on TCP 1723 (every message carries
// the magic cookie 0x1A2B3C4D) and the tunnel itself, PPP in "enhanced GRE" (GRE version 1,
// protocol 0x880B, key field = payload length + call id). nDPI 4.2 reports the GRE flow only as
// GRE, and the data channel is often all there is (the control connection may have started
// before the capture or be routed elsewhere).
#include <array>
#include <cstdio>
#include <string>

#include "analyzers/payload_bytes.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

constexpr std::uint16_t kPptpPort = 1723;
constexpr std::uint32_t kMagicCookie = 0x1A2B3C4D;
constexpr std::size_t kControlHeader = 12;  // length, message type, cookie, control type, reserved
constexpr std::uint16_t kMaxControlType = 15;
// SCCRQ/SCCRP: host name and vendor strings (64 bytes each) after the fixed fields.
constexpr std::size_t kHostNameOffset = 28;
constexpr std::size_t kVendorOffset = 92;
constexpr std::size_t kNameLen = 64;
// Enhanced GRE (RFC 2637 4.1): C=0 R=0 K=1 S=? s=0 recur=0 A=? flags=0 version=1.
constexpr std::uint16_t kGreKey = 0x2000;
constexpr std::uint16_t kGreSeq = 0x1000;
constexpr std::uint16_t kGreAck = 0x0080;
constexpr std::uint16_t kGreMustBeZero = 0x8000 | 0x4000 | 0x0800 | 0x0700 | 0x0078;
constexpr std::uint16_t kGreVersionPptp = 1;
constexpr std::uint16_t kGreProtoPpp = 0x880B;
// GRE packets with a consistent call id needed to call it PPTP without the control connection.
constexpr int kGreToConfirm = 2;
constexpr int kMaxInspected = 8;

const char* ControlTypeName(std::uint16_t t) {
  static constexpr const char* kNames[] = {
      "?",    "Start-Control-Connection-Request", "Start-Control-Connection-Reply",
      "Stop-Control-Connection-Request", "Stop-Control-Connection-Reply", "Echo-Request",
      "Echo-Reply", "Outgoing-Call-Request", "Outgoing-Call-Reply", "Incoming-Call-Request",
      "Incoming-Call-Reply", "Incoming-Call-Connected", "Call-Clear-Request",
      "Call-Disconnect-Notify", "WAN-Error-Notify", "Set-Link-Info"};
  return t <= kMaxControlType ? kNames[t] : "?";
}

std::string CString(const payload::Bytes& b, std::size_t off, std::size_t max) {
  std::string s;
  for (std::size_t i = 0; i < max && b.Has(off + i, 1); ++i) {
    const char c = static_cast<char>(b.U8(off + i));
    if (c == 0) break;
    s.push_back(c >= 0x20 && c < 0x7f ? c : '?');
  }
  return s;
}

class Pptp final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    if (!payload::WithinBudget(p, kMaxInspected, &inspected_, &decided_)) return;
    const payload::Bytes b = payload::Of(p);
    const int dir = static_cast<int>(d);
    const bool ok = flow.proto == core::kProtoGre ? Gre(b, p.payload_wire_len, dir) : Control(b, dir);
    if (!ok) {
      if (!Confirmed()) {
        control_ = {0, 0};
        gre_ = {0, 0};
      }
      decided_ = true;
      return;
    }
    if ((control_[0] > 0 && control_[1] > 0) || gre_[0] + gre_[1] >= kMaxInspected) decided_ = true;
  }

  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    const int control = control_[0] + control_[1];
    const int gre = gre_[0] + gre_[1];
    if (control == 0 && gre == 0) return;
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "PPTP";
    fp.decided_by = "parallax";
    fp.Add("server", flow.resp_addr.ToString() +
                         (flow.proto == core::kProtoGre ? " (GRE)"
                                                        : ":" + std::to_string(flow.resp_port)));
    if (control > 0) {
      fp.confidence = control_[0] > 0 && control_[1] > 0 ? 0.95 : 0.85;
      fp.Add("control", "magic cookie 0x1A2B3C4D; " + messages_);
      if (!host_.empty()) fp.Add("pptp_host", host_);
      if (!vendor_.empty()) fp.Add("pptp_vendor", vendor_);
    } else {
      fp.confidence = gre >= kGreToConfirm ? 0.9 : 0.7;
      char buf[160];
      std::snprintf(buf, sizeof buf,
                    "enhanced GRE v1 carrying PPP (0x880B), payload length matches, call id %u; "
                    "%d/%d packets",
                    call_id_, gre_[0], gre_[1]);
      fp.Add("gre", buf);
      if (!ppp_.empty()) fp.Add("ppp", ppp_);
    }
    out.push_back(std::move(fp));
  }

 private:
  bool Confirmed() const {
    return control_[0] + control_[1] > 0 || gre_[0] + gre_[1] >= kGreToConfirm;
  }

  bool Control(const payload::Bytes& b, int dir) {
    if (!b.Has(0, kControlHeader)) return false;
    const std::uint16_t len = b.Be16(0);
    const std::uint16_t msg_type = b.Be16(2);
    const std::uint16_t ctrl = b.Be16(8);
    if (b.Be32(4) != kMagicCookie || len < kControlHeader || (msg_type != 1 && msg_type != 2) ||
        ctrl == 0 || ctrl > kMaxControlType || b.Be16(10) != 0) {
      return false;
    }
    ++control_[dir];
    if (control_[0] + control_[1] <= 2) {
      messages_ += (messages_.empty() ? "" : ", ") + std::string(ControlTypeName(ctrl));
    }
    if ((ctrl == 1 || ctrl == 2) && b.Has(kVendorOffset, 1)) {
      const std::string host = CString(b, kHostNameOffset, kNameLen);
      const std::string vendor = CString(b, kVendorOffset, kNameLen);
      if (!host.empty()) host_ += (host_.empty() ? "" : " / ") + host;
      if (!vendor.empty()) vendor_ += (vendor_.empty() ? "" : " / ") + vendor;
    }
    return true;
  }

  bool Gre(const payload::Bytes& b, std::uint32_t wire_len, int dir) {
    if (!b.Has(0, 8)) return false;
    const std::uint16_t flags = b.Be16(0);
    if ((flags & 0x7) != kGreVersionPptp || b.Be16(2) != kGreProtoPpp || !(flags & kGreKey) ||
        (flags & kGreMustBeZero)) {
      return false;
    }
    const std::uint16_t payload_len = b.Be16(4);
    const std::uint16_t call_id = b.Be16(6);
    std::size_t off = 8;
    if (flags & kGreSeq) off += 4;
    if (flags & kGreAck) off += 4;
    // The key's payload length is exactly what follows the header (0 for a bare ack).
    if (off > wire_len || wire_len - off != payload_len) return false;
    if (!(flags & kGreSeq) && payload_len != 0) return false;  // data always has a sequence
    if (gre_[dir] > 0 && call_ids_[dir] != call_id) return false;
    call_ids_[dir] = call_id;
    call_id_ = call_id;
    if (payload_len > 0 && ppp_.empty() && b.Has(off, 2)) {
      char buf[64];
      if (b.U8(off) == 0xff && b.U8(off + 1) == 0x03) {
        std::snprintf(buf, sizeof buf, "PPP protocol 0x%04x", b.Be16(off + 2));
      } else if (b.U8(off) & 1) {
        std::snprintf(buf, sizeof buf, "PPP protocol 0x%02x (compressed field)", b.U8(off));
      } else {
        std::snprintf(buf, sizeof buf, "PPP protocol 0x%04x", b.Be16(off));
      }
      ppp_ = buf;
    }
    ++gre_[dir];
    return true;
  }

  std::array<int, 2> control_{0, 0};
  std::array<int, 2> gre_{0, 0};
  std::array<std::uint16_t, 2> call_ids_{0, 0};
  std::uint16_t call_id_ = 0;
  std::string messages_;
  std::string host_;
  std::string vendor_;
  std::string ppp_;
  int inspected_ = 0;
  bool decided_ = false;
};

bool Wants(const core::Flow& flow, const core::DecodedPacket&) {
  if (flow.proto == core::kProtoGre) return true;
  return flow.proto == core::kProtoTcp &&
         (flow.resp_port == kPptpPort || flow.orig_port == kPptpPort);
}

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::Pptp;
PARALLAX_REGISTER_ANALYZER(Pptp, "pptp",
                           "PPTP: control connection on TCP 1723 (magic cookie) and PPP in "
                           "enhanced GRE v1",
                           parallax::analyzers::Wants)
