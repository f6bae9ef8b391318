#!/usr/bin/python3
"""Assembles the seed corpora of the text and database fuzz targets from the project's own files.

usage: assemble_seeds.py OUT_ROOT   (run from the repository root; writes OUT_ROOT/<target>/)

Sources that are absent (build/scenarios before scripts/make-scenarios, data/*.mmdb before
scripts/fetch-data) are skipped and said so. fuzz_packet_path's seeds come from captures
(make_seeds.py), not from here. Targets whose first input byte selects a mode get that byte
prepended (fuzz_roster: 0 CSV, 1 JSON, 2 YAML; fuzz_network_list: 0 operator list, 2 operator
list with a default type, 1 curated table). fuzz_divergence gets fixed pseudo-random inputs.
"""
import glob
import hashlib
import os
import random
import re
import subprocess
import sys

MAX_MMDB = 4 << 20  # larger real databases (GeoLite2-City: ~70 MB) make slow, useless seeds


def put(out, target, data, origin):
    d = os.path.join(out, target)
    os.makedirs(d, exist_ok=True)
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", origin)[-60:] + "-" + hashlib.sha1(data).hexdigest()[:8]
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def files(*patterns):
    found = []
    for p in patterns:
        found += sorted(glob.glob(p, recursive=True))
    return [f for f in found if os.path.isfile(f)]


def read(path):
    with open(path, "rb") as f:
        return f.read()


def yaml_blocks(md):
    """The ```yaml blocks of a Markdown file (the documented configuration examples)."""
    text = read(md).decode("utf-8", "replace")
    return [b.encode() for b in re.findall(r"```ya?ml\n(.*?)```", text, re.S)]


def main():
    out = sys.argv[1]
    skipped = []

    roster_formats = {".csv": 0, ".json": 1, ".yaml": 2, ".yml": 2}
    for f in files("config/roster.example.*", "tests/roster/data/*", "build/scenarios/**/*roster*",
                   "tests/**/roster*.yaml", "tests/**/roster*.csv", "tests/**/roster*.json"):
        ext = os.path.splitext(f)[1].lower()
        if ext in roster_formats:
            put(out, "fuzz_roster", bytes([roster_formats[ext]]) + read(f), f)
    for md in files("docs/roster.md"):
        for b in yaml_blocks(md):
            put(out, "fuzz_roster", bytes([2]) + b, md)

    for f in files("tests/roster/data/*.jsonl", "build/scenarios/**/*.jsonl",
                   "tests/**/*identity*.jsonl"):
        put(out, "fuzz_identity_events", read(f), f)

    # fuzz_identity_logs: byte 0 the adapter (sensor/identity/adapter_registry.cpp order), byte 1
    # the options (32: UTC, with a reference time); our test files and, when present, the
    # vendors' published samples (read where they are, never copied into the repository).
    adapters = {"okta": 0, "entra": 1, "gws": 2, "asa": 3, "globalprotect": 4, "openvpn": 5,
                "fortigate": 6}
    by_name = [("okta-", "okta"), ("asa-", "asa"), ("openvpn-", "openvpn")]
    for f in files("tests/identity/data/*"):
        base = os.path.basename(f)
        for prefix, name in by_name:
            if base.startswith(prefix):
                put(out, "fuzz_identity_logs", bytes([adapters[name], 32]) + read(f), f)
    shared = {"okta": "okta", "entra": "entra", "google_workspace": "gws", "cisco_asa": "asa",
              "panos": "globalprotect", "fortigate": "fortigate"}
    for folder, name in shared.items():
        for f in files(f"../shared/logs/{folder}/*.log"):
            put(out, "fuzz_identity_logs", bytes([adapters[name], 32]) + read(f)[:4096],
                f.replace("../", ""))  # no leading dot: a hidden seed file

    for f in files("config/policy*.yaml"):
        put(out, "fuzz_policy", read(f), f)
    for md in files("docs/policy.md"):
        for b in yaml_blocks(md):
            put(out, "fuzz_policy", b, md)

    for f in files("config/*.yaml", "tests/daemon/**/*.yaml", "tests/daemon/**/*.yml",
                   "tests/fuzz/seeds/fuzz_daemon_config/*"):
        if "roster" not in os.path.basename(f) and "policy" not in os.path.basename(f):
            put(out, "fuzz_daemon_config", read(f), f)
    for md in files("docs/daemon.md", "docs/configuration.md"):
        for b in yaml_blocks(md):
            put(out, "fuzz_daemon_config", b, md)

    for f in files("geoip/data/*.txt", "build/scenarios/lists/*", "tests/geoip/**/*.txt"):
        put(out, "fuzz_network_list", bytes([0]) + read(f), f)
        put(out, "fuzz_network_list", bytes([2]) + read(f), f + ".default")
    for f in files("geoip/data/*.tsv"):
        put(out, "fuzz_network_list", bytes([1]) + read(f), f)

    mmdb_dir = os.path.join(out, "_mmdb")
    sources = files("tests/geoip/data/*.json")
    try:
        subprocess.run(["perl", "tests/geoip/make_test_mmdb.pl", mmdb_dir] + sources, check=True,
                       stdout=subprocess.DEVNULL)
    except (OSError, subprocess.CalledProcessError) as e:
        skipped.append(f"test databases ({e})")
    for f in files(os.path.join(mmdb_dir, "*.mmdb"), "data/*.mmdb",
                   "build/scenarios/geo/*.mmdb"):
        if os.path.getsize(f) <= MAX_MMDB:
            put(out, "fuzz_geoip_db", read(f), f)
        else:
            skipped.append(f"{f} (larger than {MAX_MMDB >> 20} MB)")
    # fuzz_divergence reads its input through FuzzedDataProvider: no file format to seed from.
    # Fixed pseudo-random inputs, one per flag combination (store, sensor location) and length,
    # give it a start in every mode.

    rng = random.Random(2026)
    for flags in range(4):
        for length in (64, 512, 4096):
            put(out, "fuzz_divergence",
                bytes([flags]) + bytes(rng.randrange(256) for _ in range(length)),
                f"random-flags{flags}-{length}")

    if not os.path.isdir("build/scenarios"):
        skipped.append("build/scenarios (run scripts/make-scenarios)")

    for t in sorted(os.listdir(out)):
        if not t.startswith("_"):
            print(f"seeds: {t}: {len(os.listdir(os.path.join(out, t)))}", file=sys.stderr)
    for s in skipped:
        print(f"seeds: skipped {s}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
