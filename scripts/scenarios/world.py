"""The scenarios' world: places, the networks the test GeoIP databases place there, the hosts
(addresses, MACs, round trips from the sensor) and the physics that sets each round trip.

No documentation ranges: geoip/ classifies RFC 5737 space as "documentation" and never
re-classifies it, so every public address here is an ordinary-looking public address from a
range that only the scenario databases (OUT/geo/*.json) describe. The ASNs are private-use
(RFC 6996) and the organisation names say "Example", so nothing here claims to describe a real
network; each name carries the keyword geoip/asn_org_rules.cpp needs for its network type.
"""

from __future__ import annotations

import dataclasses
import math

from .clips import Host

FIBRE_KM_PER_MS = 100.0  # each ms of round trip covers at most ~100 km of fibre (200 km/ms one way)
STRETCH = 1.5  # real routes vs the great circle: 1.5 good, 2 poor (BACKGROUND.md)
LAST_MILE_MS = {"residential": 4.0, "hosting": 1.0, "corporate": 0.3}


@dataclasses.dataclass(frozen=True)
class Place:
    city: str
    country: str
    lat: float
    lon: float
    tz: str


DALLAS = Place("Dallas", "US", 32.7767, -96.7970, "America/Chicago")
AUSTIN = Place("Austin", "US", 30.2672, -97.7431, "America/Chicago")
NEW_YORK = Place("New York", "US", 40.7128, -74.0060, "America/New_York")
LOS_ANGELES = Place("Los Angeles", "US", 34.0522, -118.2437, "America/Los_Angeles")
CHICAGO = Place("Chicago", "US", 41.8781, -87.6298, "America/Chicago")
AMSTERDAM = Place("Amsterdam", "NL", 52.3676, 4.9041, "Europe/Amsterdam")
PHOENIX = Place("Phoenix", "US", 33.4484, -112.0740, "America/Phoenix")
SHENYANG = Place("Shenyang", "CN", 41.8057, 123.4315, "Asia/Shanghai")
LAS_VEGAS = Place("Las Vegas", "US", 36.1699, -115.1398, "America/Los_Angeles")
FRANKFURT = Place("Frankfurt am Main", "DE", 50.1109, 8.6821, "Europe/Berlin")
ATLANTA = Place("Atlanta", "US", 33.7490, -84.3880, "America/New_York")

SENSOR = DALLAS  # the sensor sits beside the corporate remote-access gateway in Dallas


@dataclasses.dataclass(frozen=True)
class Network:
    cidr: str
    place: Place
    asn: int
    org: str
    kind: str  # what the org name makes geoip classify it as (asn_org_rules.cpp), for the README
    accuracy_km: int


_N = Network
NETWORKS = {
    # The company's own block: no keyword, nothing is decided on it.
    "corp": _N("74.208.120.0/24", DALLAS, 64600, "Example Contoso Corporation", "unknown", 20),
    "austin_home": _N("70.112.40.0/22", AUSTIN, 64601, "Example Cable Texas LLC",
                      "residential", 10),
    "astrill_exit": _N("104.194.216.0/24", LOS_ANGELES, 64602, "Example Cloud Servers Inc",
                       "hosting", 20),
    "colo": _N("67.213.60.0/24", CHICAGO, 64603, "Example Colocation Chicago LLC", "hosting", 20),
    "vpn_exit": _N("185.225.28.0/24", AMSTERDAM, 64604, "Example Secure VPN AB", "vpn", 50),
    "phoenix_home": _N("68.230.112.0/22", PHOENIX, 64605, "Example Broadband Arizona LLC",
                       "residential", 10),
    "shenyang": _N("123.184.60.0/24", SHENYANG, 64606, "Example Telecom Liaoning",
                   "residential", 50),
    "vegas_home": _N("68.108.88.0/22", LAS_VEGAS, 64607, "Example Cable Nevada LLC",
                     "residential", 10),
    "nyc_home": _N("96.246.130.0/23", NEW_YORK, 64608, "Example Fiber New York LLC",
                   "residential", 10),
    "relay": _N("46.19.220.0/24", FRANKFURT, 64609, "Example Hosting GmbH", "hosting", 50),
    "cdn": _N("38.140.12.0/24", DALLAS, 64610, "Example CDN Services", "hosting", 50),
    # Added for daily_relay and identity_only_farm (new entries only: the six first scenarios'
    # networks, and so their lookups, stay as they were).
    "chicago_home": _N("73.44.160.0/22", CHICAGO, 64611, "Example Cable Illinois LLC",
                       "residential", 10),
    "atlanta_home": _N("73.82.200.0/22", ATLANTA, 64612, "Example Cable Georgia LLC",
                       "residential", 10),
}

