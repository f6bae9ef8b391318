"""Remote-control sessions: the local device is the machine being driven from elsewhere.

In every file the controlled device is local (192.168.1.10) and sends the screen; the controller
is remote and sends input. That asymmetry (large frequent packets out, small bursty packets in)
is what says which end is being driven.
"""

from __future__ import annotations

import random

from . import wire
from .behaviour import human_input, periodic, screen_updates
from .common import (NAT_PUBLIC_IP, Net, converse, dns_lookup, drive_interactive,
                     ephemeral_port, play, reply)
from .net import LINUX, MACOS, WINDOWS, Capture, TcpFlow, UdpFlow

CLIENT, SERVER = 0, 1
SESSION_SECONDS = 170.0  # within the 2-5 minutes asked for, and under 2 MB per file
SCREEN_SCALE = 0.5  # shrink update sizes (not timing) to keep files small


def _tls_wrap(rng: random.Random):
    """Sizes -> TLS 1.2 application-data records (what AnyDesk and RDP send once keyed)."""
    return lambda size: wire.app_data(rng, size)


def anydesk(cap: Capture, t0: float, net: Net) -> None:
    """AnyDesk on a Windows laptop, driven from abroad over a direct connection.

    The device resolves its relay (relay-<hex>.net.anydesk.com), keeps its TLS control connection
    to the relay on 443 (ALPN anydesk/<version>/windows, relay certificate "AnyNet Relay" from
    philandro Software GmbH, no SNI), and accepts the controller's direct connection on TCP 7070,
    where both sides present AnyDesk's self-signed "CN=AnyDesk Client" certificates.
    """
    rng = cap.rng("anydesk")
    wrap = _tls_wrap(rng)
    dev = net.local(WINDOWS)
    resolver = net.resolver(LINUX)
    relay = net.remote("AnyDesk relay", "203.0.113.41", LINUX, hops=13)
    ctrl = net.remote("controller", "198.51.100.41", WINDOWS, hops=19, rate_bps=20e6)
    end = t0 + SESSION_SECONDS + 15

    name = "relay-3185a847.net.anydesk.com"
    t = dns_lookup(cap, rng, t0, dev, resolver, name, [(name, "A", 60, relay.ip)])
    rflow = TcpFlow(cap, dev, relay, ephemeral_port(rng, dev), 443)
    t = rflow.connect(t + 0.0003)
    t = rflow.send(t, CLIENT, wire.tls_record(wire.CT_HANDSHAKE, wire.client_hello(
        rng, "openssl", alpn=["anydesk/8.0.10/windows"]), version=0x0301))
    philandro = [("CN", "AnyNet Root CA"), ("O", "philandro Software GmbH"), ("C", "DE")]
    relay_cert = wire.x509_cert(rng, [("C", "DE"), ("O", "philandro Software GmbH"),
                                      ("CN", "AnyNet Relay")], philandro,
                                "181118021423Z", "281115021423Z")
    t = reply(rflow, t, SERVER, wire.tls12_server_flight(rng, 0xC02C, [relay_cert]), 0.001)
    t = reply(rflow, t, CLIENT, wire.tls12_client_finish(rng), 0.002)
    t = reply(rflow, t, SERVER, wire.ccs() + wire.encrypted_finished(rng))
    t = reply(rflow, t, CLIENT, wrap(rng.randint(280, 420)))  # announce this client's ID
    t = reply(rflow, t, SERVER, wrap(rng.randint(120, 200)))
    t_relay = t

    # The controller asks the relay for this ID; the relay forwards it and the device answers.
    t_req = t0 + 6.0
    relay_events = [(t_req, SERVER, wrap(rng.randint(350, 480))),
                    (t_req + dev.rtt + 0.004, CLIENT, wrap(rng.randint(260, 340)))]

    # Then the controller connects straight to the device's listener on 7070.
    flow = TcpFlow(cap, ctrl, dev, ephemeral_port(rng, ctrl), 7070)
    t = flow.connect(t_req + ctrl.rtt + 0.05)
    anydesk_client = [("CN", "AnyDesk Client")]
    t = converse(flow, t, [
        (CLIENT, wire.tls_record(wire.CT_HANDSHAKE, wire.client_hello(rng, "openssl"), 0x0301)),
        (SERVER, wire.tls12_server_flight(rng, 0xC030, [wire.x509_cert(rng, anydesk_client, key="rsa")],
                                          request_cert=True, key="rsa")),
        (CLIENT, wire.tls12_client_finish(rng, [wire.x509_cert(rng, anydesk_client, key="rsa")],
                                          key="rsa")),
        (SERVER, wire.ccs() + wire.encrypted_finished(rng)),
        (CLIENT, wrap(180 + rng.randint(0, 40))),  # session request and password/ACL exchange
        (SERVER, wrap(90 + rng.randint(0, 40))),
        (CLIENT, wrap(120 + rng.randint(0, 40))),
        (SERVER, wrap(640 + rng.randint(0, 80))),  # the device's capabilities and monitors
    ])
    t = flow.send(t + 0.02, SERVER, wrap(int(60000 * SCREEN_SCALE)))  # first full screen

    start, stop = t + 0.5, t + SESSION_SECONDS
    inputs = human_input(rng, start, stop, mouse_hz=30, size=(24, 48))
    frames = screen_updates(rng, inputs, start, stop, max_fps=30, scale=SCREEN_SCALE)
    t = drive_interactive(flow, SERVER, inputs, frames, wrap, wrap)
    t = flow.close(t + 0.3, CLIENT)

    relay_events.append((t + relay.rtt / 2, SERVER, wrap(rng.randint(100, 160))))  # session over
    for k in periodic(rng, t_relay, end - 5, 10.0, 0.1):  # relay heartbeat
        relay_events += [(k, CLIENT, wrap(rng.randint(40, 70))),
                         (k + relay.rtt, SERVER, wrap(rng.randint(30, 50)))]
    t = play(rflow, relay_events)
    rflow.close(max(t, end), CLIENT)
    flow.render()
    rflow.render()


