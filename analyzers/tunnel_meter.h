// TunnelMeter: the measurements behind "this flow looks like an encrypted tunnel" (long-lived,
// steady, high-entropy payload, both directions busy, not an application nDPI names), shared by
// the encrypted_tunnel analyzer and vpn_endpoint's "Astrill (suspected)" rule so the two agree.
// It is a helper, not an analyzer: it registers nothing.
//
// Cost: O(1) state and O(1) work per packet except the first kEntropySampleBytes payload bytes,
// which are counted into a byte histogram once.
// Thread-safety: REQUIRES external synchronization (one instance per flow, as analyzers are).
#pragma once

#include <algorithm>
#include <array>
#include <memory>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>

#include "analyzers/fingerprint.h"
#include "sensor/core/decoded_packet.h"
#include "sensor/core/flow.h"

namespace parallax::analyzers {

namespace tunnel_meter {
// Long-lived: VPN sessions last a working session; page loads and API calls end within seconds.
// One minute also excludes the short bursts of every benign capture we test against.
constexpr core::TimeUs kMinDurationUs = 60'000'000;
// Steady: the longest silence allowed. A tunnel must keep its NAT mapping alive, and RFC 4787
// (REQ-5) only guarantees UDP mappings for 2 minutes, so tunnels speak at least that often.
constexpr core::TimeUs kMaxIdleGapUs = 120'000'000;
// Entropy sample: up to this many payload bytes, at most kEntropyBytesPerPacket from each packet
// so that one large packet (a certificate) cannot dominate.
constexpr std::uint32_t kEntropySampleBytes = 4096;
constexpr std::uint32_t kEntropyBytesPerPacket = 256;
// Below this many sampled bytes the entropy estimate is too biased to use: even random bytes
// measure < 7.7 bits/byte on 512 bytes before correction.
constexpr std::uint32_t kMinEntropyBytes = 1024;
// Encrypted or compressed payload measures ~7.9+ bits/byte on a few kB; text, headers and media
// containers with structure measure well below 7.5.
constexpr double kMinEntropyBits = 7.5;
// Both directions must carry payload: a tunnel carries the inner TCP's ACKs as payload packets,
// so even a download through it has ~1 upstream payload packet per 2-4 downstream ones, where a
// plain TLS download has tens of downstream packets per upstream request.
constexpr std::uint64_t kMinPayloadPacketsPerDir = 10;
constexpr double kMaxPayloadPacketRatio = 5.0;
// Keepalives: a small packet (WireGuard's is 32 bytes, OpenVPN's ping ~40-70, a TLS-wrapped ping
// under 150) after a silence of at least kKeepaliveMinIdleUs (so it is not part of a burst).
constexpr std::uint32_t kKeepaliveMaxPayload = 150;
constexpr core::TimeUs kKeepaliveMinIdleUs = 2'000'000;
// Periodic: at least this many gaps between such packets in one direction, with a coefficient of
// variation (stddev/mean) at most kMaxKeepaliveCv: timers fire regularly, humans do not.
constexpr std::uint64_t kMinKeepaliveGaps = 3;
constexpr double kMaxKeepaliveCv = 0.2;
// Confidence: a heuristic without a signature stays below the signature analyzers (<= 0.6).
constexpr double kBaseConfidence = 0.4;
constexpr double kPeriodicBonus = 0.1;        // a timer-driven keepalive is tunnel behaviour
constexpr core::TimeUs kVeryLongUs = 600'000'000;  // 10 minutes
constexpr double kVeryLongBonus = 0.05;
constexpr double kMaxConfidence = 0.6;
}  // namespace tunnel_meter

struct TunnelAssessment {
  bool eligible = false;      // not an application nDPI names as ordinary
  std::string classification; // why eligible or not
  bool tunnel_like = false;   // every criterion met
  std::string failed;         // the first criterion not met (empty when tunnel_like)
  double duration_s = 0;
  double entropy_bits = 0;
  std::uint32_t entropy_bytes = 0;
  double max_idle_s = 0;
  std::uint64_t payload_packets[2] = {0, 0};
  std::uint64_t payload_bytes[2] = {0, 0};
  double payload_packet_ratio = 0;
  std::uint64_t keepalive_gaps = 0;
  double keepalive_period_s = 0;
  double keepalive_cv = 0;
  bool periodic_keepalive = false;
  double confidence = 0;

