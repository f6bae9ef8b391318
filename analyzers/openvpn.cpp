// openvpn: OpenVPN over UDP and TCP by its control-channel framing (OpenVPN's ssl_pkt.h /
// "OpenVPN protocol" wire format, public): nDPI 4.2 misses several variants (TLS-looking TCP/443
// flows, UDP flows whose first packets it does not match, client resets split across segments).
//
// Record: opcode (high 5 bits) | key_id (low 3 bits), then for control packets the sender's
// 8-byte session id; over TCP each record has a 2-byte length prefix. A session starts with
// P_CONTROL_HARD_RESET_CLIENT_V2/V3 (7/10) answered by P_CONTROL_HARD_RESET_SERVER_V2 (8), both
// with key_id 0. That shape alone is two bytes of evidence, so a flow counts only when the
// protocol's invariants hold as well, at least one of:
//   - session-id echo: the server's packets acknowledge the client's session id (plain
//     acknowledgements are outside tls-auth's HMAC, so this works for no-HMAC and tls-auth);
//   - replay packet-id: tls-auth and tls-crypt put a 4-byte packet-id and a 4-byte Unix time
//     after the session id (after the HMAC for tls-auth); the packet-id rises by one per packet
//     and the time stays put, which random bytes do not do;
//   - message packet-id (no HMAC): the reliability layer numbers control messages 0, 1, 2...
// Each direction must keep its session id. The variant (no HMAC, tls-auth with its HMAC size,
// tls-crypt, tls-crypt-v2) follows from where those fields sit.
//
// Obfuscated: the XOR "scramble" patches some providers use (NordVPN's obfuscated servers,
// Tunnelblick's xormask/obfuscate) leave the TCP length framing and XOR every record's first byte
// with the same mask byte. With mask m, the first bytes of the first records must read as the
// handshake's opcodes (reset client, reset server, then control/ack) under the same m: one byte
// in each of five records, so a chance match on random data is below 1e-9; TLS, QUIC, DNS and
// WireGuard fail at the second record. Reported with lower confidence.
#include <algorithm>
#include <array>
#include <cstdio>
#include <string>
#include <vector>

#include "analyzers/payload_bytes.h"
#include "analyzers/registry.h"

