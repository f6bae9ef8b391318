#!/usr/bin/python3
"""Compose the contractor scenarios (issue 5) from session captures; see scripts/make-scenarios
and tests/scenarios/README.md.

    scripts/scenarios/compose.py --sessions DIR --out DIR [--make-mmdb PATH]

Every output is a pure function of this source and the session captures: fixed base times,
per-instance offsets seeded from labels, no clock and no randomness.
"""

from __future__ import annotations

import argparse
import calendar
import dataclasses
import json
import os
import subprocess
import sys
import time
import zlib

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from scenarios import clips, pcapio, world  # noqa: E402
from scenarios.clips import TCP, UDP, Capture, Host  # noqa: E402
from scenarios.world import (ATLANTA, AUSTIN, CHICAGO, GATEWAY, LAS_VEGAS, NEW_YORK,  # noqa: E402
                             PHOENIX, RESOLVER, WEB, inner, public_host, vpn_client)

MAX_CAPTURE_BYTES = 5_000_000


# --- the sessions folder ------------------------------------------------------------------------

class Sessions:
    """Captures by MANIFEST class; the first capture of a class that yields the clip wins."""

    def __init__(self, folder: str):
        self.folder = folder
        manifest = os.path.join(folder, "MANIFEST.tsv")
        if not os.path.exists(manifest):
            sys.exit(f"make-scenarios: {manifest} not found (run scripts/make-sessions first)")
        self.by_class: dict[str, list[str]] = {}
        with open(manifest) as f:
            for i, line in enumerate(f):
                cols = line.rstrip("\n").split("\t")
                if i == 0 or len(cols) < 2:
                    continue
                self.by_class.setdefault(cols[0], []).append(os.path.join(folder, cols[1]))
        self._caps: dict[str, Capture] = {}

    def clip(self, classes: list[str], make, what: str) -> clips.Clip:
        for cls in classes:
            for path in self.by_class.get(cls, []):
                if not os.path.exists(path):
                    continue
                if path not in self._caps:
                    try:
                        self._caps[path] = Capture(path)
                    except (ValueError, OSError, IndexError) as e:
                        print(f"  skip {path}: {e}", file=sys.stderr)
                        continue
                c = make(self._caps[path])
                if c is not None:
                    print(f"  {what}: {c.describe()}")
                    return c
        sys.exit(f"make-scenarios: no capture of class {' or '.join(classes)} in {self.folder} "
                 f"gives {what}")


def _tcp443(f) -> bool:
    return (f[0].proto == TCP and 443 in (f[0].sport, f[0].dport)
            and any(p.flags & 0x12 == 0x02 for p in f))


def _web(f) -> bool:
    return _tcp443(f) or (f[0].proto == UDP and 53 in (f[0].sport, f[0].dport))


def _dns(f) -> bool:
    return f[0].proto == UDP and 53 in (f[0].sport, f[0].dport)


def load_clips(s: Sessions) -> dict[str, clips.Clip]:
    return {
        # Vantage (a): the device's public egress opens TLS connections to the gateway's portal
        # (sign-in before the tunnel): the handshakes give the RTT to the egress.
        "portal": s.clip(["Benign/TLS"], lambda c: clips.client_clip(c, _tcp443, 4),
                         "gateway portal TLS (vantage a)"),
        # Vantage (a): the corporate VPN tunnel itself, egress -> gateway.
        "tunnel": s.clip(["VPN/OpenVPN"],
                         lambda c: clips.biggest_conversation_clip(c, lambda f: len(f) >= 10),
                         "corporate VPN tunnel (vantage a)"),
        # Vantage (b): the device's own traffic inside the tunnel (its VPN address).
        "web": s.clip(["Benign/TLS"], lambda c: clips.client_clip(c, _web, 2),
                      "browsing inside the tunnel (vantage b)"),
        "dns": s.clip(["Benign/DNS"], lambda c: clips.client_clip(c, _dns, 2),
                      "DNS inside the tunnel (vantage b)"),
        "anydesk": s.clip(["Remote/AnyDesk"], lambda c: clips.remote_control_clip(c, {7070}),
                          "AnyDesk direct session (vantage b)"),
        "desktop": s.clip(["Remote/VNC", "Remote/RDP"],
                          lambda c: clips.remote_control_clip(
                              c, {3389, 5800, 5900, 5901, 5902, 6900}, min_payload=20000),
                          "remote-desktop session (vantage b)"),
    }