  void AddEvidence(Fingerprint& fp) const {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%.1f s", duration_s);
    fp.Add("duration", buf);
    std::snprintf(buf, sizeof buf, "%.2f bits/byte over %u payload bytes", entropy_bits,
                  entropy_bytes);
    fp.Add("payload_entropy", buf);
    std::snprintf(buf, sizeof buf, "%.1f s", max_idle_s);
    fp.Add("max_idle_gap", buf);
    std::snprintf(buf, sizeof buf,
                  "up %llu pkts/%llu B, down %llu pkts/%llu B, packet ratio %.2f",
                  static_cast<unsigned long long>(payload_packets[0]),
                  static_cast<unsigned long long>(payload_bytes[0]),
                  static_cast<unsigned long long>(payload_packets[1]),
                  static_cast<unsigned long long>(payload_bytes[1]), payload_packet_ratio);
    fp.Add("payload_balance", buf);
    if (keepalive_gaps > 0) {
      std::snprintf(buf, sizeof buf, "%s: %llu gaps, period %.1f s, cv %.2f",
                    periodic_keepalive ? "periodic" : "irregular",
                    static_cast<unsigned long long>(keepalive_gaps), keepalive_period_s,
                    keepalive_cv);
      fp.Add("keepalives", buf);
    } else {
      fp.Add("keepalives", "none isolated");
    }
    fp.Add("classification", classification);
  }
};

class TunnelMeter {
 public:
  void OnPacket(const core::Flow& flow, const core::DecodedPacket& p, core::Direction d) {
    const int di = static_cast<int>(d);
    if (last_ts_ >= 0 && p.ts - last_ts_ > max_gap_us_) max_gap_us_ = p.ts - last_ts_;
    const bool isolated = last_ts_ >= 0 && p.ts - last_ts_ >= tunnel_meter::kKeepaliveMinIdleUs;
    last_ts_ = std::max(last_ts_, p.ts);
    if (p.payload_wire_len == 0) return;
    ++payload_packets_[di];
    payload_bytes_[di] += p.payload_wire_len;
    if (isolated && p.payload_wire_len <= tunnel_meter::kKeepaliveMaxPayload) {
      keepalive_[di].Add(p.ts);
    }
    if (sampled_ < tunnel_meter::kEntropySampleBytes) Sample(flow, p);
  }

  // True once the flow can no longer qualify: nDPI named an ordinary application, or the sampled
  // payload is not random-looking. The caller may stop feeding packets then.
  bool Rejected(const core::Flow& flow) const {
    if (flow.classification.done && !Eligible(flow.classification, nullptr)) return true;
    return sampled_ >= tunnel_meter::kEntropySampleBytes &&
           Entropy() < tunnel_meter::kMinEntropyBits;
  }

