"""Benign sessions: what an honest home worker's device does, for negative tests."""

from __future__ import annotations

import math

from . import wire
from .common import Net, converse, dns_lookup, ephemeral_port
from .net import LINUX, WINDOWS, Capture, TcpFlow

WWW_IP = "203.0.113.10"
STATIC_IP = "203.0.113.11"


def benign_dns(cap: Capture, t0: float, net: Net) -> None:
    """A Windows laptop resolving a handful of names, the way a browser start does: A and AAAA
    pairs, a CNAME chain to a CDN, and one name that does not exist."""
    rng = cap.rng("dns")
    dev = net.local(WINDOWS)
    resolver = net.resolver(LINUX)
    lookups = [
        ("www.example.com", "A", [("www.example.com", "A", 3600, WWW_IP)]),
        ("www.example.com", "AAAA", [("www.example.com", "AAAA", 3600, "2001:db8:10::10")]),
        ("static.example.net", "A", [("static.example.net", "CNAME", 300, "cdn.example.net"),
                                     ("cdn.example.net", "A", 60, STATIC_IP)]),
        ("mail.example.org", "A", [("mail.example.org", "A", 600, "203.0.113.12")]),
        ("time.example.com", "A", [("time.example.com", "A", 86400, "203.0.113.13")]),
        ("api.example.com", "HTTPS", []),
        ("intranet.example.com", "A", []),  # NOERROR with no data, as for an internal-only name
    ]
    t = t0
    for name, qtype, answers in lookups:
        dns_lookup(cap, rng, t, dev, resolver, name, answers, qtype)
        t += rng.choice([0.001, 0.002, 0.4, 1.7, 3.1])


def _h2_page(rng, flow: TcpFlow, t: float, tls13: bool, resources: int) -> float:
    """One page over HTTP/2: request, HTML, then subresources fetched after parsing."""
    t = flow.send(t, 0, wire.app_data(rng, rng.randint(180, 420), tls13))  # HEADERS
    t = flow.send(t + flow.hosts[1].rtt + rng.uniform(0.01, 0.06), 1,
                  wire.app_data(rng, int(rng.lognormvariate(math.log(30000), 0.5)), tls13))
    t += rng.uniform(0.03, 0.12)  # parse, discover subresources
    requests_done = t
    for _ in range(resources):
        requests_done = flow.send(requests_done + rng.uniform(0.0005, 0.004), 0,
                                  wire.app_data(rng, rng.randint(60, 160), tls13))
    t = requests_done + flow.hosts[1].rtt
    for _ in range(resources):
        t = flow.send(t + rng.uniform(0.0, 0.01), 1,
                      wire.app_data(rng, int(rng.lognormvariate(math.log(9000), 1.0)), tls13))
    return t


def benign_tls(cap: Capture, t0: float, net: Net) -> None:
    """Chrome on Windows opening https://www.example.com/ (TLS 1.3, HTTP/2) and its static host
    (the server only speaks TLS 1.2, so its certificate is visible), two page views ~40 s apart,
    then both connections closed by the browser."""
    rng = cap.rng("tls")
    dev = net.local(WINDOWS)
    resolver = net.resolver(LINUX)
    www = net.remote("www.example.com", WWW_IP, LINUX, hops=12, rate_bps=80e6)
    static = net.remote("static.example.net", STATIC_IP, LINUX, hops=11, rate_bps=80e6)

    t = dns_lookup(cap, rng, t0, dev, resolver, "www.example.com",
                   [("www.example.com", "A", 3600, WWW_IP)])
    flow = TcpFlow(cap, dev, www, ephemeral_port(rng, dev), 443)
    t = flow.connect(t + 0.0002)
    hello = wire.client_hello(rng, "chrome", sni="www.example.com")
    t = converse(flow, t, [
        (0, wire.tls_record(wire.CT_HANDSHAKE, hello, version=0x0301)),
        (1, wire.tls13_server_flight(rng, 0x1301, rng.randint(3200, 4200), wire.session_id_of(hello))),
        (0, wire.ccs() + wire.app_data(rng, 36, True)),  # client Finished
    ])
    t = _h2_page(rng, flow, t, True, resources=3)

    t_static = dns_lookup(cap, rng, t - 0.2, dev, resolver, "static.example.net",
                          [("static.example.net", "CNAME", 300, "cdn.example.net"),
                           ("cdn.example.net", "A", 60, STATIC_IP)])
    sflow = TcpFlow(cap, dev, static, ephemeral_port(rng, dev), 443)
    cert = wire.x509_cert(rng, [("C", "US"), ("O", "Example CDN"), ("CN", "static.example.net")],
                          [("C", "US"), ("O", "Example Trust Services"), ("CN", "Example TLS CA R3")],
                          "240301000000Z", "250301000000Z",
                          dns_names=["static.example.net", "cdn.example.net"])
    ca = wire.x509_cert(rng, [("C", "US"), ("O", "Example Trust Services"), ("CN", "Example TLS CA R3")],
                        [("C", "US"), ("O", "Example Trust Services"), ("CN", "Example Root X1")],
                        "200101000000Z", "300101000000Z")
    ts = sflow.connect(t_static + 0.0002)
    ts = converse(sflow, ts, [
        (0, wire.tls_record(wire.CT_HANDSHAKE,
                            wire.client_hello(rng, "chrome", sni="static.example.net"), 0x0301)),
        (1, wire.tls12_server_flight(rng, 0xC02B, [cert, ca], alpn="h2")),
        (0, wire.tls12_client_finish(rng)),
        (1, wire.ccs() + wire.encrypted_finished(rng)),
    ])
    ts = _h2_page(rng, sflow, ts + dev.rtt, False, resources=6)

    t = _h2_page(rng, flow, max(t, ts) + rng.uniform(35, 45), True, resources=2)
    ts = _h2_page(rng, sflow, t + 0.05, False, resources=4)
    t = flow.close(max(t, ts) + rng.uniform(15, 25))
    sflow.close(t + 0.0003)
    flow.render()
    sflow.render()
