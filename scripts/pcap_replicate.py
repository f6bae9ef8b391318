#!/usr/bin/python3
"""Build a large benchmark capture by replicating real captures with rewritten addresses.

Usage: pcap_replicate.py -o OUT.pcap --copies N [--max-gap SECONDS] [--start EPOCH] SRC.pcap...

Only the Python standard library is used (no scapy): records are rewritten as bytes, which keeps
a million-packet build to seconds.

- Inputs must be classic pcap (convert pcapng first, e.g. `editcap -F pcap`), link type
  Ethernet (1) or NFLOG (239). NFLOG records are converted to Ethernet frames (the NFULA_PAYLOAD
  IP packet behind a synthetic Ethernet header) so the output has one link type.
- Copy k (k = 0..N-1) of every input has its IPv4/IPv6 source and destination addresses
  rewritten: the low 16 bits of each address are XORed with a per-copy mask (copy 0 is left
  unchanged). The rest of the address is kept, so private stays private and multicast stays
  multicast; unspecified, broadcast and multicast addresses are left alone. The mapping is
  one-to-one within a copy, so both directions of a flow stay one flow. IPv4 header checksums and
  TCP/UDP/ICMPv6 checksums are updated incrementally (RFC 1624), so they stay as valid as they were.
  Addresses inside tunnels (GRE, IP-in-IP, ...) are not rewritten.
- Timestamps: the inputs are themselves concatenations of captures years apart, with jumps of
  years between segments. Every inter-packet gap is clamped to [0, max-gap] seconds (default 1),
  and copies follow each other max-gap seconds apart, so the output is one monotonic timeline
  (it would not fit a 32-bit pcap timestamp otherwise).
- Output: little-endian, microsecond pcap, link type Ethernet, written in order
  copy 0 (input 1, input 2, ...), copy 1 (...), ...
Prints one line: "<packets> packets, <bytes> bytes, <copies> copies" on success.
"""
import argparse
import struct
import sys

LINKTYPE_ETHERNET = 1
LINKTYPE_NFLOG = 239
NFULA_PAYLOAD = 9

# Synthetic MACs for converted NFLOG packets (locally administered).
NFLOG_ETH_V4 = bytes.fromhex("020000000002" "020000000001" "0800")
NFLOG_ETH_V6 = bytes.fromhex("020000000002" "020000000001" "86dd")


def die(msg):
    print(f"pcap_replicate: {msg}", file=sys.stderr)
    sys.exit(1)


def read_pcap(path):
    """Yields (ts_seconds_float, orig_len, data) for each record; returns linktype first."""
    with open(path, "rb") as f:
        blob = f.read()
    if len(blob) < 24:
        die(f"{path}: too short for a pcap file")
    magic_le = struct.unpack("<I", blob[:4])[0]
    if magic_le in (0xA1B2C3D4, 0xA1B23C4D):
        e = "<"
    elif magic_le in (0xD4C3B2A1, 0x4D3CB2A1):
        e = ">"
    else:
        die(f"{path}: not a classic pcap file (pcapng? convert with 'editcap -F pcap')")
    nano = struct.unpack(e + "I", blob[:4])[0] == 0xA1B23C4D
    linktype = struct.unpack(e + "I", blob[20:24])[0] & 0x0FFFFFFF
    div = 1e9 if nano else 1e6
    recs = []
    off = 24
    hdr = struct.Struct(e + "IIII")
    n = len(blob)
    while off + 16 <= n:
        sec, frac, caplen, origlen = hdr.unpack_from(blob, off)
        off += 16
        if off + caplen > n:
            print(f"pcap_replicate: {path}: truncated last record ignored", file=sys.stderr)
            break
        recs.append((sec + frac / div, origlen, blob[off:off + caplen]))
        off += caplen
    return linktype, recs