# --- contractors and scenarios --------------------------------------------------------------------

@dataclasses.dataclass
class Contractor:
    id: str
    name: str
    claimed: world.Place
    hours: tuple[str, str, str]  # start, end, days
    egress: Host  # the public address the gateway sees
    device: Host  # its corporate-VPN address on the inside tap
    roster_egress: list[str]  # known home line in the roster (may be empty)
    # False: the roster has no static selector at all (no device address either); the
    # contractor is known only from identity events.
    roster_device: bool = True


def utc_us(iso: str) -> int:
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")) * 1_000_000


def contractor(cid, name, claimed, hours, egress, vpn_ip, known_egress=True,
               identity_only=False) -> Contractor:
    """The device's tunnel (egress) and tunnelled (VPN address) packets come from one IP stack:
    one IP-ID counter, keyed by the contractor. `identity_only`: no device address and no
    egress address in the roster (both come only from the gateway's sign-in log)."""
    egress = dataclasses.replace(egress, ipid_key=cid)
    device = dataclasses.replace(vpn_client(f"{cid} device", vpn_ip, egress), ipid_key=cid)
    return Contractor(cid, name, claimed, hours, egress, device,
                      [egress.ip] if known_egress and not identity_only else [],
                      roster_device=not identity_only)


C_HONEST = contractor("c1", "Avery Brooks", AUSTIN, ("09:00", "18:00", "Mon-Fri"),
                      public_host("c1 home router", "austin_home", 57), "10.8.0.11")
# Astrill's exits terminate TCP (StealthVPN/OpenWeb): the handshake is answered from Los Angeles,
# the application by the worker one long hidden leg further away.
C_ASTRILL = contractor("c2", "Jordan Lee", NEW_YORK, ("09:00", "17:00", "Mon-Fri"),
                       public_host("Astrill exit", "astrill_exit", 21, hops=10, ttl_init=64,
                                   extra_leg_ms=140.0), "10.8.0.21", known_egress=False)
C_KRAKEN = contractor("c3", "Sam Carter", CHICAGO, ("09:00", "17:00", "Mon-Fri"),
                      public_host("colocated desktop", "colo", 45, hops=9), "10.8.0.31",
                      known_egress=False)
C_FARM = contractor("c4", "Riley Morgan", PHOENIX, ("09:00", "17:00", "Mon-Fri"),
                    public_host("c4 home router", "phoenix_home", 88), "10.8.0.41")
_VEGAS = public_host("shared home router", "vegas_home", 130)
C_SHARED_A = contractor("c5", "Casey Nguyen", LAS_VEGAS, ("09:00", "17:00", "Mon-Fri"), _VEGAS,
                        "10.8.0.51", known_egress=False)
C_SHARED_B = contractor("c6", "Drew Patel", LAS_VEGAS, ("09:00", "17:00", "Mon-Fri"), _VEGAS,
                        "10.8.0.52", known_egress=False)
C_OFF = contractor("c7", "Morgan Ellis", NEW_YORK, ("09:00", "17:00", "Mon-Fri"),
                   public_host("c7 home router", "nyc_home", 19), "10.8.0.71")
