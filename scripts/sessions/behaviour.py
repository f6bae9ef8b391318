"""Timing and size models: a person driving a remote desktop, and browsing through a tunnel.

The numbers are chosen to reproduce the shapes detectors rely on, not any one product's exact
sizes: input arrives in human bursts (typing at a few keys per second, mouse moves at the tool's
sampling rate, then pauses for reading); the controlled machine answers each input within tens
of milliseconds with a screen update whose size depends on what changed; frames are coalesced to
the tool's frame-rate cap. All times are sensor times, in seconds.
"""

from __future__ import annotations

import dataclasses
import math
import random


@dataclasses.dataclass
class Msg:
    t: float
    size: int  # application bytes, before the tool's own framing
    kind: str


def _lognormal(rng: random.Random, median: float, sigma: float) -> float:
    return rng.lognormvariate(math.log(median), sigma)


def human_input(rng: random.Random, start: float, end: float, mouse_hz: float = 30.0,
                size: tuple[int, int] = (24, 48)) -> list[Msg]:
    """Input events sent by the controller: typing bursts, mouse strokes, clicks, scrolling,
    separated by think/read pauses (lognormal, median 1.5 s, tail to ~30 s).

    Inter-key intervals are lognormal with a 170 ms median (about 60 words a minute) and each key
    is a press and a release ~80 ms apart; remote-desktop tools sample the mouse at 20-60 Hz.
    """
    lo, hi = size
    events: list[Msg] = []
    t = start
    while t < end:
        activity = rng.choices(["typing", "mouse", "scroll"], weights=[0.45, 0.4, 0.15])[0]
        if activity == "typing":
            for _ in range(rng.randint(3, 35)):
                t += _lognormal(rng, 0.17, 0.45)
                events.append(Msg(t, rng.randint(lo, hi), "key"))
                events.append(Msg(t + rng.uniform(0.05, 0.12), rng.randint(lo, hi), "keyup"))
        elif activity == "mouse":
            steps = int(rng.uniform(0.25, 1.8) * mouse_hz)
            for _ in range(steps):
                t += rng.uniform(0.8, 1.25) / mouse_hz
                events.append(Msg(t, rng.randint(lo, lo + 8), "mouse"))
            if rng.random() < 0.7:
                t += _lognormal(rng, 0.25, 0.5)
                events.append(Msg(t, rng.randint(lo, hi), "click"))
                events.append(Msg(t + rng.uniform(0.07, 0.13), rng.randint(lo, hi), "keyup"))
        else:
            for _ in range(rng.randint(3, 14)):
                t += _lognormal(rng, 0.07, 0.4)
                events.append(Msg(t, rng.randint(lo, hi), "scroll"))
        t += min(_lognormal(rng, 1.5, 1.0), 30.0)
    events.sort(key=lambda m: m.t)
    return [e for e in events if e.t < end]


# Screen-update sizes (bytes of compressed image delta) by what the input changed.
_UPDATE = {
    "key": (900, 0.6),  # a glyph plus caret
    "mouse": (160, 0.5),  # cursor position/shape
    "click": (6000, 1.1),  # menus, focus changes; sometimes a whole window
    "scroll": (9000, 0.6),  # a strip of the page moved
    "idle": (350, 0.7),  # caret blink, clock, notification
}


def screen_updates(rng: random.Random, inputs: list[Msg], start: float, end: float,
                   max_fps: float = 30.0, scale: float = 1.0,
                   render_delay: tuple[float, float] = (0.008, 0.035)) -> list[Msg]:
    """Screen updates sent by the controlled machine in answer to `inputs`, plus background
    refreshes about once a second; updates closer than one frame interval are merged into one
    frame (the tool's encoder runs at most max_fps). `scale` shrinks every size, to keep a
    several-minute capture small without changing its timing."""
    raw: list[Msg] = []
    for e in inputs:
        if e.kind == "keyup" and rng.random() < 0.7:
            continue  # a release rarely changes the screen
        kind = "key" if e.kind == "keyup" else e.kind
        median, sigma = _UPDATE[kind]
        t = e.t + rng.uniform(*render_delay)
        raw.append(Msg(t, int(_lognormal(rng, median, sigma) * scale) + 40, kind))
        if kind == "scroll":  # smooth scrolling animates over a few more frames
            for k in range(rng.randint(1, 3)):
                raw.append(Msg(t + (k + 1) / max_fps, int(_lognormal(rng, median / 2, sigma) * scale) + 40,
                               kind))
    t = start
    while True:
        t += rng.expovariate(1.0)
        if t >= end:
            break
        raw.append(Msg(t, int(_lognormal(rng, *_UPDATE["idle"]) * scale) + 40, "idle"))
    raw.sort(key=lambda m: m.t)
    frames: list[Msg] = []
    for m in raw:
        if frames and m.t - frames[-1].t < 1.0 / max_fps:
            frames[-1].size = min(frames[-1].size + m.size, 200_000)
        else:
            frames.append(Msg(m.t, m.size, m.kind))
    return [f for f in frames if f.t < end]


def periodic(rng: random.Random, start: float, end: float, period: float,
             jitter: float = 0.05) -> list[float]:
    """Timer-driven events (keepalives, heartbeats) with a little scheduling jitter."""
    out, t = [], start
    while True:
        t += period * rng.uniform(1 - jitter, 1 + jitter)
        if t >= end:
            return out
        out.append(t)


@dataclasses.dataclass
class InnerPkt:
    t: float
    up: bool  # True: from the local device into the tunnel
    size: int  # inner IP packet length


def tunnelled_browsing(rng: random.Random, start: float, end: float, rtt: float,
                       mtu: int = 1420, rate_bps: float = 40e6) -> list[InnerPkt]:
    """Inner packets of someone browsing through a tunnel: page loads (DNS, a TCP handshake, a
    request, then a download burst acknowledged every second packet) separated by reading time,
    plus a chat app's keepalive every ~45 s. `rtt` is the local device's RTT to the far end of the
    web server (tunnel RTT plus the exit's distance to the site)."""
    out: list[InnerPkt] = []
    gap = mtu * 8 / rate_bps
    t = start + 0.2
    while t < end:
        out.append(InnerPkt(t, True, rng.randint(60, 90)))  # DNS query
        out.append(InnerPkt(t + rtt, False, rng.randint(90, 200)))
        t += rtt
        for _ in range(rng.randint(1, 4)):  # parallel connections to the page's origins
            c = t + rng.uniform(0, 0.05)
            out += [InnerPkt(c, True, 60), InnerPkt(c + rtt, False, 60), InnerPkt(c + rtt, True, 52)]
            c += rtt
            out.append(InnerPkt(c, True, rng.randint(300, 1500)))  # TLS hello / request
            n = min(max(1, int(_lognormal(rng, 10, 1.0))), 120)  # API calls to a small page
            d = c + rtt
            for k in range(n):
                size = mtu if k < n - 1 else rng.randint(100, mtu)
                out.append(InnerPkt(d + k * gap, False, size))
                if k % 2 == 1 or k == n - 1:
                    out.append(InnerPkt(d + k * gap + 0.0003, True, 52))
        t += min(_lognormal(rng, 10.0, 0.8), 45.0)  # reading
    for k in periodic(rng, start, end, 45.0, 0.2):
        out += [InnerPkt(k, True, rng.randint(90, 140)), InnerPkt(k + rtt, False, rng.randint(90, 140))]
    out.sort(key=lambda p: p.t)
    return [p for p in out if p.t < end]