namespace parallax::analyzers {
namespace {

// Opcodes (OpenVPN ssl_pkt.h).
constexpr int kControlSoftReset = 3;
constexpr int kControlV1 = 4;
constexpr int kAckV1 = 5;
constexpr int kDataV1 = 6;
constexpr int kHardResetClientV2 = 7;
constexpr int kHardResetServerV2 = 8;
constexpr int kDataV2 = 9;
constexpr int kHardResetClientV3 = 10;
constexpr int kControlWkcV1 = 11;

constexpr std::size_t kSessionIdLen = 8;
constexpr std::size_t kSessionIdOffset = 1;
// Smallest reset: opcode, session id, empty ACK array, message packet-id (the no-HMAC form).
constexpr std::size_t kMinResetLen = 1 + kSessionIdLen + 1 + 4;
// Bytes of each record kept for parsing: opcode, session id, up to a 64-byte HMAC, packet-id,
// time, an 8-entry ACK array and the remote session id fit in 140.
constexpr std::size_t kKeep = 160;
// Records examined before giving up: a handshake proves itself in its first four to six.
constexpr int kMaxRecords = 10;
// Control records stored per flow for the packet-id checks.
constexpr std::size_t kMaxStored = 8;
// A TCP record longer than this is not OpenVPN (control ≤ tls-mtu 1250, data ≤ tun MTU plus
// overhead); it also rejects TLS ("16 03" reads as 5635) and text protocols at once.
constexpr std::size_t kMaxTcpRecord = 4096;
// Where the replay packet-id sits after the session id: directly (tls-crypt) or after an HMAC
// of 16/20/32/48/64 bytes (tls-auth with MD5, SHA1, SHA256, SHA384, SHA512).
constexpr std::array<std::size_t, 6> kHmacSizes = {0, 16, 20, 32, 48, 64};
// Packet-ids rise by one per packet; a few may be missing from a capture.
constexpr std::uint32_t kMaxPacketIdStep = 4;
// The time next to the replay packet-id is the sender's Unix time: after 2005 and steady within
// a handshake.
constexpr std::uint32_t kMinNetTime = 1104537600;  // 2005-01-01
constexpr std::uint32_t kMaxNetTimeSpread = 120;
// OpenVPN's ACK array holds at most 8 packet-ids (RELIABLE_ACK_SIZE).
constexpr std::uint8_t kMaxAcks = 8;
// Records needed to judge a flow of which the capture holds one side only.
constexpr std::size_t kOneSidedRecords = 3;
// Obfuscated: records after the two resets that must read as control/ack under the mask.
constexpr int kObfuscatedFollowers = 3;

struct Record {
  int dir = 0;
  std::array<std::uint8_t, kKeep> bytes{};
  std::size_t kept = 0;
  std::size_t full = 0;
  payload::Bytes View() const { return payload::Bytes(bytes.data(), kept); }
};

// Splits one direction of a TCP stream into length-prefixed records, in order, keeping the
// first kKeep bytes of each. Gives up (broken) on a gap, an overlap or an implausible length:
// the analyzer only needs the first records, and a wrong guess must not invent structure.
class TcpRecordReader {
 public:
  template <class Emit>
  bool Feed(const core::DecodedPacket& p, Emit&& emit) {
    if (broken_) return false;
    if (p.payload_len == 0) return true;
    if (p.payload_len < p.payload_wire_len) return Break();  // snaplen cut: bytes missing
    if (!started_) {
      started_ = true;
      next_seq_ = p.tcp_seq;
    }
    const auto diff = static_cast<std::int32_t>(p.tcp_seq - next_seq_);
    if (diff < 0) {
      // A retransmission of bytes already parsed is harmless; a partial overlap is not.
      if (static_cast<std::int64_t>(diff) + p.payload_len <= 0) return true;
      return Break();
    }
    if (diff > 0) return Break();  // a gap: the capture lost bytes
    next_seq_ = p.tcp_seq + p.payload_len;
    std::size_t i = 0;
    while (i < p.payload_len) {
      if (hdr_have_ < 2) {
        hdr_[hdr_have_++] = p.payload[i++];
        if (hdr_have_ == 2) {
          rec_len_ = static_cast<std::size_t>(hdr_[0]) << 8 | hdr_[1];
          rec_have_ = 0;
          if (rec_len_ == 0 || rec_len_ > kMaxTcpRecord) return Break();
        }
        continue;
      }
      const std::size_t n = std::min<std::size_t>(p.payload_len - i, rec_len_ - rec_have_);
      if (rec_have_ < kKeep) {
        const std::size_t copy = std::min(n, kKeep - rec_have_);
        std::copy(p.payload + i, p.payload + i + copy, buf_.begin() + rec_have_);
      }
      rec_have_ += n;
      i += n;
      if (rec_have_ == rec_len_) {
        hdr_have_ = 0;
        if (!emit(buf_.data(), std::min(rec_len_, kKeep), rec_len_)) return false;
      }
    }
    return true;
  }
  bool broken() const { return broken_; }

 private:
  bool Break() {
    broken_ = true;
    return false;
  }
  bool started_ = false;
  bool broken_ = false;
  std::uint32_t next_seq_ = 0;
  std::uint8_t hdr_[2] = {0, 0};
  int hdr_have_ = 0;
  std::size_t rec_len_ = 0;
  std::size_t rec_have_ = 0;
  std::array<std::uint8_t, kKeep> buf_{};
};

bool IsControl(int op) {
  return op == kControlSoftReset || op == kControlV1 || op == kAckV1 ||
         op == kHardResetClientV2 || op == kHardResetServerV2 || op == kHardResetClientV3 ||
         op == kControlWkcV1;
}

const char* HmacName(std::size_t n) {
  switch (n) {
    case 16: return "MD5";
    case 20: return "SHA1";
    case 32: return "SHA256";
    case 48: return "SHA384";
    case 64: return "SHA512";
    default: return "?";
  }
}

class OpenVpn final : public Analyzer {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p,
                core::Direction d) override {
    if (p.payload_len == 0) return;
    const int dir = static_cast<int>(d);
    if (flow.proto == core::kProtoTcp) {
      tcp_ = true;
      readers_[dir].Feed(p, [&](const std::uint8_t* r, std::size_t kept, std::size_t full) {
        OnRecord(dir, payload::Bytes(r, kept), full);
        return !decided_;
      });
      // Lost framing (a gap, or bytes that are not length-prefixed records): judge on what
      // was parsed so far.
      if (readers_[dir].broken()) decided_ = true;
    } else {
      OnRecord(dir, payload::Of(p), p.payload_wire_len);
    }
  }

  bool Decided() const override { return decided_; }