# daily_relay: a residential line in Chicago, the claimed city, but every handshake through it
# takes ~150 ms instead of the ~23 ms Chicago needs: the line forwards packets (IP level, not a
# TCP-terminating proxy) over an extra leg to the worker, so the handshake itself crosses it.
C_RELAY = contractor("c8", "Taylor Quinn", CHICAGO, ("09:00", "17:00", "Mon-Fri"),
                     dataclasses.replace(public_host("c8 home router (relay)", "chicago_home", 33),
                                         rtt_ms=150.0), "10.8.0.81")
# identity_only_farm: two contractors the roster knows only by claim (no device, MAC or egress
# address), signing in from one residential address in Atlanta: a laptop farm.
_ATLANTA_FARM = public_host("laptop farm router", "atlanta_home", 201)
C_IDFARM_A = contractor("c9", "Jamie Rivera", ATLANTA, ("09:00", "17:00", "Mon-Fri"),
                        _ATLANTA_FARM, "10.8.0.91", identity_only=True)
C_IDFARM_B = contractor("c10", "Robin Hayes", ATLANTA, ("09:00", "17:00", "Mon-Fri"),
                        _ATLANTA_FARM, "10.8.0.92", identity_only=True)
CONTRACTORS = [C_HONEST, C_ASTRILL, C_KRAKEN, C_FARM, C_SHARED_A, C_SHARED_B, C_OFF,
               C_RELAY, C_IDFARM_A, C_IDFARM_B]

VPN_CONTROLLER = inner(public_host("controller (commercial VPN exit)", "vpn_exit", 77, hops=17))
CN_CONTROLLER = inner(public_host("controller (abroad)", "shenyang", 140, hops=21))
ANYDESK_RELAY = inner(public_host("AnyDesk relay", "relay", 12, hops=14))

# When each contractor sits down to work (UTC, "YYYY-MM-DDTHH:MM"), inside the claimed hours
# except in off_hours. Each scenario has its own week, so no window holds two scenarios.
_HONEST_T = [f"2026-01-0{d}T{h}" for d in (5, 6, 7) for h in ("15:10", "17:40", "20:30", "22:15")]
_ASTRILL_T = [f"2026-01-1{d}T{h}" for d in (2, 3) for h in ("14:30", "16:00", "19:00", "21:00")]
_KRAKEN_T = [f"2026-01-{d}T{h}" for d in (19, 20) for h in ("15:30", "17:00", "20:00", "22:00")]
_FARM_T = [f"2026-01-{d}T{h}" for d in (26, 27) for h in ("16:30", "18:00", "21:00", "23:00")]
_SHARED_T = [f"2026-02-0{d}T{h}" for d in (2, 3) for h in ("17:30", "19:00", "22:00", "23:30")]
_SHARED_T_B = [f"2026-02-0{d}T{h}" for d in (2, 3) for h in ("17:45", "19:20", "22:10", "23:40")]
# 09:05-16:37 at UTC+9 (Seoul/Pyongyang/Tokyo hours), Mon-Fri: 00:05-07:37 UTC, which in New York
# (EST, UTC-5) is 19:05-02:37, Sunday evening to Friday small hours. The span fills an 8-hour
# day (the claimed 09:00-17:00 length) at UTC+9 only: UTC+8 starts it 08:05, UTC+10 ends it 17:37.
_OFF_T = [f"2026-02-{d:02d}T{h}" for d in range(9, 14)
          for h in ("00:05", "02:30", "04:40", "06:10", "07:35")]
# Mon 02-16 to Thu 02-19, 10:00 and 15:00 CST (UTC-6): two sittings a day, both in one UTC day
# (one evidence window), so no window holds 3 handshakes while the four days hold 8.
_RELAY_T = [f"2026-02-{d}T{h}" for d in (16, 17, 18, 19) for h in ("16:00", "21:00")]
# Mon 02-23 and Tue 02-24, 09:30-15:45 EST (UTC-5): c10 signs in 10-15 minutes after c9, from
# the same address, while c9 is still signed in.
_IDFARM_T = [f"2026-02-2{d}T{h}" for d in (3, 4) for h in ("14:30", "16:00", "19:00", "20:30")]
_IDFARM_T_B = [f"2026-02-2{d}T{h}" for d in (3, 4) for h in ("14:40", "16:15", "19:10", "20:45")]


