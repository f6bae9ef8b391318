#!/usr/bin/env python3
"""`parallax roster check`: exit codes, problem lines on stderr, one summary per contractor."""
import subprocess
import sys

parallax, data = sys.argv[1], sys.argv[2]
failures = []


def check(args, want_rc, want_out=(), want_err=(), out_lines=None, err_lines=None,
          err_empty=False):
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
    if err_empty and r.stderr:
        failures.append(f"{where}: stderr should be empty:\n{r.stderr}")
    if err_lines is not None and len(r.stderr.splitlines()) != err_lines:
        failures.append(f"{where}: {len(r.stderr.splitlines())} stderr lines, want {err_lines}")


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
                "parallax roster check: 27 problems"])
check([f"{data}/bad.json"], 1,
      want_err=[f"{data}/bad.json:37: contractors[4].claimed.lon: required with"])
check([f"{data}/good.csv", "--identity-events", f"{data}/identity_events.jsonl"], 0,
      want_out=["identity_events.jsonl: 5 identity events for 3 contractors"], out_lines=5)
check([f"{data}/good.csv", "--identity-events", f"{data}/identity_events_bad.jsonl"], 1,
      want_err=[f"{data}/identity_events_bad.jsonl:9: contractor: unknown contractor 'nobody'"])
# Identity-only contractors are valid and listed as such; with identity events, one that no
# event names is a warning (stderr), not a problem (exit 0).
for io in ("identity_only.csv", "identity_only.json", "identity_only.yaml"):
    check([f"{data}/{io}"], 0,
          want_out=["i1: Sam Reed; claimed Chicago, US; America/Chicago Mon-Fri 08:00-17:00; "
                    "no static selectors: attributed only through identity events",
                    "i2: Lee Park; claimed Chicago, US; America/Chicago Mon-Fri 09:00-18:00; "
                    "no static selectors: attributed only through identity events",
                    "s1: Static One; claimed Austin, US; America/Chicago Mon-Fri 09:00-18:00; "
                    "1 selector (1 device, 0 MAC, 0 egress)"],
          out_lines=3, err_empty=True)
check([f"{data}/identity_only.csv", "--identity-events",
       f"{data}/identity_events_identity_only.jsonl"], 0,
      want_out=["identity_events_identity_only.jsonl: 2 identity events for 2 contractors"],
      want_err=[f"{data}/identity_only.csv:5: warning: i2 has no static selectors and no event in "
                f"{data}/identity_events_identity_only.jsonl names them: nothing can be "
                "attributed to them"],
      out_lines=4, err_lines=1)
check([f"{data}/identity_only.yaml", "--identity-events", f"{data}/identity_events_shared.jsonl"],
      0, want_out=["identity_events_shared.jsonl: 2 identity events for 2 contractors"],
      out_lines=4, err_empty=True)
check([f"{data}/missing.yaml"], 1, want_err=[f"{data}/missing.yaml: cannot open"])
# Control characters in names are printed escaped: no ESC sequence, CR or forged line reaches
# the terminal (the roster itself is valid).
check([f"{data}/control_characters.yaml"], 0,
      want_out=["e1\\x1b[2J: Eve\\r\\nforged: line\\x00 \\u009b31m; claimed Aus\\ttin, US;"],
      out_lines=1, err_empty=True)
r = subprocess.run([parallax, "roster", "check", f"{data}/control_characters.yaml"],
                   capture_output=True, timeout=60)
if any(b in r.stdout for b in (b"\x1b", b"\r", b"\x00", b"\xc2\x9b", b"\t")):
    failures.append(f"control characters printed raw: {r.stdout!r}")
# A number beyond a double in a JSON roster: its line and field, not a bare "number overflow".
check([f"{data}/bad_number_range.json"], 1,
      want_err=[f"{data}/bad_number_range.json:3: contractors[0].claimed.lat: number out of "
                "range ('1e400' is beyond a double)"])

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("roster check CLI: ok")
