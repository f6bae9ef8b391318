#!/usr/bin/env bash
# The scenario suite on one source of sessions: compose the scenarios (scripts/make-scenarios),
# run Parallax on each and require exactly the expected alerts (run_scenarios.py), the same alert
# lines through flow records and `correlate` (records_roundtrip.py), then validate every emitted
# alert against docs/alert.schema.json.
# usage: scenario_suite.sh PARALLAX generated|real OUT_DIR
set -euo pipefail
parallax="$1" source="$2" out="$3"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
if [[ "$source" == real ]]; then
  if [[ ! -f ../shared/pcaps/MANIFEST.tsv ]]; then
    echo "SKIP: ../shared/pcaps not found (real session captures)"; exit 77
  fi
  sessions=../shared/pcaps
else
  scripts/make-sessions build/sessions >/dev/null
  sessions=build/sessions
fi
scripts/make-scenarios --sessions "$sessions" --out "$out" >/dev/null
/usr/bin/python3 tests/scenarios/run_scenarios.py "$parallax" "$out" --keep-output
# The flow-record boundary: read --records, then correlate, gives the same alert lines.
/usr/bin/python3 tests/scenarios/records_roundtrip.py "$parallax" "$out"
/usr/bin/python3 - "$out" <<'PY'
import glob, json, sys
import jsonschema  # Debian python3-jsonschema
schema = json.load(open("docs/alert.schema.json"))
validator = jsonschema.Draft202012Validator(schema)
n = 0
for path in sorted(glob.glob(sys.argv[1] + "/*.alerts.jsonl")):
    for i, line in enumerate(open(path), 1):
        ev = json.loads(line)
        if ev.get("event_type") != "alert":
            continue
        errors = sorted(validator.iter_errors(ev), key=str)
        if errors:
            print(f"{path}:{i}: alert does not match docs/alert.schema.json: {errors[0].message}")
            sys.exit(1)
        n += 1
print(f"{n} alerts valid against docs/alert.schema.json")
if n == 0:
    sys.exit("no alerts to validate: the suite must raise some")
PY