  void OnFlowEnd(const core::Flow& flow, const AnalyzerContext& ctx,
                 std::vector<Fingerprint>& out) override {
    const bool plain = PlainConfirmed();
    const bool obfuscated = !plain && ObfuscatedConfirmed();
    if (!plain && !obfuscated) return;

    Fingerprint fp;
    fp.kind = Kind::kVpn;
    fp.product = "OpenVPN";
    fp.decided_by = "parallax";
    fp.Add("server", Endpoint(flow.resp_addr, flow.resp_port));
    fp.Add("transport", tcp_ ? "TCP (2-byte length framing)" : "UDP");
    if (plain) {
      const int checks = (echo_ ? 1 : 0) + (layout_hmac_ >= 0 ? 1 : 0) + (message_ids_ ? 1 : 0);
      fp.confidence = !BothSides() ? 0.8 : checks >= 2 ? 0.95 : 0.9;
      const char* client_reset = first_opcode_ == kHardResetClientV3
                                     ? "P_CONTROL_HARD_RESET_CLIENT_V3"
                                     : "P_CONTROL_HARD_RESET_CLIENT_V2";
      if (BothSides()) {
        fp.Add("handshake", std::string(client_reset) +
                                " → P_CONTROL_HARD_RESET_SERVER_V2, key_id 0");
      } else {
        fp.Add("handshake", std::string(sid_seen_[client_dir_] ? client_reset
                                                                 : "P_CONTROL_HARD_RESET_SERVER_V2") +
                                ", key_id 0; the capture holds only this side of the session");
      }
      std::string ids;
      for (int role = 0; role < 2; ++role) {
        const int d = role == 0 ? client_dir_ : 1 - client_dir_;
        if (!sid_seen_[d]) continue;
        ids += (ids.empty() ? "" : ", ") + std::string(role == 0 ? "client " : "server ") +
               payload::Hex(sid_[d].data(), kSessionIdLen);
      }
      fp.Add("session_ids", ids);
      if (echo_) fp.Add("session_id_echo", "the server acknowledges the client's session id");
      if (layout_hmac_ >= 0) {
        char buf[120];
        std::snprintf(buf, sizeof buf,
                      "replay packet-id rising by one with a steady net time at offset %zu",
                      kSessionIdOffset + kSessionIdLen + static_cast<std::size_t>(layout_hmac_));
        fp.Add("packet_id", buf);
      }
      if (message_ids_) fp.Add("packet_id", "control message packet-ids 0, 1, 2... (no HMAC)");
      fp.Add("variant", Variant());
    } else {
      fp.confidence = 0.75;
      char buf[160];
      std::snprintf(buf, sizeof buf,
                    "XOR-scrambled OpenVPN: record opcodes read as hard-reset client, hard-reset "
                    "server, then %d control/ack records under mask 0x%02x",
                    obf_followers_, obf_mask_);
      fp.Add("variant", "obfuscated (XOR scramble)");
      fp.Add("obfuscation", buf);
    }
    if (data_packets_ > 0) {
      char buf[100];
      std::snprintf(buf, sizeof buf, "%d data packets (%s), key_id %d", data_packets_,
                    data_v2_ ? "P_DATA_V2 with peer-id" : "P_DATA_V1", last_data_key_id_);
      fp.Add("data_channel", buf);
    }
    if (ctx.intel) {
      const NetworkInfo n = ctx.intel->Lookup(flow.resp_addr);
      if (n.type == "vpn" && !n.provider.empty()) {
        fp.product = "OpenVPN (" + n.provider + ")";
        fp.Add("server_network", "vpn " + n.provider +
                                     (n.asn ? " AS" + std::to_string(n.asn) : "") +
                                     (n.decided_by.empty() ? "" : " (" + n.decided_by + ")"));
      }
    }
    out.push_back(std::move(fp));
  }

 private:
  void OnRecord(int dir, const payload::Bytes& r, std::size_t full) {
    if (decided_ || r.empty()) return;
    ++records_;
    const int op = r.U8(0) >> 3;
    const int key_id = r.U8(0) & 7;
    TrackObfuscated(dir, r.U8(0), full);
    if (plain_alive_) TrackPlain(dir, r, full, op, key_id);
    if (PlainConfirmed() && records_ >= 3) decided_ = true;
    if (!plain_alive_ && ObfuscatedConfirmed()) decided_ = true;
    if (!plain_alive_ && !obf_alive_) decided_ = true;
    if (records_ >= kMaxRecords) decided_ = true;
  }