class Scenario:
    def __init__(self, name: str, clips_: dict):
        self.name, self.clips, self.frames, self.identity = name, clips_, [], []

    def _peer(self, ip, flow):
        if 53 in (flow[0].sport, flow[0].dport):
            return RESOLVER
        return WEB[zlib.crc32(ip.encode()) % len(WEB)]

    def workday_session(self, c: Contractor, when: str, label: str, inside: bool = True,
                        one_handshake: bool = False) -> int:
        """One sitting: sign in at the portal (the gateway logs the binding of contractor,
        public address and VPN address), bring the tunnel up, then browse inside it
        (`inside`). `one_handshake`: exactly one TCP handshake between the egress and the
        gateway (the first portal connection; the tunnel only when it has no TCP handshake,
        i.e. OpenVPN over UDP). Returns the start (microseconds)."""
        t = utc_us(when + ":00Z")
        tag = f"{self.name}/{c.id}/{label}"
        self.identity.append({"timestamp": iso(t - 30_000_000), "contractor": c.id,
                              "public_ip": c.egress.ip, "internal_ip": c.device.ip,
                              "source": "vpn-gateway"})
        portal, tunnel = self.clips["portal"], self.clips["tunnel"]
        if one_handshake:
            portal = dataclasses.replace(portal, flows=portal.flows[:1])
            if _has_tcp_handshake(tunnel):
                tunnel = None
        self.frames += clips.stage(portal, {"device": c.egress, "peer": GATEWAY},
                                   t, tag + "/portal", max_pkts_per_flow=24)
        if tunnel is not None:
            self.frames += clips.stage(tunnel, {"device": c.egress, "server": GATEWAY},
                                       t + 4_000_000, tag + "/tunnel", max_pkts_per_flow=60)
        if not inside:
            return t
        self.frames += clips.stage(self.clips["dns"], {"device": c.device, "peer": self._peer},
                                   t + 9_000_000, tag + "/dns")
        self.frames += clips.stage(self.clips["web"], {"device": c.device, "peer": self._peer},
                                   t + 12_000_000, tag + "/web", max_pkts_per_flow=30)
        return t

    def days(self, c: Contractor, times: list[str], inside: bool = True,
             one_handshake: bool = False) -> None:
        for i, when in enumerate(times):
            self.workday_session(c, when, f"s{i}", inside, one_handshake)

    def write(self, out: str) -> tuple[int, int]:
        frames = clips.number_ip_ids(self.frames)  # stable sort: equal times keep their order
        size = pcapio.write_pcap(os.path.join(out, f"{self.name}.pcap"), frames)
        if size > MAX_CAPTURE_BYTES:
            sys.exit(f"make-scenarios: {self.name}.pcap is {size} bytes (> {MAX_CAPTURE_BYTES})")
        return len(self.frames), size


def _has_tcp_handshake(clip: clips.Clip) -> bool:
    return any(p.proto == TCP and p.flags & 0x12 == 0x02 for f in clip.flows for p in f)


