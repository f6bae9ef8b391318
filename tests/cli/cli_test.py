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


def dns_packets(times, client="192.0.2.1", answers=False, port_base=40000):
    """One DNS query (or its answer, server to client) per time; packet i uses port_base + i."""
    pkts = []
    for i, t in enumerate(times):
        q = DNS(rd=1, qd=DNSQR(qname=f"h{i}.example.com"))
        if answers:
            p = (Ether() / IP(src="198.51.100.1", dst=client) /
                 UDP(sport=53, dport=port_base + i) / DNS(id=q.id, qr=1, qd=q.qd))
        else:
            p = Ether() / IP(src=client, dst="198.51.100.1") / UDP(sport=port_base + i, dport=53) / q
        p.time = t
        pkts.append(p)
    return pkts


def events_of(stdout):
    return [json.loads(l) for l in stdout.splitlines()]


def stats_of(stdout):
    return [e for e in events_of(stdout) if e["event_type"] == "stats"][-1]["stats"]


def flows_of(stdout):
    return [l for l in stdout.splitlines() if json.loads(l)["event_type"] == "flow"]


class CliErrors(unittest.TestCase):
    def setUp(self):
        self.good = os.path.join(SCRATCH, "good.pcap")
        write_capture(self.good)

    def test_missing_file_is_named(self):
        # An input error (1), not a usage error (2): docs/cli.md, exit statuses.
        r = run("read", os.path.join(SCRATCH, "nope.pcap"))
        self.assertEqual(r.returncode, 1)
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

    def test_records_file_and_correlate_errors(self):
        records = os.path.join(SCRATCH, "good.records.jsonl")
        r = run("read", self.good, "--records", records, "--no-geoip", "--events", "stats")
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(records) as f:
            lines = f.read().splitlines()
        self.assertEqual(len(lines), 20)  # one record per flow, as the stats event counts them
        self.assertEqual(json.loads(r.stdout)["stats"]["flows"]["ended"], 20)
        first = json.loads(lines[0])
        self.assertEqual((first["record"], first["version"], first["proto"]), ("flow", 1, 17))
        roster = os.path.join(SCRATCH, "roster.csv")
        with open(roster, "w") as f:
            f.write("id,name,claimed_city,claimed_country,claimed_lat,claimed_lon,timezone,"
                    "device_ips\nc1,Ann,Dallas,US,32.78,-96.80,America/Chicago,192.0.2.1\n")
        r = run("correlate", records, "--roster", roster, "--no-geoip")
        self.assertEqual(r.returncode, 0, r.stderr)
        stats = json.loads(r.stdout.splitlines()[-1])["stats"]
        self.assertEqual((stats["records"], stats["attributed_flows"]), (20, 20))
        # A broken line: named by file and line; the records before it are still judged.
        bad = os.path.join(SCRATCH, "bad.records.jsonl")
        with open(bad, "w") as f:
            f.write("\n".join(lines[:3]) + "\n" + lines[3].replace('"proto":17', '"proto":"udp"')
                    + "\n" + lines[4] + "\n")
        r = run("correlate", bad, "--roster", roster, "--no-geoip")
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{bad}:4: proto: expected a non-negative integer", r.stderr)
        self.assertEqual(json.loads(r.stdout.splitlines()[-1])["stats"]["records"], 3)
        r = run("correlate", records)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--roster is required", r.stderr)
        r = run("correlate", os.path.join(SCRATCH, "nope.jsonl"), "--roster", roster)
        self.assertEqual(r.returncode, 2)
        self.assertIn("nope.jsonl: no such file", r.stderr)
        r = run("read", self.good, "--records", "/dev/full", "--no-geoip")
        self.assertEqual(r.returncode, 1)
        self.assertIn("/dev/full: write error", r.stderr)
        r = run("correlate", records, "--roster", roster, "--no-geoip", "-o", "/dev/full")
        self.assertEqual(r.returncode, 1)
        self.assertIn("parallax correlate: /dev/full: write error: No space left on device",
                      r.stderr)

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


