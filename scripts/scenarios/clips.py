"""Cut flows out of a session capture and re-stage them: new addresses, ports, MACs, TTLs, IP IDs
and times, with the TCP handshake gaps set from the new hosts' round trips.

A *clip* is a set of flows from one capture plus a role for each original address ("device",
"peer", "controller"...). `stage()` maps every role to a Host of the scenario and returns Ethernet
frames with fresh IPv4 and TCP/UDP checksums.

Timing: every packet keeps its offset from the clip's first packet, except that each TCP flow
whose handshake was captured gets the handshake the sensor would see for the new hosts: SYN to
SYN-ACK = the responder's RTT from the sensor, SYN-ACK to ACK = the initiator's RTT (BACKGROUND.md);
the rest of the flow moves with its ACK. A host with `extra_leg_ms` (a TCP-terminating relay: the
handshake is answered by the relay, the application by someone further away) also delays every
turn of the conversation it answers by that much.
"""

from __future__ import annotations

import dataclasses
import hashlib
import ipaddress
import struct
from collections import defaultdict

from . import pcapio

TCP, UDP = 6, 17


@dataclasses.dataclass(frozen=True)
class Host:
    name: str
    ip: str
    mac: str
    rtt_ms: float  # round trip from the sensor
    hops: int = 0  # routers between host and sensor
    ttl_init: int | None = None  # force an initial TTL (e.g. a Linux relay answering for Windows)
    extra_leg_ms: float = 0.0  # hidden leg behind a TCP-terminating relay
    ipid_key: str | None = None  # hosts sharing a key send from one IPv4 ID counter (one device)


@dataclasses.dataclass
class Pkt:
    t: int  # microseconds
    ip: bytes
    src: str
    dst: str
    proto: int
    sport: int
    dport: int
    flags: int  # TCP flags, 0 otherwise
    payload: int  # transport payload length

    @property
    def key(self) -> tuple:
        return (self.proto,) + tuple(sorted([(self.src, self.sport), (self.dst, self.dport)]))


def parse(t: int, ip: bytes) -> Pkt:
    ihl = (ip[0] & 0x0F) * 4
    proto = ip[9]
    src, dst = str(ipaddress.IPv4Address(ip[12:16])), str(ipaddress.IPv4Address(ip[16:20]))
    frag = struct.unpack_from("!H", ip, 6)[0] & 0x1FFF
    sport = dport = flags = 0
    payload = len(ip) - ihl
    if frag == 0 and proto == TCP and len(ip) >= ihl + 20:
        sport, dport = struct.unpack_from("!HH", ip, ihl)
        doff = (ip[ihl + 12] >> 4) * 4
        flags = ip[ihl + 13]
        payload = max(0, len(ip) - ihl - doff)
    elif frag == 0 and proto == UDP and len(ip) >= ihl + 8:
        sport, dport = struct.unpack_from("!HH", ip, ihl)
        payload = len(ip) - ihl - 8
    return Pkt(t, ip, src, dst, proto, sport, dport, flags, payload)


class Capture:
    """A session capture as flows (IPv4 TCP/UDP only)."""

    def __init__(self, path: str):
        self.path = path
        self.pkts = [parse(t, ip) for t, ip in pcapio.read_ipv4(path)]
        self.pkts = [p for p in self.pkts if p.proto in (TCP, UDP)]
        self.pkts.sort(key=lambda p: p.t)  # some public captures are not in time order
        self.flows: dict[tuple, list[Pkt]] = defaultdict(list)
        for p in self.pkts:
            self.flows[p.key].append(p)

    @staticmethod
    def initiator(flow: list[Pkt]) -> tuple[str, int]:
        for p in flow:
            if p.proto == TCP and p.flags & 0x12 == 0x02:  # SYN without ACK
                return p.src, p.sport
        return flow[0].src, flow[0].sport

    @staticmethod
    def payload_by(flow: list[Pkt]) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for p in flow:
            out[p.src] += p.payload
        return out


