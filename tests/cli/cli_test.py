#!/usr/bin/python3
"""Command-line behaviour a user relies on: clear errors naming the file and position, non-zero
exits where fatal, nothing lost before the error, and live capture on the loopback interface.

usage: cli_test.py PARALLAX_BINARY SCRATCH_DIR
Uses only captures it writes itself (scapy), so it runs on a clone without ../shared.
"""
import json
import os
import shutil
import struct
import subprocess
import sys
import time
import unittest

from scapy.all import DNS, DNSQR, IP, TCP, UDP, Ether, wrpcap  # Debian python3-scapy

BIN = None
SCRATCH = None


def run(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60, **kw)


def write_capture(path, n=20):
    pkts = []
    for i in range(n):
        p = (Ether() / IP(src="192.0.2.1", dst="198.51.100.1") /
             UDP(sport=40000 + i, dport=53) / DNS(rd=1, qd=DNSQR(qname=f"h{i}.example.com")))
        p.time = 1_700_000_000 + i
        pkts.append(p)
    wrpcap(path, pkts)


class CliErrors(unittest.TestCase):
    def setUp(self):
        self.good = os.path.join(SCRATCH, "good.pcap")
        write_capture(self.good)

    def test_missing_file_is_named(self):
        r = run("read", os.path.join(SCRATCH, "nope.pcap"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope.pcap: no such file", r.stderr)

    def test_not_a_capture(self):
        bad = os.path.join(SCRATCH, "text.pcap")
        with open(bad, "w") as f:
            f.write("this is not a capture\n")
        r = run("read", bad)
        self.assertEqual(r.returncode, 1)
        self.assertIn("text.pcap: cannot open capture", r.stderr)

    def test_corrupt_record_reports_packet_index_and_keeps_earlier_flows(self):
        with open(self.good, "rb") as f:
            data = bytearray(f.read())
        # Record 6's header: global header 24 bytes; every record here is 16 + caplen bytes.
        off = 24
        for _ in range(5):
            caplen = struct.unpack_from("<I", data, off + 8)[0]
            off += 16 + caplen
        struct.pack_into("<II", data, off + 8, 0x7FFFFFF0, 0x7FFFFFF0)  # absurd caplen
        bad = os.path.join(SCRATCH, "corrupt.pcap")
        with open(bad, "wb") as f:
            f.write(data)
        r = run("read", bad, "--events", "flow,stats")
        self.assertEqual(r.returncode, 1)
        self.assertIn("corrupt.pcap: corrupt capture at packet 6", r.stderr)
        self.assertIn(f"byte offset {off}", r.stderr)
        events = [json.loads(l) for l in r.stdout.splitlines()]
        self.assertEqual(sum(e["event_type"] == "flow" for e in events), 5)
        self.assertEqual(events[-1]["event_type"], "stats")
        self.assertEqual(events[-1]["stats"]["packets"], 5)

    def test_truncated_file_at_every_offset_of_the_last_record(self):
        with open(self.good, "rb") as f:
            data = f.read()
        # Find the start of the last record by walking the records.
        off, starts = 24, []
        while off < len(data):
            starts.append(off)
            off += 16 + struct.unpack_from("<I", data, off + 8)[0]
        cut_file = os.path.join(SCRATCH, "cut.pcap")
        for cut in range(starts[-1] + 1, len(data)):
            with open(cut_file, "wb") as f:
                f.write(data[:cut])
            r = run("read", cut_file, "--events", "stats")
            self.assertIn(r.returncode, (0, 1), r.stderr)
            self.assertLess(r.returncode, 128)  # never a signal
            if r.returncode == 1:
                self.assertIn("cut.pcap: corrupt capture at packet 20", r.stderr)
            stats = json.loads(r.stdout.splitlines()[-1])["stats"]
            self.assertEqual(stats["packets"], 19)

    def test_bad_filter_and_bad_events(self):
        r = run("read", self.good, "-f", "port and and")
        self.assertEqual(r.returncode, 1)
        self.assertIn("invalid BPF filter 'port and and'", r.stderr)
        r = run("read", self.good, "--events", "flow,nonsense")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown event type 'nonsense'", r.stderr)

    def test_non_finite_numbers_are_refused(self):
        # NaN compares false with both ends of a range check, so each must be refused explicitly.
        for loc in ("nan,nan", "inf,0", "0,-inf"):
            r = run("read", self.good, "--sensor-location", loc)
            self.assertEqual(r.returncode, 2, loc)
            self.assertIn("--sensor-location: expected LAT,LON", r.stderr)
        for flag in ("--window-hours", "--tcp-timeout"):
            r = run("read", self.good, flag, "nan")
            self.assertEqual(r.returncode, 2, flag)
            self.assertIn(flag + ": must be between", r.stderr)
        r = run("live", "-i", "lo", "--duration", "nan")
        self.assertEqual(r.returncode, 2)
        self.assertIn("--duration: must be between", r.stderr)

    def test_write_errors_are_fatal_and_name_the_output(self):
        # A full disk must not leave a truncated output behind an exit status of 0: every
        # write and the final flush and close are checked. /dev/full fails every write with
        # ENOSPC, like a full disk.
        if not os.path.exists("/dev/full"):
            self.skipTest("no /dev/full")
        r = run("read", self.good, "--events", "all", "-o", "/dev/full")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("parallax read: /dev/full: write error: No space left on device", r.stderr)
        # Standard output: a large output (stdio's buffer fills during the run) and a small one
        # (only the final flush fails), each reported once.
        for events in ("all", "stats"):
            with open("/dev/full", "w") as full:
                r = subprocess.run([BIN, "read", self.good, "--events", events], stdout=full,
                                   stderr=subprocess.PIPE, text=True, timeout=60)
            self.assertEqual(r.returncode, 1, events)
            self.assertEqual(r.stderr.count("write error"), 1, r.stderr)
            self.assertIn("parallax read: standard output: write error: No space left on device",
                          r.stderr)
        # Any command's standard output (here a table).
        with open("/dev/full", "w") as full:
            r = subprocess.run([BIN, "analyzers"], stdout=full, stderr=subprocess.PIPE,
                               text=True, timeout=60)
        self.assertEqual(r.returncode, 1)
        self.assertIn("parallax: standard output: write error: No space left on device", r.stderr)
        # The report's JSON and page.
        roster = os.path.join(SCRATCH, "roster.yaml")
        with open(roster, "w") as f:
            f.write("contractors:\n  - id: c1\n    name: Jane Doe\n"
                    "    claimed: {city: Austin, country: US, lat: 30.2672, lon: -97.7431}\n"
                    "    timezone: America/Chicago\n    devices: {ips: [192.0.2.1]}\n")
        r = run("report", self.good, "--roster", roster, "--json", "/dev/full")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("parallax report: /dev/full: write error: No space left on device", r.stderr)
        r = run("report", self.good, "--roster", roster, "-o", "/dev/full")
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn("parallax report: /dev/full: ", r.stderr)
        self.assertIn("No space left on device", r.stderr)
        # The same commands on a real file succeed (the check is not failing everything).
        ok = os.path.join(SCRATCH, "events.jsonl")
        r = run("read", self.good, "--events", "all", "-o", ok)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(ok) as f:
            self.assertEqual(json.loads(f.read().splitlines()[-1])["event_type"], "stats")

    def test_explain_escapes_control_characters_of_roster_names(self):
        # A roster name holding ESC [2J or CR LF must not clear the screen or forge a table row.
        roster = os.path.join(SCRATCH, "ctl-roster.yaml")
        with open(roster, "w") as f:
            f.write('contractors:\n  - id: "c1\\e]0;pwned\\a"\n'
                    '    name: "Jane\\e[2J\\r\\nc9 forged  HIGH"\n'
                    '    claimed: {city: "Aus\\ttin", country: US}\n    timezone: UTC\n'
                    '    devices: {ips: [192.0.2.1]}\n')
        r = subprocess.run([BIN, "read", self.good, "--roster", roster, "--explain"],
                           capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        out = r.stdout
        for raw in (b"\x1b", b"\r", b"\x07", b"\t"):
            self.assertNotIn(raw, out)
        self.assertIn(b"c1\\x1b]0;pwned\\x07", out)
        self.assertIn(b"Jane\\x1b[2J\\r\\nc9 forged  HIGH", out)
        self.assertFalse([l for l in out.splitlines() if l.startswith(b"c9")])  # no forged row

    def test_filter_and_event_selection(self):
        r = run("read", self.good, "-f", "udp port 40003", "--events", "flow")
        self.assertEqual(r.returncode, 0, r.stderr)
        flows = [json.loads(l) for l in r.stdout.splitlines()]
        self.assertEqual(len(flows), 1)
        self.assertEqual(flows[0]["src_port"], 40003)
        r = run("read", self.good, self.good, "--events", "stats")
        stats = json.loads(r.stdout)["stats"]
        self.assertEqual(stats["packets"], 40)  # two files, read in order as one input
        self.assertEqual(len(stats["inputs"]), 2)

    def test_unknown_interface(self):
        r = run("live", "-i", "nosuchif0", "--duration", "1")
        self.assertEqual(r.returncode, 1)
        self.assertIn("nosuchif0", r.stderr)
        self.assertIn("no such interface", r.stderr)

    @unittest.skipUnless(os.geteuid() == 0 and shutil.which("setpriv"), "needs root and setpriv")
    def test_missing_privileges(self):
        r = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                            "--inh-caps=-all", BIN, "live", "-i", "lo", "--duration", "1"],
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(r.returncode, 1)
        self.assertIn("permission denied", r.stderr)


@unittest.skipUnless(os.geteuid() == 0, "live capture needs root (CAP_NET_RAW)")
class LiveCapture(unittest.TestCase):
    def test_loopback_capture_sees_our_traffic_and_reports_drops(self):
        proc = subprocess.Popen([BIN, "live", "-i", "lo", "-f", "tcp port 47311",
                                 "--duration", "4", "--events", "flow,stats"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)  # let libpcap attach before the traffic starts
        import socket
        srv = socket.socket()
        srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        srv.bind(("127.0.0.1", 47311))
        srv.listen(1)
        cli = socket.create_connection(("127.0.0.1", 47311))
        conn, _ = srv.accept()
        cli.sendall(b"hello parallax")
        conn.recv(100)
        cli.close()
        conn.close()
        srv.close()
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        events = [json.loads(l) for l in out.splitlines()]
        flows = [e for e in events if e["event_type"] == "flow"]
        self.assertEqual(len(flows), 1)
        self.assertEqual(flows[0]["dest_port"], 47311)
        self.assertIn("handshake", flows[0]["tcp"])
        stats = events[-1]["stats"]
        self.assertEqual(stats["inputs"], ["lo"])
        self.assertIn("dropped", stats["capture"])

    def test_sigterm_flushes_and_exits_zero(self):
        proc = subprocess.Popen([BIN, "live", "-i", "lo", "-f", "udp port 47312",
                                 "--events", "flow,stats"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(1.5)
        import socket
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        for _ in range(3):
            s.sendto(b"x" * 10, ("127.0.0.1", 47312))
        s.close()
        time.sleep(0.5)
        proc.terminate()
        out, err = proc.communicate(timeout=30)
        self.assertEqual(proc.returncode, 0, err)
        events = [json.loads(l) for l in out.splitlines()]
        self.assertEqual(events[-1]["event_type"], "stats")
        self.assertEqual(sum(e["event_type"] == "flow" for e in events), 1)


if __name__ == "__main__":
    BIN, SCRATCH = sys.argv[1], sys.argv[2]
    os.makedirs(SCRATCH, exist_ok=True)
    unittest.main(argv=[sys.argv[0], "-v"])
