"""VPN and tunnel sessions: the local device tunnels its traffic to a VPN server, or a remote
peer's TCP options reveal that it sits behind one."""

from __future__ import annotations

import random

from . import wire
from .behaviour import InnerPkt, human_input, periodic, tunnelled_browsing
from .common import Net, converse, ephemeral_port, play
from .net import LINUX, WINDOWS, Capture, Host, TcpFlow, UdpFlow

UP, DOWN = 0, 1  # UdpFlow sides: 0 is the local device, 1 the VPN server
EXIT_EXTRA_RTT = 0.025  # VPN server -> web sites, added to the tunnel RTT for inner round trips


def _browse(rng: random.Random, vpn: Host, start: float, end: float, mtu: int) -> list[InnerPkt]:
    return tunnelled_browsing(rng, start, end, vpn.rtt + EXIT_EXTRA_RTT, mtu)


def wireguard(cap: Capture, t0: float, net: Net) -> None:
    """wg-quick on Linux to a WireGuard server on UDP 51820 (MTU 1420, PersistentKeepalive 25).

    Handshake initiation (148 bytes) and response (92), transport data (type 4, inner packets
    padded to 16), a 50 s reading pause in which only keepalives (32 bytes) flow, and a fresh
    handshake with new indices when the client sends after REKEY_AFTER_TIME (120 s).
    """
    rng = cap.rng("wireguard")
    dev = net.local(LINUX)
    vpn = net.remote("WireGuard server", "203.0.113.48", LINUX, hops=14)
    udp = UdpFlow(cap, dev, vpn, ephemeral_port(rng, dev), 51820)
    end = t0 + 150.0
    inner = (_browse(rng, vpn, t0 + 0.1, t0 + 60.0, 1420)
             + _browse(rng, vpn, t0 + 110.0, end - 5.0, 1420))

    handshakes = [t0]
    for p in inner:  # the first packet sent after REKEY_AFTER_TIME starts a new handshake
        if p.up and p.t - handshakes[-1] > 120.0:
            handshakes.append(p.t)
    index = {}  # handshake time -> (device's index, server's index)
    for t in handshakes:
        mine, theirs = rng.getrandbits(32), rng.getrandbits(32)
        index[t] = (mine, theirs)
        udp.send(t, UP, wire.wg_initiation(rng, mine))
        udp.send(udp.reply_time(t, DOWN, 0.0004), DOWN, wire.wg_response(rng, theirs, mine))

    data = {UP: [], DOWN: []}  # side -> [(time, inner length)]
    for p in inner:
        side = UP if p.up else DOWN
        current = max(h for h in handshakes if h <= p.t)
        data[side].append((max(p.t, current + vpn.rtt + 0.0001), p.size))  # after the handshake
    packets = {side: data[side] + [(k, 0) for k in _wg_keepalives(udp, data, side, end)]
               for side in (UP, DOWN)}

    counters = {}  # (handshake, side) -> next nonce: every new keypair counts from 0
    for side in (UP, DOWN):
        for t, size in sorted(packets[side]):
            current = max(h for h in handshakes if h <= t)
            mine, theirs = index[current]
            n = counters.get((current, side), 0)
            counters[(current, side)] = n + 1
            udp.send(t, side, wire.wg_data(rng, theirs if side == UP else mine, n, size))


def _wg_keepalives(udp: UdpFlow, data: dict, side: int, end: float) -> list[float]:
    """WireGuard's two keepalive timers for one side (sensor times): the passive one sends a
    keepalive 10 s after receiving data if it has sent nothing since; the persistent one (set
    on the client only) sends one whenever it has been silent for 25 s."""
    me = udp.hosts[side]
    sent = sorted(t for t, _ in data[side])
    extra: list[float] = []
    for r, _ in sorted(data[1 - side]):
        due = r + me.rtt + 10.0  # received about r + rtt/2, sent 10 s later, seen rtt/2 after
        if due < end and not any(r < s <= due for s in sent + extra):
            extra.append(due)
    if side == UP:
        times = sorted(sent + extra)
        for a, b in zip(times, times[1:] + [end]):
            k = a + 25.0
            while k < b:
                extra.append(k)
                k += 25.0
    return extra