@dataclasses.dataclass
class Clip:
    """Flows of one capture, each original address with a role."""

    source: str
    flows: list[list[Pkt]]
    roles: dict[str, str]  # original address -> role

    def describe(self) -> str:
        by_role = sorted(self.roles.items(), key=lambda x: x[1])
        pairs = ", ".join(f"{ip}={role}" for ip, role in by_role)
        n = sum(len(f) for f in self.flows)
        return f"{self.source}: {len(self.flows)} flows, {n} packets ({pairs})"


def _client(flow: list[Pkt]) -> str:
    """The client end of a flow: the SYN sender; for UDP the end not on a service port
    (< 1024, e.g. 53), else the first sender."""
    if flow[0].proto == TCP and any(p.flags & 0x12 == 0x02 for p in flow):
        return Capture.initiator(flow)[0]
    p = flow[0]
    if p.sport < 1024 <= p.dport:
        return p.dst
    return p.src


def _hub(cap: Capture, keys: list[tuple]) -> str | None:
    """The address that is the client of the most flows (then: in the most flows, private,
    most packets)."""
    score: dict[str, list] = defaultdict(lambda: [0, 0, False, 0])
    for k in keys:
        flow = cap.flows[k]
        client = _client(flow)
        for ip, _ in k[1:]:
            score[ip][0] += ip == client
            score[ip][1] += 1
            score[ip][2] = ipaddress.IPv4Address(ip).is_private
            score[ip][3] += len(flow)
    if not score:
        return None
    return max(sorted(score), key=lambda ip: tuple(score[ip]))


def client_clip(cap: Capture, want, min_packets: int = 2) -> Clip | None:
    """The flows `want(flow)` accepts around the busiest address ("device"); every other
    address is a "peer". None if nothing qualifies."""
    keys = [k for k, f in cap.flows.items() if len(f) >= min_packets and want(f)]
    hub = _hub(cap, keys)
    if hub is None:
        return None
    flows = [cap.flows[k] for k in keys if any(ip == hub for ip, _ in k[1:])]
    roles = {hub: "device"}
    for f in sorted(flows, key=lambda f: f[0].t):
        for ip in (f[0].src, f[0].dst):
            roles.setdefault(ip, "peer")
    return Clip(cap.path, sorted(flows, key=lambda f: f[0].t), roles)


def biggest_conversation_clip(cap: Capture, want) -> Clip | None:
    """The accepted flow with the most packets, plus every accepted flow between the same two
    addresses; its initiator is the "device" (the tunnel client), the other end the "server"."""
    keys = [k for k, f in cap.flows.items() if want(f)]
    if not keys:
        return None
    best = max(keys, key=lambda k: (len(cap.flows[k]), k))
    dev, _ = Capture.initiator(cap.flows[best])
    other = best[1][0] if best[1][0] != dev else best[2][0]
    pair = {dev, other}
    flows = [cap.flows[k] for k in keys if {k[1][0], k[2][0]} == pair]
    return Clip(cap.path, sorted(flows, key=lambda f: f[0].t), {dev: "device", other: "server"})


def remote_control_clip(cap: Capture, ports: set[int], min_payload: int = 1000) -> Clip | None:
    """A remote-control session: the TCP flow on one of `ports` (any TCP flow if none) with the
    most payload. The side sending more (the screen) is the "device" (controlled), the other the
    "controller". The device's flows with third parties (relay, DNS) come along as "peer"s."""
    tcp = [f for f in cap.flows.values() if f[0].proto == TCP]
    on_port = [f for f in tcp if f[0].sport in ports or f[0].dport in ports]
    pool = on_port or tcp
    if not pool:
        return None
    session = max(pool, key=lambda f: (sum(p.payload for p in f), f[0].t))
    by = Capture.payload_by(session)
    if sum(by.values()) < min_payload:
        return None
    a, b = session[0].src, session[0].dst
    dev, ctrl = (a, b) if by.get(a, 0) >= by.get(b, 0) else (b, a)
    flows = [session]
    for f in cap.flows.values():
        ends = {f[0].src, f[0].dst}
        if f is not session and dev in ends and ctrl not in ends:
            flows.append(f)
    roles = {dev: "device", ctrl: "controller"}
    for f in flows:
        for ip in (f[0].src, f[0].dst):
            roles.setdefault(ip, "peer")
    return Clip(cap.path, sorted(flows, key=lambda f: f[0].t), roles)