def rdp(cap: Capture, t0: float, net: Net) -> None:
    """Inbound RDP to a Windows laptop (router port-forward of 3389) from a controller abroad.

    X.224 Connection Request with the mstsc cookie and RDP_NEG_REQ, Connection Confirm choosing
    CredSSP (HYBRID), TLS 1.2 with the host's self-signed certificate, CredSSP/NTLM, MCS and
    capability exchange, then fast-path screen updates out and fast-path input in, all in TLS.
    """
    rng = cap.rng("rdp")
    wrap = _tls_wrap(rng)
    dev = net.local(WINDOWS)
    ctrl = net.remote("controller", "198.51.100.42", WINDOWS, hops=19, rate_bps=20e6)
    flow = TcpFlow(cap, ctrl, dev, ephemeral_port(rng, ctrl), 3389)
    t = flow.connect(t0)
    cert = wire.x509_cert(rng, [("CN", "DESKTOP-4F7K2QP")], not_before="240301081503Z",
                          not_after="240831081503Z", key="rsa")
    t = converse(flow, t, [
        (CLIENT, wire.x224_connection_request("jsmith", 0x0000000B)),  # SSL | HYBRID | HYBRID_EX
        (SERVER, wire.x224_connection_confirm(2, 0x1234)),  # HYBRID: CredSSP over TLS
        (CLIENT, wire.tls_record(wire.CT_HANDSHAKE, wire.client_hello(rng, "schannel"))),
        (SERVER, wire.tls12_server_flight(rng, 0xC030, [cert], key="rsa")),
        (CLIENT, wire.tls12_client_finish(rng)),
        (SERVER, wire.ccs() + wire.encrypted_finished(rng)),
    ])
    # CredSSP (NTLM negotiate / challenge / authenticate + pubKeyAuth / credentials), MCS connect,
    # erect domain, attach user, five channel joins, client info, licence, demand/confirm active,
    # then the four finalisation PDUs each way. Sizes are the plaintexts mstsc sends.
    turns = [(CLIENT, 60), (SERVER, 280), (CLIENT, 620), (SERVER, 300), (CLIENT, 120),
             (CLIENT, 430), (SERVER, 330), (CLIENT, 12), (CLIENT, 8), (SERVER, 11)]
    turns += [(CLIENT, 12), (SERVER, 15)] * 5
    turns += [(CLIENT, 350), (SERVER, 20), (SERVER, 450), (CLIENT, 500), (CLIENT, 22),
              (CLIENT, 26), (CLIENT, 26), (CLIENT, 26), (SERVER, 22), (SERVER, 26),
              (SERVER, 26), (SERVER, 30)]
    t = converse(flow, t + ctrl.rtt, [(side, wrap(size)) for side, size in turns])
    t = flow.send(t + 0.03, SERVER, wrap(int(90000 * SCREEN_SCALE)))  # the first full screen

    start, stop = t + 0.4, t + SESSION_SECONDS
    inputs = human_input(rng, start, stop, mouse_hz=60, size=(8, 20))
    frames = screen_updates(rng, inputs, start, stop, max_fps=30, scale=SCREEN_SCALE)
    t = drive_interactive(flow, SERVER, inputs, frames, wrap, wrap)
    t = flow.send(t + 0.5, CLIENT, wrap(40))  # shutdown request
    t = reply(flow, t, SERVER, wrap(30), 0.01)
    flow.close(t + ctrl.rtt, CLIENT)
    flow.render()