def openvpn(cap: Capture, t0: float, net: Net) -> None:
    """OpenVPN GUI on Windows to a server on UDP 1194 with --tls-auth (HMAC-SHA1) and
    AES-256-GCM: hard resets (client V2 / server V2), the TLS handshake carried in P_CONTROL_V1
    packets with reliability-layer ACKs, key-method-2 and PUSH_REQUEST/PUSH_REPLY, then P_DATA_V2
    packets for tunnelled browsing and a keepalive ping every 10 s."""
    rng = cap.rng("openvpn")
    dev = net.local(WINDOWS)
    vpn = net.remote("OpenVPN server", "203.0.113.49", LINUX, hops=14)
    udp = UdpFlow(cap, dev, vpn, ephemeral_port(rng, dev), 1194)
    end = t0 + 120.0
    sid = (rng.randbytes(8), rng.randbytes(8))
    replay = [1, 1]  # tls-auth replay packet ids, per direction, from 1
    msg_id = [0, 0]  # reliability-layer message ids

    def control(t: float, side: int, opcode: int, acks: list[int], payload: bytes | None) -> None:
        has_msg = opcode != 5  # P_ACK_V1 carries no message id
        pkt = wire.openvpn_control(opcode, 0, sid[side], rng.randbytes(20), replay[side],
                                   int(t), acks, sid[1 - side] if acks else None,
                                   msg_id[side] if has_msg else None, payload or b"")
        replay[side] += 1
        if has_msg:
            msg_id[side] += 1
        udp.send(t, side, pkt)

    control(t0, UP, 7, [], None)  # P_CONTROL_HARD_RESET_CLIENT_V2
    t = udp.reply_time(t0, DOWN, 0.0005)
    control(t, DOWN, 8, [0], None)  # P_CONTROL_HARD_RESET_SERVER_V2, acking the client's reset
    t = udp.reply_time(t, UP, 0.0003)
    control(t, UP, 5, [0], None)  # P_ACK_V1
    hello = wire.tls_record(wire.CT_HANDSHAKE, wire.client_hello(rng, "openssl"), 0x0301)
    ca = [("C", "US"), ("O", "Example VPN"), ("CN", "Example VPN CA")]
    server_flight = wire.tls12_server_flight(
        rng, 0xC030, [wire.x509_cert(rng, [("CN", "server")], ca, key="rsa")], request_cert=True,
        key="rsa")
    client_flight = wire.tls12_client_finish(
        rng, [wire.x509_cert(rng, [("CN", "client1")], ca, key="rsa")], key="rsa")
    # The TLS handshake, then key method 2 (client, server) and PUSH_REQUEST / PUSH_REPLY inside
    # TLS records. Each message goes out in --tls-mtu sized P_CONTROL_V1 fragments and the peer
    # acknowledges them in one P_ACK_V1 before it answers.
    dialogue = [(UP, hello), (DOWN, server_flight), (UP, client_flight),
                (DOWN, wire.ccs() + wire.encrypted_finished(rng)),
                (UP, wire.app_data(rng, 310)), (DOWN, wire.app_data(rng, 290)),
                (UP, wire.app_data(rng, 20)), (DOWN, wire.app_data(rng, 420))]
    for step, (side, data) in enumerate(dialogue):
        t = t + 0.0002 if step == 0 else udp.reply_time(t, side, 0.002)
        pieces = [data[i:i + 1250] for i in range(0, len(data), 1250)]
        first_id = msg_id[side]
        for i, piece in enumerate(pieces):
            control(t + i * 0.0003, side, 4, [], piece)
        t += (len(pieces) - 1) * 0.0003
        control(udp.reply_time(t, 1 - side, 0.0002), 1 - side, 5,
                list(range(msg_id[side] - 1, first_id - 1, -1)), None)  # newest first
    t = udp.reply_time(t, UP, 0.05)  # routes and adapter configured

    peer_id, packet_ids = rng.getrandbits(24), [1, 1]
    traffic = _browse(rng, vpn, t, end, 1400)
    traffic += [InnerPkt(k, True, 16) for k in periodic(rng, t, end, 10.0, 0.05)]  # ping
    traffic += [InnerPkt(k + vpn.rtt, False, 16) for k in periodic(rng, t, end, 10.0, 0.05)]
    for p in sorted(traffic, key=lambda p: p.t):
        side = UP if p.up else DOWN
        udp.send(p.t, side, wire.openvpn_data_v2(peer_id, packet_ids[side], rng, p.size))
        packet_ids[side] += 1