def nflog_to_ethernet(data, origlen):
    """NFLOG record -> Ethernet frame carrying its NFULA_PAYLOAD, or None."""
    if len(data) < 4:
        return None
    off = 4
    n = len(data)
    while off + 4 <= n:
        tlv_len, tlv_type = struct.unpack_from("<HH", data, off)  # host order (little-endian)
        if tlv_len < 4:
            return None
        if (tlv_type & 0x7FFF) == NFULA_PAYLOAD:
            payload = data[off + 4:off + tlv_len]
            if not payload:
                return None
            ver = payload[0] >> 4
            if ver == 4:
                eth = NFLOG_ETH_V4
            elif ver == 6:
                eth = NFLOG_ETH_V6
            else:
                return None
            return eth + payload
        off += (tlv_len + 3) & ~3
    return None


class Packet:
    __slots__ = ("dt", "data", "addrs", "ip_csum", "l4_csum", "l4_udp")

    def __init__(self, dt, data):
        self.dt = dt            # gap to the previous packet (clamped), seconds
        self.data = data        # bytes, Ethernet frame
        self.addrs = []         # offsets of the last 16-bit word of addresses to rewrite
        self.ip_csum = -1       # offset of IPv4 header checksum or -1
        self.l4_csum = -1       # offset of TCP/UDP/ICMPv6 checksum or -1
        self.l4_udp = False     # UDP over IPv4: checksum 0 means "none"


def v4_special(a):
    return a[0] >= 224 or a == b"\x00\x00\x00\x00"  # multicast, class E, broadcast, unspecified


def v6_special(a):
    return a[0] == 0xFF or a == bytes(16)  # multicast, unspecified


def analyse(data):
    """Returns (addr_word_offsets, ip_csum_off, l4_csum_off, l4_is_udp_v4)."""
    n = len(data)
    off = 12
    if n < 14:
        return [], -1, -1, False
    etype = struct.unpack_from("!H", data, off)[0]
    off += 2
    while etype in (0x8100, 0x88A8, 0x9100) and off + 4 <= n:  # VLAN tags
        etype = struct.unpack_from("!H", data, off + 2)[0]
        off += 4
    addrs = []
    if etype == 0x0800 and off + 20 <= n:
        ihl = (data[off] & 0x0F) * 4
        if data[off] >> 4 != 4 or ihl < 20 or off + ihl > n:
            return [], -1, -1, False
        proto = data[off + 9]
        frag = struct.unpack_from("!H", data, off + 6)[0] & 0x1FFF
        if not v4_special(data[off + 12:off + 16]):
            addrs.append(off + 14)
        if not v4_special(data[off + 16:off + 20]):
            addrs.append(off + 18)
        if not addrs:
            return [], -1, -1, False
        l4 = off + ihl
        l4c = -1
        udp = False
        if frag == 0:
            if proto == 6 and l4 + 18 <= n:
                l4c = l4 + 16
            elif proto == 17 and l4 + 8 <= n:
                l4c = l4 + 6
                udp = True
        return addrs, off + 10, l4c, udp
    if etype == 0x86DD and off + 40 <= n:
        if data[off] >> 4 != 6:
            return [], -1, -1, False
        if not v6_special(data[off + 8:off + 24]):
            addrs.append(off + 22)
        if not v6_special(data[off + 24:off + 40]):
            addrs.append(off + 38)
        if not addrs:
            return [], -1, -1, False
        nxt = data[off + 6]
        l4 = off + 40
        # walk the usual extension headers (hop-by-hop, routing, destination options)
        while nxt in (0, 43, 60) and l4 + 8 <= n:
            nxt, hlen = data[l4], (data[l4 + 1] + 1) * 8
            l4 += hlen
        l4c = -1
        if nxt == 6 and l4 + 18 <= n:
            l4c = l4 + 16
        elif nxt == 17 and l4 + 8 <= n:
            l4c = l4 + 6
        elif nxt == 58 and l4 + 4 <= n:
            l4c = l4 + 2
        # (routing header type 0/segment routing would change the pseudo-header; rare, ignored)
        return addrs, -1, l4c, False
    return [], -1, -1, False