def teamviewer(cap: Capture, t0: float, net: Net) -> None:
    """TeamViewer on a Mac, driven through a TeamViewer router on TCP 5938.

    The device resolves its router (routerN.teamviewer.com) and connects out; the session's
    command packets start 0x17 0x24 and data packets 0x11 0x30. The screen goes up to the
    router, which relays it to the controller; input comes back the same way.
    """
    rng = cap.rng("teamviewer")
    dev = net.local(MACOS)
    resolver = net.resolver(LINUX)
    router = net.remote("TeamViewer router", "203.0.113.43", WINDOWS, hops=15)
    name = "router7.teamviewer.com"
    t = dns_lookup(cap, rng, t0, dev, resolver, name, [(name, "A", 300, router.ip)])
    flow = TcpFlow(cap, dev, router, ephemeral_port(rng, dev), 5938)
    t = flow.connect(t + 0.0003)
    counters = [0, 0]  # data packets sent per direction

    def data(side: int, cmd: int, size: int) -> bytes:
        counters[side] += 1
        return wire.teamviewer_data(cmd, counters[side], counters[1 - side], rng.randbytes(size))

    # The client opens with three v1 commands (the last carries its ID and login); from then on
    # both sides speak in data packets. Sizes follow the public nDPI sample's first packets.
    t = converse(flow, t, [
        (CLIENT, wire.teamviewer_cmd(0x0A, rng.randbytes(32))),
        (CLIENT, wire.teamviewer_cmd(0x28, rng.randbytes(24)) + wire.teamviewer_cmd(0x3C, rng.randbytes(32))),
        (CLIENT, wire.teamviewer_cmd(0x3C, rng.randbytes(1833))),
        (SERVER, data(SERVER, 0x36, 24)),
        (SERVER, data(SERVER, 0x3C, 123)),
        (SERVER, data(SERVER, 0x3C, 2672)),
        (CLIENT, data(CLIENT, 0x3C, 1054)),
        (SERVER, data(SERVER, 0x3C, 1065)),
    ])
    t = flow.send(t + 0.05, CLIENT, data(CLIENT, 0x3C, int(70000 * SCREEN_SCALE)))

    start, stop = t + 0.5, t + SESSION_SECONDS
    inputs = human_input(rng, start, stop, mouse_hz=25, size=(30, 60))
    frames = screen_updates(rng, inputs, start, stop, max_fps=25, scale=SCREEN_SCALE)
    pings = periodic(rng, start, stop, 12.0, 0.1)
    t = drive_interactive(flow, CLIENT, inputs, frames, lambda size: data(SERVER, 0x3C, size),
                          lambda size: data(CLIENT, 0x3C, size), pings,
                          lambda side: data(side, 0x0A, 32))
    t = flow.send(t + 0.4, SERVER, data(SERVER, 0x28, 24))  # the controller ended the session
    flow.close(t + dev.rtt + 0.01, CLIENT)
    flow.render()