# Astrill publishes no ASN; the operator names the exits it has seen (lists/networks.txt).
OPERATOR_LIST = [("104.194.216.0/24", "vpn", "Astrill")]

# MACs on the sensor's two taps beside the gateway: outside (tunnels arrive from the upstream
# router) and inside (decapsulated client traffic, on its way to the NAT firewall).
GW_OUT_MAC = "02:50:41:00:20:01"
UPSTREAM_MAC = "02:50:41:00:20:fe"
GW_IN_MAC = "02:50:41:00:08:01"
NAT_MAC = "02:50:41:00:08:fe"


def haversine_km(a: Place, b: Place) -> float:
    """Great circle on a sphere of radius 6371.0088 km, as geoip/geometry.cpp computes it."""
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def rtt_ms(place: Place, last_mile: str) -> float:
    """RTT_ms = distance_km x stretch / 100 + last-mile allowance (BACKGROUND.md)."""
    km = haversine_km(SENSOR, place)
    return round(km * STRETCH / FIBRE_KM_PER_MS + LAST_MILE_MS[last_mile], 1)


def public_host(name: str, net: str, last: int, hops: int = 12, **kw) -> Host:
    """A host in one of NETWORKS, seen on the outside tap, with the physics' RTT."""
    n = NETWORKS[net]
    base = n.cidr.split("/")[0].rsplit(".", 1)[0]
    ip = f"{base}.{last}"
    mile = "hosting" if n.kind in ("hosting", "vpn") else "residential"
    return Host(name, ip, UPSTREAM_MAC, rtt_ms(n.place, mile), hops, **kw)


def inner(host: Host, mac: str = NAT_MAC) -> Host:
    """The same far host as seen on the inside tap (NATed traffic leaves via the firewall)."""
    return dataclasses.replace(host, mac=mac)


def vpn_client(name: str, ip: str, egress: Host) -> Host:
    """A device's corporate-VPN address on the inside tap: its round trip is the tunnel's (the
    egress's RTT plus the gateway's de/encapsulation); the gateway is one routed hop."""
    return Host(name, ip, GW_IN_MAC, round(egress.rtt_ms + 0.4, 1), hops=1)


GATEWAY = Host("corporate VPN gateway", "74.208.120.10", GW_OUT_MAC, 0.3, 0)
RESOLVER = Host("corporate resolver", "10.8.0.1", GW_IN_MAC, 0.2, 0)
WEB = [Host("CDN edge", "38.140.12.34", NAT_MAC, rtt_ms(DALLAS, "hosting"), 8),
       Host("CDN edge", "38.140.12.77", NAT_MAC, rtt_ms(DALLAS, "hosting"), 8)]


def city_db_json() -> dict:
    nets = [{"network": n.cidr, "data": {
        "country": {"iso_code": n.place.country}, "city": {"names": {"en": n.place.city}},
        "location": {"latitude": n.place.lat, "longitude": n.place.lon,
                     "accuracy_radius": n.accuracy_km, "time_zone": n.place.tz}}}
            for n in NETWORKS.values()]
    return {"database_type": "GeoIP2-City", "ip_version": 6,
            "types": {"country": "map", "city": "map", "location": "map", "names": "map",
                      "iso_code": "utf8_string", "en": "utf8_string", "latitude": "double",
                      "longitude": "double", "accuracy_radius": "uint16",
                      "time_zone": "utf8_string"},
            "networks": nets}


def asn_db_json() -> dict:
    nets = [{"network": n.cidr, "data": {"autonomous_system_number": n.asn,
                                         "autonomous_system_organization": n.org}}
            for n in NETWORKS.values()]
    return {"database_type": "GeoLite2-ASN", "ip_version": 6,
            "types": {"autonomous_system_number": "uint32",
                      "autonomous_system_organization": "utf8_string"},
            "networks": nets}
