#!/usr/bin/python3
"""Golden test of `parallax report --json` on the contractor scenarios (tests/scenarios/README.md).

usage: report_golden.py PARALLAX SCENARIO_DIR GOLDEN_DIR

Builds the scenarios into SCENARIO_DIR when it has none (scripts/make-sessions and
scripts/make-scenarios, generated sessions: deterministic), runs, per scenario and inside
SCENARIO_DIR,

  parallax report S.pcap --roster roster.yaml --identity-events identity-events.jsonl
      --city-db geo/city.mmdb --asn-db geo/asn.mmdb --list lists/networks.txt
      --sensor-location LAT,LON --json -

and compares the JSON with GOLDEN_DIR/S.json after dropping the volatile fields (generated_at;
input paths become base names). Flows are written one per line so a diff stays readable.
Before comparing, it checks properties that must hold whatever the golden file says: contractors
most suspicious first, the alert kinds of expected.tsv exactly, every distance equal to the
haversine of the coordinates shown, every floor equal to distance / 100 km per ms.
A mismatch writes S.json.new and prints a diff; UPDATE_GOLDEN=1 accepts the new output (after
you have read it). A missing golden file fails. Stdlib only.
"""
import difflib
import json
import math
import os
import subprocess
import sys

SCENARIOS = ["honest", "astrill", "kraken", "laptop_farm", "shared_home", "off_hours"]
ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def ensure_scenarios(d):
    if all(os.path.exists(os.path.join(d, f"{s}.pcap")) for s in SCENARIOS):
        return
    sessions = os.path.join(os.path.dirname(os.path.abspath(d)), "sessions")
    subprocess.run([os.path.join(ROOT, "scripts", "make-sessions"), sessions], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)
    subprocess.run([os.path.join(ROOT, "scripts", "make-scenarios"), "--sessions", sessions,
                    "--out", d], check=True, stdout=subprocess.DEVNULL, cwd=ROOT)


def command(parallax, d, scenario):
    """Relative paths, run in the scenario folder: evidence that names a file (the operator list
    that decided a network type) then reads the same wherever the build is."""
    with open(os.path.join(d, "sensor.txt"), encoding="utf-8") as f:
        sensor = f.read().strip()
    return [os.path.abspath(parallax), "report", f"{scenario}.pcap",
            "--roster", "roster.yaml",
            "--identity-events", "identity-events.jsonl",
            "--city-db", os.path.join("geo", "city.mmdb"),
            "--asn-db", os.path.join("geo", "asn.mmdb"),
            "--list", os.path.join("lists", "networks.txt"),
            "--sensor-location", sensor, "--json", "-"]


def haversine(lat1, lon1, lat2, lon2):
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def check(report, expected_kinds):
    """Properties of a correct report; returns a list of problems."""
    problems = []
    sensor = report["sensor"]
    order = [(min([a["severity"] for a in c["alerts"]] or [4]), -c["top_score"])
             for c in report["contractors"]]
    if order != sorted(order):
        problems.append(f"contractors not most suspicious first: {order}")
    got = {(c["id"], a["kind"]) for c in report["contractors"] for a in c["alerts"]}
    if got != expected_kinds:
        problems.append(f"alert kinds {sorted(got)} != expected.tsv {sorted(expected_kinds)}")
    for c in report["contractors"]:
        places = c["map"]["places"]
        claimed = places[0]
        if claimed["kind"] != "claimed":
            problems.append(f"{c['id']}: first place is not the claimed one")
        for p in places:
            if "latitude" not in p:
                continue
            if "distance_from_claimed_km" in p:
                want = haversine(claimed["latitude"], claimed["longitude"], p["latitude"],
                                 p["longitude"])
                if abs(want - p["distance_from_claimed_km"]) > 0.11:
                    problems.append(f"{c['id']}: {p['label']}: distance from claimed "
                                    f"{p['distance_from_claimed_km']} != {want:.1f}")
            want = haversine(sensor["latitude"], sensor["longitude"], p["latitude"],
                             p["longitude"])
            if abs(want - p["distance_from_sensor_km"]) > 0.11:
                problems.append(f"{c['id']}: {p['label']}: distance from sensor "
                                f"{p['distance_from_sensor_km']} != {want:.1f}")
        rtt = c["rtt"]
        if "claimed_floor_ms" in rtt and abs(rtt["claimed_floor_ms"] -
                                             rtt["claimed_distance_km"] / 100) > 0.006:
            problems.append(f"{c['id']}: claimed floor {rtt['claimed_floor_ms']} != km/100")
        for e in rtt["egress"]:
            if "floor_ms" in e and abs(e["floor_ms"] - e["distance_km"] / 100) > 0.006:
                problems.append(f"{c['id']}: {e['ip']}: floor {e['floor_ms']} != km/100")
        for f in c["flows"]:
            if f["lane"] == "remote_desktop" and f.get("role") not in ("controlled", "controller",
                                                                       "unknown"):
                problems.append(f"{c['id']}: {f['community_id']}: remote flow without a role")
    return problems


def render(report):
    """Indented JSON with each flow on one line (still valid JSON)."""
    flows = {}
    for c in report["contractors"]:
        for i, f in enumerate(c["flows"]):
            key = f"@@FLOW{len(flows)}@@"
            flows[key] = json.dumps(f, separators=(",", ":"), ensure_ascii=False)
            c["flows"][i] = key
    text = json.dumps(report, indent=1, ensure_ascii=False)
    for key, line in flows.items():
        text = text.replace(f'"{key}"', line, 1)
    return text + "\n"


def main():
    parallax, d, golden_dir = sys.argv[1], sys.argv[2], sys.argv[3]
    ensure_scenarios(d)
    expected = {}
    with open(os.path.join(d, "expected.tsv"), encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) == 3 and cols[0] != "scenario" and not line.startswith("#"):
                expected.setdefault(cols[0], set()).add((cols[1], cols[2]))
    failed = 0
    for s in SCENARIOS:
        run = subprocess.run(command(parallax, d, s), capture_output=True, text=True, check=False,
                             cwd=d)
        if run.returncode != 0:
            print(f"{s}: parallax report failed ({run.returncode}):\n{run.stderr}")
            failed += 1
            continue
        if "\r" in run.stderr:
            print(f"{s}: progress output on a non-terminal stderr: {run.stderr[:200]!r}")
            failed += 1
        report = json.loads(run.stdout)
        report.pop("generated_at", None)
        report["inputs"] = [os.path.basename(p) for p in report["inputs"]]
        problems = check(report, expected.get(s, set()))
        for p in problems:
            print(f"{s}: {p}")
        failed += bool(problems)
        actual = render(report)
        path = os.path.join(golden_dir, f"{s}.json")
        if os.environ.get("UPDATE_GOLDEN") == "1":
            with open(path, "w", encoding="utf-8") as f:
                f.write(actual)
            print(f"{s}: updated {path}")
            continue
        if not os.path.exists(path):
            with open(path + ".new", "w", encoding="utf-8") as f:
                f.write(actual)
            print(f"{s}: missing golden file {path}; output written to {path}.new")
            failed += 1
            continue
        with open(path, encoding="utf-8") as f:
            want = f.read()
        if want == actual:
            print(f"{s}: ok")
            continue
        with open(path + ".new", "w", encoding="utf-8") as f:
            f.write(actual)
        diff = difflib.unified_diff(want.splitlines(), actual.splitlines(), path, path + ".new",
                                    lineterm="", n=1)
        for i, line in enumerate(diff):
            if i > 60:
                print("... (diff truncated)")
                break
            print(line[:300])
        failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