def _stun_binding(rng, udp: UdpFlow, t: float, side: int, attrs_req, attrs_resp, ice: bool) -> float:
    """A STUN binding request from `side` and its success response; return the response time."""
    txid = rng.randbytes(12)
    udp.send(t, side, wire.stun(rng, 0x0001, txid, attrs_req, integrity=ice, fingerprint=ice))
    t_resp = udp.reply_time(t, 1 - side, 0.0003)
    udp.send(t_resp, 1 - side, wire.stun(rng, 0x0101, txid, attrs_resp, integrity=ice,
                                         fingerprint=ice))
    return t_resp


def chrome_remote_desktop(cap: Capture, t0: float, net: Net) -> None:
    """Chrome Remote Desktop host on a Mac, driven peer to peer over WebRTC.

    No capture exists; this follows Google's documented architecture: the host keeps HTTPS/h2
    connections to remotedesktop-pa.googleapis.com (heartbeat, ICE config) and to
    instantmessaging-pa.googleapis.com (signalling, SDP and ICE candidates), learns its public
    address from a Google STUN server (UDP 19302), then ICE checks, DTLS-SRTP and SCTP data
    channels run directly with the controller: video out as SRTP, input in on a data channel.
    """
    rng = cap.rng("crd")
    dev = net.local(MACOS)
    resolver = net.resolver(LINUX)
    gfe = net.remote("Google front end", "203.0.113.44", LINUX, hops=9, rate_bps=200e6)
    stun_srv = net.remote("Google STUN", "203.0.113.45", LINUX, hops=9)
    ctrl = net.remote("controller", "198.51.100.44", WINDOWS, hops=19, rate_bps=20e6)

    flows = {}
    t = t0
    for name in ("remotedesktop-pa.googleapis.com", "instantmessaging-pa.googleapis.com"):
        t = dns_lookup(cap, rng, t, dev, resolver, name, [(name, "A", 300, gfe.ip)])
        flow = TcpFlow(cap, dev, gfe, ephemeral_port(rng, dev), 443)
        t = flow.connect(t + 0.0003)
        hello = wire.client_hello(rng, "chrome", sni=name)
        t = flow.send(t, CLIENT, wire.tls_record(wire.CT_HANDSHAKE, hello, version=0x0301))
        t = reply(flow, t, SERVER, wire.tls13_server_flight(rng, 0x1301, rng.randint(4200, 5200),
                                                            wire.session_id_of(hello)), 0.001)
        t = reply(flow, t, CLIENT, wire.ccs() + wire.app_data(rng, 36, True) +
                  wire.app_data(rng, rng.randint(350, 600), True))  # Finished, h2 + request
        t = reply(flow, t, SERVER, wire.app_data(rng, rng.randint(300, 900), True), 0.02)
        flows[name] = flow
    api, msg = flows.values()

    # The offer arrives over the messaging stream; the host answers and trickles candidates.
    t = msg.send(t + 1.5, SERVER, wire.app_data(rng, 2600, True))
    t = reply(msg, t, CLIENT, wire.app_data(rng, 2500, True), 0.03)
    sport = ephemeral_port(rng, dev)
    stun_flow = UdpFlow(cap, dev, stun_srv, sport, 19302)
    t_stun = _stun_binding(rng, stun_flow, t + 0.001, 0, [],
                           [(0x0020, wire.xor_address(NAT_PUBLIC_IP, sport))], ice=False)
    for _ in range(2):
        t = msg.send(max(t, t_stun) + 0.002, CLIENT, wire.app_data(rng, rng.randint(380, 460), True))
    t = msg.send(t + ctrl.rtt, SERVER, wire.app_data(rng, 420, True))  # the controller's candidate

    cport = ephemeral_port(rng, ctrl)
    p2p = UdpFlow(cap, dev, ctrl, sport, cport)
    ufrag = lambda: "".join(rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/")
                            for _ in range(4))
    local_ufrag, remote_ufrag = ufrag(), ufrag()

    def check(t: float, side: int) -> float:
        me, peer = (local_ufrag, remote_ufrag) if side == 0 else (remote_ufrag, local_ufrag)
        role = (0x8029 if side == 0 else 0x802A, rng.randbytes(8))  # host is ICE-controlled
        req = [(0x0006, f"{peer}:{me}".encode()), (0xC057, b"\x00\x01\x00\x0a"), role,
               (0x0024, rng.randbytes(4))]
        if side == 1:
            req.append((0x0025, b""))  # USE-CANDIDATE: the controlling agent nominates
        who = (ctrl.ip, cport) if side == 1 else (NAT_PUBLIC_IP, sport)  # the requester, as seen
        return _stun_binding(rng, p2p, t, side, req, [(0x0020, wire.xor_address(*who))], ice=True)

    t = max(check(t + 0.01, 1), check(t + 0.012, 0))
    # DTLS 1.2: the controller is the DTLS client; the host asks for its certificate.
    cert = lambda: wire.x509_cert(rng, [("CN", "WebRTC")], not_before="240505090000Z",
                                  not_after="240605090000Z")
    p2p.send(t + 0.001, 1, wire.dtls_record(22, 0, 0, wire.dtls_hs(1, 0, wire.dtls_client_hello(rng))))
    t = p2p.reply_time(t + 0.001, 0, 0.002)
    server_msgs = [(2, wire.dtls_server_hello(rng)), (11, wire.certificate_msg([cert()])[4:]),
                   (12, wire.server_key_exchange(rng)[4:]), (13, wire.certificate_request()[4:]),
                   (14, b"")]
    p2p.send(t, 0, b"".join(wire.dtls_record(22, 0, i, wire.dtls_hs(mt, i, body))
                            for i, (mt, body) in enumerate(server_msgs)))
    t = p2p.reply_time(t, 1, 0.003)
    client_msgs = [(11, wire.certificate_msg([cert()])[4:]), (16, wire.client_key_exchange(rng)[4:]),
                   (15, wire.certificate_verify(rng)[4:])]
    p2p.send(t, 1, b"".join(wire.dtls_record(22, 0, i + 1, wire.dtls_hs(mt, i + 1, body))
                            for i, (mt, body) in enumerate(client_msgs))
             + wire.dtls_record(20, 0, 4, b"\x01") + wire.dtls_record(22, 1, 0, rng.randbytes(40)))
    t = p2p.reply_time(t, 0, 0.001)
    p2p.send(t, 0, wire.dtls_record(20, 0, 5, b"\x01") + wire.dtls_record(22, 1, 0, rng.randbytes(40)))

    epoch_seq = [1, 1]  # next DTLS record sequence number per side in epoch 1 (0 was Finished)

    def sctp(t: float, side: int, sctp_len: int) -> None:
        """An SCTP packet (data channels) sealed in a DTLS 1.2 application-data record
        (8-byte explicit nonce + 16-byte AES-GCM tag)."""
        p2p.send(t, side, wire.dtls_record(23, 1, epoch_seq[side], rng.randbytes(sctp_len + 24)))
        epoch_seq[side] += 1

    # SCTP association (INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK) started by the DTLS client,
    # then DATA_CHANNEL_OPEN (each SACKed) for the control, event and stats channels.
    t = p2p.reply_time(t, 1, 0.001)
    for side, size in ((1, 100), (0, 300), (1, 280), (0, 16)) + ((1, 80), (0, 28)) * 3:
        sctp(t, side, size)
        t = p2p.reply_time(t, 1 - side, 0.0005)

    start, stop = t + 0.3, t + SESSION_SECONDS
    inputs = human_input(rng, start, stop, mouse_hz=30, size=(30, 70))
    frames = screen_updates(rng, inputs, start, stop, max_fps=30, scale=SCREEN_SCALE)
    # Input events on the "event" channel: SCTP common header (12) + DATA chunk header (16) +
    # message; the host SACKs every second DATA at once, a lone one after 200 ms.
    pending = 0
    for m, following in zip(inputs, inputs[1:] + [None]):
        sctp(m.t, 1, 28 + m.size)
        pending += 1
        arrived = m.t + dev.rtt
        if pending == 2 or following is None or following.t > arrived + 0.2:
            sctp(arrived + (0.0002 if pending == 2 else 0.2), 0, 28)
            pending = 0
    # Video: each frame is cut into RTP packets of at most 1100 bytes of payload, the last one
    # marked; SRTP appends an 80-bit auth tag. RTP timestamps run at 90 kHz from a random base.
    ssrc, rtp_seq, rtp_base = rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(32)
    for f in frames:
        chunks = -(-f.size // 1100)
        for i in range(chunks):
            payload = rng.randbytes(min(1100, f.size - i * 1100))
            rtp_pkt = wire.rtp(rtp_seq, rtp_base + int((f.t - t0) * 90000), ssrc, 96,
                               i == chunks - 1, f.t, payload)
            p2p.send(f.t + i * 0.0002, 0, rtp_pkt + rng.randbytes(10))
            rtp_seq += 1
    # RTCP from the controller, as SRTCP (index + 80-bit tag): transport-wide congestion
    # feedback at most every 50 ms while video flows, a receiver report every second.
    last_feedback = float("-inf")
    for f in frames:
        if f.t - last_feedback >= 0.05:
            p2p.send(f.t + ctrl.rtt + 0.001, 1, bytes([0x8F, 205]) + wire.u16(8)
                     + rng.randbytes(32) + rng.randbytes(14))
            last_feedback = f.t
    for k in periodic(rng, start, stop, 1.0, 0.1):
        p2p.send(k, 1, bytes([0x81, 201]) + wire.u16(7) + rng.randbytes(28) + rng.randbytes(14))
    for k in periodic(rng, start, stop, 5.0, 0.2):  # ICE consent freshness (RFC 7675)
        check(k, rng.randrange(2))

    # The controller disconnects: a bye on the messaging stream, then both TLS connections close.
    t = msg.send(stop + 0.5, SERVER, wire.app_data(rng, 300, True))
    t = reply(msg, t, CLIENT, wire.app_data(rng, 120, True))
    api.send(t + 1.0, CLIENT, wire.app_data(rng, 450, True))  # heartbeat: session over
    t = reply(api, t + 1.0, SERVER, wire.app_data(rng, 200, True), 0.03)
    t = msg.close(t + 2.0, CLIENT)
    api.close(t + 0.001, CLIENT)
    api.render()
    msg.render()


def rustdesk(cap: Capture, t0: float, net: Net) -> None:
    """RustDesk on a Linux box, driven through a self-hosted rendezvous/relay server.

    No capture exists; this follows RustDesk's source (hbb_common rendezvous.proto and its
    BytesCodec framing): NAT test on TCP 21115, registration every 12 s on UDP 21116
    (RegisterPeer, RegisterPk), a PunchHole and RequestRelay from hbbs, RelayResponse over TCP
    21116, then the relayed session on TCP 21117 (hbbr): a plaintext key exchange, then
    NaCl-sealed frames, video out and input in.
    """
    rng = cap.rng("rustdesk")
    dev = net.local(LINUX)
    srv = net.remote("RustDesk hbbs+hbbr", "203.0.113.46", LINUX, hops=14)
    ctrl_addr = wire.socket_addr("198.51.100.46", 51234)  # the controller, as hbbs reports it
    my_id, uuid = "482915736", rng.randbytes(16)
    relay_server = srv.ip
    frame = wire.rustdesk_frame
    rmsg = lambda field, body: wire.pb([(field, body)])  # RendezvousMessage{oneof field: body}
    end = t0 + SESSION_SECONDS + 25

    nat = TcpFlow(cap, dev, srv, ephemeral_port(rng, dev), 21115)
    t = nat.connect(t0)
    t = nat.send(t, CLIENT, frame(rmsg(20, wire.pb([(1, 0)]))))  # TestNatRequest
    t = reply(nat, t, SERVER, frame(rmsg(21, wire.pb([(1, 40000 + rng.randint(0, 9999))]))))
    nat.close(t + dev.rtt, CLIENT)

    reg = UdpFlow(cap, dev, srv, ephemeral_port(rng, dev), 21116)
    reg.send(t + 0.01, 0, rmsg(6, wire.pb([(1, my_id), (2, 0)])))  # RegisterPeer
    t = reg.reply_time(t + 0.01, 1, 0.0005)
    reg.send(t, 1, rmsg(7, wire.pb([(2, True)])))  # RegisterPeerResponse: send your key
    reg.send(t + 0.001, 0, rmsg(15, wire.pb([(1, my_id), (2, uuid), (3, rng.randbytes(32))])))
    reg.send(reg.reply_time(t + 0.001, 1, 0.001), 1, rmsg(16, wire.pb([(2, 30)])))  # RegisterPkResponse
    for k in periodic(rng, t, end, 12.0, 0.02):
        reg.send(k, 0, rmsg(6, wire.pb([(1, my_id), (2, 0)])))
        reg.send(reg.reply_time(k, 1, 0.0005), 1, rmsg(7, b""))

    # The controller asks hbbs for this ID: a hole punch, then (symmetric NAT) the relay.
    t = t0 + 8.0
    reg.send(t, 1, rmsg(9, wire.pb([(1, ctrl_addr), (2, relay_server), (3, 2)])))  # PunchHole
    sent = TcpFlow(cap, dev, srv, ephemeral_port(rng, dev), 21116)
    t2 = sent.connect(t + 0.002)
    t2 = sent.send(t2, CLIENT, frame(rmsg(10, wire.pb([(1, ctrl_addr), (2, my_id), (3, relay_server),
                                                        (4, 2), (5, "1.2.3")]))))  # PunchHoleSent
    sent.close(t2 + 0.05, CLIENT)
    t = t2 + 0.4
    relay_uuid = "0b6e5c2a-7f4d-4b8e-9a51-3c2f1d0e8b77"
    reg.send(t, 1, rmsg(18, wire.pb([(2, relay_uuid), (3, ctrl_addr), (4, relay_server),
                                     (5, True)])))  # RequestRelay
    resp = TcpFlow(cap, dev, srv, ephemeral_port(rng, dev), 21116)
    t3 = resp.connect(t + 0.002)
    t3 = resp.send(t3, CLIENT, frame(rmsg(19, wire.pb([(1, ctrl_addr), (2, relay_uuid),
                                                       (3, relay_server), (4, my_id),
                                                       (7, "1.2.3")]))))  # RelayResponse
    resp.close(t3 + 0.05, CLIENT)

    relay = TcpFlow(cap, dev, srv, ephemeral_port(rng, dev), 21117)
    t = relay.connect(t + 0.003)
    t = relay.send(t, CLIENT, frame(rmsg(18, wire.pb([(2, relay_uuid), (4, relay_server),
                                                      (5, True)]))))
    # Peer protocol (message.proto): SignedId from the device, PublicKey from the controller,
    # then every frame is NaCl secretbox ciphertext (16-byte MAC) behind the BytesCodec header.
    sealed = lambda size: frame(rng.randbytes(size + 16))
    # hbbr pairs the two halves once the controller's side arrives (about one more RTT).
    t = converse(relay, t + srv.rtt + 0.01, [
        (CLIENT, frame(wire.pb([(3, wire.pb([(1, rng.randbytes(96))]))]))),  # SignedId
        (SERVER, frame(wire.pb([(4, wire.pb([(1, rng.randbytes(48)), (2, rng.randbytes(48))]))]))),
        (CLIENT, sealed(60)),  # Hash (salt, challenge)
        (SERVER, sealed(210)),  # LoginRequest
        (CLIENT, sealed(820)),  # LoginResponse with PeerInfo (displays, platform)
    ], think=0.004)
    t = relay.send(t + 0.05, CLIENT, sealed(int(50000 * SCREEN_SCALE)))  # first key frame

    start, stop = t + 0.4, t + SESSION_SECONDS
    inputs = human_input(rng, start, stop, mouse_hz=30, size=(20, 45))
    frames = screen_updates(rng, inputs, start, stop, max_fps=30, scale=SCREEN_SCALE)
    pings = periodic(rng, start, stop, 3.0, 0.05)  # TestDelay round trips
    t = drive_interactive(relay, CLIENT, inputs, frames, sealed, sealed, pings,
                          lambda side: sealed(20))
    relay.close(t + 0.5, SERVER)  # the controller left; hbbr drops the pair
    relay.render()
    nat.render()
    sent.render()
    resp.render()