# --- staging ----------------------------------------------------------------------------------

def _csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _mac(text: str) -> bytes:
    return bytes(int(x, 16) for x in text.split(":"))


def _initial_ttl(ttl: int) -> int:
    return next(x for x in (32, 64, 128, 255) if ttl <= x)


def _move_port(port: int, delta: int) -> int:
    if port >= 49152:
        return 49152 + (port - 49152 + delta) % 16384
    if port >= 32768:
        return 32768 + (port - 32768 + delta) % 28232
    return port


def _seed(label: str) -> int:
    return int.from_bytes(hashlib.sha256(label.encode()).digest()[:4], "big")


def rewrite(p: Pkt, src: Host, dst: Host, sport: int, dport: int, ipid_delta: int) -> bytes:
    ip = bytearray(p.ip)
    ihl = (ip[0] & 0x0F) * 4
    ip[12:16] = ipaddress.IPv4Address(src.ip).packed
    ip[16:20] = ipaddress.IPv4Address(dst.ip).packed
    ip[8] = max(1, (src.ttl_init or _initial_ttl(ip[8])) - src.hops)
    struct.pack_into("!H", ip, 4, (struct.unpack_from("!H", ip, 4)[0] + ipid_delta) & 0xFFFF)
    ip[10:12] = b"\x00\x00"
    struct.pack_into("!H", ip, 10, _csum(bytes(ip[:ihl])))
    frag = struct.unpack_from("!H", ip, 6)[0] & 0x3FFF  # offset or more-fragments: no whole L4
    if p.proto in (TCP, UDP) and frag == 0 and len(ip) >= ihl + (20 if p.proto == TCP else 8):
        struct.pack_into("!HH", ip, ihl, sport, dport)
        coff = ihl + (16 if p.proto == TCP else 6)
        ip[coff:coff + 2] = b"\x00\x00"
        l4 = bytes(ip[ihl:])
        if p.proto == UDP:
            struct.pack_into("!H", ip, ihl + 4, len(l4))
            l4 = bytes(ip[ihl:])
        pseudo = bytes(ip[12:20]) + struct.pack("!BBH", 0, p.proto, len(l4))
        c = _csum(pseudo + l4)
        if p.proto == UDP and c == 0:
            c = 0xFFFF
        struct.pack_into("!H", ip, coff, c)
    return _mac(dst.mac) + _mac(src.mac) + b"\x08\x00" + bytes(ip)