def iso(us: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(us // 1_000_000))


def build(c: dict) -> tuple[list[Scenario], list[tuple[str, str, str]]]:
    out, expected = [], []

    s = Scenario("honest", c)
    s.days(C_HONEST, _HONEST_T)
    out.append(s)

    s = Scenario("astrill", c)
    # Gateway view only: tunnelled handshakes would cross the hidden leg to the worker (their
    # RTT is the exit's plus ~140 ms), evidence this scenario leaves out on purpose (README).
    s.days(C_ASTRILL, _ASTRILL_T, inside=False)
    out.append(s)
    expected += [("astrill", "c2", "anonymized_egress"), ("astrill", "c2", "location_mismatch")]

    s = Scenario("kraken", c)
    s.days(C_KRAKEN, _KRAKEN_T)
    # The colocated desktop is driven over VNC/RDP by a controller on a commercial VPN exit,
    # seen inside the tunnel (the desktop's corporate-VPN address is the controlled end).
    for i, when in enumerate((_KRAKEN_T[0], _KRAKEN_T[4])):
        s.frames += clips.stage(c["desktop"], {"device": C_KRAKEN.device,
                                               "controller": VPN_CONTROLLER, "peer": s._peer},
                                utc_us(when + ":00Z") + 60_000_000, f"kraken/desktop{i}")
    out.append(s)
    expected += [("kraken", "c3", "colocated_desktop"), ("kraken", "c3", "anonymized_egress")]

    s = Scenario("laptop_farm", c)
    s.days(C_FARM, _FARM_T)
    # AnyDesk: the laptop (its corporate-VPN address) is the controlled end; the controller
    # connects directly (not relayed), so its address in Shenyang is visible.
    for i, when in enumerate((_FARM_T[1], _FARM_T[5])):
        s.frames += clips.stage(
            c["anydesk"],
            {"device": C_FARM.device, "controller": CN_CONTROLLER,
             "peer": lambda ip, f: RESOLVER if 53 in (f[0].sport, f[0].dport) else ANYDESK_RELAY},
            utc_us(when + ":00Z") + 60_000_000, f"laptop_farm/anydesk{i}")
    out.append(s)
    expected += [("laptop_farm", "c4", "remote_controlled_device")]

    s = Scenario("shared_home", c)
    s.days(C_SHARED_A, _SHARED_T)
    s.days(C_SHARED_B, _SHARED_T_B)
    out.append(s)
    expected += [("shared_home", "c5", "shared_egress"), ("shared_home", "c6", "shared_egress")]

    s = Scenario("off_hours", c)
    s.days(C_OFF, _OFF_T)
    out.append(s)
    expected += [("off_hours", "c7", "off_hours")]

    # Added after the six above; appending keeps their captures and rows as they were.
    s = Scenario("daily_relay", c)
    # Gateway view only, one portal handshake per sitting: 2 RTT samples a day (below the 3 a
    # window needs), 8 over the four days. Inside traffic would add handshakes of its own.
    s.days(C_RELAY, _RELAY_T, inside=False, one_handshake=True)
    out.append(s)
    expected += [("daily_relay", "c8", "latency_inconsistent")]

    s = Scenario("identity_only_farm", c)
    s.days(C_IDFARM_A, _IDFARM_T)
    s.days(C_IDFARM_B, _IDFARM_T_B)
    out.append(s)
    expected += [("identity_only_farm", "c9", "shared_egress"),
                 ("identity_only_farm", "c10", "shared_egress")]
    return out, expected


# --- the other outputs ----------------------------------------------------------------------------

def roster_yaml() -> str:
    lines = ["# Contractors of the scenario suite (scripts/make-scenarios;"
             " tests/scenarios/README.md).",
             "contractors:"]
    for c in CONTRACTORS:
        p = c.claimed
        lines += [f"  - id: {c.id}",
                  f'    name: "{c.name}"',
                  f'    claimed: {{city: "{p.city}", country: {p.country}, '
                  f'lat: {p.lat}, lon: {p.lon}}}',
                  f"    timezone: {p.tz}",
                  f'    working_hours: {{start: "{c.hours[0]}", end: "{c.hours[1]}", '
                  f'days: "{c.hours[2]}"}}']
        if c.roster_device:
            lines += [f"    devices: {{ips: [{c.device.ip}/32], macs: []}}"]
        if c.roster_device or c.roster_egress:
            lines += [f"    egress_ips: [{', '.join(c.roster_egress)}]"]
        else:
            lines += ["    # no static selectors: known only from identity events"]
    return "\n".join(lines) + "\n"


def facts(scenarios) -> str:
    """Every host of the world with place, distance and RTT from the sensor (for the README)."""
    rows = ["host\taddress\tplace\tdistance_km\trtt_ms"]
    hosts = [(c.id + " egress (" + c.egress.name + ")", c.egress) for c in CONTRACTORS]
    hosts += [(c.id + " device (VPN address)", c.device) for c in CONTRACTORS]
    hosts += [(h.name, h) for h in (VPN_CONTROLLER, CN_CONTROLLER, ANYDESK_RELAY, GATEWAY, *WEB)]
    seen = set()
    for label, h in hosts:
        if (label, h.ip) in seen:
            continue
        seen.add((label, h.ip))
        net = next((n for n in world.NETWORKS.values() if _in(h.ip, n.cidr)), None)
        place = f"{net.place.city}, {net.place.country}" if net else "(internal)"
        km = f"{world.haversine_km(world.SENSOR, net.place):.0f}" if net else "-"
        rows.append(f"{label}\t{h.ip}\t{place}\t{km}\t{h.rtt_ms}")
    return "\n".join(rows) + "\n"


def _in(ip: str, cidr: str) -> bool:
    import ipaddress
    return ipaddress.IPv4Address(ip) in ipaddress.IPv4Network(cidr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sessions", required=True, help="folder with MANIFEST.tsv and captures")
    ap.add_argument("--out", required=True)
    ap.add_argument("--make-mmdb", required=True, help="tests/geoip/make_test_mmdb.pl")
    args = ap.parse_args()
    os.makedirs(os.path.join(args.out, "geo"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "lists"), exist_ok=True)

    print(f"make-scenarios: sessions from {args.sessions}")
    scenarios, expected = build(load_clips(Sessions(args.sessions)))
    def write(rel: str, text: str) -> None:
        with open(os.path.join(args.out, rel), "w") as f:
            f.write(text)

    def jsonl(events: list) -> str:
        events = sorted(events, key=lambda e: (e["timestamp"], e["contractor"]))
        return "".join(json.dumps(e, separators=(",", ":")) + "\n" for e in events)

    # One identity file for all scenarios (what the suite runs with) and, for engines that take
    # every identity event as evidence even without traffic, one per scenario (identity/).
    os.makedirs(os.path.join(args.out, "identity"), exist_ok=True)
    identity = []
    for s in scenarios:
        packets, size = s.write(args.out)
        identity += s.identity
        write(f"identity/{s.name}.jsonl", jsonl(s.identity))
        print(f"  {s.name + '.pcap':24} {packets:7} packets {size:9} bytes")

    write("roster.yaml", roster_yaml())
    write("identity-events.jsonl", jsonl(identity))
    write("sensor.txt", f"{world.SENSOR.lat:.4f},{world.SENSOR.lon:.4f}\n")
    write("expected.tsv", "scenario\tcontractor_id\talert_kind\n"
          + "# honest: no alert (c1)\n"
          + "".join(f"{a}\t{b}\t{k}\n" for a, b, k in expected))
    write("lists/networks.txt",
          "# Operator network list for the scenarios (format: docs/geoip.md).\n"
          "# Astrill publishes no ASN: its exits sit in ordinary hosting networks, so the\n"
          "# operator names the exits seen before.\n"
          + "".join(f"{c}  {t}  {p}\n" for c, t, p in world.OPERATOR_LIST))
    write("facts.tsv", facts(scenarios))
    write("geo/city.json", json.dumps(world.city_db_json(), indent=1) + "\n")
    write("geo/asn.json", json.dumps(world.asn_db_json(), indent=1) + "\n")
    subprocess.run(["perl", args.make_mmdb, os.path.join(args.out, "geo"),
                    os.path.join(args.out, "geo/city.json"),
                    os.path.join(args.out, "geo/asn.json")],
                   check=True)
    print(f"make-scenarios: wrote {len(scenarios)} scenarios to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
