"""Hosts, OS profiles, the pcap writer and the TCP/UDP flow builders.

Time convention: every timestamp is when the *sensor* sees the packet. The sensor sits on the LAN
beside the local device, so each Host carries `rtt`, its round trip from the sensor: about 0.5 ms
for the local device, the configured WAN RTT for remote peers. A packet that host B sends, seen at
time t, can only reflect what the sensor saw from the other end up to t - B.rtt (the trip from the
sensor to B plus the trip back). One rule, `horizon = t - sender.rtt`, gives every ACK number,
every TCP timestamp echo and both handshake gaps, so captures stay causally consistent at any RTT:
SYN -> SYN-ACK is the server's RTT from the sensor, SYN-ACK -> ACK the client's.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import random
import struct

from scapy.layers.inet import IP, TCP, UDP
from scapy.layers.inet6 import IPv6
from scapy.layers.l2 import Ether
from scapy.packet import Packet, Raw

EPS = 1e-9  # float slack: t + rtt - rtt must still count as "seen by then"


@dataclasses.dataclass(frozen=True)
class OsProfile:
    """What one OS's stack writes into the header fields a passive fingerprinter reads."""

    name: str
    ttl: int  # initial IPv4 TTL / IPv6 hop limit
    options_ts: tuple[str, ...]  # SYN / SYN-ACK option order when timestamps are in use
    options_no_ts: tuple[str, ...]  # ... and when they are not (p0f-style layouts)
    syn_window: int  # unscaled window in its SYN
    synack_window: int  # unscaled window in its SYN-ACK
    window: int  # window field once scaling is in force
    wscale: int
    offers_ts: bool  # puts TCP timestamps in its own SYN (Windows does not by default)
    ts_hz: int  # timestamp clock when timestamps are negotiated
    delack: float  # delayed-ACK timer for a lone segment, seconds
    ip_id: str  # "host": one counter for all flows; "flow": one per flow; "random"
    udp_df: bool  # sets DF on UDP (Linux path-MTU discovery does; Windows and macOS do not)


# Option orders as the stacks send them (p0f signatures): Windows 10/11, Linux 5.x/6.x, macOS 13+.
WINDOWS = OsProfile("windows", 128, ("MSS", "NOP", "WS", "SACK", "TS"),
                    ("MSS", "NOP", "WS", "NOP", "NOP", "SACK"),
                    64240, 65535, 1026, 8, False, 1000, 0.2, "host", False)
LINUX = OsProfile("linux", 64, ("MSS", "SACK", "TS", "NOP", "WS"),
                  ("MSS", "NOP", "NOP", "SACK", "NOP", "WS"),
                  64240, 65160, 502, 7, True, 1000, 0.04, "flow", True)
MACOS = OsProfile("macos", 64, ("MSS", "NOP", "WS", "NOP", "NOP", "TS", "SACK", "EOL"),
                  ("MSS", "NOP", "WS", "SACK", "EOL"),
                  65535, 65535, 2048, 6, True, 1000, 0.1, "random", False)


@dataclasses.dataclass
class Host:
    """One endpoint as the sensor sees it."""

    name: str  # role, e.g. "local device", "AnyDesk relay"
    ip: str
    os: OsProfile
    rtt: float  # round trip sensor <-> host, seconds
    mac: str  # MAC on the sensor's segment: the device's own, or the gateway's for remote hosts
    hops: int = 0  # routers between host and sensor: the TTL the sensor sees is os.ttl - hops
    rate_bps: float = 100e6  # how fast its back-to-back segments arrive at the sensor
    skew_ppm: float = 0.0  # TCP timestamp clock drift against the sensor (Kohno et al. 2005)

    @property
    def v6(self) -> bool:
        return ":" in self.ip


@dataclasses.dataclass
class _Rec:
    t: float
    src: Host
    dst: Host
    l4: Packet | bytes
    proto: int  # IP protocol number
    flow_key: tuple


