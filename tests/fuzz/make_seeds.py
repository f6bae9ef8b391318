#!/usr/bin/python3
"""Writes fuzz seeds (the fuzz_packet_path input format) from capture files.

usage: make_seeds.py OUT_DIR CAPTURE...   (pcap or pcapng; up to 64 frames per seed)

Reads captures with scapy's raw readers (no dissection), so any link type libpcap writes works.
"""
import os
import struct
import sys

from scapy.utils import RawPcapNgReader, RawPcapReader  # Debian python3-scapy

# Our link-type selector (fuzz_packet_path.cpp kLinks order) by DLT number.
LINKS = {1: 0, 113: 1, 276: 2, 101: 3, 12: 3, 228: 4, 229: 5, 0: 6, 108: 7, 239: 8}
MAX_FRAMES = 64


def frames(path):
    try:
        reader = RawPcapReader(path)
        linktype = reader.linktype
    except Exception:  # noqa: BLE001 - not a pcap: try pcapng
        reader = RawPcapNgReader(path)
        linktype = getattr(reader, "linktype", 1)
    last = None
    for data, meta in reader:
        t = getattr(meta, "sec", None)
        if t is not None:
            now = meta.sec + meta.usec / 1e6
        else:
            now = ((meta.tshigh << 32) | meta.tslow) / 1e6 if hasattr(meta, "tshigh") else 0
        step = 0 if last is None else max(0, min(255, int((now - last) * 1000 / 7)))
        last = now
        yield linktype, data, step


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for path in sys.argv[2:]:
        try:
            chunk, link, n = bytearray(), None, 0
            for linktype, data, step in frames(path):
                if link is None:
                    if linktype not in LINKS:
                        break
                    link = LINKS[linktype]
                    chunk.append(link)
                data = data[:65535]
                chunk += struct.pack("<HB", len(data), step) + data
                n += 1
                if n >= MAX_FRAMES:
                    break
            if link is not None and n:
                name = os.path.basename(path).replace(".", "_")
                with open(os.path.join(out, name), "wb") as f:
                    f.write(chunk)
        except Exception as e:  # noqa: BLE001 - a capture scapy cannot read is just not a seed
            print(f"make_seeds: skipping {path}: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
