#!/usr/bin/python3
"""An honest working week, composed from real captures, and the false-alert rate on it.

    scripts/eval-workday [--sessions DIR] [--out DIR] [--parallax BIN] [--max-false N]

Composes >= 30 contractors x 5 working days (Mon-Fri 2026-03-16..20) of honest work into OUT
(default build/workday) with the scenario composer (scripts/scenarios: clips are cut from the
session captures and re-staged with new addresses, MACs, TTLs, ports, times and handshake RTTs
from world.py's physics), runs one `parallax read` over the whole week with the flags the
scenario runner uses, and prints the alerts it raises. Nobody in the week does anything wrong:
every medium or high alert is a false accusation. docs/evaluation.md describes the personas.

Every output is a pure function of this source and the session captures (seeded, no clock;
the .mmdb metadata carries the writer's build time, as in the scenarios). Exit 0, or 1 when
more than --max-false medium/high alerts fire, 2 on a setup failure (with the reason).
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import datetime
import io
import ipaddress
import json
import os
import random
import subprocess
import sys
import time
import zoneinfo

sys.dont_write_bytecode = True
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from scenarios import clips, compose, pcapio, world  # noqa: E402
from scenarios.clips import TCP, UDP, Clip, Host, Pkt  # noqa: E402
from scenarios.world import GATEWAY, RESOLVER, WEB, Network, Place  # noqa: E402

WEEK = ["2026-03-16", "2026-03-17", "2026-03-18", "2026-03-19", "2026-03-20"]  # Mon..Fri
DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri"]
TIMEOUT_S = 170
MAX_GAP_US = 200_000_000  # stretched sessions: below the 300 s TCP/UDP idle timeout


def fail(msg: str) -> None:
    print(f"eval-workday: {msg}", file=sys.stderr)
    sys.exit(2)


# --- the week's places and networks ---------------------------------------------------------------

def P(city, lat, lon, tz, country="US") -> Place:
    return Place(city, country, lat, lon, tz)


CT, ET, MT, PT, AZ = ("America/Chicago", "America/New_York", "America/Denver",
                      "America/Los_Angeles", "America/Phoenix")
PLACES = {
    "Austin": P("Austin", 30.2672, -97.7431, CT), "Houston": P("Houston", 29.7604, -95.3698, CT),
    "San Antonio": P("San Antonio", 29.4241, -98.4936, CT),
    "Denver": P("Denver", 39.7392, -104.9903, MT), "Seattle": P("Seattle", 47.6062, -122.3321, PT),
    "Portland": P("Portland", 45.5152, -122.6784, PT),
    "San Francisco": P("San Francisco", 37.7749, -122.4194, PT),
    "Minneapolis": P("Minneapolis", 44.9778, -93.2650, CT),
    "Atlanta": P("Atlanta", 33.7490, -84.3880, ET), "Miami": P("Miami", 25.7617, -80.1918, ET),
    "Boston": P("Boston", 42.3601, -71.0589, ET),
    "Philadelphia": P("Philadelphia", 39.9526, -75.1652, ET),
    "Nashville": P("Nashville", 36.1627, -86.7816, CT),
    "Kansas City": P("Kansas City", 39.0997, -94.5786, CT),
    "Salt Lake City": P("Salt Lake City", 40.7608, -111.8910, MT),
    "Raleigh": P("Raleigh", 35.7796, -78.6382, ET), "Columbus": P("Columbus", 39.9612, -82.9988, ET),
    "Detroit": P("Detroit", 42.3314, -83.0458, ET),
    "San Diego": P("San Diego", 32.7157, -117.1611, PT),
    "Omaha": P("Omaha", 41.2565, -95.9345, CT), "Phoenix": world.PHOENIX,
    "Tucson": P("Tucson", 32.2226, -110.9747, AZ), "New Orleans": P("New Orleans", 29.9511, -90.0715, CT),
    "Chicago": world.CHICAGO, "New York": world.NEW_YORK, "Dallas": world.DALLAS,
    # ISP hubs where a geolocation database puts whole regions' home lines
    "Pittsburgh": P("Pittsburgh", 40.4406, -79.9959, ET),
    "Ashburn": P("Ashburn", 39.0438, -77.4874, ET),
    "Grand Rapids": P("Grand Rapids", 42.9634, -85.6681, ET),
    "Northlake": P("Northlake", 41.9178, -87.8956, CT),
    "Grand Junction": P("Grand Junction", 39.0639, -108.5506, MT),
    "Greenwood Village": P("Greenwood Village", 39.6172, -104.9508, MT),
    "Knoxville": P("Knoxville", 35.9606, -83.9207, ET),
    # mobile carriers' regional gateways; cloud regions
    "Albuquerque": P("Albuquerque", 35.0844, -106.6504, MT),
    "Tulsa": P("Tulsa", 36.1540, -95.9928, CT),
    "Boardman": P("Boardman", 45.8399, -119.7006, PT),
    "Council Bluffs": P("Council Bluffs", 41.2619, -95.8608, CT),
    "San Jose": P("San Jose", 37.3382, -121.8863, PT),
}

# Residential home lines: one /24 per contractor, allocated from these blocks in order.
HOME_BLOCKS = ["71.{}.{}.0/24", "73.{}.{}.0/24", "98.{}.{}.0/24", "24.{}.{}.0/24"]

# Cloud providers (the curated table geoip/data/network_types.tsv makes these ASNs hosting) and
# the video-call service. Addresses are from the providers' public blocks; places and names
# exist only in this week's test databases.
CLOUD = {
    "aws-use1": Network("3.83.0.0/16", PLACES["Ashburn"], 14618, "Amazon.com, Inc.", "hosting", 100),
    "aws-usw2": Network("52.10.0.0/16", PLACES["Boardman"], 16509, "Amazon.com, Inc.", "hosting", 100),
    "azure-scus": Network("20.65.0.0/16", PLACES["San Antonio"], 8075, "Microsoft Corporation",
                          "hosting", 100),
    "gcp-usc1": Network("34.132.0.0/16", PLACES["Council Bluffs"], 396982, "Google LLC",
                        "hosting", 100),
}
VIDEO = Network("144.195.73.0/24", PLACES["San Jose"], 64630, "Example Video Cloud Inc",
                "hosting", 50)
# Mobile carriers: network type mobile by name (asn_org_rules.cpp: "wireless", "mobil").
MOBILE_LAST_MILE_MS = 15.0  # LTE/5G radio and core, on top of the path through the gateway


@dataclasses.dataclass
class Persona:
    id: str
    name: str
    kind: str  # home | isp_hub | mobile | cloud | office | vpn_all_day | travel
    city: str  # claimed (and real) place
    hours: tuple[str, str]
    days: str = "Mon-Fri"
    geo_city: str | None = None  # where the city database puts the line (isp_hub, mobile);
    #                              travel: the city of the trip (Wednesday and Thursday)
    activities: tuple[str, ...] = ("web",)
    note: str = ""
    off_day: int | None = None  # index into WEEK: the day not worked
    lunch: bool = False
    evening: tuple[int, ...] = ()  # days with an extra evening hour 20:00-21:00 (outside hours)


def _personas() -> list[Persona]:
    h = Persona
    w = ("web",)
    wq = ("web", "quic")
    wz = ("web", "quic", "zoom")
    return [
        # home workers at the gateway, residential line in the claimed city
        h("w01", "Avery Brooks", "home", "Austin", ("09:00", "17:00"), activities=wq),
        h("w02", "Blake Rivera", "home", "Houston", ("08:30", "17:30"), activities=wz, lunch=True),
        h("w03", "Cameron Diaz", "home", "Denver", ("09:00", "17:00"), activities=wq),
        h("w04", "Dana Kim", "home", "Seattle", ("09:00", "18:00"), activities=wz),
        h("w05", "Elliot Shaw", "home", "Portland", ("07:00", "15:00"), activities=w,
          note="early bird"),
        h("w06", "Frankie Lopez", "home", "San Francisco", ("11:00", "19:00"), activities=wq,
          note="late starter"),
        h("w07", "Gray Adams", "home", "Minneapolis", ("09:00", "17:00"), activities=w, off_day=2,
          note="takes Wednesday off"),
        h("w08", "Harper Quinn", "home", "Atlanta", ("09:00", "17:00"), activities=wz, lunch=True),
        h("w09", "Indy Park", "home", "Miami", ("09:00", "17:00"), activities=wq, evening=(1, 3),
          note="an evening hour on Tue and Thu"),
        h("w10", "Jesse Moore", "home", "Boston", ("08:00", "16:00"), activities=w),
        h("w11", "Kai Turner", "home", "Philadelphia", ("09:00", "17:30"), activities=wz),
        h("w12", "Logan Reed", "home", "Nashville", ("09:00", "17:00"), activities=wq, lunch=True),
        h("w13", "Morgan Hayes", "home", "Kansas City", ("08:00", "17:00"), activities=w),
        h("w14", "Noel Price", "home", "Salt Lake City", ("09:00", "17:00"), activities=wq),
        h("w15", "Oakley Ward", "home", "Raleigh", ("09:00", "17:00"), activities=w, evening=(0,),
          note="an evening hour on Monday"),
        h("w16", "Parker Bell", "home", "Tucson", ("08:00", "16:00"), activities=wq,
          note="Arizona: no daylight saving time"),
        # ISP-hub geolocation error (DB-IP Lite style: no accuracy radius), RTT fits the claim
        h("g01", "Quinn Foster", "isp_hub", "Pittsburgh", ("09:00", "17:00"), geo_city="Ashburn",
          activities=wq),
        h("g02", "Reese Coleman", "isp_hub", "Grand Rapids", ("08:30", "16:30"),
          geo_city="Northlake", activities=wz),
        h("g03", "Sage Howard", "isp_hub", "Grand Junction", ("09:00", "17:00"),
          geo_city="Greenwood Village", activities=w),
        h("g04", "Taylor Jenkins", "isp_hub", "Knoxville", ("09:00", "17:00"), geo_city="Atlanta",
          activities=wq, lunch=True),
        # mobile-carrier lines, geolocated at the carrier's regional gateway
        h("m01", "Uri Bennett", "mobile", "Albuquerque", ("09:00", "17:00"), geo_city="Phoenix",
          activities=wq),
        h("m02", "Val Griffin", "mobile", "Tulsa", ("08:00", "16:00"), geo_city="Dallas",
          activities=w),
        # cloud engineers: SSH and RDP to AWS, Azure and GCP from their device, long sessions
        h("e01", "Wren Sullivan", "cloud", "Columbus", ("09:00", "17:00"),
          activities=("web", "ssh", "rdp")),
        h("e02", "Xan Murphy", "cloud", "Detroit", ("08:00", "17:00"),
          activities=("web", "ssh", "quic")),
        h("e03", "Yael Cooper", "cloud", "San Diego", ("09:00", "18:00"),
          activities=("web", "ssh", "rdp", "zoom")),
        h("e04", "Zion Richardson", "cloud", "Omaha", ("09:00", "17:00"),
          activities=("web", "rdp", "ssh")),
        h("e05", "Ari Cox", "cloud", "Phoenix", ("07:30", "16:30"), activities=("web", "ssh"),
          lunch=True),
        h("e06", "Bellamy Gray", "cloud", "New York", ("10:00", "19:00"),
          activities=("web", "ssh", "rdp"), evening=(2,), note="an evening hour on Wednesday"),
        # office workers at the Dallas office (LAN behind the same NAT firewall, no tunnel)
        h("o01", "Casey Long", "office", "Dallas", ("08:00", "17:00"), activities=wz, lunch=True),
        h("o02", "Devon Ross", "office", "Dallas", ("09:00", "18:00"), activities=wz),
        h("o03", "Emery Hughes", "office", "Dallas", ("08:30", "17:30"), activities=wq),
        # a business trip: home Mon, Tue and Fri, a hotel's line in another US city Wed-Thu
        h("t01", "Jordan Blake", "travel", "Denver", ("09:00", "17:00"), geo_city="Austin",
          activities=wq, note="trip to Austin Wed-Thu (the RTT rules Denver out those days)"),
        h("t02", "Kendall Ross", "travel", "Seattle", ("09:00", "17:00"), geo_city="New York",
          activities=wz, note="trip to New York Wed-Thu"),
        # on the corporate VPN all day: one sign-in, tunnel up all day, traffic inside it
        h("v01", "Finley Watson", "vpn_all_day", "Chicago", ("09:00", "17:00"), activities=wz),
        h("v02", "Gale Brooks", "vpn_all_day", "New Orleans", ("08:00", "16:00"), activities=wq),
        h("v03", "Hollis James", "vpn_all_day", "San Antonio", ("09:00", "17:00"), activities=w,
          off_day=4, note="takes Friday off"),
        h("v04", "Ira Sanders", "vpn_all_day", "Boston", ("09:00", "17:00"), activities=wz,
          lunch=True),
    ]


# --- hosts ------------------------------------------------------------------------------------------

def _host_in(net: Network, n: int, name: str, hops: int, inside: bool) -> Host:
    """The n-th server of a network (a /16 or a /24), with the physics' RTT from the sensor;
    `inside`: seen on the inside tap (NATed traffic leaves via the firewall)."""
    first = net.cidr.split("/")[0].split(".")
    if net.cidr.endswith("/16"):
        ip = f"{first[0]}.{first[1]}.{n // 250}.{n % 250 + 2}"
    else:
        ip = f"{first[0]}.{first[1]}.{first[2]}.{n}"
    mac = world.NAT_MAC if inside else world.UPSTREAM_MAC
    return Host(name, ip, mac, world.rtt_ms(net.place, "hosting"), hops)


@dataclasses.dataclass
class Worker:
    p: Persona
    claimed: Place
    networks: list[Network]  # home line(s) this worker adds to the databases
    egress_by_day: list[Host | None]  # public egress per day (mobile: CGNAT, one per day)
    device: Host  # VPN address on the inside tap, or the office LAN address
    roster_egress: list[str]
    vpn: bool
    path_note: str


def _workers(personas: list[Persona]) -> list[Worker]:
    out = []
    for i, p in enumerate(personas):
        claimed = PLACES[p.city]
        key = p.id
        blk = HOME_BLOCKS[i % len(HOME_BLOCKS)].format(64 + i * 3 % 60, (10 + i * 7) % 250)
        if p.kind == "office":
            dev = Host(f"{p.id} office desktop", f"10.20.0.{21 + i}", f"02:50:41:14:00:{i:02x}",
                       0.5, 1, ipid_key=key)
            out.append(Worker(p, claimed, [], [None] * 5, dev, [], False,
                              "Dallas office LAN 10.20.0.0/24, behind the NAT firewall"))
            continue
        if p.kind == "mobile":
            gw = PLACES[p.geo_city]
            # radio to the carrier's regional gateway, then the gateway to the sensor
            km = world.haversine_km(claimed, gw) + world.haversine_km(world.SENSOR, gw)
            rtt = round(km * world.STRETCH / world.FIBRE_KM_PER_MS + MOBILE_LAST_MILE_MS, 1)
            third = (8 * i) % 256  # a /22 of the carrier per line
            net = Network(f"172.58.{third}.0/22", gw, 64640 + i,
                          f"Example Wireless {gw.city} LLC", "mobile", 0)
            base = "172.58"
            egress = [dataclasses.replace(
                Host(f"{p.id} carrier CGNAT", f"{base}.{third + d % 4}.{40 + 17 * d}",
                     world.UPSTREAM_MAC, rtt, 14), ipid_key=key) for d in range(5)]
            dev = dataclasses.replace(world.vpn_client(f"{p.id} device", f"10.8.0.{20 + i}",
                                                       egress[0]), ipid_key=key)
            out.append(Worker(p, claimed, [net], egress, dev, [], True,
                              f"mobile; geolocated at the {gw.city} gateway "
                              f"({world.haversine_km(claimed, gw):.0f} km), RTT via it {rtt} ms"))
            continue
        if p.kind == "travel":
            trip = PLACES[p.geo_city]
            net = Network(blk, claimed, 64700 + i, f"Example Cable {p.city} LLC", "residential", 10)
            ip = blk.replace(".0/24", f".{30 + i}")
            home = Host(f"{p.id} home router", ip, world.UPSTREAM_MAC,
                        world.rtt_ms(claimed, "residential"), 11 + i % 5, ipid_key=key)
            hblk = f"66.{64 + i}.{10 + i}.0/24"
            hnet = Network(hblk, trip, 64800 + i, f"Example Hotel Wi-Fi {trip.city} LLC",
                           "residential", 10)
            hotel = Host(f"{p.id} hotel Wi-Fi", hblk.replace(".0/24", ".77"), world.UPSTREAM_MAC,
                         world.rtt_ms(trip, "residential"), 13, ipid_key=key)
            dev = dataclasses.replace(world.vpn_client(f"{p.id} device", f"10.8.0.{20 + i}", home),
                                      ipid_key=key)
            out.append(Worker(p, claimed, [net, hnet], [home, home, hotel, hotel, home], dev, [ip],
                              True, f"residential in the claimed city; Wed-Thu a hotel in "
                                    f"{trip.city} ({world.haversine_km(claimed, trip):.0f} km away)"))
            continue
        geo = PLACES[p.geo_city] if p.geo_city else claimed
        acc = 0 if p.kind == "isp_hub" else 10  # 0: no accuracy radius (DB-IP Lite)
        net = Network(blk, geo, 64700 + i, f"Example Cable {p.city} LLC", "residential", acc)
        rtt = world.rtt_ms(claimed, "residential")  # the line is physically in the claimed city
        ip = blk.replace(".0/24", f".{30 + i}")
        eg = Host(f"{p.id} home router", ip, world.UPSTREAM_MAC, rtt, 11 + i % 5, ipid_key=key)
        dev = dataclasses.replace(world.vpn_client(f"{p.id} device", f"10.8.0.{20 + i}", eg),
                                  ipid_key=key)
        note = "residential in the claimed city"
        if p.kind == "isp_hub":
            note = (f"residential; geolocated at the ISP hub {geo.city} "
                    f"({world.haversine_km(claimed, geo):.0f} km away, no radius)")
        out.append(Worker(p, claimed, [net], [eg] * 5, dev, [ip], True,
                          f"{note}; path RTT {rtt} ms"))
    return out


# --- clips ------------------------------------------------------------------------------------------

def _tcp_port(ports):
    def want(f):
        return (f[0].proto == TCP and (f[0].sport in ports or f[0].dport in ports)
                and any(p.flags & 0x12 == 0x02 for p in f))
    return want


def _web(f) -> bool:
    return _tcp_port({443})(f) or (f[0].proto == UDP and 53 in (f[0].sport, f[0].dport))


def _quic(f) -> bool:
    return f[0].proto == UDP and 443 in (f[0].sport, f[0].dport)


def _zoom(f) -> bool:
    if f[0].proto == UDP and 8801 in (f[0].sport, f[0].dport):
        return True
    return _tcp_port({443})(f)


def _public(f) -> bool:
    return any(not ipaddress.IPv4Address(ip).is_private for ip in (f[0].src, f[0].dst))


def compact(clip: Clip, max_gap_us: int = 3_000_000) -> Clip:
    """Flows of the clip with the gaps between flow starts cut to max_gap_us (some public
    captures join recordings made days apart); offsets within a flow are kept."""
    flows, prev_orig, prev_new = [], None, None
    for f in sorted(clip.flows, key=lambda f: f[0].t):
        start = f[0].t if prev_orig is None else prev_new + min(f[0].t - prev_orig, max_gap_us)
        d = start - f[0].t
        flows.append([dataclasses.replace(p, t=p.t + d) for p in f])
        prev_orig, prev_new = f[0].t, start
    return Clip(clip.source, flows, clip.roles)


def _anchor(flow: list[Pkt]) -> int:
    """Index of the packet completing the TCP handshake (the stretch keeps the handshake)."""
    if flow[0].proto != TCP:
        return 0
    seen_synack = False
    for i, p in enumerate(flow):
        if p.flags & 0x12 == 0x12:
            seen_synack = True
        elif seen_synack and p.flags & 0x10:
            return i
    return 0


def stretch(clip: Clip, target_us: int, keep: int = 80) -> Clip:
    """A long session from a short real one. Each flow keeps the capture's pacing for its
    handshake and first packets (up to `keep`, at most a third of the flow: what analyzers
    judge a session on); its remaining packets are paced out over the rest of target_us, each
    gap at least the capture's and at most MAX_GAP_US (so the flow never idles out). Packets and
    their order are the capture's; only the tail is slower."""
    flows = []
    for f in clip.flows:
        a = min(len(f) - 1, max(_anchor(f), min(keep, len(f) // 3)))
        out = f[:a + 1]
        t = f[a].t
        tail = len(f) - 1 - a
        share = max(target_us - (f[a].t - f[0].t), 0) // max(tail, 1)
        for prev, p in zip(f[a:], f[a + 1:]):
            t += min(max(p.t - prev.t, share), MAX_GAP_US)
            out.append(dataclasses.replace(p, t=t))
        flows.append(out)
    return Clip(clip.source, flows, clip.roles)


class Blocks:
    """The building blocks, from the first capture of each class that yields them."""

    def __init__(self, sessions: compose.Sessions):
        self.s = sessions
        need = {  # block: (classes, make, what)
            "portal": (["Benign/TLS"], lambda c: clips.client_clip(c, _tcp_port({443}), 4),
                       "gateway portal TLS (vantage a)"),
            "tunnel": (["VPN/OpenVPN"],
                       lambda c: clips.biggest_conversation_clip(c, lambda f: len(f) >= 10),
                       "corporate VPN tunnel (vantage a)"),
            "web": (["Benign/TLS"], lambda c: clips.client_clip(c, _web, 2), "web (vantage b)"),
            "dns": (["Benign/DNS"], lambda c: clips.client_clip(
                c, lambda f: f[0].proto == UDP and 53 in (f[0].sport, f[0].dport), 2), "DNS"),
        }
        optional = {
            "quic": (["Benign/QUIC"], lambda c: clips.client_clip(
                c, lambda f: _quic(f) and _public(f), 3), "QUIC browsing"),
            "zoom": (["Remote/Zoom"], lambda c: clips.client_clip(
                c, lambda f: _zoom(f) and _public(f), 3), "video call"),
            "ssh": (["Remote/SSH"], lambda c: clips.client_clip(c, _tcp_port({22}), 20),
                    "SSH session, device = client"),
            "rdp": (["Remote/RDP"], lambda c: clips.client_clip(c, _tcp_port({3389}), 8),
                    "RDP session, device = client"),
        }
        self.clips: dict[str, Clip] = {}
        for name, (classes, make, what) in need.items():
            try:
                self.clips[name] = compact(sessions.clip(classes, make, what))
            except SystemExit as e:
                fail(str(e.code))
        self.missing = []
        for name, (classes, make, what) in optional.items():
            c = self._optional(classes, make, what)
            if c is None:
                self.missing.append(name)
                print(f"eval-workday: no capture of class {' or '.join(classes)} gives {what}: "
                      f"'{name}' activities fall back to web", file=sys.stderr)
            else:
                self.clips[name] = compact(c)

    def _optional(self, classes, make, what):
        if not any(self.s.by_class.get(c) for c in classes):
            return None
        try:
            return self.s.clip(classes, make, what)
        except SystemExit:
            return None


# --- composing the week -----------------------------------------------------------------------------

def utc_us(day: str, hhmm: str, tz: str, extra_min: float = 0) -> int:
    h, m = map(int, hhmm.split(":"))
    local = datetime.datetime.fromisoformat(day).replace(hour=h, minute=m,
                                                         tzinfo=zoneinfo.ZoneInfo(tz))
    local += datetime.timedelta(minutes=extra_min)
    return int(local.timestamp()) * 1_000_000


def iso(us: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(us // 1_000_000))


def _minutes(hhmm: str) -> int:
    h, m = map(int, hhmm.split(":"))
    return h * 60 + m


class Week:
    def __init__(self, blocks: Blocks, workers: list[Worker]):
        self.b, self.workers = blocks, workers
        self.frames: list[list] = [[] for _ in WEEK]
        self.identity: list[dict] = []
        self.sittings = collections.Counter()
        self.plan: list[tuple] = []  # (worker id, day, UTC start, activity, minutes)

    @staticmethod
    def _peer_fn(what: str):
        """Who the device talks to: the corporate resolver for DNS, the video service's servers
        for a call, else the CDN edges (one per original address)."""
        def peer(ip, flow):
            if 53 in (flow[0].sport, flow[0].dport):
                return RESOLVER
            if what == "zoom":
                return _host_in(VIDEO, 10 + sum(map(ord, ip)) % 40, "video-call server", 10, True)
            return WEB[sum(map(ord, ip)) % len(WEB)]
        return peer

    def sign_in(self, day: int, w: Worker, t: int, label: str, rng: random.Random,
                tunnel_us: int | None = None):
        """Vantage (a): the gateway logs the sign-in, the portal TLS, the tunnel (stretched
        over the day for people on the VPN all day). Each sitting's round trip is the path's
        plus some queueing (home Wi-Fi, evening load): queues only add delay."""
        eg = w.egress_by_day[day]
        eg = dataclasses.replace(eg, rtt_ms=round(eg.rtt_ms + min(rng.expovariate(1 / 1.5), 8), 1))
        dev = dataclasses.replace(w.device, rtt_ms=round(eg.rtt_ms + 0.4, 1))
        self.identity.append({"timestamp": iso(t - 30_000_000), "contractor": w.p.id,
                              "public_ip": eg.ip, "internal_ip": dev.ip, "source": "vpn-gateway"})
        self.frames[day] += clips.stage(self.b.clips["portal"], {"device": eg, "peer": GATEWAY},
                                        t, label + "/portal", max_pkts_per_flow=12)
        tunnel = self.b.clips["tunnel"]
        if tunnel_us:
            tunnel = stretch(tunnel, tunnel_us)
        self.frames[day] += clips.stage(tunnel, {"device": eg, "server": GATEWAY},
                                        t + 4_000_000, label + "/tunnel", max_pkts_per_flow=60)
        return dev

    def inside(self, day: int, w: Worker, dev: Host, t: int, label: str, what: str,
               rng: random.Random, long_us: int = 0) -> None:
        """Vantage (b): the device's own traffic (inside the tunnel, or on the office LAN)."""
        if what in self.b.missing:
            what = "web"
        peer = self._peer_fn(what)
        if what == "web":
            self.frames[day] += clips.stage(self.b.clips["dns"], {"device": dev, "peer": peer},
                                            t, label + "/dns")
            self.frames[day] += clips.stage(self.b.clips["web"], {"device": dev, "peer": peer},
                                            t + 3_000_000, label + "/web", max_pkts_per_flow=20)
        elif what == "quic":
            self.frames[day] += clips.stage(self.b.clips["quic"], {"device": dev, "peer": peer},
                                            t, label + "/quic", max_pkts_per_flow=40)
        elif what == "zoom":
            c = stretch(self.b.clips["zoom"], long_us)
            self.frames[day] += clips.stage(c, {"device": dev, "peer": peer}, t, label + "/zoom")
        elif what in ("ssh", "rdp"):
            prov = rng.choice(sorted(CLOUD))
            srv = _host_in(CLOUD[prov], rng.randrange(1, 2000), f"{prov} server", 12, True)
            c = stretch(self.b.clips[what], long_us)
            self.frames[day] += clips.stage(c, {"device": dev, "peer": srv}, t,
                                            label + f"/{what}")
        self.plan.append((w.p.id, WEEK[day], iso(t), what, long_us // 60_000_000))

    def compose(self) -> None:
        for w in self.workers:
            rng = random.Random(f"workday/{w.p.id}")
            tz = w.claimed.tz
            start, end = _minutes(w.p.hours[0]), _minutes(w.p.hours[1])
            zoom_days = set(rng.sample(range(5), rng.choice((2, 3))))
            for d, day in enumerate(WEEK):
                if d == w.p.off_day:
                    continue
                self.sittings[w.p.id] += 1
                t0 = start + rng.randint(3, 35)  # sits down a few minutes after the start
                stop = end - rng.randint(5, 30)
                label = f"{w.p.id}/{day}"
                # sittings: about every 100-150 min, a lunch hour for some
                times, t = [], t0
                while t < stop - 20:
                    if w.p.lunch and 12 * 60 <= t < 13 * 60:
                        t = 13 * 60 + rng.randint(0, 10)
                        continue
                    times.append(t)
                    t += rng.randint(100, 150)
                acts = [a for a in w.p.activities if a not in ("web",)]
                long_slots = {}
                if "zoom" in acts and d in zoom_days:
                    # a 1-3 h call, ending before the claimed end of the day
                    dur = rng.choice((60, 90, 120, 180))
                    slot = max(0, min(len(times) - 1, rng.randrange(len(times))))
                    while slot > 0 and times[slot] + dur > stop:
                        slot -= 1
                    dur = min(dur, stop - times[slot])
                    long_slots[slot] = ("zoom", dur)
                for a in ("ssh", "rdp"):
                    if a in acts:
                        for _ in range(2 if a == "ssh" else 1):
                            free = [i for i in range(len(times)) if i not in long_slots]
                            if not free:
                                break
                            i = rng.choice(free)
                            dur = min(rng.choice((45, 60, 90, 120)), max(10, stop - times[i] - 5))
                            long_slots[i] = (a, dur)
                dev = w.device
                if w.p.kind == "vpn_all_day":
                    t_in = utc_us(day, "00:00", tz, times[0] - 2)
                    dev = self.sign_in(d, w, t_in, label + "/signin", rng,
                                       tunnel_us=(stop - times[0]) * 60_000_000)
                for k, m in enumerate(times):
                    t = utc_us(day, "00:00", tz, m + rng.random())
                    lab = f"{label}/s{k}"
                    if w.vpn and w.p.kind != "vpn_all_day":
                        dev = self.sign_in(d, w, t, lab, rng)
                        t += 9_000_000
                    self.inside(d, w, dev, t, lab, "web", rng)
                    if k in long_slots:
                        what, dur = long_slots[k]
                        self.inside(d, w, dev, t + 40_000_000, lab + "/long", what, rng,
                                    dur * 60_000_000)
                    elif acts and rng.random() < 0.6:
                        short = [a for a in acts if a == "quic"]
                        if short:
                            self.inside(d, w, dev, t + 30_000_000, lab, "quic", rng)
                if d in w.p.evening:
                    t = utc_us(day, "20:00", tz, rng.randint(0, 15))
                    lab = f"{label}/evening"
                    if w.vpn and w.p.kind != "vpn_all_day":
                        dev = self.sign_in(d, w, t, lab, rng)
                        t += 9_000_000
                    self.inside(d, w, dev, t, lab, "web", rng)

    def write(self, out: str) -> list[str]:
        """One capture per working day, IP IDs numbered across the week (one counter per device),
        packet-time order within and across the files."""
        days = [d for d in range(len(WEEK)) if self.frames[d]]
        for d, e in zip(days, days[1:]):
            if max(f[0] for f in self.frames[d]) >= min(f[0] for f in self.frames[e]):
                fail(f"day {WEEK[d]} ends after {WEEK[e]} starts: the captures would not be "
                     f"in time order")
        bounds = [(min(f[0] for f in self.frames[d]), d) for d in days]
        numbered = clips.number_ip_ids([fr for day in self.frames for fr in day])
        by_day = [[] for _ in WEEK]
        for t, fr in numbered:
            by_day[max(d for b, d in bounds if b <= t)].append((t, fr))
        paths = []
        for d, frames in enumerate(by_day):
            if not frames:
                continue
            path = os.path.join(out, f"day-{d + 1}-{DAY_NAMES[d]}-{WEEK[d]}.pcap")
            pcapio.write_pcap(path, frames)
            paths.append(path)
        return paths


# --- the other outputs ------------------------------------------------------------------------------

def roster_yaml(workers: list[Worker]) -> str:
    lines = ["# Contractors of the honest working week (scripts/eval-workday; docs/evaluation.md).",
             "contractors:"]
    for w in workers:
        c = w.claimed
        lines += [f"  - id: {w.p.id}", f'    name: "{w.p.name}"',
                  f'    claimed: {{city: "{c.city}", country: {c.country}, lat: {c.lat}, '
                  f'lon: {c.lon}}}',
                  f"    timezone: {c.tz}",
                  f'    working_hours: {{start: "{w.p.hours[0]}", end: "{w.p.hours[1]}", '
                  f'days: "{w.p.days}"}}',
                  f"    devices: {{ips: [{w.device.ip}/32], macs: []}}",
                  f"    egress_ips: [{', '.join(w.roster_egress)}]"]
    return "\n".join(lines) + "\n"


def personas_tsv(workers: list[Worker], week: Week) -> str:
    rows = ["id\tname\tpersona\tclaimed\ttimezone\thours\tdays_worked\tegress\tline\tactivities"
            "\tnote"]
    for w in workers:
        eg = sorted({e.ip for e in w.egress_by_day if e}) or ["-"]
        rows.append("\t".join([w.p.id, w.p.name, w.p.kind, f"{w.claimed.city}, {w.claimed.country}",
                               w.claimed.tz, "-".join(w.p.hours) + " " + w.p.days,
                               str(week.sittings[w.p.id]), ",".join(eg), w.path_note,
                               ",".join(w.p.activities), w.p.note or "-"]))
    return "\n".join(rows) + "\n"


def _net_json(nets: list[Network]) -> tuple[dict, dict]:
    city = []
    for n in nets:
        loc = {"latitude": n.place.lat, "longitude": n.place.lon, "time_zone": n.place.tz}
        if n.accuracy_km:
            loc["accuracy_radius"] = n.accuracy_km
        city.append({"network": n.cidr, "data": {
            "country": {"iso_code": n.place.country}, "city": {"names": {"en": n.place.city}},
            "location": loc}})
    asn = [{"network": n.cidr, "data": {"autonomous_system_number": n.asn,
                                        "autonomous_system_organization": n.org}} for n in nets]
    c, a = world.city_db_json(), world.asn_db_json()
    c["networks"], a["networks"] = city, asn
    return c, a


def compose_week(args) -> tuple[Week, list[Worker], list[str]]:
    out = args.out
    os.makedirs(os.path.join(out, "geo"), exist_ok=True)
    os.makedirs(os.path.join(out, "lists"), exist_ok=True)
    workers = _workers(_personas())
    if not os.path.isfile(os.path.join(args.sessions, "MANIFEST.tsv")):
        fail(f"{args.sessions}/MANIFEST.tsv not found")
    print(f"eval-workday: sessions from {args.sessions}")
    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log):
            blocks = Blocks(compose.Sessions(args.sessions))
    except SystemExit as e:
        fail(str(e.code) if e.code not in (None, 2) else "cannot read the sessions")
    for line in log.getvalue().splitlines():
        print("  " + line.strip())
    week = Week(blocks, workers)
    week.compose()
    for f in os.listdir(out):  # a previous run's captures (the file names carry the dates)
        if f.startswith("day-") and f.endswith(".pcap"):
            os.remove(os.path.join(out, f))
    paths = week.write(out)

    def write(rel, text):
        with open(os.path.join(out, rel), "w", encoding="utf-8") as f:
            f.write(text)

    events = sorted(week.identity, key=lambda e: (e["timestamp"], e["contractor"]))
    write("identity-events.jsonl", "".join(json.dumps(e, separators=(",", ":")) + "\n"
                                           for e in events))
    write("roster.yaml", roster_yaml(workers))
    write("personas.tsv", personas_tsv(workers, week))
    write("plan.tsv", "contractor\tday\tstart_utc\tactivity\tminutes\n"
          + "".join("\t".join(map(str, r)) + "\n" for r in week.plan))
    write("sensor.txt", f"{world.SENSOR.lat:.4f},{world.SENSOR.lon:.4f}\n")
    write("lists/networks.txt", "# Operator network list for the honest week: nothing listed.\n")
    nets = [world.NETWORKS["corp"], world.NETWORKS["cdn"], VIDEO, *CLOUD.values()]
    nets += [n for w in workers for n in w.networks]
    cidrs = [ipaddress.IPv4Network(n.cidr) for n in nets]
    for i, a in enumerate(cidrs):
        for b in cidrs[i + 1:]:
            if a.overlaps(b):
                fail(f"networks {a} and {b} overlap: the test databases would be ambiguous")
    city, asn = _net_json(nets)
    write("geo/city.json", json.dumps(city, indent=1) + "\n")
    write("geo/asn.json", json.dumps(asn, indent=1) + "\n")
    r = subprocess.run(["perl", os.path.join(ROOT, "tests/geoip/make_test_mmdb.pl"),
                        os.path.join(out, "geo"), os.path.join(out, "geo/city.json"),
                        os.path.join(out, "geo/asn.json")], capture_output=True, text=True)
    if r.returncode != 0:
        fail(f"make_test_mmdb.pl failed: {r.stderr.strip()}")
    return week, workers, paths


# --- running parallax and reporting -----------------------------------------------------------------

SEVERITY = {1: "high", 2: "medium", 3: "low"}


def run_parallax(args, paths: list[str]) -> tuple[list[dict], dict]:
    d = args.out
    with open(os.path.join(d, "sensor.txt"), encoding="utf-8") as f:
        sensor = f.read().strip()
    cmd = [args.parallax, "read", *paths,
           "--roster", os.path.join(d, "roster.yaml"),
           "--identity-events", os.path.join(d, "identity-events.jsonl"),
           "--city-db", os.path.join(d, "geo", "city.mmdb"),
           "--asn-db", os.path.join(d, "geo", "asn.mmdb"),
           "--list", os.path.join(d, "lists", "networks.txt"),
           "--sensor-location", sensor, "--events", "alert,stats"]
    try:
        run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
    except (OSError, subprocess.TimeoutExpired) as e:
        fail(f"parallax did not run: {e}")
    with open(os.path.join(d, "parallax.jsonl"), "w", encoding="utf-8") as f:
        f.write(run.stdout)
    if run.returncode != 0:
        fail(f"parallax exited {run.returncode}: {run.stderr.strip()[-2000:]}\n  {' '.join(cmd)}")
    alerts, stats = [], {}
    for n, line in enumerate(run.stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            ev = json.loads(line)
        except json.JSONDecodeError as e:
            fail(f"parallax output line {n} is not JSON ({e})")
        if ev.get("event_type") == "alert":
            alerts.append(ev)
        elif ev.get("event_type") == "stats":
            stats = ev
    return alerts, stats


def _flows(stats: dict) -> str:
    s = stats.get("stats", stats)
    for path in (("flows", "total"), ("flows", "created"), ("flows",), ("flow_count",)):
        v = s
        for k in path:
            v = v.get(k) if isinstance(v, dict) else None
        if isinstance(v, int):
            return str(v)
    return "?"


def report(args, workers: list[Worker], week: Week, alerts: list[dict], stats: dict,
           paths: list[str]) -> int:
    kinds = {w.p.id: w.p.kind for w in workers}
    cdays = sum(week.sittings.values())
    by_sev = collections.Counter()
    rows = []
    for a in alerts:
        px = a.get("parallax", {})
        sev = px.get("severity", a.get("alert", {}).get("severity"))
        cid = (px.get("contractor") or {}).get("id", "?")
        by_sev[SEVERITY.get(sev, str(sev))] += 1
        rows.append((sev, px.get("kind", "?"), cid, kinds.get(cid, "?"),
                     px.get("explanation", "").replace("\n", " ")))
    false = by_sev["high"] + by_sev["medium"]
    rate = 1000.0 * false / cdays if cdays else 0.0
    print()
    print(f"week {WEEK[0]}..{WEEK[-1]} ({len(paths)} captures, "
          f"{sum(os.path.getsize(p) for p in paths) / 1e6:.1f} MB), sessions {args.sessions}")
    print(f"contractors {len(workers)}  days {len(WEEK)}  contractor-days {cdays}  "
          f"flows {_flows(stats)}  sign-ins {len(week.identity)}")
    print(f"alerts: high {by_sev['high']}  medium {by_sev['medium']}  low {by_sev['low']}")
    print(f"false medium/high alerts per 1,000 contractor-days: {rate:.1f} "
          f"({false} on {cdays})")
    serious = sorted([r for r in rows if r[0] in (1, 2)], key=lambda r: (r[1], r[2], r[0]))
    low = sorted([r for r in rows if r[0] not in (1, 2)], key=lambda r: (r[1], r[2]))
    if serious:
        print("\nmedium/high alerts by rule:")
        for kind, group in _group(serious):
            print(f"  {kind}: {len(group)} alert(s) ({1000.0 * len(group) / cdays:.1f} per 1,000 "
                  f"contractor-days), {len({r[2] for r in group})} contractor(s)")
            for r in group:
                print(f"    {SEVERITY.get(r[0], r[0]):6} {r[2]:4} {r[3]:11} {r[4]}")
    if low:
        print("\nlow alerts:")
        for kind, group in _group(low):
            print(f"  {kind}: {len(group)}")
            for r in group:
                print(f"    low    {r[2]:4} {r[3]:11} {r[4]}")
    print(f"\noutput: {args.out} (personas.tsv, plan.tsv, parallax.jsonl)")
    if args.max_false is not None and false > args.max_false:
        print(f"FAIL: {false} medium/high alerts on an honest week (allowed: {args.max_false})")
        return 1
    return 0


def _group(rows):
    out = collections.OrderedDict()
    for r in rows:
        out.setdefault(r[1], []).append(r)
    return out.items()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", help="folder with MANIFEST.tsv (default: ../shared/pcaps, "
                                       "else build/sessions)")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "workday"))
    ap.add_argument("--parallax", default=os.path.join(ROOT, "build", "parallax"))
    ap.add_argument("--max-false", type=int, default=None, metavar="N",
                    help="exit 1 when more than N medium/high alerts fire")
    args = ap.parse_args()
    if not (os.path.isfile(args.parallax) and os.access(args.parallax, os.X_OK)):
        fail(f"{args.parallax}: not an executable file (build the parallax target)")
    if args.sessions is None:
        shared = os.path.normpath(os.path.join(ROOT, "..", "shared", "pcaps"))
        if os.path.isfile(os.path.join(shared, "MANIFEST.tsv")):
            args.sessions = shared
        else:
            args.sessions = os.path.join(ROOT, "build", "sessions")
            print(f"eval-workday: {shared} not found: the week is built from generated sessions "
                  f"({args.sessions})", file=sys.stderr)
            r = subprocess.run([os.path.join(ROOT, "scripts", "make-sessions"), args.sessions],
                               stdout=subprocess.DEVNULL)
            if r.returncode != 0:
                fail("scripts/make-sessions failed")
    t0 = time.monotonic()
    week, workers, paths = compose_week(args)
    t1 = time.monotonic()
    alerts, stats = run_parallax(args, paths)
    t2 = time.monotonic()
    print(f"eval-workday: composed in {t1 - t0:.0f} s, parallax read in {t2 - t1:.0f} s")
    return report(args, workers, week, alerts, stats, paths)


if __name__ == "__main__":
    sys.exit(main())