class Capture:
    """Packets of one file, collected out of order and written sorted by sensor time.

    IP IDs are assigned at write time, in time order, from each source host's policy, so a host
    with one global counter (Windows) shows one rising sequence across all its flows (Bellovin's
    NAT host count needs exactly that).
    """

    def __init__(self, seed: str):
        self.seed = seed
        self._recs: list[_Rec] = []

    def rng(self, label: str) -> random.Random:
        """A generator of its own per label: adding a flow never shifts another flow's numbers."""
        return random.Random(f"{self.seed}/{label}")

    def add(self, t: float, src: Host, dst: Host, l4: Packet | bytes, proto: int,
            flow_key: tuple) -> None:
        self._recs.append(_Rec(t, src, dst, l4, proto, flow_key))

    def udp(self, t: float, src: Host, dst: Host, sport: int, dport: int, payload: bytes) -> None:
        key = (17,) + tuple(sorted([(src.ip, sport), (dst.ip, dport)]))
        self.add(t, src, dst, UDP(sport=sport, dport=dport) / Raw(payload), 17, key)

    def raw_ip(self, t: float, src: Host, dst: Host, proto: int, payload: bytes) -> None:
        """A packet with no transport header we model, e.g. ESP (protocol 50)."""
        key = (proto,) + tuple(sorted([src.ip, dst.ip]))
        self.add(t, src, dst, payload, proto, key)

    def __len__(self) -> int:
        return len(self._recs)

    def write(self, path: str) -> tuple[int, int]:
        """Write a classic pcap (Ethernet, microseconds); return (packets, bytes on disk)."""
        rng = self.rng("ip-id")
        counters: dict[tuple, int] = {}
        order = sorted(range(len(self._recs)), key=lambda i: (self._recs[i].t, i))
        out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
        for i in order:
            r = self._recs[i]
            frame = bytes(Ether(src=r.src.mac, dst=r.dst.mac) / self._ip(r, rng, counters))
            usec = round(r.t * 1e6)
            out.append(struct.pack("<IIII", usec // 1_000_000, usec % 1_000_000,
                                   len(frame), len(frame)))
            out.append(frame)
        data = b"".join(out)
        with open(path, "wb") as f:
            f.write(data)
        return len(order), len(data)

    @staticmethod
    def _ip(r: _Rec, rng: random.Random, counters: dict) -> Packet:
        hlim = r.src.os.ttl - r.src.hops
        df = r.proto == 6 or r.src.os.udp_df
        if r.src.v6:
            fl = random.Random(f"fl/{r.flow_key}/{r.src.ip}").getrandbits(20)
            ip = IPv6(src=r.src.ip, dst=r.dst.ip, hlim=hlim, fl=fl, nh=r.proto)
        else:
            policy = r.src.os.ip_id
            if policy == "random":
                ipid = rng.getrandbits(16)
            else:
                key = (r.src.ip,) if policy == "host" else (r.src.ip, r.flow_key)
                if key not in counters:
                    counters[key] = rng.getrandbits(16)
                counters[key] = (counters[key] + 1) & 0xFFFF
                ipid = counters[key]
            ip = IP(src=r.src.ip, dst=r.dst.ip, ttl=hlim, id=ipid, flags="DF" if df else 0,
                    proto=r.proto)
        return ip / (Raw(r.l4) if isinstance(r.l4, bytes) else r.l4)


def default_mss(host: Host) -> int:
    """Ethernet MTU 1500 minus IP and TCP headers (40 bytes for IPv4, 60 for IPv6)."""
    return 1440 if host.v6 else 1460


@dataclasses.dataclass
class _Seg:
    t: float
    side: int  # 0 client, 1 server
    seq: int  # relative: SYN is 0, first data byte 1
    payload: bytes
    flags: str

    @property
    def length(self) -> int:
        return len(self.payload) + ("S" in self.flags) + ("F" in self.flags)


