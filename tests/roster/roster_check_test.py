#!/usr/bin/env python3
"""`parallax roster check`: exit codes, problem lines on stderr, one summary per contractor."""
import subprocess
import sys

parallax, data = sys.argv[1], sys.argv[2]
failures = []


def check(args, want_rc, want_out=(), want_err=(), out_lines=None):
    r = subprocess.run([parallax, "roster", "check", *args], capture_output=True, text=True,
                       timeout=60)
    where = " ".join(args)
    if r.returncode != want_rc:
        failures.append(f"{where}: exit {r.returncode}, want {want_rc}\n{r.stderr}")
    for s in want_out:
        if s not in r.stdout:
            failures.append(f"{where}: stdout lacks {s!r}:\n{r.stdout}")
    for s in want_err:
        if s not in r.stderr:
            failures.append(f"{where}: stderr lacks {s!r}:\n{r.stderr}")
    if out_lines is not None and len(r.stdout.splitlines()) != out_lines:
        failures.append(f"{where}: {len(r.stdout.splitlines())} stdout lines, want {out_lines}")


for good in ("good.csv", "good.json", "good.yaml"):
    check([f"{data}/{good}"], 0,
          want_out=["c1: Jane Doe; claimed Austin, US (30.2672, -97.7431); America/Chicago "
                    "Mon-Fri 09:00-17:30; 3 selectors (1 device, 1 MAC, 1 egress)",
                    "c2: Kim, Min-jun; claimed Seattle, US; America/Los_Angeles Sun-Thu",
                    "c3: Pat Smith; claimed (51.5072, -0.1276); Europe/London Mon,Wed,Fri"],
          out_lines=4)
check([f"{data}/bad.csv"], 1,
      want_err=[f"{data}/bad.csv:2: id: required",
                f"{data}/bad.csv:27: device_ips: 10.9.0.2 is claimed by both b1 (line 3) and b24",
                "parallax roster check: 28 problems"])
check([f"{data}/bad.json"], 1,
      want_err=[f"{data}/bad.json:37: contractors[4].claimed.lon: required with"])
check([f"{data}/good.csv", "--identity-events", f"{data}/identity_events.jsonl"], 0,
      want_out=["identity_events.jsonl: 5 identity events for 3 contractors"], out_lines=5)
check([f"{data}/good.csv", "--identity-events", f"{data}/identity_events_bad.jsonl"], 1,
      want_err=[f"{data}/identity_events_bad.jsonl:9: contractor: unknown contractor 'nobody'"])
check([f"{data}/missing.yaml"], 1, want_err=[f"{data}/missing.yaml: cannot open"])

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("roster check CLI: ok")
