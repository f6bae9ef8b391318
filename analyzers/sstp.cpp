// sstp: Microsoft SSTP (MS-SSTP) by its HTTP request. An SSTP client opens HTTPS and sends
//   SSTP_DUPLEX_POST /sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/ HTTP/1.1
// then SSTP packets (version 0x10, control bit, 12-bit length). The request is visible only when
// the TLS is terminated before the sensor or SSTP runs without it (a TLS-offloading proxy, lab
// setups): normally it is inside TLS and nothing here can see it. The TLS layer itself has no
// honest SSTP marker: the server certificate is the organisation's own and the client is
// Windows' ordinary TLS stack, so SNI or certificate heuristics would name every Windows HTTPS
// connection to a corporate host; none is attempted.
#include <string>
#include <string_view>

#include "analyzers/payload_bytes.h"
#include "analyzers/flow_filters.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

constexpr std::string_view kMethod = "SSTP_DUPLEX_POST ";
constexpr std::string_view kUri = "/sra_{BA195980-CD49-458b-9E23-C84EE0ADCD75}/";
// SSTP packet header (MS-SSTP 2.2.1): version 1.0, reserved bits and the control bit, then a
// 12-bit length (the top four bits are reserved) equal to the packet size.
constexpr std::uint8_t kSstpVersion = 0x10;
constexpr std::size_t kSstpHeader = 4;
// The request is the client's first payload; a segment or two of slack for odd stacks.
constexpr int kMaxClientSegments = 2;
constexpr int kMaxInspected = 6;

class Sstp final : public Analyzer {
 public:
  void OnPacket(const core::Flow&, const core::DecodedPacket& p, core::Direction d) override {
    if (p.payload_len == 0) return;
    ++inspected_;
    const payload::Bytes b = payload::Of(p);
    if (!request_) {
      if (d == core::Direction::kToServer) {
        ++client_segments_;
        const std::string_view text = b.Text(0, 512);
        if (text.substr(0, kMethod.size()) == kMethod &&
            text.find(kUri) != std::string_view::npos) {
          request_ = true;
        } else if (client_segments_ >= kMaxClientSegments) {
          decided_ = true;
        }
      }
    } else if (b.U8(0) == kSstpVersion && (b.U8(1) & 0xfe) == 0 &&
               (b.Be16(2) & 0x0fff) == p.payload_wire_len && p.payload_wire_len >= kSstpHeader) {
      // One SSTP packet per segment is the common case; enough to confirm the tunnel started.
      sstp_packets_ += 1;
      if (b.U8(1) & 1) control_ = true;
      decided_ = true;
    }
    if (inspected_ >= kMaxInspected) decided_ = true;
  }

  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext&,
                 std::vector<Fingerprint>& out) override {
    if (!request_) return;
    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "SSTP";
    fp.confidence = sstp_packets_ > 0 ? 0.97 : 0.9;
    fp.decided_by = "parallax";
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
    fp.Add("http", std::string(kMethod) + std::string(kUri) + " (not inside TLS)");
    if (sstp_packets_ > 0) {
      fp.Add("sstp", std::string("SSTP ") + (control_ ? "control" : "data") +
                         " packet, version 1.0, length matches");
    }
    out.push_back(std::move(fp));
  }

 private:
  int inspected_ = 0;
  int client_segments_ = 0;
  int sstp_packets_ = 0;
  bool request_ = false;
  bool control_ = false;
  bool decided_ = false;
};

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::Sstp;
PARALLAX_REGISTER_ANALYZER(Sstp, "sstp",
                           "Microsoft SSTP by its SSTP_DUPLEX_POST request (visible only "
                           "outside TLS)",
                           parallax::analyzers::WantsTcp)
