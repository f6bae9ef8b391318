#!/usr/bin/python3
"""Write small, deterministic session captures, one session type per pcap, plus MANIFEST.tsv.

    scripts/gen-sessions.py [OUT_DIR] [--rtt-ms 20] [--check]

Why generated: no real capture exists of several tools Parallax must recognise (Chrome Remote
Desktop, RustDesk), the README demo must run on a clone without ../shared, and fingerprint and
location tests need sessions whose addresses, RTTs and timing are known exactly. Every file is a
pure function of this source, the seed (its file name) and --rtt-ms: same input, same bytes.

Runs under /usr/bin/python3 because Debian's python3-scapy is installed for that interpreter.
The session builders live in scripts/sessions/ (wire formats, TCP model, timing models).
"""

from __future__ import annotations

import argparse
import calendar
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from typing import Callable

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sessions import benign, remote, vpn  # noqa: E402
from sessions.common import Net  # noqa: E402
from sessions.net import Capture  # noqa: E402


@dataclasses.dataclass
class Session:
    cls: str  # label, as in ../shared/pcaps/MANIFEST.tsv
    file: str
    build: Callable[[Capture, float, Net], None]
    start: str  # fixed UTC start, so every run writes the same bytes
    about: str  # endpoints and behaviour, for the manifest
    ndpi: dict[str, int]  # what `ndpiReader -i FILE -v 2` (4.2) reports: label -> flows
    ndpi_note: str = ""  # why nDPI's view differs from the class, where it does


