"""Minimal capture I/O for the scenario composer: read classic pcap and pcapng (any of the link
types the session folders use), hand back each IPv4 packet with its time, and write classic pcap.

Stdlib only and byte-level, so composing a scenario takes well under a second per capture and
never depends on how a dissector interprets a packet.
"""

from __future__ import annotations

import struct

ETH, NULL, RAW, RAW_ALT, LOOP, SLL, IPV4, SLL2 = 1, 0, 101, 12, 108, 113, 228, 276


def _ipv4_from_link(linktype: int, frame: bytes) -> bytes | None:
    """The IPv4 packet inside a frame (trimmed to its total length), or None."""
    off = None
    if linktype == ETH:
        if len(frame) < 14:
            return None
        off, etype = 14, struct.unpack_from("!H", frame, 12)[0]
        while etype in (0x8100, 0x88A8) and len(frame) >= off + 4:  # VLAN tags
            etype = struct.unpack_from("!H", frame, off + 2)[0]
            off += 4
        if etype == 0x8864 and len(frame) >= off + 8:  # PPPoE session, PPP protocol 0x0021
            if struct.unpack_from("!H", frame, off + 6)[0] != 0x0021:
                return None
            off, etype = off + 8, 0x0800
        if etype != 0x0800:
            return None
    elif linktype == NULL and len(frame) >= 4:
        fam_le, fam_be = struct.unpack_from("<I", frame)[0], struct.unpack_from(">I", frame)[0]
        off = 4 if 2 in (fam_le, fam_be) else None
    elif linktype == LOOP and len(frame) >= 4:
        off = 4 if struct.unpack_from(">I", frame)[0] == 2 else None
    elif linktype in (RAW, RAW_ALT, IPV4, 14):
        off = 0
    elif linktype == SLL and len(frame) >= 16:
        off = 16 if struct.unpack_from("!H", frame, 14)[0] == 0x0800 else None
    elif linktype == SLL2 and len(frame) >= 20:
        off = 20 if struct.unpack_from("!H", frame, 0)[0] == 0x0800 else None
    if off is None or len(frame) < off + 20 or frame[off] >> 4 != 4:
        return None
    total = struct.unpack_from("!H", frame, off + 2)[0]
    ip = frame[off:off + total] if total >= 20 else frame[off:]
    return ip if len(ip) >= (frame[off] & 0x0F) * 4 else None


def read_ipv4(path: str) -> list[tuple[int, bytes]]:
    """[(time in microseconds, IPv4 packet bytes)] in file order; other packets are skipped."""
    with open(path, "rb") as f:
        data = f.read()
    magic = data[:4]
    out: list[tuple[int, bytes]] = []
    if magic == b"\x0a\x0d\x0d\x0a":
        _read_pcapng(data, out)
        return out
    for endian in ("<", ">"):
        m = struct.unpack_from(endian + "I", data)[0]
        if m in (0xA1B2C3D4, 0xA1B23C4D):
            nano = m == 0xA1B23C4D
            linktype = struct.unpack_from(endian + "I", data, 20)[0] & 0x0FFFFFFF
            pos = 24
            while pos + 16 <= len(data):
                sec, frac, caplen, _ = struct.unpack_from(endian + "IIII", data, pos)
                frame = data[pos + 16:pos + 16 + caplen]
                pos += 16 + caplen
                ip = _ipv4_from_link(linktype, frame)
                if ip is not None:
                    out.append((sec * 1_000_000 + (frac // 1000 if nano else frac), ip))
            return out
    raise ValueError(f"{path}: not a pcap or pcapng file")


def _read_pcapng(data: bytes, out: list) -> None:
    pos, endian, ifaces = 0, "<", []  # ifaces: (linktype, ticks per second)
    while pos + 12 <= len(data):
        btype = struct.unpack_from(endian + "I", data, pos)[0]
        if btype == 0x0A0D0D0A:  # section header: byte order, and interfaces start over
            endian = "<" if struct.unpack_from("<I", data, pos + 8)[0] == 0x1A2B3C4D else ">"
            ifaces = []
        blen = struct.unpack_from(endian + "I", data, pos + 4)[0]
        if blen < 12 or pos + blen > len(data):
            break
        body = data[pos + 8:pos + blen - 4]
        if btype == 1:  # interface description: link type and if_tsresol
            linktype = struct.unpack_from(endian + "H", body)[0]
            tps = 1_000_000
            o = 8
            while o + 4 <= len(body):
                code, olen = struct.unpack_from(endian + "HH", body, o)
                if code == 0:
                    break
                if code == 9 and olen >= 1:
                    r = body[o + 4]
                    tps = 2 ** (r & 0x7F) if r & 0x80 else 10 ** r
                o += 4 + (olen + 3) // 4 * 4
            ifaces.append((linktype, tps))
        elif btype in (6, 2) and ifaces:  # enhanced / obsolete packet block
            if btype == 6:
                iface, hi, lo, caplen = struct.unpack_from(endian + "IIII", body)
                frame = body[20:20 + caplen]
            else:
                iface, _, hi, lo, caplen = struct.unpack_from(endian + "HHIII", body)
                frame = body[20:20 + caplen]
            linktype, tps = ifaces[iface] if iface < len(ifaces) else ifaces[0]
            ticks = (hi << 32) | lo
            ip = _ipv4_from_link(linktype, frame)
            if ip is not None:
                out.append((ticks * 1_000_000 // tps, ip))
        pos += blen


def write_pcap(path: str, frames: list[tuple[int, bytes]]) -> int:
    """Write Ethernet frames [(time in microseconds, bytes)] as a classic pcap; return its size."""
    parts = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, ETH)]
    for t, frame in frames:
        parts.append(struct.pack("<IIII", t // 1_000_000, t % 1_000_000, len(frame), len(frame)))
        parts.append(frame)
    data = b"".join(parts)
    with open(path, "wb") as f:
        f.write(data)
    return len(data)