def _ike_sa_init(rng: random.Random, spi_i: bytes, spi_r: bytes, response: bool) -> bytes:
    """IKE_SA_INIT (exchange 34): SA, KE (curve25519), Nonce, NAT-detection hashes,
    fragmentation and signature-hash notifies (RFC 7296, 7383, 7427)."""
    def notify(next_payload: int, ntype: int, data: bytes) -> bytes:
        return wire.ike_payload(next_payload, b"\x00\x00" + wire.u16(ntype) + data)
    body = (wire.ike_payload(34, wire.ike_sa_proposal())
            + wire.ike_payload(40, wire.u16(31) + b"\x00\x00" + rng.randbytes(32))
            + wire.ike_payload(41, rng.randbytes(32))
            + notify(41, 16388, rng.randbytes(20)) + notify(41, 16389, rng.randbytes(20))
            + notify(41, 16430, b"") + notify(0, 16431, wire.u16(2) + wire.u16(3) + wire.u16(4)))
    return wire.ike_header(spi_i, spi_r, 33, 34, 0x20 if response else 0x08, 0, body)


def _ike_encrypted(rng: random.Random, spi_i: bytes, spi_r: bytes, exchange: int, response: bool,
                   msg_id: int, inner_len: int) -> bytes:
    """An IKE message whose payloads are all inside SK (46): IV, ciphertext, 16-byte ICV."""
    sk = wire.ike_payload(35, rng.randbytes(8 + inner_len + 16))
    return wire.ike_header(spi_i, spi_r, 46, exchange, 0x20 if response else 0x08, msg_id, sk)


def _ipsec(cap: Capture, t0: float, net: Net, nat_t: bool) -> None:
    rng = cap.rng("ipsec-natt" if nat_t else "ipsec")
    dev = net.local(LINUX)
    gw = net.remote("IPsec gateway", "203.0.113.50", LINUX, hops=14)
    end = t0 + 90.0
    ike = UdpFlow(cap, dev, gw, 500, 500)
    spi_i, spi_r = rng.randbytes(8), rng.randbytes(8)
    ike.send(t0, UP, _ike_sa_init(rng, spi_i, bytes(8), False))
    t = ike.reply_time(t0, DOWN, 0.004)  # the responder computes its DH share
    ike.send(t, DOWN, _ike_sa_init(rng, spi_i, spi_r, True))
    # Behind NAT the hashes disagree, so IKE_AUTH moves to 4500 with the non-ESP marker.
    auth = UdpFlow(cap, dev, gw, 4500, 4500) if nat_t else ike
    marker = b"\x00\x00\x00\x00" if nat_t else b""
    t += 0.003
    auth.send(t, UP, marker + _ike_encrypted(rng, spi_i, spi_r, 35, False, 1, 1100))
    t = auth.reply_time(t, DOWN, 0.006)
    auth.send(t, DOWN, marker + _ike_encrypted(rng, spi_i, spi_r, 35, True, 1, 1050))

    spis = (rng.getrandbits(32), rng.getrandbits(32))  # outbound SA of each side
    seqs = [1, 1]
    hosts = (dev, gw)
    for p in _browse(rng, gw, t + 0.05, end, 1400):
        side = UP if p.up else DOWN
        packet = wire.esp(spis[1 - side], seqs[side], rng, p.size)
        seqs[side] += 1
        if nat_t:
            auth.send(p.t, side, packet)
        else:
            cap.raw_ip(p.t, hosts[side], hosts[1 - side], 50, packet)
    msg = 2
    for k in periodic(rng, t, end, 30.0, 0.1):  # dead-peer detection: empty INFORMATIONAL
        auth.send(k, UP, marker + _ike_encrypted(rng, spi_i, spi_r, 37, False, msg, 0))
        auth.send(auth.reply_time(k, DOWN, 0.0005), DOWN,
                  marker + _ike_encrypted(rng, spi_i, spi_r, 37, True, msg, 0))
        msg += 1
    if nat_t:
        for k in periodic(rng, t, end, 20.0, 0.0):  # NAT keepalive (RFC 3948): one 0xFF byte
            auth.send(k, UP, b"\xff")