SESSIONS = [
    Session("Benign/DNS", "benign-dns.pcap", benign.benign_dns, "2024-05-06T08:55:00Z",
            "Local 192.168.1.10 (Windows) asks resolver 198.51.100.53 for A, AAAA, a CNAME chain "
            "to a CDN, an HTTPS record and a name with no data.",
            {"DNS": 7}),
    Session("Benign/TLS", "benign-tls.pcap", benign.benign_tls, "2024-05-06T09:00:00Z",
            "Local 192.168.1.10 (Windows, Chrome) resolves via 198.51.100.53, then TLS 1.3 + h2 to "
            "www.example.com 203.0.113.10:443 (SNI) and TLS 1.2 to static.example.net "
            "203.0.113.11:443 (SNI, visible certificate chain); two page views ~40 s apart, "
            "client FINs.",
            {"TLS": 2, "DNS": 2}),
    Session("Remote/AnyDesk", "remote-anydesk.pcap", remote.anydesk, "2024-05-06T10:00:00Z",
            "Local 192.168.1.10 (Windows, controlled) resolves relay-3185a847.net.anydesk.com via "
            "198.51.100.53, keeps a TLS 1.2 control connection to AnyDesk relay 203.0.113.41:443 "
            "(no SNI, ALPN anydesk/8.0.10/windows, certificate AnyNet Relay / philandro Software "
            "GmbH, heartbeat ~10 s) and accepts a direct session from controller 198.51.100.41 on "
            "TCP 7070 (TLS 1.2, both sides present CN=AnyDesk Client); ~170 s of screen out, "
            "human input in.",
            {"TLS.AnyDesk": 1, "TLS": 1, "DNS.AnyDesk": 1},
            "The relay flow is plain TLS: 4.2 ignores the anydesk/ ALPN and the AnyNet Relay "
            "certificate (it knows AnyDesk relays by address, and documentation addresses match "
            "none); the 7070 flow is AnyDesk by its CN=AnyDesk Client certificate."),
    Session("Remote/RDP", "remote-rdp.pcap", remote.rdp, "2024-05-06T10:10:00Z",
            "Controller 198.51.100.42 (Windows mstsc) connects inbound to local 192.168.1.10:3389 "
            "(Windows, port-forwarded): X.224 CR with Cookie: mstshash=jsmith and RDP_NEG_REQ, CC "
            "choosing HYBRID, TLS 1.2 (self-signed CN=DESKTOP-4F7K2QP), CredSSP and MCS set-up, then "
            "~170 s of screen out, input in. The sensor is beside the server: SYN to SYN-ACK is the "
            "local 0.5 ms, SYN-ACK to ACK the remote RTT.",
            {"RDP": 1}),
    Session("Remote/TeamViewer", "remote-teamviewer.pcap", remote.teamviewer, "2024-05-06T10:20:00Z",
            "Local 192.168.1.10 (macOS, controlled) resolves router7.teamviewer.com via "
            "198.51.100.53 and connects to TeamViewer router 203.0.113.43:5938; commands start "
            "0x17 0x24, session data 0x11 0x30; ~170 s of screen out, input in, ping every ~12 s.",
            {"TeamViewer": 1, "DNS.TeamViewer": 1}),
    Session("Remote/ChromeRemoteDesktop", "remote-chrome-remote-desktop.pcap",
            remote.chrome_remote_desktop, "2024-05-06T10:30:00Z",
            "Synthetic from documented behaviour (no real capture exists). Local 192.168.1.10 "
            "(macOS, CRD host) resolves via 198.51.100.53 and opens TLS 1.3 + h2 to "
            "remotedesktop-pa.googleapis.com and instantmessaging-pa.googleapis.com (both "
            "203.0.113.44:443, SNI); STUN to 203.0.113.45:19302 maps it to 203.0.113.254; then "
            "ICE checks, DTLS 1.2, SCTP data channels and SRTP video peer to peer over UDP with "
            "controller 198.51.100.44; ~170 s of video out, input in on the data channel.",
            {"STUN": 2, "TLS.GoogleServices": 2, "DNS.GoogleServices": 2},
            "4.2 has no Chrome Remote Desktop protocol: signalling is GoogleServices by SNI and the "
            "peer-to-peer media flow is STUN (detection stops at the ICE checks)."),
    Session("Remote/RustDesk", "remote-rustdesk.pcap", remote.rustdesk, "2024-05-06T10:40:00Z",
            "Synthetic from RustDesk's rendezvous.proto and BytesCodec framing (no real capture "
            "exists). Local 192.168.1.10 (Linux, controlled) with self-hosted hbbs/hbbr "
            "203.0.113.46: NAT test on TCP 21115, RegisterPeer every 12 s and RegisterPk on UDP "
            "21116, PunchHole and RequestRelay from hbbs, PunchHoleSent and RelayResponse on TCP "
            "21116, relayed session on TCP 21117 (controller 198.51.100.46 appears only inside the "
            "messages); ~170 s of video out, input in.",
            {"Unknown": 5},
            "4.2 has no RustDesk dissector and no rule for ports 21115-21117: every flow Unknown."),
    Session("VPN/WireGuard", "vpn-wireguard.pcap", vpn.wireguard, "2024-05-06T11:00:00Z",
            "Local 192.168.1.10 (Linux wg-quick) to WireGuard server 203.0.113.48:51820: handshake "
            "initiation (148 B) and response (92 B), transport data (type 4) carrying browsing, "
            "a 50 s reading pause with only 32-byte keepalives (passive 10 s after received data, "
            "persistent after 25 s of client silence), a rekey handshake after 120 s; 150 s.",
            {"WireGuard": 1}),
    Session("VPN/OpenVPN", "vpn-openvpn.pcap", vpn.openvpn, "2024-05-06T11:10:00Z",
            "Local 192.168.1.10 (Windows) to OpenVPN server 203.0.113.49:1194/UDP with tls-auth "
            "(HMAC-SHA1): P_CONTROL_HARD_RESET_CLIENT_V2 / SERVER_V2, TLS 1.2 in P_CONTROL_V1 with "
            "P_ACK_V1, then P_DATA_V2 (AES-256-GCM) carrying browsing and a ping every 10 s; 120 s.",
            {"OpenVPN": 1}),
    Session("VPN/IPsec", "vpn-ipsec.pcap", vpn.ipsec, "2024-05-06T11:20:00Z",
            "Local 192.168.1.10 (Linux strongSwan) to IPsec gateway 203.0.113.50: IKEv2 "
            "IKE_SA_INIT and IKE_AUTH on UDP 500, ESP (IP protocol 50, AES-GCM) carrying browsing, "
            "dead-peer detection every ~30 s; 90 s. No NAT-T: the shape seen on the public side or "
            "through a router that passes IPsec.",
            {"IPsec": 2},
            "ESP is IPsec by IP protocol; UDP 500 is IPsec by port only (4.2 has no IKE dissector)."),
    Session("VPN/IPsec", "vpn-ipsec-nat-t.pcap", vpn.ipsec_nat_t, "2024-05-06T11:30:00Z",
            "The vpn-ipsec.pcap client behind the home NAT, as a device at 192.168.1.10 really "
            "talks to gateway 203.0.113.50: IKE_SA_INIT on UDP 500, then IKE_AUTH (non-ESP marker) "
            "and ESP in UDP 4500 (RFC 3948), NAT keepalives (0xFF) every 20 s; 90 s.",
            {"IPsec": 2},
            "Both UDP flows are IPsec by port only (500, 4500)."),
    Session("Tunnel/MSS-WireGuard", "tunnel-mss-wireguard.pcap", vpn.ssh_behind_wireguard,
            "2024-05-06T11:40:00Z",
            "Peer 203.0.113.51 (Linux, OpenSSH 8.9, behind WireGuard MTU 1420) opens SSH to local "
            "192.168.1.10:22 (Linux, OpenSSH 9.2): its SYN carries MSS 1380 (the local SYN-ACK "
            "1460); banners, KEXINIT, then ~1 min of typing with echoes and command output. The "
            "sensor is beside the server: SYN to SYN-ACK is the local 0.5 ms, SYN-ACK to ACK the "
            "remote RTT.",
            {"SSH": 1}),
]