  void TrackPlain(int dir, const payload::Bytes& r, std::size_t full, int op, int key_id) {
    if (records_ == 1) {
      // The client's reset, or (a capture that holds only the server's half, e.g. the other
      // side of a NAT) the server's.
      const bool client_reset = op == kHardResetClientV2 || op == kHardResetClientV3;
      if ((!client_reset && op != kHardResetServerV2) || key_id != 0 || full < kMinResetLen ||
          r.size() < kMinResetLen) {
        plain_alive_ = false;
        return;
      }
      first_opcode_ = op;
      client_dir_ = client_reset ? dir : 1 - dir;
      SetSessionId(dir, r);
      Store(dir, r, full);
      return;
    }
    if (op == kDataV1 || op == kDataV2) {
      if (!sid_seen_[0] || !sid_seen_[1]) {  // data before both resets: not a handshake we know
        plain_alive_ = false;
        return;
      }
      ++data_packets_;
      data_v2_ = op == kDataV2;
      last_data_key_id_ = key_id;
      return;
    }
    if (!IsControl(op) || !r.Has(kSessionIdOffset, kSessionIdLen)) {
      plain_alive_ = false;
      return;
    }
    if (!sid_seen_[dir]) {
      // The server's first packet is its reset; its session id is new.
      const bool server = dir != client_dir_;
      if ((server && (op != kHardResetServerV2 || key_id != 0)) ||
          r.Equal(kSessionIdOffset, sid_[1 - dir].data(), kSessionIdLen)) {
        plain_alive_ = false;
        return;
      }
      SetSessionId(dir, r);
    } else if (!r.Equal(kSessionIdOffset, sid_[dir].data(), kSessionIdLen)) {
      plain_alive_ = false;
      return;
    }
    if (sid_seen_[1 - dir] &&
        r.Find(sid_[1 - dir].data(), kSessionIdLen, kSessionIdOffset + kSessionIdLen) !=
            std::string_view::npos) {
      echo_ = true;
    }
    Store(dir, r, full);
    CheckPacketIds();
  }

  void SetSessionId(int dir, const payload::Bytes& r) {
    sid_seen_[dir] = true;
    std::copy(r.data() + kSessionIdOffset, r.data() + kSessionIdOffset + kSessionIdLen,
              sid_[dir].begin());
  }
  bool BothSides() const { return sid_seen_[0] && sid_seen_[1]; }
  // One side only (the capture missed the other half): enough records of it to judge.
  bool OneSided() const { return !BothSides() && stored_.size() >= kOneSidedRecords; }

  void Store(int dir, const payload::Bytes& r, std::size_t full) {
    if (stored_.size() >= kMaxStored) return;
    if (stored_.empty()) stored_.reserve(kMaxStored);
    Record rec;
    rec.dir = dir;
    rec.kept = std::min(r.size(), kKeep);
    std::copy(r.data(), r.data() + rec.kept, rec.bytes.begin());
    rec.full = full;
    stored_.push_back(rec);
  }

  // Replay packet-id + net time (tls-auth / tls-crypt), and the no-HMAC message packet-ids.
  void CheckPacketIds() {
    if (layout_hmac_ < 0) {
      for (std::size_t hmac : kHmacSizes) {
        if (ReplayLayoutHolds(kSessionIdOffset + kSessionIdLen + hmac)) {
          layout_hmac_ = static_cast<int>(hmac);
          break;
        }
      }
    }
    if (!message_ids_) message_ids_ = MessageIdsHold();
  }

  bool ReplayLayoutHolds(std::size_t off) const {
    int ok_dirs = 0;
    for (int dir = 0; dir < 2; ++dir) {
      int n = 0;
      std::uint32_t last_id = 0, first_time = 0;
      bool ok = true;
      for (const Record& rec : stored_) {
        if (rec.dir != dir) continue;
        const payload::Bytes b = rec.View();
        if (!b.Has(off, 8)) return false;
        const std::uint32_t id = b.Be32(off);
        const std::uint32_t t = b.Be32(off + 4);
        if (t < kMinNetTime || id == 0) return false;
        if (n == 0) {
          first_time = t;
        } else if (id <= last_id || id - last_id > kMaxPacketIdStep || t < first_time ||
                   t - first_time > kMaxNetTimeSpread) {
          ok = false;
        }
        last_id = id;
        ++n;
      }
      if (!ok) return false;
      if (n >= 2) ++ok_dirs;
    }
    // Two packets rising in one direction, and the other direction fitting the same layout.
    return ok_dirs >= 1 && (BothSides() || OneSided());
  }

