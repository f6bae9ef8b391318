#!/usr/bin/env python3
"""`read --roster` is exactly `read --records` then `correlate`: for every scenario, the alert
lines of the direct run (SCENARIO_DIR/<scenario>.alerts.jsonl, written by run_scenarios.py
--keep-output) must be byte-identical to those of correlate on the flow records of a read with no
roster at all.

usage: records_roundtrip.py PARALLAX SCENARIO_DIR
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run_scenarios import command  # noqa: E402  (same flags as the direct run)


def main() -> int:
    parallax, d = sys.argv[1], sys.argv[2]
    scenarios = sorted(f[:-5] for f in os.listdir(d) if f.endswith(".pcap"))
    failed, compared, alerts = [], 0, 0
    for s in scenarios:
        direct_path = os.path.join(d, f"{s}.alerts.jsonl")
        if not os.path.isfile(direct_path):
            failed.append(f"{s}: no direct run output ({direct_path})")
            continue
        with open(direct_path, encoding="utf-8") as f:
            direct = [l for l in f.read().splitlines() if '"event_type":"alert"' in l]
        cmd = command(parallax, d, s, False)
        # Split the direct command: capture flags for read, divergence flags for correlate.
        pcap = cmd[2]
        opts = dict(zip(cmd[3::2], cmd[4::2]))
        geo = ["--city-db", opts["--city-db"], "--asn-db", opts["--asn-db"],
               "--list", opts["--list"]]
        records = os.path.join(d, f"{s}.records.jsonl")
        r = subprocess.run([parallax, "read", pcap, *geo, "--records", records,
                            "--sensor-location", opts["--sensor-location"], "-o", os.devnull],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            failed.append(f"{s}: read --records exited {r.returncode}: {r.stderr.strip()}")
            continue
        r = subprocess.run([parallax, "correlate", records, *geo,
                            "--roster", opts["--roster"],
                            "--identity-events", opts["--identity-events"],
                            "--sensor-location", opts["--sensor-location"], "--events", "alert"],
                           capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            failed.append(f"{s}: correlate exited {r.returncode}: {r.stderr.strip()}")
            continue
        via = [l for l in r.stdout.splitlines() if '"event_type":"alert"' in l]
        compared += 1
        alerts += len(direct)
        if via != direct:
            failed.append(f"{s}: {len(direct)} direct alert lines, {len(via)} via records; "
                          f"first difference: "
                          f"{next((a, b) for a, b in zip(direct + [''] * 99, via + [''] * 99) if a != b)}")
    for f in failed:
        print("FAIL", f)
    print(f"records round trip: {compared} scenarios, {alerts} alert lines identical"
          if not failed else f"records round trip: {len(failed)} of {len(scenarios)} differ")
    if not failed and alerts == 0:
        print("no alerts compared: the scenarios must raise some")
        return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
