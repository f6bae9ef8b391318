"""The address plan and helpers every session shares.

Addresses: the local device is always 192.168.1.10 (RFC 1918) behind a home router; every public
peer is in a documentation range (RFC 5737: 198.51.100.0/24, 203.0.113.0/24), so a later script
can rewrite them without colliding with anything real. The sensor sees the LAN side of the router,
so remote hosts' frames carry the gateway's MAC.
"""

from __future__ import annotations

import dataclasses
import functools
import random
from typing import Callable

from . import wire
from .behaviour import Msg
from .net import Capture, Host, OsProfile, TcpFlow

LOCAL_IP = "192.168.1.10"
LOCAL_MAC = "02:50:41:00:01:0a"  # locally administered: never a real vendor's
GATEWAY_MAC = "02:50:41:00:01:01"
RESOLVER_IP = "198.51.100.53"  # the ISP's resolver, handed out by the router's DHCP
NAT_PUBLIC_IP = "203.0.113.254"  # the router's public address, as STUN reports it
LOCAL_RTT = 0.0005  # sensor <-> local device: one switch hop


@dataclasses.dataclass
class Net:
    """Creates the hosts of one file with the RTTs chosen on the command line."""

    rtt: float  # sensor <-> every remote peer, seconds

    def local(self, os: OsProfile) -> Host:
        return Host("local device", LOCAL_IP, os, LOCAL_RTT, LOCAL_MAC, hops=0, rate_bps=100e6)

    def remote(self, name: str, ip: str, os: OsProfile, hops: int = 14, rate_bps: float = 40e6,
               skew_ppm: float = 35.0) -> Host:
        return Host(name, ip, os, self.rtt, GATEWAY_MAC, hops=hops, rate_bps=rate_bps,
                    skew_ppm=skew_ppm)

    def resolver(self, os: OsProfile) -> Host:
        return self.remote("resolver", RESOLVER_IP, os, hops=3)


def ephemeral_port(rng: random.Random, host: Host) -> int:
    """A source port from the OS's ephemeral range (Linux 32768-60999, others 49152-65535)."""
    return rng.randint(32768, 60999) if host.os.name == "linux" else rng.randint(49152, 65535)


def dns_lookup(cap: Capture, rng: random.Random, t: float, client: Host, resolver: Host,
               name: str, answers: list[tuple[str, str, int, str]], qtype: str = "A") -> float:
    """One query and its answer from a fresh source port; return when the answer is seen.
    The resolver adds 2-30 ms of recursion, as for a name not in its cache."""
    sport = ephemeral_port(rng, client)
    qid = rng.getrandbits(16)
    edns = 1232 if client.os.name == "linux" else None  # systemd-resolved sends EDNS0; Windows not
    cap.udp(t, client, resolver, sport, 53, wire.dns_query(qid, name, qtype, edns))
    t_answer = t + resolver.rtt + rng.uniform(0.002, 0.030)
    cap.udp(t_answer, resolver, client, 53, sport,
            wire.dns_response(qid, name, qtype, answers, edns))
    return t_answer


def reply(flow: TcpFlow, t: float, side: int, data: bytes, think: float = 0.0) -> float:
    """`side` answers what the sensor saw at t: its packet is seen one of its RTTs later (plus
    `think` seconds of work). Return when the last byte is seen. Lets a session read as a
    conversation: t = reply(flow, t, SERVER, ...); t = reply(flow, t, CLIENT, ...)."""
    return flow.send(t + flow.hosts[side].rtt + think, side, data)


def converse(flow: TcpFlow, t: float, turns: list[tuple[int, bytes]], think: float = 0.002) -> float:
    """A request/response dialogue: the first turn is sent at t; a turn by the same side as the
    previous one follows at once, a turn by the other side answers it (reply). Return the end."""
    previous = None
    for side, payload in turns:
        if previous is None:
            t = flow.send(t, side, payload)
        elif side == previous:
            t = flow.send(t + 0.0003, side, payload)
        else:
            t = reply(flow, t, side, payload, think)
        previous = side
    return t


def play(flow: TcpFlow, events: list[tuple[float, int, bytes | Callable[[], bytes]]]) -> float:
    """Send (time, side, payload) events in time order; TcpFlow needs each direction in order,
    so sessions with independent timers (heartbeats, input, frames) collect and then play.
    A payload may be a function, called at its turn, for framings that number their messages."""
    last = 0.0
    for t, side, payload in sorted(events, key=lambda e: e[0]):
        last = max(last, flow.send(t, side, payload() if callable(payload) else payload))
    return last


def drive_interactive(flow: TcpFlow, screen_side: int, inputs: list[Msg], frames: list[Msg],
                      wrap_input: Callable[[int], bytes], wrap_frame: Callable[[int], bytes],
                      pings: list[float] = (), wrap_ping: Callable[[int], bytes] | None = None) -> float:
    """Replay a remote-control session over one TCP flow: input from the controller's side,
    screen frames from the controlled side, and keepalive pings from the controlled side that the
    controller answers once they reach it (wrap_ping gets the sending side). Return the time of
    the last byte."""
    ctrl = 1 - screen_side
    events = [(m.t, ctrl, functools.partial(wrap_input, m.size)) for m in inputs]
    events += [(m.t, screen_side, functools.partial(wrap_frame, m.size)) for m in frames]
    for t in pings:
        events.append((t, screen_side, functools.partial(wrap_ping, screen_side)))
        events.append((t + flow.hosts[ctrl].rtt, ctrl, functools.partial(wrap_ping, ctrl)))
    return play(flow, events)