  bool MessageIdsHold() const {
    int rising = 0;
    for (int dir = 0; dir < 2; ++dir) {
      int n = 0;
      std::uint32_t last = 0;
      for (const Record& rec : stored_) {
        if (rec.dir != dir || (rec.bytes[0] >> 3) == kAckV1) continue;
        const payload::Bytes b = rec.View();
        const std::uint8_t acks = b.U8(kSessionIdOffset + kSessionIdLen);
        if (acks > kMaxAcks) return false;
        const std::size_t off =
            kSessionIdOffset + kSessionIdLen + 1 + 4u * acks + (acks ? kSessionIdLen : 0);
        if (!b.Has(off, 4)) return false;
        const std::uint32_t id = b.Be32(off);
        if (n == 0 && id != 0) return false;  // the reset is message 0
        if (n > 0 && (id <= last || id - last > kMaxPacketIdStep)) return false;
        last = id;
        ++n;
      }
      if (n >= 2) ++rising;
    }
    return rising >= 1 && (BothSides() || OneSided());
  }

  void TrackObfuscated(int dir, std::uint8_t b0, std::size_t full) {
    if (!obf_alive_) return;
    if (records_ == 1) {
      // Not for plain resets (the plain path judges those) and not for tiny records.
      const int op = b0 >> 3;
      if (dir != 0 || full < kMinResetLen ||
          ((op == kHardResetClientV2 || op == kHardResetClientV3) && (b0 & 7) == 0)) {
        obf_alive_ = false;
        return;
      }
      obf_mask_ = b0 ^ (kHardResetClientV2 << 3);
      return;
    }
    const int op_byte = b0 ^ obf_mask_;
    if (!obf_server_seen_) {
      if (dir == 0 && op_byte == (kHardResetClientV2 << 3)) return;  // a retransmitted reset
      if (dir != 1 || op_byte != (kHardResetServerV2 << 3) || full < kMinResetLen) {
        obf_alive_ = false;
        return;
      }
      obf_server_seen_ = true;
      return;
    }
    if (op_byte != (kControlV1 << 3) && op_byte != (kAckV1 << 3)) {
      if (obf_followers_ < kObfuscatedFollowers) obf_alive_ = false;
      return;
    }
    ++obf_followers_;
  }

  bool PlainConfirmed() const {
    if (!plain_alive_) return false;
    if (BothSides()) return echo_ || layout_hmac_ >= 0 || message_ids_;
    return OneSided() && (layout_hmac_ >= 0 || message_ids_);
  }
  bool ObfuscatedConfirmed() const {
    return obf_alive_ && obf_server_seen_ && obf_followers_ >= kObfuscatedFollowers;
  }

  std::string Variant() const {
    if (layout_hmac_ == 0) {
      return first_opcode_ == kHardResetClientV3 ? "tls-crypt-v2 (encrypted, authenticated "
                                                   "control channel)"
                                                 : "tls-crypt (encrypted, authenticated control "
                                                   "channel)";
    }
    if (layout_hmac_ > 0) {
      return std::string("tls-auth (HMAC-") + HmacName(static_cast<std::size_t>(layout_hmac_)) +
             " on the control channel)";
    }
    return "no HMAC (plain control channel)";
  }

  std::array<TcpRecordReader, 2> readers_;
  std::vector<Record> stored_;
  std::array<std::array<std::uint8_t, kSessionIdLen>, 2> sid_{};  // per direction
  std::array<bool, 2> sid_seen_{};
  int client_dir_ = 0;
  int records_ = 0;
  int first_opcode_ = 0;
  int layout_hmac_ = -1;  // HMAC size in front of the replay packet-id; -1: not found
  int data_packets_ = 0;
  int last_data_key_id_ = 0;
  int obf_mask_ = 0;
  int obf_followers_ = 0;
  bool data_v2_ = false;
  bool echo_ = false;
  bool message_ids_ = false;
  bool plain_alive_ = true;
  bool obf_alive_ = true;
  bool obf_server_seen_ = false;
  bool tcp_ = false;
  bool decided_ = false;
};

bool Wants(const core::Flow& flow, const core::DecodedPacket&) {
  // Any port: OpenVPN runs on 1194, 443, 80, 53 and whatever a provider picks.
  return flow.proto == core::kProtoUdp || flow.proto == core::kProtoTcp;
}

}  // namespace
}  // namespace parallax::analyzers

using parallax::analyzers::OpenVpn;
PARALLAX_REGISTER_ANALYZER(OpenVpn, "openvpn",
                           "OpenVPN over UDP/TCP by its handshake (session-id echo, packet-ids): "
                           "no-HMAC, tls-auth, tls-crypt(-v2), XOR-obfuscated",
                           parallax::analyzers::Wants)