def _retime(flow: list[Pkt], hosts: dict[str, Host]) -> list[int]:
    """Per-packet time shifts (microseconds) that give the flow the new hosts' handshake gaps
    and, for a host behind a TCP-terminating relay, the hidden leg on every turn it answers."""
    shifts = [0] * len(flow)
    if flow[0].proto != TCP:
        return shifts
    syn = next((i for i, p in enumerate(flow) if p.flags & 0x12 == 0x02), None)
    if syn is None:
        return shifts
    cli = flow[syn].src
    synack = next((i for i in range(syn + 1, len(flow))
                   if flow[i].flags & 0x12 == 0x12 and flow[i].src != cli), None)
    if synack is None:
        return shifts
    ack = next((i for i in range(synack + 1, len(flow))
                if flow[i].src == cli and flow[i].flags & 0x10), None)
    srv = flow[synack].src
    g1 = round(hosts[srv].rtt_ms * 1000)
    g2 = round(hosts[cli].rtt_ms * 1000)
    t_syn, t_sa = flow[syn].t, flow[synack].t
    d1 = (t_syn + g1) - t_sa
    d2 = d1 if ack is None else (t_syn + g1 + g2) - flow[ack].t
    extra = {ip: round(h.extra_leg_ms * 1000) for ip, h in hosts.items() if h.extra_leg_ms}
    offset, last_talker = 0, None
    for i, p in enumerate(flow):
        if i < synack:
            continue
        base = d1 if (ack is None or i < ack) else d2
        if ack is not None and i > ack and p.payload:
            if p.src in extra and last_talker not in (None, p.src):
                offset += extra[p.src]  # this side answers only after the hidden leg
            last_talker = p.src
        shifts[i] = base + offset
    return shifts


def stage(clip: Clip, hosts_by_role: dict, start_us: int, label: str,
          max_pkts_per_flow: int | None = None) -> list[tuple[int, bytes, str | None]]:
    """Frames of the clip with roles mapped to Hosts. `hosts_by_role[role]` is a Host, or a
    function(original address, flow) -> Host for roles with several addresses ("peer").
    `label` seeds the per-instance source-port and IP-ID offsets, so the same clip staged twice
    makes distinct connections and distinct IP-ID sequences. Each frame comes with its sender's
    `ipid_key`, for number_ip_ids()."""
    seed = _seed(label)
    port_delta = seed % 9973 + 1
    frames = []
    t0 = min(f[0].t for f in clip.flows)
    for flow in clip.flows:
        hosts: dict[str, Host] = {}
        for ip in {flow[0].src, flow[0].dst}:
            target = hosts_by_role[clip.roles[ip]]
            hosts[ip] = target if isinstance(target, Host) else target(ip, flow)
        init_ip = _client(flow)
        init_port = flow[0].sport if flow[0].src == init_ip else flow[0].dport
        kept = flow
        if max_pkts_per_flow:
            kept = [p for i, p in enumerate(flow)
                    if i < max_pkts_per_flow or (p.proto == TCP and p.flags & 0x05)]
        shifts = dict(zip(map(id, flow), _retime(flow, hosts)))
        for p in kept:
            def port(ip: str, prt: int) -> int:
                return _move_port(prt, port_delta) if (ip, prt) == (init_ip, init_port) else prt
            src, dst = hosts[p.src], hosts[p.dst]
            ipid_delta = _seed(f"{label}/{src.ip}") & 0xFFFF
            t = start_us + (p.t - t0) + shifts[id(p)]
            frames.append((t, rewrite(p, src, dst, port(p.src, p.sport), port(p.dst, p.dport),
                                      ipid_delta), src.ipid_key))
    return frames


def number_ip_ids(frames: list[tuple[int, bytes, str | None]]) -> list[tuple[int, bytes]]:
    """Frames in time order; every sender with an `ipid_key` gets one rising IPv4 ID sequence
    across all its flows, tunnel and tunnelled packets alike (one IP stack per device, as
    Windows numbers them), so the devices behind one address count as separate sequences
    (Bellovin, IMW 2002) and one device never looks like two."""
    counters: dict[str, int] = {}
    out = []
    for t, frame, key in sorted(frames, key=lambda f: f[0]):
        if key is not None:
            n = counters.get(key, _seed("ipid/" + key) & 0xFFFF)
            counters[key] = (n + 1) & 0xFFFF
            b = bytearray(frame)
            ihl = (b[14] & 0x0F) * 4
            struct.pack_into("!H", b, 18, n)
            b[24:26] = b"\x00\x00"
            struct.pack_into("!H", b, 24, _csum(bytes(b[14:14 + ihl])))
            frame = bytes(b)
        out.append((t, frame))
    return out