def fold(s):
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--copies", type=int, required=True)
    ap.add_argument("--max-gap", type=float, default=1.0)
    ap.add_argument("--start", type=float, default=1700000000.0, help="first timestamp (epoch s)")
    ap.add_argument("inputs", nargs="+")
    args = ap.parse_args()
    if args.copies < 1 or args.copies > 65535:
        die("--copies must be in 1..65535")

    sources = []
    for path in args.inputs:
        linktype, recs = read_pcap(path)
        if linktype not in (LINKTYPE_ETHERNET, LINKTYPE_NFLOG):
            die(f"{path}: link type {linktype} not supported (Ethernet or NFLOG only)")
        pkts = []
        prev = None
        dropped = 0
        for ts, origlen, data in recs:
            if linktype == LINKTYPE_NFLOG:
                data = nflog_to_ethernet(data, origlen)
                if data is None:
                    dropped += 1
                    continue
            dt = 0.0 if prev is None else min(max(ts - prev, 0.0), args.max_gap)
            prev = ts
            p = Packet(dt, data)
            p.addrs, p.ip_csum, p.l4_csum, p.l4_udp = analyse(data)
            # origlen is kept for Ethernet inputs (snapped records); converted NFLOG packets
            # are written whole.
            pkts.append((p, origlen if linktype == LINKTYPE_ETHERNET else len(data)))
        if dropped:
            print(f"pcap_replicate: {path}: {dropped} NFLOG records without an IP payload skipped",
                  file=sys.stderr)
        sources.append(pkts)

    rec_hdr = struct.Struct("<IIII")
    pack_h = struct.Struct("!H")
    t_us = int(args.start * 1e6)
    gap_us = int(args.max_gap * 1e6)
    total_pkts = 0
    total_bytes = 24
    with open(args.output, "wb") as out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, LINKTYPE_ETHERNET))
        for k in range(args.copies):
            mask = (k * 0x9E3B) & 0xFFFF  # odd multiplier: distinct per copy, 0 for copy 0
            chunks = []
            for si, pkts in enumerate(sources):
                if k or si:
                    t_us += gap_us
                first = True
                for p, origlen in pkts:
                    if not first:
                        t_us += int(p.dt * 1e6)
                    first = False
                    data = p.data
                    if mask and p.addrs:
                        buf = bytearray(data)
                        acc = 0
                        for a in p.addrs:
                            old = (buf[a] << 8) | buf[a + 1]
                            new = old ^ mask
                            buf[a] = new >> 8
                            buf[a + 1] = new & 0xFF
                            acc += (~old & 0xFFFF) + new
                        if p.ip_csum >= 0:
                            c = pack_h.unpack_from(buf, p.ip_csum)[0]
                            pack_h.pack_into(buf, p.ip_csum, ~fold((~c & 0xFFFF) + acc) & 0xFFFF)
                        if p.l4_csum >= 0:
                            c = pack_h.unpack_from(buf, p.l4_csum)[0]
                            if not (p.l4_udp and c == 0):
                                c = ~fold((~c & 0xFFFF) + acc) & 0xFFFF
                                if p.l4_udp and c == 0:
                                    c = 0xFFFF
                                pack_h.pack_into(buf, p.l4_csum, c)
                        data = bytes(buf)
                    chunks.append(rec_hdr.pack(t_us // 1000000, t_us % 1000000, len(data),
                                               max(origlen, len(data))))
                    chunks.append(data)
                    total_pkts += 1
                    total_bytes += 16 + len(data)
            out.write(b"".join(chunks))
    if t_us // 1000000 >= 2**32:
        die("timestamps overflow 32 bits; lower --start, --copies or --max-gap")
    print(f"{total_pkts} packets, {total_bytes} bytes, {args.copies} copies")


if __name__ == "__main__":
    main()