  TunnelAssessment Assess(const core::Flow& flow) const {
    namespace tm = tunnel_meter;
    TunnelAssessment a;
    a.eligible = Eligible(flow.classification, &a.classification);
    a.duration_s = static_cast<double>(flow.last_ts - flow.first_ts) / 1e6;
    a.entropy_bytes = sampled_;
    a.entropy_bits = Entropy();
    a.max_idle_s = static_cast<double>(max_gap_us_) / 1e6;
    for (int i = 0; i < 2; ++i) {
      a.payload_packets[i] = payload_packets_[i];
      a.payload_bytes[i] = payload_bytes_[i];
    }
    const double lo = static_cast<double>(std::min(payload_packets_[0], payload_packets_[1]));
    const double hi = static_cast<double>(std::max(payload_packets_[0], payload_packets_[1]));
    a.payload_packet_ratio = lo > 0 ? hi / lo : 0;
    // The more regular direction speaks for the flow (one side's timer is enough).
    for (const auto& k : keepalive_) {
      if (k.gaps == 0) continue;
      const double cv = k.Cv();
      const bool periodic = k.gaps >= tm::kMinKeepaliveGaps && cv <= tm::kMaxKeepaliveCv;
      if (a.keepalive_gaps == 0 || (periodic && !a.periodic_keepalive) ||
          (periodic == a.periodic_keepalive && cv < a.keepalive_cv)) {
        a.keepalive_gaps = k.gaps;
        a.keepalive_period_s = k.mean_us / 1e6;
        a.keepalive_cv = cv;
        a.periodic_keepalive = periodic;
      }
    }
    char buf[120];
    if (!a.eligible) {
      a.failed = "ordinary application: " + a.classification;
    } else if (flow.last_ts - flow.first_ts < tm::kMinDurationUs) {
      std::snprintf(buf, sizeof buf, "short: %.1f s < %.0f s", a.duration_s,
                    static_cast<double>(tm::kMinDurationUs) / 1e6);
      a.failed = buf;
    } else if (max_gap_us_ > tm::kMaxIdleGapUs) {
      std::snprintf(buf, sizeof buf, "not steady: silent %.1f s", a.max_idle_s);
      a.failed = buf;
    } else if (sampled_ < tm::kMinEntropyBytes) {
      std::snprintf(buf, sizeof buf, "too little payload for entropy: %u bytes", sampled_);
      a.failed = buf;
    } else if (a.entropy_bits < tm::kMinEntropyBits) {
      std::snprintf(buf, sizeof buf, "low entropy: %.2f bits/byte", a.entropy_bits);
      a.failed = buf;
    } else if (payload_packets_[0] < tm::kMinPayloadPacketsPerDir ||
               payload_packets_[1] < tm::kMinPayloadPacketsPerDir) {
      a.failed = "one-sided: too few payload packets in one direction";
    } else if (a.payload_packet_ratio > tm::kMaxPayloadPacketRatio) {
      std::snprintf(buf, sizeof buf, "unbalanced: payload packet ratio %.1f",
                    a.payload_packet_ratio);
      a.failed = buf;
    } else {
      a.tunnel_like = true;
      a.confidence = tm::kBaseConfidence;
      if (a.periodic_keepalive) a.confidence += tm::kPeriodicBonus;
      if (flow.last_ts - flow.first_ts >= tm::kVeryLongUs) a.confidence += tm::kVeryLongBonus;
      a.confidence = std::min(a.confidence, tm::kMaxConfidence);
    }
    return a;
  }

  // Whether nDPI's verdict leaves room for an unnamed tunnel. Named applications (web apps by
  // SNI, QUIC, video, VPN protocols nDPI knows, SSH...) are not ours: ndpi_vpn and remote_desktop
  // report the named ones, and ordinary apps are not tunnels. Bare TLS qualifies only when the
  // client offered no ALPN at all: browsers always offer h2/http1.1, and applications that name
  // themselves there ("anydesk/8.0.10") are not anonymous tunnels. Bare DTLS does not qualify:
  // WebRTC media and data channels run over it (nDPI's dtls.pcap/dtls2.pcap are such hard
  // negatives), and the DTLS VPNs (AnyConnect, OpenConnect) are nDPI's to name.
  static bool Eligible(const core::Classification& c, std::string* why) {
    auto say = [&](std::string s) {
      if (why) *why = std::move(s);
    };
    const std::string label =
        "nDPI " + (c.protocol.empty() ? std::string("Unknown") : c.protocol) +
        (c.confidence.empty() ? "" : " (" + c.confidence + (c.guessed ? ", guessed" : "") + ")");
    const std::string& app = c.app_protocol;
    if (c.guessed || app.empty() || app == "Unknown") {
      say(label + ": no application recognised in the payload");
      return true;
    }
    const bool bare_tls =
        app == "TLS" && (c.master_protocol.empty() || c.master_protocol == "TLS");
    if (!bare_tls) {
      say(label + ": a named application");
      return false;
    }
    if (!c.tls.alpn.empty()) {
      say(label + ": TLS with ALPN " + c.tls.alpn);
      return false;
    }
    say(label + ": TLS without a named application or ALPN" +
        (c.tls.sni.empty() ? std::string(", no SNI") : ", SNI " + c.tls.sni));
    return true;
  }

