#!/usr/bin/python3
"""Golden check: Parallax's nDPI classification per flow against nDPI's own expected output.

For every VPN/* and Remote/* capture in ../shared/pcaps/MANIFEST.tsv, run `parallax read --events flow`, match flows by protocol and endpoint pair, and
compare the protocol name ("TLS.AnyDesk") twice:

1. Against Debian's own ndpiReader 4.2 run on the same capture now: Parallax must feed nDPI the way
   ndpiReader does, so every flow must agree exactly. ICMP/ICMPv6 flows are left out of this check
   only: Parallax keys them by Community ID type pairs (as Zeek does), ndpiReader by addresses
   alone, so the flows themselves differ (nDPI calls every one of them ICMP/ICMPV6 anyway).
2. Where a `.ndpi.out` sits beside the capture, against it: those were written by a newer nDPI than Debian's 4.2. Every difference must
   be listed, with its reason, in ndpi42_differences.tsv; a listed difference that no longer
   occurs fails too (stale). On mismatch the observed differences are written to
   ndpi42_differences.tsv.new for review; UPDATE_GOLDEN=1 accepts them (then write the reasons).
"""
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DIFF_FILE = os.path.join(HERE, "ndpi42_differences.tsv")
CLASSES = ("VPN/", "Remote/")
FLOW_LINE = re.compile(
    r"^\t\d+\t(\S+) (\S+) (<->|->) (\S+) (?:\[VLAN: \d+\])?\[proto: [\d.]+/([^\]]+)\]")
# Protocol names as nDPI prints them (ndpiReader 4.2 prints some as numbers).
PROTO_NAMES = {"IPv6-ICMP": "ICMPV6", "2": "IGMP", "47": "GRE", "50": "ESP", "51": "AH"}


def split_endpoint(ep):
    """'1.2.3.4:80' or '[2001:db8::1]:80' -> ('1.2.3.4', 80)."""
    if ep.startswith("["):
        ip, port = ep[1:].split("]:")
    else:
        ip, port = ep.rsplit(":", 1)
    return ip, int(port)


def flow_key(proto, a, b):
    """Direction-free key; addresses in canonical text (ndpiReader 4.2 prints some IPv6 oddly)."""
    proto = PROTO_NAMES.get(proto, proto)
    eps = []
    for ip, port in (a, b):
        addr = ipaddress.ip_address(ip)
        eps.append(f"[{addr.compressed}]:{port}" if addr.version == 6 else f"{addr}:{port}")
    return proto + " " + " <-> ".join(sorted(eps))


def parse_ndpi_reader(lines):
    flows = {}
    for line in lines:
        m = FLOW_LINE.match(line)
        if m:
            proto, a, _, b, name = m.groups()
            flows[flow_key(proto, split_endpoint(a), split_endpoint(b))] = name
    return flows


def expected_flows(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return parse_ndpi_reader(f)


def ndpi_reader_flows(reader, pcap):
    out = subprocess.run([reader, "-v", "2", "-i", pcap], capture_output=True, text=True,
                         errors="replace", check=False)
    if out.returncode != 0:
        raise RuntimeError(f"ndpiReader -i {pcap} exited {out.returncode}: {out.stderr.strip()}")
    return parse_ndpi_reader(out.stdout.splitlines())


def parallax_flows(binary, pcap):
    out = subprocess.run([binary, "read", pcap, "--events", "flow"], capture_output=True,
                         text=True, check=False)
    if out.returncode != 0:
        raise RuntimeError(f"parallax read {pcap} exited {out.returncode}: {out.stderr.strip()}")
    flows = {}
    for line in out.stdout.splitlines():
        ev = json.loads(line)
        key = flow_key(ev["proto"], (ev["src_ip"], ev.get("src_port", 0)),
                       (ev["dest_ip"], ev.get("dest_port", 0)))
        flows[key] = ev["ndpi"]["protocol"]
    return flows


def load_listed():
    listed = {}
    if not os.path.exists(DIFF_FILE):
        return listed
    with open(DIFF_FILE, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) != 5 or not cols[4].strip():
                sys.exit(f"{DIFF_FILE}:{n}: need 5 tab-separated columns with a reason")
            listed[tuple(cols[:4])] = cols[4]
    return listed


def main():
    binary, shared = sys.argv[1], sys.argv[2]
    manifest = os.path.join(shared, "MANIFEST.tsv")
    if not os.path.exists(manifest):
        print(f"SKIP: {manifest} not found (the real captures live in ../shared/pcaps)")
        return 77
    reader = shutil.which("ndpiReader")
    if not reader:
        print("FAIL: ndpiReader not found (Debian libndpi-bin; scripts/setup installs it)")
        return 1
    observed = []
    fidelity = []
    matched = total = compared = 0
    with open(manifest, encoding="utf-8") as f:
        rows = [l.rstrip("\n").split("\t") for l in f if not l.startswith("class\t")]
    for cls, rel, *_ in rows:
        pcap = os.path.join(shared, rel)
        expected_path = pcap + ".ndpi.out"
        if not cls.startswith(CLASSES):
            continue
        have_expected = os.path.exists(expected_path)
        want = expected_flows(expected_path) if have_expected else {}
        got = parallax_flows(binary, pcap)
        ref = ndpi_reader_flows(reader, pcap)
        for key in sorted(set(ref) | set(got)):
            if key.startswith("ICMP"):
                continue
            compared += 1
            if ref.get(key) != got.get(key):
                fidelity.append((rel, key, ref.get(key, "<no such flow>"),
                                 got.get(key, "<no such flow>")))
        if not have_expected:
            continue
        for key, name in sorted(want.items()):
            total += 1
            actual = got.get(key, "<no such flow>")
            if actual == name:
                matched += 1
            else:
                observed.append((rel, key, name, actual))
        for key in sorted(set(got) - set(want)):
            observed.append((rel, key, "<no such flow>", got[key]))
    print(f"{compared - len(fidelity)}/{compared} flows classified as ndpiReader 4.2 does")
    for f in fidelity:
        print("DIFFERS FROM ndpiReader 4.2:", "\t".join(f))
    listed = load_listed()
    unlisted = [o for o in observed if o not in listed]
    stale = [k for k in listed if k not in set(observed)]
    print(f"{matched}/{total} expected flows classified exactly as nDPI's expected output; "
          f"{len(observed)} differences, {len(unlisted)} unlisted, {len(stale)} stale")
    if unlisted or stale or os.environ.get("UPDATE_GOLDEN") == "1":
        new_path = DIFF_FILE + ".new"
        with open(new_path, "w", encoding="utf-8") as f:
            f.write("# file\tflow\texpected (newer nDPI)\tparallax (nDPI 4.2)\treason\n")
            for o in observed:
                f.write("\t".join(o) + "\t" + listed.get(o, "") + "\n")
        for o in unlisted:
            print("UNLISTED:", "\t".join(o))
        for k in stale:
            print("STALE:", "\t".join(k))
        if os.environ.get("UPDATE_GOLDEN") == "1":
            os.replace(new_path, DIFF_FILE)
            print(f"accepted into {DIFF_FILE}: write a reason for every row without one")
        else:
            print(f"observed differences written to {new_path}; diff it against {DIFF_FILE}")
        return 1
    return 1 if fidelity else 0


if __name__ == "__main__":
    sys.exit(main())
