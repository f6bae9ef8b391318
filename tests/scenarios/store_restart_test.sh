#!/usr/bin/env bash
# A restart loses nothing and repeats no alert: a scenario capture read in two halves with the
# same --store raises exactly the alerts of one full read, each alert id once (or again only as
# an update with more evidence), and reading the second half once more raises nothing new.
# usage: store_restart_test.sh PARALLAX SCRATCH
set -euo pipefail
parallax="$1" scratch="$2"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
scripts/make-sessions build/sessions >/dev/null
s="$scratch/scenarios"
scripts/make-scenarios --sessions build/sessions --out "$s" >/dev/null
rm -f "$scratch"/store.db*
run() {  # run PCAP [extra args] -> alert lines on stdout
  "$parallax" read "$1" --roster "$s/roster.yaml" --identity-events "$s/identity-events.jsonl" \
    --city-db "$s/geo/city.mmdb" --asn-db "$s/geo/asn.mmdb" --list "$s/lists/networks.txt" \
    --sensor-location "$(cat "$s/sensor.txt")" --events alert "${@:2}" 2>/dev/null
}
for name in off_hours laptop_farm; do
  pcap="$s/$name.pcap"
  total=$(capinfos -c -M "$pcap" | awk '/Number of packets/ {print $NF}')
  editcap -r "$pcap" "$scratch/$name.1.pcap" "1-$((total / 2))"
  editcap -r "$pcap" "$scratch/$name.2.pcap" "$((total / 2 + 1))-$total"
  run "$pcap" > "$scratch/$name.full.jsonl"
  run "$scratch/$name.1.pcap" --store "$scratch/store.db" > "$scratch/$name.a.jsonl"
  run "$scratch/$name.2.pcap" --store "$scratch/store.db" > "$scratch/$name.b.jsonl"
  run "$scratch/$name.2.pcap" --store "$scratch/store.db" > "$scratch/$name.c.jsonl"
  /usr/bin/python3 - "$scratch/$name" <<'PY'
import json, sys
base = sys.argv[1]
load = lambda s: [json.loads(l)["parallax"] for l in open(f"{base}.{s}.jsonl")]
full, a, b, c = load("full"), load("a"), load("b"), load("c")
kinds = lambda xs: {(x["contractor"]["id"], x["kind"], x["window"]["start"]) for x in xs}
assert kinds(a) | kinds(b) == kinds(full), f"split {kinds(a) | kinds(b)} != full {kinds(full)}"
ids = [x["alert_id"] for x in a + b if not x["evidence"]["update"]]
assert len(ids) == len(set(ids)), f"an alert was repeated without new evidence: {ids}"
assert not c, f"reading the same half again raised {[(x['kind'], x['evidence']['update']) for x in c]}"
print(f"{base}: {len(full)} alerts in one read; halves raised {len(a)} + {len(b)}, "
      f"{sum(x['evidence']['update'] for x in b)} as updates; a repeat raised none")
PY
done