def ipsec(cap: Capture, t0: float, net: Net) -> None:
    """strongSwan on Linux, IKEv2 on UDP 500 then ESP (IP protocol 50): the shape when no NAT is
    detected (the sensor on the device's public side, or a router passing IPsec through)."""
    _ipsec(cap, t0, net, nat_t=False)


def ipsec_nat_t(cap: Capture, t0: float, net: Net) -> None:
    """The same client behind the home NAT: IKE_SA_INIT on 500, then IKE_AUTH and ESP in UDP
    4500 (RFC 3948) with NAT keepalives, which is what a device at 192.168.1.10 really sends."""
    _ipsec(cap, t0, net, nat_t=True)


def ssh_behind_wireguard(cap: Capture, t0: float, net: Net) -> None:
    """Inbound SSH to the local Linux box from a peer behind a WireGuard tunnel (MTU 1420), so
    its SYN carries MSS 1380 where Ethernet would give 1460. The sensor is beside the server
    here: SYN -> SYN-ACK is the local RTT, SYN-ACK -> ACK the remote one."""
    rng = cap.rng("ssh-mss")
    dev = net.local(LINUX)
    peer = net.remote("client behind WireGuard", "203.0.113.51", LINUX, hops=16, rate_bps=30e6)
    flow = TcpFlow(cap, peer, dev, ephemeral_port(rng, peer), 22, client_mss=1380)
    CLIENT, SERVER = 0, 1
    t = flow.connect(t0)
    kex = ["curve25519-sha256", "ecdh-sha2-nistp256", "diffie-hellman-group14-sha256"]
    ciphers = ["chacha20-poly1305@openssh.com", "aes128-ctr", "aes256-gcm@openssh.com"]
    packet = lambda n: wire.ssh_packet(rng, n)
    t = converse(flow, t, [
        # The client speaks as soon as it has sent its ACK; the server once the ACK reaches it.
        (CLIENT, wire.ssh_banner("OpenSSH_8.9p1 Ubuntu-3ubuntu0.6")),
        (SERVER, wire.ssh_banner("OpenSSH_9.2p1 Debian-2+deb12u2")),
        (SERVER, wire.ssh_kexinit(rng, kex, ["rsa-sha2-512", "ssh-ed25519"], ciphers)),
        (CLIENT, wire.ssh_kexinit(rng, kex + ["ext-info-c"], ["ssh-ed25519", "rsa-sha2-512"], ciphers)),
        (CLIENT, rng.randbytes(48)),  # KEX_ECDH_INIT (cleartext; random stands in for the key)
        (SERVER, rng.randbytes(564)),  # KEX_ECDH_REPLY + NEWKEYS
        (CLIENT, rng.randbytes(16) + packet(20)),  # NEWKEYS, SERVICE_REQUEST
        (SERVER, packet(20) + packet(250)),  # SERVICE_ACCEPT, EXT_INFO
        (CLIENT, packet(100)),  # USERAUTH_REQUEST none
        (SERVER, packet(40)),  # USERAUTH_FAILURE
        (CLIENT, packet(400)),  # publickey with signature
        (SERVER, packet(10)),  # USERAUTH_SUCCESS
        (CLIENT, packet(30)), (SERVER, packet(20)),  # CHANNEL_OPEN / CONFIRMATION
        (CLIENT, packet(80) + packet(40)),  # pty-req, shell
        (SERVER, packet(10) + packet(700)),  # success, motd and prompt
    ], think=0.002)
    # Typing at a shell: each key goes out alone and is echoed; Enter brings command output.
    events = []
    for m in human_input(rng, t + 1.0, t + 60.0, mouse_hz=1, size=(1, 1)):
        if m.kind in ("mouse", "keyup", "scroll", "click"):
            continue
        events.append((m.t, CLIENT, packet(10)))
        echo = m.t + dev.rtt + 0.0008
        events.append((echo, SERVER, packet(10)))
        if rng.random() < 0.12:  # Enter: command output
            events.append((echo + 0.01, SERVER, packet(rng.choice([120, 600, 2400, 6000]))))
    t = play(flow, events)
    t = converse(flow, t + 1.0, [(CLIENT, packet(10)), (SERVER, packet(10) + packet(30) + packet(30))])
    flow.close(t + 0.001, SERVER)  # the server closes after the shell exits
    flow.render()