 private:
  struct Periodicity {
    core::TimeUs last = -1;
    std::uint64_t gaps = 0;
    double mean_us = 0;
    double m2 = 0;  // Welford's running sum of squared deviations
    void Add(core::TimeUs ts) {
      if (last >= 0) {
        const double gap = static_cast<double>(ts - last);
        ++gaps;
        const double delta = gap - mean_us;
        mean_us += delta / static_cast<double>(gaps);
        m2 += delta * (gap - mean_us);
      }
      last = ts;
    }
    double Cv() const {
      if (gaps < 2 || mean_us <= 0) return 1.0;
      return std::sqrt(m2 / static_cast<double>(gaps - 1)) / mean_us;
    }
  };

  void Sample(const core::Flow& flow, const core::DecodedPacket& p) {
    const std::uint8_t* b = p.payload;
    std::uint32_t n = p.payload_len;  // captured bytes only: never past the capture
    if (b == nullptr || n == 0) return;
    if (flow.proto == core::kProtoTcp && n >= 5 && b[1] == 0x03) {
      // TLS records: handshake, alert and change-cipher-spec carry names and structure (the
      // certificate chain is text-heavy), not the tunnel's data; skip them, and the 5-byte
      // header of application data.
      if (b[0] == 0x14 || b[0] == 0x15 || b[0] == 0x16) return;
      if (b[0] == 0x17) {
        b += 5;
        n -= 5;
      }
    }
    n = std::min({n, tunnel_meter::kEntropyBytesPerPacket,
                  tunnel_meter::kEntropySampleBytes - sampled_});
    if (!histogram_) histogram_ = std::make_unique<std::array<std::uint16_t, 256>>();
    for (std::uint32_t i = 0; i < n; ++i) ++(*histogram_)[b[i]];
    sampled_ += n;
    if (sampled_ >= tunnel_meter::kEntropySampleBytes) {
      // Sample complete: keep the number, free the counts (most flows live long after this).
      entropy_cache_ = ComputeEntropy();
      histogram_.reset();
    }
  }

  // Shannon entropy in bits per byte with the Miller-Madow correction ((m-1)/2N nats), which
  // removes most of the plug-in estimator's downward bias on a few kB.
  // Cached once the sample is complete: the histogram no longer changes, and recomputing 256
  // logarithms per packet on a long tunnel was the analyzers' largest cost (callgrind).
  double Entropy() const {
    if (entropy_cache_ >= 0) return entropy_cache_;
    return ComputeEntropy();
  }
  double ComputeEntropy() const {
    if (sampled_ == 0 || !histogram_) return 0;
    const double total = static_cast<double>(sampled_);
    double h = 0;
    int used = 0;
    for (std::uint32_t c : *histogram_) {
      if (c == 0) continue;
      ++used;
      const double q = static_cast<double>(c) / total;
      h -= q * std::log2(q);
    }
    h += static_cast<double>(used - 1) / (2.0 * total * std::log(2.0));
    return std::min(h, 8.0);
  }

  core::TimeUs last_ts_ = -1;
  core::TimeUs max_gap_us_ = 0;
  std::uint64_t payload_packets_[2] = {0, 0};
  std::uint64_t payload_bytes_[2] = {0, 0};
  std::array<Periodicity, 2> keepalive_{};
  // Allocated at the first sampled byte, freed when the sample is complete (uint16: the sample is
  // at most 4096 bytes).
  std::unique_ptr<std::array<std::uint16_t, 256>> histogram_;
  std::uint32_t sampled_ = 0;
  double entropy_cache_ = -1;
};

}  // namespace parallax::analyzers
