#!/usr/bin/python3
"""Run every scenario of a make-scenarios folder through `parallax read` and compare the alerts
with expected.tsv exactly: each (contractor, kind) expected must fire and nothing else may.

    tests/scenarios/run_scenarios.py PARALLAX SCENARIO_DIR [--only NAME...] [--keep-output]

Scenarios are the *.pcap files of SCENARIO_DIR; one with no row in expected.tsv (honest) must
raise no alert at all. Prints one table row per scenario and (contractor, kind); exits 0 when
everything matches, 1 on any missing or extra alert or a failed run, 2 on a bad setup.
Stdlib only (tests/scenarios/README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

TIMEOUT_S = 300


def load_expected(path: str) -> dict[str, set[tuple[str, str]]]:
    expected: dict[str, set[tuple[str, str]]] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            cols = line.split("\t")
            if cols == ["scenario", "contractor_id", "alert_kind"]:
                continue
            if len(cols) != 3 or not all(c.strip() for c in cols):
                raise ValueError(f"{path}:{n}: want 'scenario<TAB>contractor_id<TAB>alert_kind', "
                                 f"got {line!r}")
            expected.setdefault(cols[0], set()).add((cols[1], cols[2]))
    return expected


def command(parallax: str, d: str, scenario: str, per_scenario_identity: bool) -> list[str]:
    with open(os.path.join(d, "sensor.txt"), encoding="utf-8") as f:
        sensor = f.read().strip()
    identity = (os.path.join(d, "identity", f"{scenario}.jsonl") if per_scenario_identity
                else os.path.join(d, "identity-events.jsonl"))
    return [parallax, "read", os.path.join(d, f"{scenario}.pcap"),
            "--roster", os.path.join(d, "roster.yaml"),
            "--identity-events", identity,
            "--city-db", os.path.join(d, "geo", "city.mmdb"),
            "--asn-db", os.path.join(d, "geo", "asn.mmdb"),
            "--list", os.path.join(d, "lists", "networks.txt"),
            "--sensor-location", sensor, "--events", "alert"]


def alerts_of(stdout: str) -> tuple[set[tuple[str, str]], list[str]]:
    """(contractor, kind) of every alert event, and problems with the output."""
    got, problems = set(), []
    for n, line in enumerate(stdout.splitlines(), 1):
        if not line.strip():
            continue
        try:
            event = json.loads(line)
        except json.JSONDecodeError as e:
            problems.append(f"output line {n} is not JSON ({e}): {line[:120]!r}")
            continue
        if not isinstance(event, dict) or event.get("event_type") != "alert":
            continue
        px = event.get("parallax")
        px = px if isinstance(px, dict) else {}
        who = px.get("contractor")
        contractor = who.get("id") if isinstance(who, dict) else None
        kind = px.get("kind")
        # Also accept the flattened dotted names, should the schema write them that way.
        contractor = contractor or event.get("parallax.contractor.id")
        kind = kind or event.get("parallax.kind")
        if not contractor or not kind:
            problems.append(f"alert on output line {n} lacks parallax.contractor.id or "
                            f"parallax.kind: {line[:160]!r}")
            continue
        got.add((str(contractor), str(kind)))
    return got, problems


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("parallax", help="the parallax binary")
    ap.add_argument("scenarios", help="folder written by scripts/make-scenarios")
    ap.add_argument("--only", nargs="+", metavar="NAME", help="run only these scenarios")
    ap.add_argument("--identity-per-scenario", action="store_true",
                    help="give each run only its own scenario's identity events "
                         "(SCENARIO_DIR/identity/<scenario>.jsonl) instead of the shared file")
    ap.add_argument("--keep-output", action="store_true",
                    help="write each run's stdout to SCENARIO_DIR/<scenario>.alerts.jsonl")
    args = ap.parse_args()

    d = args.scenarios
    if not (os.path.isfile(args.parallax) and os.access(args.parallax, os.X_OK)):
        print(f"run_scenarios: {args.parallax}: not an executable file", file=sys.stderr)
        return 2
    needed = ["expected.tsv", "roster.yaml", "identity-events.jsonl", "sensor.txt",
              "geo/city.mmdb", "geo/asn.mmdb", "lists/networks.txt"]
    missing = [n for n in needed if not os.path.isfile(os.path.join(d, n))]
    if missing:
        print(f"run_scenarios: {d} lacks {', '.join(missing)} (run scripts/make-scenarios)",
              file=sys.stderr)
        return 2
    try:
        expected = load_expected(os.path.join(d, "expected.tsv"))
    except (OSError, ValueError) as e:
        print(f"run_scenarios: {e}", file=sys.stderr)
        return 2
    scenarios = sorted(f[:-5] for f in os.listdir(d) if f.endswith(".pcap"))
    unknown = sorted(set(expected) - set(scenarios))
    if unknown:
        print(f"run_scenarios: expected.tsv names scenarios with no capture: {', '.join(unknown)}",
              file=sys.stderr)
        return 2
    if args.only:
        absent = sorted(set(args.only) - set(scenarios))
        if absent:
            print(f"run_scenarios: no such scenario: {', '.join(absent)}", file=sys.stderr)
            return 2
        scenarios = [s for s in scenarios if s in args.only]
    if not scenarios:
        print(f"run_scenarios: no <scenario>.pcap in {d}", file=sys.stderr)
        return 2

    rows, failed, details = [], [], []
    for s in scenarios:
        cmd = command(args.parallax, d, s, args.identity_per_scenario)
        if not os.path.isfile(cmd[6]):
            rows.append((s, "-", "-", "ERROR", f"{cmd[6]} not found"))
            failed.append(s)
            continue
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except (OSError, subprocess.TimeoutExpired) as e:
            rows.append((s, "-", "-", "ERROR", f"parallax did not run: {e}"))
            failed.append(s)
            continue
        if args.keep_output:
            with open(os.path.join(d, f"{s}.alerts.jsonl"), "w", encoding="utf-8") as f:
                f.write(run.stdout)
        if run.returncode != 0:
            err = [e for e in run.stderr.strip().splitlines() if e.strip()]
            rows.append((s, "-", "-", "ERROR", f"parallax exited {run.returncode}: "
                         + (err[0] if err else "(no stderr)")))
            details.append(f"--- {s}: {' '.join(cmd)}\n" + "\n".join(err[-20:]))
            failed.append(s)
            continue
        got, problems = alerts_of(run.stdout)
        want = expected.get(s, set())
        for p in problems:
            rows.append((s, "-", "-", "ERROR", p))
        for contractor, kind in sorted(want | got):
            status = ("ok" if (contractor, kind) in want and (contractor, kind) in got
                      else "MISSING" if (contractor, kind) in want else "EXTRA")
            rows.append((s, contractor, kind, status, ""))
        if not want and not got and not problems:
            rows.append((s, "-", "(no alert)", "ok", ""))
        if problems or want != got:
            failed.append(s)

    widths = [max(len(r[i]) for r in rows + [("scenario", "contractor", "kind", "result", "")])
              for i in range(4)]
    header = ("scenario", "contractor", "kind", "result")
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        line = "  ".join(c.ljust(w) for c, w in zip(r[:4], widths))
        print((line + (f"  {r[4]}" if r[4] else "")).rstrip())
    print()
    for d_ in details:
        print(d_)
    if details:
        print()
    if failed:
        print(f"FAIL: {len(failed)} of {len(scenarios)} scenarios differ: {', '.join(failed)}")
        return 1
    print(f"OK: {len(scenarios)} scenarios, alerts exactly as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