class MultiFileInput(unittest.TestCase):
    """Several captures are read in packet-time order whatever the order they are named in."""

    def path(self, name):
        return os.path.join(SCRATCH, name)

    def test_reversed_order_gives_the_same_output_as_the_right_order(self):
        early, late, merged = self.path("early.pcap"), self.path("late.pcap"), self.path("el.pcap")
        a = dns_packets([1_700_000_000 + i for i in range(10)], port_base=41000)
        b = dns_packets([1_700_100_000 + i for i in range(10)], port_base=42000)
        wrpcap(early, a)
        wrpcap(late, b)
        wrpcap(merged, a + b)
        right = run("read", early, late, "--events", "flow,stats")
        reverse = run("read", late, early, "--events", "flow,stats")
        self.assertEqual(right.returncode, 0, right.stderr)
        self.assertEqual(reverse.returncode, 0, reverse.stderr)
        self.assertEqual(reverse.stdout, right.stdout)  # byte for byte, the stats event too
        self.assertEqual(reverse.stderr, "")
        stats = stats_of(reverse.stdout)
        self.assertNotIn("timestamp_backwards", stats["anomalies"])
        self.assertEqual([i["name"] for i in stats["inputs"]], [early, late])  # in packet time
        self.assertEqual([i["packets"] for i in stats["inputs"]], [10, 10])
        # The same flows as one file holding every packet in order.
        one = run("read", merged, "--events", "flow,stats")
        self.assertEqual(flows_of(reverse.stdout), flows_of(one.stdout))
        self.assertEqual(stats_of(reverse.stdout)["first_packet"],
                         stats_of(one.stdout)["first_packet"])

    def test_interleaved_overlapping_files_merge(self):
        # Two taps of the same conversations: one saw the queries, the other the answers.
        t0 = 1_700_000_000
        queries = dns_packets([t0 + i for i in range(10)])
        answers = dns_packets([t0 + i + 0.25 for i in range(10)], answers=True)
        q, r, both = self.path("queries.pcap"), self.path("answers.pcap"), self.path("qa.pcap")
        wrpcap(q, queries)
        wrpcap(r, answers)
        wrpcap(both, sorted(queries + answers, key=lambda p: p.time))
        for order in ((q, r), (r, q)):
            out = run("read", *order, "--events", "flow,stats")
            self.assertEqual(out.returncode, 0, out.stderr)
            flows = [json.loads(l) for l in flows_of(out.stdout)]
            self.assertEqual(len(flows), 10)
            for f in flows:  # the query opened each flow and its answer joined it
                self.assertEqual(f["dest_port"], 53)
                self.assertEqual((f["flow"]["pkts_toserver"], f["flow"]["pkts_toclient"]), (1, 1))
            self.assertEqual(flows_of(out.stdout), flows_of(run("read", both,
                                                                "--events", "flow").stdout))
            self.assertNotIn("timestamp_backwards", stats_of(out.stdout)["anomalies"])
            self.assertEqual(stats_of(out.stdout)["packets"], 20)

    def test_backwards_jump_inside_a_file_is_reported(self):
        t0 = 1_700_000_000
        times = [t0 + i for i in range(10)] + [t0 + 4.5 + i for i in range(5)]
        jump = self.path("jump.pcap")
        wrpcap(jump, dns_packets(times))
        other = self.path("other.pcap")
        wrpcap(other, dns_packets([t0 + 100 + i for i in range(3)], port_base=43000))
        r = run("read", other, jump, "--events", "stats")
        self.assertEqual(r.returncode, 0, r.stderr)  # visible, not an error
        # Packet 11 (t0+4.5) follows packet 10 (t0+9): 4.5 s back, said once for the file.
        self.assertEqual(r.stderr.count("timestamps go back"), 1, r.stderr)
        self.assertIn(f"parallax read: {jump}: timestamps go back 4.5 s at packet 11", r.stderr)
        stats = stats_of(r.stdout)
        self.assertGreaterEqual(stats["anomalies"]["timestamp_backwards"], 1)
        by_name = {i["name"]: i for i in stats["inputs"]}
        self.assertEqual(by_name[jump]["timestamps_backwards"], 1)
        self.assertNotIn("timestamps_backwards", by_name[other])
        self.assertEqual(stats["packets"], 18)

    def test_corrupt_file_in_the_middle_is_reported_and_the_others_are_read(self):
        t0 = 1_700_000_000
        first, middle, last = self.path("m1.pcap"), self.path("m2.pcap"), self.path("m3.pcap")
        wrpcap(first, dns_packets([t0 + i for i in range(10)], port_base=41000))
        wrpcap(middle, dns_packets([t0 + 5 + i for i in range(10)], port_base=42000))
        wrpcap(last, dns_packets([t0 + 20 + i for i in range(10)], port_base=43000))
        with open(middle, "rb") as f:
            data = bytearray(f.read())
        off = 24
        for _ in range(5):
            off += 16 + struct.unpack_from("<I", data, off + 8)[0]
        struct.pack_into("<II", data, off + 8, 0x7FFFFFF0, 0x7FFFFFF0)  # record 6: absurd caplen
        with open(middle, "wb") as f:
            f.write(data)
        r = run("read", last, middle, first, "--events", "flow,stats")
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"parallax read: {middle}: corrupt capture at packet 6", r.stderr)
        stats = stats_of(r.stdout)
        self.assertEqual(stats["packets"], 10 + 5 + 10)
        self.assertEqual([(i["name"], i["status"]) for i in stats["inputs"]],
                         [(first, "ok"), (middle, "failed"), (last, "ok")])
        self.assertIn("corrupt capture at packet 6", stats["inputs"][1]["error"])
        ports = {json.loads(l)["src_port"] for l in flows_of(r.stdout)}
        self.assertTrue({43000, 43009} <= ports)  # the file after it was read in full

    def test_an_input_that_cannot_be_opened_leaves_no_stats_event(self):
        good = self.path("good2.pcap")
        write_capture(good)
        bad = self.path("notes.pcap")
        with open(bad, "w") as f:
            f.write("this is not a capture\n")
        r = run("read", good, bad)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"parallax read: {bad}: cannot open capture", r.stderr)
        self.assertEqual(r.stdout, "")

    def test_dash_r_reads_like_a_positional_file(self):
        good = self.path("good3.pcap")
        write_capture(good)
        plain = run("read", good, "--events", "flow,stats")
        dash_r = run("read", "-r", good, "--events", "flow,stats")
        self.assertEqual(dash_r.returncode, 0, dash_r.stderr)
        self.assertEqual(dash_r.stdout, plain.stdout)
        self.assertEqual(stats_of(dash_r.stdout)["packets"], 20)

    def test_standard_input_is_one_source_among_the_others(self):
        t0 = 1_700_000_000
        a, b = self.path("s1.pcap"), self.path("s2.pcap")
        wrpcap(a, dns_packets([t0 + 2 * i for i in range(5)], port_base=41000))
        wrpcap(b, dns_packets([t0 + 2 * i + 1 for i in range(5)], port_base=42000))
        files = run("read", a, b, "--events", "flow")
        with open(b, "rb") as f:
            piped = subprocess.run([BIN, "read", "-", a, "--events", "flow"], stdin=f,
                                   capture_output=True, text=True, timeout=60)
        self.assertEqual(piped.returncode, 0, piped.stderr)
        self.assertEqual(piped.stdout, files.stdout)


