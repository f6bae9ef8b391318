#!/usr/bin/python3
"""Odd captures (hardening issue): SYN flood, fragment flood, maximum-size and zero-length
packets, snaplen-truncated capture, timestamps that jump backwards, decades forward and beyond
the year 9999 (pcapng), and a capture cut at every byte offset of its last records. Each must end in counted anomalies (exit
0) or a clear error naming the packet index and byte offset (exit 1), never a crash (a signal,
a sanitizer report), and the records read before an error must still be written.

usage: odd_captures_test.py PARALLAX BASE_PCAP|SESSIONS WORK_DIR
  (SESSIONS: generate the session captures there with scripts/make-sessions and cut the
  AnyDesk one)
"""

import json
import os
import random
import struct
import subprocess
import sys

PARALLAX, BASE, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
T0 = 1_767_225_600  # 2026-01-01T00:00:00Z


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def pcap(path, records, snaplen=262144):
    """records: (ts_seconds_float, frame bytes, wire length or None)."""
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, snaplen, 1))
        for ts, frame, wirelen in records:
            sec = int(ts)
            f.write(struct.pack("<IIII", sec, int((ts - sec) * 1e6), len(frame),
                                wirelen if wirelen is not None else len(frame)))
            f.write(frame)


def pcapng_seconds(path, frame, ticks_list):
    """pcapng whose interface gives timestamps in whole seconds (if_tsresol 0): 64-bit ticks
    reach ~1.8e19 s, far beyond what int64 microseconds hold."""
    def blk(btype, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", btype, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
    tsresol = struct.pack("<HH", 9, 1) + b"\0\0\0\0"  # option if_tsresol = 10^-0, padded
    out = blk(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
    out += blk(1, struct.pack("<HHI", 1, 0, 262144) + tsresol + struct.pack("<HH", 0, 0))
    for t in ticks_list:
        out += blk(6, struct.pack("<IIIII", 0, t >> 32, t & 0xFFFFFFFF, len(frame), len(frame)) + frame)
    with open(path, "wb") as f:
        f.write(out)


def ipv4(src, dst, proto, payload, ident=1, frag=0, total=None):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, total or 20 + len(payload), ident, frag, 64, proto,
                      0, bytes(src), bytes(dst))
    return b"\x02\0\0\0\0\1\x02\0\0\0\0\2\x08\0" + hdr + payload


def tcp(sport, dport, flags, payload=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, 1000, 0, 0x50, flags, 65535, 0, 0) + payload


def rand_ip(rng):
    return [10, rng.randrange(256), rng.randrange(256), rng.randrange(1, 255)]


def read(path, *extra):
    r = subprocess.run([PARALLAX, "read", path, "--no-geoip", "--events", "flow,stats", *extra],
                       capture_output=True, text=True)
    if r.returncode < 0 or r.returncode >= 128 or "Sanitizer" in r.stderr or "runtime error" in r.stderr:
        fail(f"{os.path.basename(path)}: crashed (exit {r.returncode}): {r.stderr[-1500:]}")
    events = [json.loads(l) for l in r.stdout.splitlines() if l.strip()]
    stats = [e["stats"] for e in events if e["event_type"] == "stats"]
    return r, events, stats[0] if stats else None


def expect(name, records, check, snaplen=262144):
    path = os.path.join(WORK, name + ".pcap")
    pcap(path, records, snaplen)
    r, events, stats = read(path)
    if r.returncode != 0 or stats is None:
        fail(f"{name}: exit {r.returncode}: {r.stderr.strip()}")
    why = check(stats)
    if why:
        fail(f"{name}: {why}; stats: {json.dumps(stats)[:600]}")
    a = stats["anomalies"]
    print(f"  {name}: {stats['packets']} packets, {stats['flows']['created']} flows, anomalies {a}")


def main():
    global BASE
    os.makedirs(WORK, exist_ok=True)
    if not BASE.endswith(".pcap"):
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        subprocess.run([os.path.join(root, "scripts/make-sessions"), BASE], check=True,
                       capture_output=True, cwd=root)
        BASE = os.path.join(BASE, "remote-anydesk.pcap")
    rng = random.Random(5)
    print("odd captures:")
    victim = [10, 0, 0, 1]
    expect("syn_flood", [(T0 + i * 1e-5, ipv4(rand_ip(rng), victim, 6, tcp(rng.randrange(1024, 65535), 443, 0x02)), None)
                         for i in range(20000)],
           lambda s: None if s["flows"]["created"] == 20000 else "each SYN is a flow")
    frags = []
    for i in range(5000):  # first fragments never completed, and orphan later fragments
        src = rand_ip(rng)
        frags.append((T0 + i * 1e-4, ipv4(src, victim, 17, struct.pack("!HHHH", 5000, 53, 1008, 0) + b"x" * 16,
                                          ident=i, frag=0x2000, total=44), None))
        frags.append((T0 + i * 1e-4 + 5e-5, ipv4(src, victim, 17, b"y" * 16, ident=60000 - i % 5000,
                                                  frag=0x2000 | 100), None))
    expect("fragment_flood", frags,
           lambda s: None if s["anomalies"].get("fragment_without_first", 0) == 5000 else
           "orphan fragments must be counted")
    big = ipv4([10, 0, 0, 2], victim, 6, tcp(1234, 80, 0x18, b"z" * (65535 - 40)))
    expect("max_and_zero_length", [(T0, big, None), (T0 + 1, b"", 0), (T0 + 2, b"", 1500),
                                   (T0 + 3, b"\x01" * 262144, None)],
           lambda s: None if s["anomalies"].get("truncated_link_header", 0) >= 2 and s["packets"] == 4
           else "zero-length frames must count as truncated_link_header")
    full = [(T0 + i, ipv4([10, 0, 0, 3], victim, 6, tcp(4321, 443, 0x18, b"p" * 1400)), None)
            for i in range(50)]
    expect("snaplen_truncated", [(ts, f[:64], len(f)) for ts, f, _ in full],
           lambda s: None if s["anomalies"].get("snaplen_truncated", 0) == 50 else
           "cut packets must count as snaplen_truncated", snaplen=64)
    # 2_100_000_000 is 2036 (a decade on); the classic pcap header's seconds are signed 32-bit in
    # libpcap, so that is as far forward as the format goes.
    jumps = [T0 + 100, T0 + 50, T0 + 10, T0 + 101, 2_100_000_000, 2_100_000_001, T0]
    expect("timestamps_backwards_and_far_forward",
           [(t, ipv4([10, 0, 0, 4], victim, 17, struct.pack("!HHHH", 999, 53, 8, 0)), None) for t in jumps],
           lambda s: None if s["anomalies"].get("timestamp_backwards", 0) == 3 else
           "backward jumps must be counted (t-50, t-90 and the return from 2036)")

    # pcapng in whole seconds: 2^62 s and 2^64-1 s (once a signed overflow when converted to
    # microseconds) and 10^12 s (year ~33,700) are out of range; the packets are still counted.
    far = os.path.join(WORK, "timestamps_beyond_9999.pcapng")
    frame = ipv4([10, 0, 0, 5], victim, 17, struct.pack("!HHHH", 999, 53, 8, 0))
    pcapng_seconds(far, frame, [T0, 1 << 62, (1 << 64) - 1, 10**12, T0 + 1])
    r, events, stats = read(far)
    if r.returncode != 0 or stats is None:
        fail(f"timestamps_beyond_9999: exit {r.returncode}: {r.stderr.strip()}")
    if stats["packets"] != 5 or stats["anomalies"].get("timestamp_out_of_range", 0) != 3:
        fail(f"timestamps_beyond_9999: 3 of 5 packets must count as timestamp_out_of_range: "
             f"{json.dumps(stats)[:600]}")
    print(f"  timestamps_beyond_9999 (pcapng, whole seconds): {stats['packets']} packets, "
          f"anomalies {stats['anomalies']}")

    # A real capture cut at every byte offset of its last three records.
    data = open(BASE, "rb").read()
    offsets, pos = [], 24
    while pos + 16 <= len(data):
        offsets.append(pos)
        pos += 16 + struct.unpack_from("<I", data, pos + 8)[0]
    total = len(offsets)
    start = offsets[-3]
    cut_path = os.path.join(WORK, "cut.pcap")
    outcomes = {}
    for cut in range(start, len(data)):
        with open(cut_path, "wb") as f:
            f.write(data[:cut])
        r, events, stats = read(cut_path)
        whole = sum(1 for o in offsets if o < cut and o + 16 + struct.unpack_from("<I", data, o + 8)[0] <= cut)
        if r.returncode == 0:
            if cut not in offsets:
                fail(f"cut at byte {cut}: a torn record was accepted silently")
            outcome = "clean end"
        else:
            want = f"corrupt capture at packet {whole + 1} (byte offset {[o for o in offsets if o <= cut][-1]})"
            if r.returncode != 1 or want not in r.stderr:
                fail(f"cut at byte {cut}: exit {r.returncode}, expected '{want}': {r.stderr.strip()}")
            outcome = "error naming packet and offset"
        if stats is None or stats["packets"] != whole:
            fail(f"cut at byte {cut}: the {whole} whole records before the cut must still be "
                 f"analysed and reported (stats: {stats and stats['packets']})")
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(f"  {os.path.basename(BASE)} ({total} records) cut at each of {len(data) - start} byte "
          f"offsets of its last 3 records: {outcomes}; every record before the cut reported")
    print("PASS")


if __name__ == "__main__":
    main()