class TcpFlow:
    """One TCP connection: 3-way handshake, data, FIN teardown.

    Callers add data in time order per direction with send(); render() then derives what a real
    pair of stacks would have added: ACK numbers and TCP timestamp echoes from the horizon rule in
    the module docstring, pure ACKs every second segment, and delayed ACKs (the receiver's OS
    timer) for a lone segment unless the receiver's own data carries the ACK sooner.
    """

    def __init__(self, cap: Capture, client: Host, server: Host, sport: int, dport: int, *,
                 client_mss: int | None = None, server_mss: int | None = None):
        self.cap = cap
        self.hosts = (client, server)
        self.ports = (sport, dport)
        self.key = (6,) + tuple(sorted([(client.ip, sport), (server.ip, dport)]))
        rng = cap.rng(f"tcp/{client.ip}:{sport}>{server.ip}:{dport}")
        self.isn = (rng.getrandbits(32), rng.getrandbits(32))
        self.ts_off = (rng.getrandbits(32), rng.getrandbits(32))  # per-connection, as Linux 4.10+
        self.mss = (client_mss or default_mss(client), server_mss or default_mss(server))
        self.use_ts = client.os.offers_ts  # every profile here answers timestamps when offered
        self._segs: list[_Seg] = []
        self._next = [1, 1]
        self._busy = [0.0, 0.0]
        self.established = None

    # -- building --------------------------------------------------------------------------

    def connect(self, t: float) -> float:
        """SYN at t; return the time the client's ACK is seen (data may follow at once)."""
        client, server = self.hosts
        t_synack = t + server.rtt
        t_ack = t_synack + client.rtt
        self._segs += [_Seg(t, 0, 0, b"", "S"), _Seg(t_synack, 1, 0, b"", "SA"),
                       _Seg(t_ack, 0, 1, b"", "A")]
        self._busy = [t_ack + 0.00003, t_synack]  # the first data leaves just after the ACK
        self.established = t_ack
        return t_ack

    def send(self, t: float, side: int, data: bytes) -> float:
        """Queue data from side 0 (client) or 1 (server) at t; return when its last segment
        is seen. Segments follow back to back at the sender's rate, after anything queued."""
        host = self.hosts[side]
        per = self.mss[1 - side] - (12 if self.use_ts else 0)
        gap = (per + 66) * 8 / host.rate_bps
        start = max(t, self._busy[side])
        chunks = [data[i:i + per] for i in range(0, len(data), per)] or [b""]
        for i, chunk in enumerate(chunks):
            last = i == len(chunks) - 1
            self._segs.append(_Seg(start + i * gap, side, self._next[side], chunk,
                                   "PA" if last else "A"))
            self._next[side] += len(chunk)
        end = start + (len(chunks) - 1) * gap
        self._busy[side] = end + gap
        return end

    def close(self, t: float, side: int = 0) -> float:
        """FIN from `side` at t, the peer's FIN+ACK one peer-RTT later, then the last ACK."""
        closer, peer = self.hosts[side], self.hosts[1 - side]
        t_fin = max(t, self._busy[side])
        t_fin2 = max(t_fin + peer.rtt, self._busy[1 - side])
        t_last = t_fin2 + closer.rtt
        self._segs += [_Seg(t_fin, side, self._next[side], b"", "FA"),
                       _Seg(t_fin2, 1 - side, self._next[1 - side], b"", "FA"),
                       _Seg(t_last, side, self._next[side] + 1, b"", "A")]
        self._next = [n + 1 for n in self._next]
        self._busy = [t_last, t_fin2]
        return t_last

    # -- rendering -------------------------------------------------------------------------

    def render(self) -> None:
        """Add every packet of the connection to the capture."""
        segs = sorted(self._segs + self._pure_acks(0) + self._pure_acks(1), key=lambda s: s.t)
        times = [[s.t for s in segs if s.side == k] for k in (0, 1)]
        ends = [[], []]
        for s in segs:
            prev = ends[s.side][-1] if ends[s.side] else 0
            ends[s.side].append(max(prev, s.seq + s.length))
        tsvals = [[self._tsval(s.side, s.t) for s in segs if s.side == k] for k in (0, 1)]
        for s in segs:
            me, peer = self.hosts[s.side], self.hosts[1 - s.side]
            other = 1 - s.side
            seen = bisect.bisect_right(times[other], s.t - me.rtt + EPS)
            ack_rel = ends[other][seen - 1] if seen else 0
            opts = self._options(s, tsvals[other][seen - 1] if seen else 0)
            window = (me.os.syn_window if s.flags == "S" else
                      me.os.synack_window if s.flags == "SA" else me.os.window)
            tcp = TCP(sport=self.ports[s.side], dport=self.ports[other],
                      seq=(self.isn[s.side] + s.seq) & 0xFFFFFFFF,
                      ack=(self.isn[other] + ack_rel) & 0xFFFFFFFF if "A" in s.flags else 0,
                      flags=s.flags, window=window, options=opts)
            self.cap.add(s.t, me, peer, tcp / Raw(s.payload) if s.payload else tcp, 6, self.key)

    def _pure_acks(self, sender: int) -> list[_Seg]:
        """ACKs that `1 - sender` owes for `sender`'s data: one per two segments at once, a lone
        segment after the receiver's delayed-ACK timer, none if the receiver sends first."""
        rx = 1 - sender
        host = self.hosts[rx]
        events = [(s.t + host.rtt, 0) for s in self._segs if s.side == sender and s.payload]
        events += [(s.t, 1) for s in self._segs if s.side == rx and (s.payload or "F" in s.flags)]
        events.sort()
        acks, pending, timer = [], 0, None
        for t, kind in events:
            if timer is not None and timer < t - EPS:
                acks.append(timer)
                pending, timer = 0, None
            if kind == 1:  # the receiver's own segment carries the ACK
                pending, timer = 0, None
                continue
            pending += 1
            if pending >= 2:
                timer = t  # due now, unless the receiver's own segment at this instant carries it
            elif timer is None:
                timer = t + host.os.delack
        if timer is not None:
            acks.append(timer)
        # A pure ACK carries the receiver's next sequence number at that moment.
        own = sorted((s.t, s.seq + s.length) for s in self._segs if s.side == rx and "S" not in s.flags)
        own_times = [t for t, _ in own]
        next_seq = list(itertools.accumulate((end for _, end in own), max, initial=1))
        return [_Seg(t, rx, next_seq[bisect.bisect_right(own_times, t + EPS)], b"", "A")
                for t in acks]

    def _tsval(self, side: int, t: float) -> int:
        host = self.hosts[side]
        ticks = (t - host.rtt / 2) * host.os.ts_hz * (1 + host.skew_ppm * 1e-6)
        return (self.ts_off[side] + int(ticks)) & 0xFFFFFFFF

    def _options(self, s: _Seg, tsecr: int) -> list:
        tsval = self._tsval(s.side, s.t)
        if "S" not in s.flags:
            return [("NOP", None), ("NOP", None), ("Timestamp", (tsval, tsecr))] if self.use_ts else []
        os_ = self.hosts[s.side].os
        ts_here = self.use_ts if s.flags == "SA" else os_.offers_ts
        opts = []
        for name in os_.options_ts if ts_here else os_.options_no_ts:
            if name == "MSS":
                opts.append(("MSS", self.mss[s.side]))
            elif name == "NOP":
                opts.append(("NOP", None))
            elif name == "WS":
                opts.append(("WScale", os_.wscale))
            elif name == "SACK":
                opts.append(("SAckOK", b""))
            elif name == "EOL":
                opts.append(("EOL", None))
            elif name == "TS":
                opts.append(("Timestamp", (tsval, tsecr if s.flags == "SA" else 0)))
        return opts


class UdpFlow:
    """A UDP conversation between two fixed endpoints, for readability at call sites."""

    def __init__(self, cap: Capture, a: Host, b: Host, aport: int, bport: int):
        self.cap, self.hosts, self.ports = cap, (a, b), (aport, bport)

    def send(self, t: float, side: int, payload: bytes) -> None:
        self.cap.udp(t, self.hosts[side], self.hosts[1 - side], self.ports[side],
                     self.ports[1 - side], payload)

    def reply_time(self, t: float, responder: int, processing: float = 0.0) -> float:
        """When the answer to a datagram seen at t is seen: the responder's RTT plus its work."""
        return t + self.hosts[responder].rtt + processing
