#include "sensor/core/decoder.h"

#include "sensor/core/community_id.h"

#include <algorithm>

namespace parallax::core {
namespace {

constexpr std::uint16_t kEtherTypeIpv4 = 0x0800;
constexpr std::uint16_t kEtherTypeIpv6 = 0x86DD;
constexpr std::uint16_t kEtherTypeVlan = 0x8100;
constexpr std::uint16_t kEtherTypeQinQ = 0x88A8;
constexpr std::uint16_t kEtherTypeQinQOld = 0x9100;
constexpr std::uint16_t kEtherTypePppoeSession = 0x8864;
constexpr std::uint16_t kEtherTypeMplsUnicast = 0x8847;
constexpr std::uint16_t kEtherTypeMplsMulticast = 0x8848;
constexpr int kMaxVlanTags = 2;
constexpr int kMaxMplsLabels = 8;
constexpr int kMaxIpv6ExtHeaders = 8;
constexpr std::uint16_t kEtherTypeTeb = 0x6558;       // transparent Ethernet bridging
constexpr std::uint16_t kEtherTypeErspan2 = 0x88BE;   // ERSPAN type I (no S bit) and II
constexpr std::uint16_t kEtherTypeErspan3 = 0x22EB;
constexpr std::uint16_t kVxlanPort = 4789;

DecodeStatus DecodeIpv4(const std::uint8_t* p, std::uint32_t len, bool snaplen_cut,
                        DecodedPacket& out, AnomalyCounters& anomalies);
DecodeStatus DecodeIpv6(const std::uint8_t* p, std::uint32_t len, bool snaplen_cut,
                        DecodedPacket& out, AnomalyCounters& anomalies);
DecodeStatus DecodeEthernet(const std::uint8_t* p, std::uint32_t len, bool snaplen_cut,
                            DecodedPacket& out, AnomalyCounters& anomalies);

std::uint16_t Be16(const std::uint8_t* p) {
  return static_cast<std::uint16_t>((p[0] << 8) | p[1]);
}
std::uint32_t Be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}
std::uint32_t Le32(const std::uint8_t* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
         p[0];
}

void ParseTcpOptions(const std::uint8_t* p, std::uint32_t len, TcpOptions& opt,
                     AnomalyCounters& anomalies) {
  std::uint32_t i = 0;
  while (i < len) {
    const std::uint8_t kind = p[i];
    if (opt.layout_len < TcpOptions::kMaxLayout) opt.layout[opt.layout_len++] = kind;
    if (kind == 0) return;  // end of option list
    if (kind == 1) {        // NOP
      ++i;
      continue;
    }
    if (i + 1 >= len || p[i + 1] < 2 || i + p[i + 1] > len) {
      anomalies.Add(Anomaly::kBadTcpOption);
      return;
    }
    const std::uint8_t olen = p[i + 1];
    switch (kind) {
      case 2:
        if (olen == 4) {
          opt.mss = Be16(p + i + 2);
          opt.has_mss = true;
        } else {
          anomalies.Add(Anomaly::kBadTcpOption);
        }
        break;
      case 3:
        if (olen == 3) {
          opt.wscale = p[i + 2];
          opt.has_wscale = true;
        } else {
          anomalies.Add(Anomaly::kBadTcpOption);
        }
        break;
      case 4:
        opt.sack_permitted = true;
        break;
      case 8:
        if (olen == 10) {
          opt.has_timestamp = true;
          opt.tsval = Be32(p + i + 2);
          opt.tsecr = Be32(p + i + 6);
        } else {
          anomalies.Add(Anomaly::kBadTcpOption);
        }
        break;
      default:
        break;
    }
    i += olen;
  }
}

// Transport header at p with `avail` captured bytes and `declared` bytes per the IP header.
DecodeStatus DecodeTransport(const std::uint8_t* p, std::uint32_t avail, std::uint32_t declared,
                             DecodedPacket& out, AnomalyCounters& anomalies) {
  switch (out.proto) {
    case kProtoTcp: {
      if (avail < 20) {
        anomalies.Add(Anomaly::kTruncatedTcp);
        return DecodeStatus::kBroken;
      }
      const std::uint32_t hlen = (p[12] >> 4) * 4u;
      if (hlen < 20 || hlen > avail) {
        anomalies.Add(hlen < 20 ? Anomaly::kBadTcpHeaderLength : Anomaly::kTruncatedTcp);
        return DecodeStatus::kBroken;
      }
      out.has_ports = true;
      out.src_port = Be16(p);
      out.dst_port = Be16(p + 2);
      out.tcp_seq = Be32(p + 4);
      out.tcp_ack = Be32(p + 8);
      out.tcp_flags = p[13];
      out.tcp_window = Be16(p + 14);
      if (hlen > 20) ParseTcpOptions(p + 20, hlen - 20, out.tcp_options, anomalies);
      out.payload = p + hlen;
      out.payload_len = avail - hlen;
      out.payload_wire_len = declared > hlen ? declared - hlen : 0;
      return DecodeStatus::kOk;
    }
    case kProtoUdp: {
      if (avail < 8) {
        anomalies.Add(Anomaly::kTruncatedUdp);
        return DecodeStatus::kBroken;
      }
      out.has_ports = true;
      out.src_port = Be16(p);
      out.dst_port = Be16(p + 2);
      std::uint32_t ulen = Be16(p + 4);
      if (ulen < 8 || ulen > declared) {
        // Length 0 is legal for UDP in IPv6 jumbograms; otherwise trust the IP length instead.
        anomalies.Add(Anomaly::kBadUdpLength);
        ulen = declared;
      }
      out.payload = p + 8;
      out.payload_wire_len = ulen - 8;
      out.payload_len = std::min(avail, ulen) - 8;
      return DecodeStatus::kOk;
    }
    case kProtoIcmp:
    case kProtoIcmpv6: {
      if (avail < 4) {
        anomalies.Add(Anomaly::kTruncatedIcmp);
        return DecodeStatus::kBroken;
      }
      out.icmp_type = p[0];
      out.icmp_code = p[1];
      out.has_ports = true;
      {
        const IcmpPorts m = IcmpPortEquivalents(out.proto, out.icmp_type, out.icmp_code);
        out.src_port = m.src_port;
        out.dst_port = m.dst_port;
        out.icmp_one_way = m.one_way;
      }
      out.payload = p + 4;
      out.payload_len = avail - 4;
      out.payload_wire_len = declared > 4 ? declared - 4 : 0;
      return DecodeStatus::kOk;
    }
    default:
      // GRE, ESP, AH, SCTP, ...: flows keyed by addresses and protocol; the rest is payload.
      out.payload = p;
      out.payload_len = avail;
      out.payload_wire_len = declared;
      return DecodeStatus::kOk;
  }
}

// Records the outer endpoints (outermost tunnel wins) before decoding the inner packet.
bool EnterTunnel(Encap type, DecodedPacket& out) {
  if (out.encap_depth >= kMaxEncapDepth) return false;
  if (out.encap == Encap::kNone) {
    out.encap = type;
    out.encap_src = out.src;
    out.encap_dst = out.dst;
  }
  ++out.encap_depth;
  return true;
}

DecodeStatus DecodeInnerEthernet(Encap type, const std::uint8_t* p, std::uint32_t len, bool cut,
                                 DecodedPacket& out, AnomalyCounters& anomalies) {
  if (!EnterTunnel(type, out)) return DecodeStatus::kOk;  // too deep: keep the outer flow
  out.vlan = {};
  out.vlan_count = 0;
  return DecodeEthernet(p, len, cut, out, anomalies);
}

// GRE (RFC 2784/2890): strips IP, transparent Ethernet and ERSPAN payloads; anything else
// (PPTP's PPP, keepalives) stays a GRE flow. Returns nullopt-like kBroken only on truncation.
bool TryDecodeGre(const std::uint8_t* p, std::uint32_t len, bool cut, DecodedPacket& out,
                  AnomalyCounters& anomalies, DecodeStatus* status) {
  if (len < 4) return false;
  const std::uint16_t flags = Be16(p);
  if ((flags & 0x7) != 0) return false;  // version 1 is PPTP's enhanced GRE: PPP inside
  std::uint32_t off = 4;
  if (flags & 0x8000) off += 4;  // checksum + reserved
  if (flags & 0x2000) off += 4;  // key
  const bool seq = flags & 0x1000;
  if (seq) off += 4;
  if (off > len) return false;
  const std::uint16_t type = Be16(p + 2);
  const std::uint8_t* inner = p + off;
  std::uint32_t ilen = len - off;
  switch (type) {
    case kEtherTypeIpv4:
    case kEtherTypeIpv6:
      if (!EnterTunnel(Encap::kGre, out)) return false;
      *status = type == kEtherTypeIpv4 ? DecodeIpv4(inner, ilen, cut, out, anomalies)
                                       : DecodeIpv6(inner, ilen, cut, out, anomalies);
      return true;
    case kEtherTypeTeb:
      *status = DecodeInnerEthernet(Encap::kGre, inner, ilen, cut, out, anomalies);
      return true;
    case kEtherTypeErspan2:
      // Type I has no sequence number and no header; type II carries an 8-byte header.
      if (seq) {
        if (ilen < 8) return false;
        inner += 8;
        ilen -= 8;
      }
      *status = DecodeInnerEthernet(Encap::kErspan, inner, ilen, cut, out, anomalies);
      return true;
    case kEtherTypeErspan3: {
      if (ilen < 12) return false;
      const bool platform = p[off + 11] & 0x01;  // O bit: an 8-byte platform sub-header follows
      const std::uint32_t hl = platform ? 20 : 12;
      if (ilen < hl) return false;
      *status = DecodeInnerEthernet(Encap::kErspan, inner + hl, ilen - hl, cut, out, anomalies);
      return true;
    }
    default:
      return false;
  }
}

// After an unfragmented (or first-fragment) IP header: a tunnel to strip, or the transport.
DecodeStatus DecodePayload(const std::uint8_t* p, std::uint32_t avail, std::uint32_t declared,
                           bool cut, DecodedPacket& out, AnomalyCounters& anomalies) {
  if (!out.is_fragment) {
    if ((out.proto == 4 || out.proto == 41) && EnterTunnel(Encap::kIpInIp, out)) {
      return out.proto == 4 ? DecodeIpv4(p, avail, cut, out, anomalies)
                            : DecodeIpv6(p, avail, cut, out, anomalies);
    }
    DecodeStatus st;
    if (out.proto == kProtoGre && TryDecodeGre(p, avail, cut, out, anomalies, &st)) return st;
  }
  const DecodeStatus st = DecodeTransport(p, avail, declared, out, anomalies);
  if (st == DecodeStatus::kOk && out.proto == kProtoUdp && !out.is_fragment &&
      out.dst_port == kVxlanPort && out.payload_len >= 8 + 14 && (out.payload[0] & 0x08)) {
    // VXLAN (RFC 7348): I flag set, 8-byte header, then the tenant's Ethernet frame.
    return DecodeInnerEthernet(Encap::kVxlan, out.payload + 8, out.payload_len - 8, cut, out,
                               anomalies);
  }
  return st;
}

DecodeStatus DecodeIpv4(const std::uint8_t* p, std::uint32_t len, bool snaplen_cut,
                        DecodedPacket& out, AnomalyCounters& anomalies) {
  if (len < 20) {
    anomalies.Add(Anomaly::kTruncatedIpv4);
    return DecodeStatus::kBroken;
  }
  if ((p[0] >> 4) != 4) {
    anomalies.Add(Anomaly::kBadIpv4Version);
    return DecodeStatus::kBroken;
  }
  const std::uint32_t hlen = (p[0] & 0x0F) * 4u;
  if (hlen < 20 || hlen > len) {
    anomalies.Add(Anomaly::kBadIpv4HeaderLength);
    return DecodeStatus::kBroken;
  }
  std::uint32_t total = Be16(p + 2);
  if (total < hlen) {
    // TSO/LRO captures write 0 here; fall back to what was captured rather than drop.
    if (total != 0) {
      anomalies.Add(Anomaly::kIpv4LengthMismatch);
      return DecodeStatus::kBroken;
    }
    total = len;
  }
  // We need the min() here because Ethernet frame padding can make the frame longer than the
  // IP packet; a frame shorter than the IP length is either snaplen (counted) or a lie.
  std::uint32_t avail = std::min(len, total);
  if (total > len && !snaplen_cut) anomalies.Add(Anomaly::kIpv4LengthMismatch);

  out.ip_version = 4;
  out.l3 = p;
  out.l3_len = avail;
  out.ttl = p[8];
  out.proto = p[9];
  out.ip_id = Be16(p + 4);
  out.src = IpAddress::V4(p + 12);
  out.dst = IpAddress::V4(p + 16);
  out.has_ip_options = hlen > 20;
  const std::uint16_t frag = Be16(p + 6);
  out.dont_fragment = frag & 0x4000;
  out.more_fragments = frag & 0x2000;
  out.frag_offset = static_cast<std::uint16_t>((frag & 0x1FFF) * 8);
  if (out.more_fragments || out.frag_offset != 0) {
    out.is_fragment = true;
    out.frag_id = out.ip_id;
    out.is_first_fragment = out.frag_offset == 0;
    if (!out.is_first_fragment) {
      out.payload = p + hlen;
      out.payload_len = avail - hlen;
      out.payload_wire_len = total - hlen;
      return DecodeStatus::kOk;
    }
  }
  return DecodePayload(p + hlen, avail - hlen, total - hlen, snaplen_cut, out, anomalies);
}

bool IsIpv6ExtensionHeader(std::uint8_t nh) {
  switch (nh) {
    case 0:    // hop-by-hop options
    case 43:   // routing
    case 44:   // fragment
    case 60:   // destination options
    case 51:   // authentication header (its length is in 4-byte units, handled below)
    case 135:  // mobility
    case 139:  // HIP
    case 140:  // shim6
      return true;
    default:
      return false;
  }
}

DecodeStatus DecodeIpv6(const std::uint8_t* p, std::uint32_t len, bool snaplen_cut,
                        DecodedPacket& out, AnomalyCounters& anomalies) {
  if (len < 40) {
    anomalies.Add(Anomaly::kTruncatedIpv6);
    return DecodeStatus::kBroken;
  }
  if ((p[0] >> 4) != 6) {
    anomalies.Add(Anomaly::kBadIpv6Version);
    return DecodeStatus::kBroken;
  }
  std::uint32_t total = 40u + Be16(p + 4);
  if (total == 40 && len > 40) total = len;  // jumbogram or TSO: payload length 0
  const std::uint32_t avail = std::min(len, total);
  if (total > len && !snaplen_cut) anomalies.Add(Anomaly::kIpv6LengthMismatch);

  out.ip_version = 6;
  out.ip_id = 0;
  out.l3 = p;
  out.l3_len = avail;
  out.ttl = p[7];
  out.src = IpAddress::V6(p + 8);
  out.dst = IpAddress::V6(p + 24);

  std::uint8_t nh = p[6];
  std::uint32_t off = 40;
  for (int n = 0; IsIpv6ExtensionHeader(nh); ++n) {
    if (n >= kMaxIpv6ExtHeaders) {
      anomalies.Add(Anomaly::kIpv6TooManyExtHeaders);
      return DecodeStatus::kBroken;
    }
    if (off + 8 > avail) {
      anomalies.Add(Anomaly::kIpv6ExtHeaderTruncated);
      return DecodeStatus::kBroken;
    }
    const std::uint8_t next = p[off];
    std::uint32_t ext_len;
    if (nh == 44) {
      ext_len = 8;
      const std::uint16_t fo = Be16(p + off + 2);
      out.is_fragment = true;
      out.frag_offset = static_cast<std::uint16_t>(fo & 0xFFF8);
      out.more_fragments = fo & 0x1;
      out.frag_id = Be32(p + off + 4);
      out.is_first_fragment = out.frag_offset == 0;
    } else if (nh == 51) {
      ext_len = (p[off + 1] + 2u) * 4u;
    } else {
      ext_len = (p[off + 1] + 1u) * 8u;
    }
    if (off + ext_len > avail) {
      anomalies.Add(Anomaly::kIpv6ExtHeaderTruncated);
      return DecodeStatus::kBroken;
    }
    off += ext_len;
    nh = next;
    if (out.is_fragment && !out.is_first_fragment) break;
  }
  out.proto = nh;
  if (out.is_fragment && !out.is_first_fragment) {
    out.payload = p + off;
    out.payload_len = avail - off;
    out.payload_wire_len = total - off;
    return DecodeStatus::kOk;
  }
  return DecodePayload(p + off, avail - off, total - off, snaplen_cut, out, anomalies);
}

// Dispatches on an EtherType-like protocol number after the link header.
DecodeStatus DecodeEtherPayload(std::uint16_t type, const std::uint8_t* p, std::uint32_t len,
                                bool snaplen_cut, DecodedPacket& out,
                                AnomalyCounters& anomalies) {
  for (int labels = 0;; ++labels) {
    switch (type) {
      case kEtherTypeIpv4:
        return DecodeIpv4(p, len, snaplen_cut, out, anomalies);
      case kEtherTypeIpv6:
        return DecodeIpv6(p, len, snaplen_cut, out, anomalies);
      case kEtherTypePppoeSession: {
        // PPPoE header (6 bytes) then the 2-byte PPP protocol: 0x0021 IPv4, 0x0057 IPv6.
        if (len < 8) {
          anomalies.Add(Anomaly::kTruncatedLinkHeader);
          return DecodeStatus::kBroken;
        }
        const std::uint16_t ppp = Be16(p + 6);
        p += 8;
        len -= 8;
        if (ppp == 0x0021) {
          type = kEtherTypeIpv4;
        } else if (ppp == 0x0057) {
          type = kEtherTypeIpv6;
        } else {
          anomalies.Add(Anomaly::kNonIpFrame);
          return DecodeStatus::kNotIp;
        }
        continue;
      }
      case kEtherTypeMplsUnicast:
      case kEtherTypeMplsMulticast: {
        if (labels >= kMaxMplsLabels || len < 4) {
          anomalies.Add(Anomaly::kTruncatedLinkHeader);
          return DecodeStatus::kBroken;
        }
        const bool bottom = p[2] & 0x01;
        p += 4;
        len -= 4;
        if (!bottom) continue;
        if (len < 1) {
          anomalies.Add(Anomaly::kTruncatedLinkHeader);
          return DecodeStatus::kBroken;
        }
        // MPLS does not say what it carries; the IP version nibble does.
        const int version = p[0] >> 4;
        if (version == 4) {
          type = kEtherTypeIpv4;
        } else if (version == 6) {
          type = kEtherTypeIpv6;
        } else {
          anomalies.Add(Anomaly::kNonIpFrame);
          return DecodeStatus::kNotIp;
        }
        continue;
      }
      default:
        anomalies.Add(Anomaly::kNonIpFrame);
        return DecodeStatus::kNotIp;
    }
  }
}

DecodeStatus DecodeEthernet(const std::uint8_t* p, std::uint32_t len, bool snaplen_cut,
                            DecodedPacket& out, AnomalyCounters& anomalies) {
  if (len < 14) {
    anomalies.Add(Anomaly::kTruncatedLinkHeader);
    return DecodeStatus::kBroken;
  }
  out.has_mac = true;
  std::copy(p, p + 6, out.dst_mac.begin());
  std::copy(p + 6, p + 12, out.src_mac.begin());
  std::uint16_t type = Be16(p + 12);
  std::uint32_t off = 14;
  int tags = 0;
  while (type == kEtherTypeVlan || type == kEtherTypeQinQ || type == kEtherTypeQinQOld) {
    if (off + 4 > len) {
      anomalies.Add(Anomaly::kTruncatedLinkHeader);
      return DecodeStatus::kBroken;
    }
    if (tags < kMaxVlanTags) {
      out.vlan[tags] = Be16(p + off) & 0x0FFF;
      out.vlan_count = static_cast<std::uint8_t>(tags + 1);
    } else if (tags == kMaxVlanTags) {
      anomalies.Add(Anomaly::kTooManyVlanTags);  // keep decoding; only two tags key the flow
    }
    ++tags;
    type = Be16(p + off + 2);
    off += 4;
  }
  if (type < 0x0600) {  // an 802.3 length field: LLC/SNAP frames, never IP in practice here
    anomalies.Add(Anomaly::kNonIpFrame);
    return DecodeStatus::kNotIp;
  }
  return DecodeEtherPayload(type, p + off, len - off, snaplen_cut, out, anomalies);
}

DecodeStatus DecodeByVersionNibble(const std::uint8_t* p, std::uint32_t len, bool snaplen_cut,
                                   DecodedPacket& out, AnomalyCounters& anomalies) {
  if (len < 1) {
    anomalies.Add(Anomaly::kTruncatedIpv4);
    return DecodeStatus::kBroken;
  }
  const int version = p[0] >> 4;
  if (version == 4) return DecodeIpv4(p, len, snaplen_cut, out, anomalies);
  if (version == 6) return DecodeIpv6(p, len, snaplen_cut, out, anomalies);
  anomalies.Add(Anomaly::kBadIpv4Version);
  return DecodeStatus::kBroken;
}

// NFLOG: a 4-byte header (address family, version, resource id) then TLVs whose 16-bit length
// (header included, host byte order of the capturing Linux box: little-endian on every platform
// that writes them in practice) is padded to 4 bytes. TLV type 9 (NFULA_PAYLOAD) is the packet.
DecodeStatus DecodeNflog(const std::uint8_t* p, std::uint32_t len, bool snaplen_cut,
                         DecodedPacket& out, AnomalyCounters& anomalies) {
  if (len < 4) {
    anomalies.Add(Anomaly::kTruncatedLinkHeader);
    return DecodeStatus::kBroken;
  }
  std::uint32_t off = 4;
  while (off + 4 <= len) {
    const std::uint32_t tlv_len = p[off] | (p[off + 1] << 8);
    const std::uint32_t type = p[off + 2] | (p[off + 3] << 8);
    if (tlv_len < 4) break;
    if (type == 9) {
      const std::uint32_t body = std::min(tlv_len - 4, len - off - 4);
      return DecodeByVersionNibble(p + off + 4, body, snaplen_cut || body < tlv_len - 4, out,
                                   anomalies);
    }
    off += (tlv_len + 3) & ~3u;
  }
  anomalies.Add(Anomaly::kTruncatedLinkHeader);
  return DecodeStatus::kBroken;
}

}  // namespace

