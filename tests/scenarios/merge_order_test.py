#!/usr/bin/python3
"""Several scenario captures in one `parallax read`, named in the shell's order and in reverse:
the same alerts, byte for byte, as one capture holding every packet in time order (issue: a
glob's name order turned an honest contractor into a latency alert and invented an off_hours).
Also `--fail-on` on real alerts: exit 3 at the severity of the most severe alert raised, 0 above.

usage: merge_order_test.py PARALLAX SCENARIO_DIR
SCENARIO_DIR is composed here (scripts/make-sessions, scripts/make-scenarios) when it has no
captures. Stdlib only.
"""
import glob
import json
import os
import struct
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SEVERITY_NAMES = {1: "high", 2: "medium", 3: "low"}  # Suricata's numbers, as alerts carry them
FAILS = []


def expect(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        FAILS.append(what)


def records(path):
    """(seconds, microseconds, record bytes) of a classic little-endian microsecond pcap."""
    with open(path, "rb") as f:
        data = f.read()
    if struct.unpack_from("<I", data, 0)[0] != 0xA1B2C3D4:
        sys.exit(f"{path}: not a little-endian microsecond pcap (make-scenarios writes those)")
    off, out = 24, []
    while off < len(data):
        sec, usec, caplen = struct.unpack_from("<III", data, off)
        out.append((sec, usec, data[off:off + 16 + caplen]))
        off += 16 + caplen
    return data[:24], out


def main():
    parallax, d = os.path.abspath(sys.argv[1]), sys.argv[2]
    if not glob.glob(os.path.join(d, "*.pcap")):
        sessions = os.path.join(ROOT, "build", "sessions")
        subprocess.run([os.path.join(ROOT, "scripts", "make-sessions"), sessions], check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)
        subprocess.run([os.path.join(ROOT, "scripts", "make-scenarios"), "--sessions", sessions,
                        "--out", d], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    names = sorted(os.path.basename(p) for p in glob.glob(os.path.join(d, "*.pcap")))
    # The reference: one capture, every packet in time order (the scenarios do not overlap).
    parsed = {n: records(os.path.join(d, n)) for n in names}
    by_time = sorted(names, key=lambda n: parsed[n][1][0][:2])
    for a, b in zip(by_time, by_time[1:]):
        if parsed[a][1][-1][:2] > parsed[b][1][0][:2]:
            sys.exit(f"setup: {a} and {b} overlap in time; the reference needs disjoint captures")
    expect(by_time != names and by_time != names[::-1],
           f"the shell's order is not the capture order (else this proves nothing): {by_time}")
    # In a subfolder: a *.pcap beside the scenarios would be taken for one (run_scenarios.py).
    os.makedirs(os.path.join(d, "merge"), exist_ok=True)
    reference = os.path.join("merge", "all-in-time-order.pcap")
    with open(os.path.join(d, reference), "wb") as f:
        f.write(parsed[by_time[0]][0])
        for n in by_time:
            for rec in parsed[n][1]:
                f.write(rec[2])
    with open(os.path.join(d, "sensor.txt"), encoding="utf-8") as f:
        sensor = f.read().strip()
    flags = ["--roster", "roster.yaml", "--identity-events", "identity-events.jsonl",
             "--city-db", os.path.join("geo", "city.mmdb"),
             "--asn-db", os.path.join("geo", "asn.mmdb"),
             "--list", os.path.join("lists", "networks.txt"), "--sensor-location", sensor]

    def read(files, *extra):
        return subprocess.run([parallax, "read", *files, *flags, *extra], capture_output=True,
                              text=True, cwd=d, timeout=600, check=False)

    shell = read(names, "--events", "alert,stats")
    reverse = read(names[::-1], "--events", "alert,stats")
    one = read([reference], "--events", "alert,stats")
    for name, r in (("shell order", shell), ("reverse order", reverse), ("one file", one)):
        expect(r.returncode == 0, f"{name}: exit 0 (got {r.returncode}: {r.stderr[-300:]!r})")
    expect(shell.stdout == reverse.stdout, "shell order and reverse order: identical output")
    alerts = [l for l in shell.stdout.splitlines() if json.loads(l)["event_type"] == "alert"]
    one_alerts = [l for l in one.stdout.splitlines() if json.loads(l)["event_type"] == "alert"]
    expect(len(alerts) > 0, f"the scenarios raise alerts ({len(alerts)})")
    expect(alerts == one_alerts,
           f"the same alerts as one capture in time order ({len(alerts)} vs {len(one_alerts)})")
    stats = json.loads(shell.stdout.splitlines()[-1])["stats"]
    expect("timestamp_backwards" not in stats["anomalies"],
           f"no backwards time in the merged stream: {stats['anomalies']}")
    expect([i["name"] for i in stats["inputs"]] == by_time,
           f"inputs listed in packet-time order: {[i['name'] for i in stats['inputs']]}")
    expect(all(i["status"] == "ok" for i in stats["inputs"]), "every input ok")

    # --fail-on with real alerts: 3 at the most severe level raised, 0 above it.
    worst = min(json.loads(l)["alert"]["severity"] for l in alerts)
    r = read(names, "--events", "stats", "--fail-on", SEVERITY_NAMES[worst])
    expect(r.returncode == 3, f"--fail-on {SEVERITY_NAMES[worst]}: exit 3 (got {r.returncode})")
    r = read(names, "--events", "stats", "--fail-on", "low")
    expect(r.returncode == 3, f"--fail-on low: exit 3 (got {r.returncode})")
    if worst > 1:
        above = SEVERITY_NAMES[worst - 1]
        r = read(names, "--events", "stats", "--fail-on", above)
        expect(r.returncode == 0, f"--fail-on {above} (above every alert): exit 0 "
                                  f"(got {r.returncode})")
    honest = read(["honest.pcap"], "--events", "alert", "--fail-on", "low")
    expect(honest.stdout == "" and honest.returncode == 0,
           f"honest scenario, no alert: --fail-on low exits 0 (got {honest.returncode})")
    print(f"{len(FAILS)} failure(s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
