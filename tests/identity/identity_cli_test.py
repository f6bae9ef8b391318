#!/usr/bin/python3
"""`--identity FORMAT:FILE` on the command line: a vendor log binds the same flows as the
equivalent identity-events file, logs from several sources merge into one list, and what does
not become an event is said on stderr (users not in the roster, lines not understood with
FILE:LINE) without stopping the run.

usage: identity_cli_test.py PARALLAX_BINARY SCRATCH_DIR
Writes its own capture (scapy) and logs, so it runs on a clone without ../shared.
"""
import json
import os
import shutil
import subprocess
import sys
import unittest

from scapy.all import DNS, DNSQR, IP, UDP, Ether, wrpcap  # Debian python3-scapy

BIN = None
SCRATCH = None
T0 = 1_700_000_000  # 2023-11-14T22:13:20Z
# Public addresses (from the GeoIP test ranges): documentation ranges are not public, and only
# a public address is attributed by its identity binding.


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)


def write(name, text):
    path = os.path.join(SCRATCH, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def okta_line(user, ip, when="2023-11-14T22:00:00.000Z", result="SUCCESS"):
    return json.dumps({"eventType": "user.session.start", "published": when,
                       "actor": {"type": "User", "alternateId": user},
                       "client": {"ipAddress": ip}, "outcome": {"result": result}}) + "\n"


class IdentityFlag(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        pkts = []
        for i, src in enumerate(["81.2.69.144"] * 10 + ["89.160.20.112"] * 10):
            p = (Ether() / IP(src=src, dst="192.0.2.53") / UDP(sport=40000 + i, dport=53) /
                 DNS(rd=1, qd=DNSQR(qname=f"h{i}.example.com")))
            p.time = T0 + i
            pkts.append(p)
        cls.pcap = os.path.join(SCRATCH, "two-homes.pcap")
        wrpcap(cls.pcap, pkts)
        cls.roster = write("roster.csv",
                           "id,name,claimed_city,claimed_country,timezone,identity_aliases\n"
                           "alice,Alice Ng,Dallas,US,America/Chicago,alice@example.com\n"
                           "bob,Bob Roy,Dallas,US,America/Chicago,EXAMPLE\\bob\n")

    def attributed(self, *extra):
        r = run("read", self.pcap, "--roster", self.roster, "--no-geoip", "--events", "stats",
                *extra)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout.splitlines()[-1])["stats"]["attributed_flows"], r.stderr

    def test_a_vendor_log_binds_as_the_identity_events_file_does(self):
        okta = write("okta.jsonl", okta_line("Alice@Example.com", "81.2.69.144"))
        events = write("events.jsonl", json.dumps(
            {"timestamp": "2023-11-14T22:00:00Z", "contractor": "alice",
             "public_ip": "81.2.69.144"}) + "\n")
        self.assertEqual(self.attributed()[0], 0)
        via_okta, err = self.attributed("--identity", f"okta:{okta}")
        self.assertEqual(via_okta, 10)
        self.assertEqual(self.attributed("--identity-events", events)[0], via_okta)
        self.assertIn(f"parallax: identity okta:{okta}: 1 event\n", err)

    def test_sources_merge_and_everything_else_is_counted(self):
        okta = write("okta2.jsonl", okta_line("alice@example.com", "81.2.69.144") +
                     okta_line("stranger@example.com", "192.0.2.99") +
                     okta_line("alice@example.com", "192.0.2.98", result="FAILURE") +
                     '{"eventType": "user.session.start", "published": \n')
        asa = write("asa.log",
                    "<166>Nov 14 2023 22:05:00 gw : %ASA-6-113039: Group <vpn> User <EXAMPLE\\bob> "
                    "IP <89.160.20.112> AnyConnect parent session started.\n")
        n, err = self.attributed("--identity", f"okta:{okta}", "--identity", f"asa:{asa}")
        self.assertEqual(n, 20)  # alice's ten from Okta, bob's ten from the ASA
        self.assertIn(f"okta:{okta}: 1 event, 1 record ignored (no sign-in or session), 1 user "
                      "not in the roster (stranger@example.com), 1 line not understood (line 4: ",
                      err)
        self.assertIn(f"parallax: {okta}:4: column ", err)
        self.assertIn(f"asa:{asa}: 1 event\n", err)

    def test_zone_less_times_take_the_offset(self):
        # 16:10 at UTC-06:00 is 22:10Z: before the packets, so bob's flows are his. Read as UTC
        # the sign-in would be six hours too early but still before; at +06:00 it is after them.
        asa = write("asa-local.log",
                    "Nov 14 2023 16:10:00 gw : %ASA-6-113039: Group vpn User bob "
                    "IP 89.160.20.112 AnyConnect parent session started.\n")
        self.assertEqual(self.attributed("--identity", f"asa:{asa}",
                                         "--identity-utc-offset", "-06:00")[0], 10)
        late = write("asa-late.log",
                     "Nov 14 2023 22:20:00 gw : %ASA-6-113039: Group vpn User bob "
                     "IP 89.160.20.112 AnyConnect parent session started.\n")
        self.assertEqual(self.attributed("--identity", f"asa:{late}")[0], 0)
        self.assertEqual(self.attributed("--identity", f"asa:{late}",
                                         "--identity-utc-offset", "+01:00")[0], 10)

    def test_usage_and_input_errors(self):
        r = run("read", self.pcap, "--identity", "splunk:x.log", "--roster", self.roster)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--identity: unknown format 'splunk' (formats: okta, entra, gws, asa, "
                      "globalprotect, openvpn, fortigate)", r.stderr)
        r = run("read", self.pcap, "--identity", "okta:x.log")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--identity needs --roster", r.stderr)
        r = run("read", self.pcap, "--roster", self.roster, "--identity", "okta:/nonexistent.log")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("/nonexistent.log: cannot open", r.stderr)
        r = run("read", self.pcap, "--roster", self.roster, "--identity-utc-offset", "+5")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--identity-utc-offset: expected +HH:MM", r.stderr)


if __name__ == "__main__":
    BIN = os.path.abspath(sys.argv[1])
    SCRATCH = sys.argv[2]
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH)
    unittest.main(argv=sys.argv[:1], verbosity=2)