DecodeStatus DecodeIp(const std::uint8_t* data, std::uint32_t len, bool snaplen_cut,
                      DecodedPacket& out, AnomalyCounters& anomalies) {
  return DecodeByVersionNibble(data, len, snaplen_cut, out, anomalies);
}

DecodeStatus Decode(const PacketView& packet, DecodedPacket& out, AnomalyCounters& anomalies) {
  out = DecodedPacket{};
  out.ts = packet.ts;
  out.wirelen = std::max(packet.wirelen, packet.caplen);
  out.caplen = packet.caplen;
  const std::uint8_t* p = packet.data;
  const std::uint32_t len = p ? packet.caplen : 0;
  const bool cut = packet.caplen < packet.wirelen;
  if (cut) anomalies.Add(Anomaly::kSnaplenTruncated);

  switch (packet.link) {
    case LinkType::kEthernet:
      return DecodeEthernet(p, len, cut, out, anomalies);
    case LinkType::kLinuxSll:
      if (len < 16) break;
      return DecodeEtherPayload(Be16(p + 14), p + 16, len - 16, cut, out, anomalies);
    case LinkType::kLinuxSll2:
      if (len < 20) break;
      return DecodeEtherPayload(Be16(p), p + 20, len - 20, cut, out, anomalies);
    case LinkType::kRaw:
      return DecodeByVersionNibble(p, len, cut, out, anomalies);
    case LinkType::kIpv4:
      return DecodeIpv4(p, len, cut, out, anomalies);
    case LinkType::kIpv6:
      return DecodeIpv6(p, len, cut, out, anomalies);
    case LinkType::kNull:
    case LinkType::kLoop: {
      if (len < 4) break;
      // DLT_NULL's family is in the capturing host's byte order, which we do not know: accept
      // either. AF_INET is 2 everywhere; AF_INET6 is 10 (Linux), 24, 28 or 30 (BSDs, macOS).
      const std::uint32_t fam =
          packet.link == LinkType::kLoop ? Be32(p) : (Le32(p) < 256 ? Le32(p) : Be32(p));
      if (fam == 2) return DecodeIpv4(p + 4, len - 4, cut, out, anomalies);
      if (fam == 10 || fam == 24 || fam == 28 || fam == 30) {
        return DecodeIpv6(p + 4, len - 4, cut, out, anomalies);
      }
      anomalies.Add(Anomaly::kNonIpFrame);
      return DecodeStatus::kNotIp;
    }
    case LinkType::kNflog:
      return DecodeNflog(p, len, cut, out, anomalies);
    case LinkType::kUnsupported:
      anomalies.Add(Anomaly::kUnsupportedLinkType);
      return DecodeStatus::kBroken;
  }
  anomalies.Add(Anomaly::kTruncatedLinkHeader);
  return DecodeStatus::kBroken;
}

}  // namespace parallax::core