class ExitStatuses(unittest.TestCase):
    """docs/cli.md: 0 done, 1 input, 2 usage, 3 --fail-on (tested with alerts in
    tests/scenarios/merge_order_test.py and tests/report/report_cli_test.py)."""

    def setUp(self):
        self.good = os.path.join(SCRATCH, "good.pcap")
        write_capture(self.good)

    def test_cli11_parse_errors_are_usage_errors(self):
        # CLI11 itself would exit 105-114 for these.
        for args in (["read", self.good, "--no-such-flag"], ["read", self.good, "--max-flows"],
                     ["read", self.good, "--max-flows", "many"], ["read"], [],
                     ["read", self.good, "--fail-on", "severe"]):
            r = run(*args)
            self.assertEqual(r.returncode, 2, (args, r.stderr))
            self.assertNotEqual(r.stderr, "")
        self.assertEqual(run("--help").returncode, 0)
        self.assertEqual(run("read", "--help").returncode, 0)
        self.assertEqual(run("--version").returncode, 0)

    def test_mistyped_command_gets_a_suggestion(self):
        r = run("raed", self.good)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command 'raed'; did you mean 'read'?", r.stderr)
        r = run("reprot")
        self.assertIn("did you mean 'report'?", r.stderr)
        r = run("frobnicate")
        self.assertEqual(r.returncode, 2)
        self.assertIn("unknown command 'frobnicate'", r.stderr)
        self.assertNotIn("did you mean", r.stderr)

    def test_fail_on_without_alerts_exits_zero(self):
        r = run("read", self.good, "--fail-on", "low", "--events", "stats")
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_input_error_before_the_sensor_location_warning(self):
        roster = os.path.join(SCRATCH, "roster.csv")
        with open(roster, "w") as f:
            f.write("id,name,claimed_city,claimed_country,claimed_lat,claimed_lon,timezone\n"
                    "c1,A,Austin,US,30.27,-97.74,America/Chicago\n")
        ok = run("read", self.good, "--roster", roster, "--no-geoip", "--events", "stats")
        self.assertEqual(ok.returncode, 0, ok.stderr)
        self.assertIn("no --sensor-location", ok.stderr)  # the warning exists...
        bad = run("read", os.path.join(SCRATCH, "nope.pcap"), "--roster", roster, "--no-geoip")
        self.assertEqual(bad.returncode, 1)
        # ...and does not bury the input error, which comes alone.
        self.assertIn("nope.pcap: no such file", bad.stderr)
        self.assertNotIn("no --sensor-location", bad.stderr)
        self.assertEqual(bad.stdout, "")


class HelpTexts(unittest.TestCase):
    def test_events_help_lists_every_value_the_parser_knows(self):
        err = run("read", "x.pcap", "--events", "nonsense").stderr
        known = err.split("(known: ")[1].split(")")[0].split(", ")
        self.assertIn("fingerprint", known)
        for cmd in ("read", "live"):
            help_text = " ".join(run(cmd, "--help").stdout.split())
            # The description, not the default value (which names some types too).
            listed = help_text.split("--events", 1)[1].split("comma-separated:", 1)[1]
            listed = [v.strip() for v in listed.split("(", 1)[0].split(",")]
            self.assertEqual(sorted(listed), sorted(known), cmd)

    def test_report_output_default_is_stated_truthfully(self):
        help_text = run("report", "--help").stdout
        line = [l for l in help_text.splitlines() if "--output" in l][0]
        self.assertNotIn("TEXT=-", line)  # no HTML goes to stdout unless -o - is given
        self.assertIn("without -o no HTML is written", " ".join(help_text.split()))


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
        self.assertEqual([i["name"] for i in stats["inputs"]], ["lo"])
        self.assertEqual(stats["inputs"][0]["status"], "ok")
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