def utc(iso: str) -> float:
    return float(calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ")))


def describe(s: Session, rtt_ms: float) -> str:
    verdict = ", ".join(f"{label} {n} flow{'s' if n > 1 else ''}" for label, n in s.ndpi.items())
    note = f" {s.ndpi_note}" if s.ndpi_note else ""
    return f"{s.about} Remote RTT from the sensor {rtt_ms:g} ms. ndpiReader 4.2: {verdict}.{note}"


def ndpi_labels(path: str) -> Counter:
    """Per-flow labels from ndpiReader's verbose flow list, e.g. '[proto: 91.252/TLS.AnyDesk]'."""
    out = subprocess.run(["ndpiReader", "-i", path, "-v", "2"], capture_output=True, text=True,
                         timeout=120).stdout
    labels = Counter()
    for line in out.splitlines():
        m = re.match(r"\s+\d+\s+\S+ .*?\[proto: [\d.]+/([^\]]+)\]", line)
        if m:
            labels[m.group(1)] += 1
    return labels


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", nargs="?", default="build/sessions",
                    help="output folder (default build/sessions)")
    ap.add_argument("--rtt-ms", type=float, default=20.0,
                    help="round trip from the sensor to every remote peer (default 20)")
    ap.add_argument("--check", action="store_true",
                    help="run ndpiReader on each file and fail if it disagrees with the manifest")
    args = ap.parse_args()
    if args.check and shutil.which("ndpiReader") is None:
        print("--check needs ndpiReader (Debian: libndpi-bin)", file=sys.stderr)
        return 1

    os.makedirs(args.out_dir, exist_ok=True)
    net = Net(rtt=args.rtt_ms / 1000.0)
    rows = ["class\tfile\tdescription"]
    failed = 0
    for s in SESSIONS:
        cap = Capture(seed=s.file)
        s.build(cap, utc(s.start), net)
        path = os.path.join(args.out_dir, s.file)
        packets, size = cap.write(path)
        rows.append(f"{s.cls}\t{s.file}\t{describe(s, args.rtt_ms)}")
        print(f"{s.file:32} {packets:6} packets {size:9} bytes  {s.cls}")
        if args.check:
            got = ndpi_labels(path)
            if got != Counter(s.ndpi):
                print(f"  ndpiReader disagrees: expected {dict(s.ndpi)}, got {dict(got)}")
                failed += 1
    with open(os.path.join(args.out_dir, "MANIFEST.tsv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
