#!/usr/bin/python3
"""`parallax run --check` refuses what `parallax run` refuses (the shipped unit runs the check as
ExecStartPre), names every problem, and changes nothing.

Each broken configuration below is a good one with one thing wrong. --check must exit 1 with the
expected message; `run` itself must refuse the same configuration (exit 1 or 2, at once: a
start-up failure no longer waits for the sinks). Then one configuration with many problems gets
them all, each on its own line, and the good configuration passes --check, leaving nothing
behind in the state folder.

The state folder cases also cover the symbolic-link refusal of the daemon's start-up as root
(tests/daemon/privileges_test.cpp tests the function): `run` must refuse a `spool` that is a
symbolic link and the link's target must keep its owner.

usage: run_check_test.py PARALLAX WORK_DIR   (exit 77 = skipped: needs root, user nobody, lo)
"""
import os
import pwd
import re
import shutil
import subprocess
import sys
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(ROOT, "tests/roster/data")
BIN = WORK = None


def run(*args):
    # The timeout only guards against a daemon that starts (the bug): it is not an assertion.
    try:
        return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired as e:
        raise AssertionError(f"{args}: still running after 60 s (it started)") from e


class RunCheck(unittest.TestCase):
    def setUp(self):
        self.dir = os.path.join(WORK, self.id().rsplit(".", 1)[-1])
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        os.chmod(self.dir, 0o755)  # the service user reads its files from here
        self.token = self.write("token", "s3cret\n")
        self.policy = self.write("policy.yaml",
                                 "sanctioned_networks:\n  - {network: 192.0.2.0/24, name: office}\n")
        self.state = os.path.join(self.dir, "state")
        self.out = os.path.join(self.dir, "out")  # the file sink's folder, the service user's
        os.makedirs(self.out)
        os.chown(self.out, 65534, 65534)

    def write(self, name, text, mode=0o644):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, mode)
        return path

    def settings(self):
        return {
            "capture": "{interfaces: [lo], bpf: 'ip or ip6'}",
            "user": "nobody",
            "state_dir": self.state,
            "roster": os.path.join(DATA, "good.yaml"),
            "identity_events": os.path.join(DATA, "identity_events.jsonl"),
            "policy": self.policy,
            "sensor_location": '"30.27,-97.74"',
            "geoip": "{disabled: true}",
            "http": f'{{listen: "127.0.0.1:0", bearer_token_file: {self.token}}}',
            "sinks": "\n  - {type: stdout}\n  - {type: file, path: " +
                     os.path.join(self.out, "eve.json") + "}",
        }

    def config(self, name="parallax.yaml", **changes):
        s = self.settings()
        s.update(changes)
        return self.write(name, "".join(f"{k}: {v}\n" for k, v in s.items() if v is not None))

    def test_good_configuration_passes_and_changes_nothing(self):
        r = run("run", "--check", "-c", self.config())
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("configuration is valid", r.stdout)
        self.assertIn("roster: 4 contractor(s)", r.stdout)
        self.assertIn("policy: 1 sanctioned network(s), 0 suppression(s))", r.stdout)
        self.assertFalse(os.path.exists(self.state))  # no folder, spool or store made
        self.assertFalse(os.path.exists(os.path.join(self.out, "eve.json")))

    def test_each_broken_configuration_fails_check_and_run(self):
        missing = os.path.join(self.dir, "missing")
        with open(os.path.join(DATA, "good.yaml")) as f:
            unreadable = self.write("roster-0600.yaml", f.read(), mode=0o600)
        spool_target = os.path.join(self.dir, "elsewhere")
        link_state = os.path.join(self.dir, "linked-state")
        os.makedirs(spool_target)
        os.makedirs(link_state)
        os.chown(link_state, 65534, 65534)
        os.symlink(spool_target, os.path.join(link_state, "spool"))
        cases = [
            ("roster missing", {"roster": missing + ".yaml"},
             f"{missing}.yaml: cannot open"),
            ("roster malformed", {"roster": os.path.join(DATA, "bad.yaml")},
             f"{DATA}/bad.yaml:2: contractors[0].id: required"),
            ("identity events missing", {"identity_events": missing + ".jsonl"},
             f"{missing}.jsonl: cannot open"),
            ("identity events malformed",
             {"identity_events": os.path.join(DATA, "identity_events_bad.jsonl")},
             f"{DATA}/identity_events_bad.jsonl:3: timestamp: required"),
            ("policy malformed", {"policy": self.write("bad-policy.yaml", "suppressions:\n  - kind: off_hours\n    who: w\n")},
             "bad-policy.yaml:2: suppressions[0].reason: missing"),
            ("sensor location out of range", {"sensor_location": '"91,200"'},
             "sensor_location: expected LAT,LON in degrees, got '91,200'"),
            ("sensor location NaN", {"sensor_location": '"nan,nan"'},
             "sensor_location: expected LAT,LON in degrees, got 'nan,nan'"),
            ("invalid BPF", {"capture": "{interfaces: [lo], bpf: 'port and and'}"},
             "capture.bpf: lo: invalid BPF filter 'port and and'"),
            ("no such interface", {"capture": "{interfaces: [nosuchif0]}"},
             "nosuchif0: cannot start capture: no such interface"),
            ("no such user", {"user": "no-such-user-here"},
             "user 'no-such-user-here' does not exist"),
            ("no such group", {"group": "no-such-group-here"},
             "group 'no-such-group-here' does not exist"),
            ("bearer token file missing",
             {"http": f'{{listen: "127.0.0.1:0", bearer_token_file: {missing}}}'},
             f"{missing}: cannot read the bearer token"),
            ("listen address", {"http": '{listen: "notahost:99999"}'},
             "http.listen: bad port in 'notahost:99999'"),
            ("listen host name", {"http": '{listen: "notahost:9109"}'},
             "http.listen: bad address 'notahost'"),
            ("ftp sink URL", {"sinks": "\n  - {type: http, url: 'ftp://siem.example/in'}"},
             "url ftp://siem.example/in: must start with http:// or https://"),
            ("GeoIP database missing", {"geoip": f"{{city_db: [{missing}.mmdb]}}"},
             f"{missing}.mmdb"),
            ("TLS CA file missing",
             {"sinks": f"\n  - {{type: syslog, host: 127.0.0.1, port: 6514, transport: tcp, "
                       f"tls: {{enabled: true, ca_file: {missing}.pem}}}}"},
             f"{missing}.pem"),
            ("file sink folder missing",
             {"sinks": f"\n  - {{type: file, path: {missing}/eve.json}}"},
             f"{missing}/eve.json"),
            ("roster the service user cannot read", {"roster": unreadable},
             f"{unreadable}: user nobody cannot read it (roster)"),
            ("spool a symbolic link", {"state_dir": link_state},
             f"{link_state}/spool: is a symbolic link"),
        ]
        for name, changes, expect in cases:
            with self.subTest(name):
                cfg = self.config(name.replace(" ", "-") + ".yaml", **changes)
                r = run("run", "--check", "-c", cfg)
                self.assertEqual(r.returncode, 1, f"{name}: {r.stderr}")
                self.assertIn(expect, r.stderr, name)
                # One thing is wrong: one problem, except in files that are wrong throughout.
                count = "1" if "malformed" not in name else ""
                self.assertRegex(r.stderr, "parallax run --check: " + re.escape(cfg) + ": " +
                                 (count or r"\d+") + r" problem\(s\)\n$", name)
                r = run("run", "-c", cfg)
                self.assertIn(r.returncode, (1, 2), f"{name}: run must refuse it too: {r.stderr}")
        self.assertEqual(os.stat(spool_target).st_uid, 0)  # the link's target was not handed over

    @unittest.skipUnless(shutil.which("capsh"), "needs capsh (libcap2-bin)")
    def test_without_cap_setpcap_the_bounding_set_cannot_be_emptied(self):
        # An older unit file's CapabilityBoundingSet= without CAP_SETPCAP: both refuse, saying so.
        cfg = self.config()
        for args, expect in ((["run", "--check", "-c", cfg], "no CAP_SETPCAP"),
                             (["run", "-c", cfg], "it takes CAP_SETPCAP")):
            r = subprocess.run(["capsh", "--drop=cap_setpcap", "--", "-c",
                                " ".join([BIN, *args])], capture_output=True, text=True,
                               timeout=60)
            self.assertEqual(r.returncode, 1, r.stderr)
            self.assertIn(expect, r.stderr)

    def test_every_problem_is_reported(self):
        missing = os.path.join(self.dir, "missing")
        cfg = self.config(roster=missing + ".yaml", sensor_location='"91,200"',
                          capture="{interfaces: [nosuchif0], bpf: 'port and and'}",
                          user="no-such-user-here",
                          sinks="\n  - {type: http, url: 'ftp://siem.example/in'}")
        r = run("run", "--check", "-c", cfg)
        self.assertEqual(r.returncode, 1)
        lines = r.stderr.splitlines()
        for expect in ("does not exist", "nosuchif0: cannot start capture",
                       "invalid BPF filter", f"{missing}.yaml: cannot open", "got '91,200'",
                       "must start with http://"):
            self.assertEqual(sum(expect in l for l in lines), 1, (expect, r.stderr))
        self.assertEqual(lines[-1], f"parallax run --check: {cfg}: 6 problem(s)")

    def test_configuration_problems_are_all_listed_with_their_lines(self):
        cfg = self.write("typos.yaml", "capture: {interfaces: [lo]}\nworkrs: 4\nworkers: many\n"
                                       "window_hours: .nan\nsinks:\n  - type: stdout\n")
        r = run("run", "--check", "-c", cfg)
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{cfg}:2:1: unknown setting 'workrs'", r.stderr)
        self.assertIn(f"{cfg}:3:10: workers: cannot read 'many' as an integer", r.stderr)
        self.assertIn(f"{cfg}:4:15: window_hours: must be between 1 and 720", r.stderr)
        self.assertIn(f"{cfg}: 3 problem(s) in the configuration", r.stderr)


def main():
    global BIN, WORK
    BIN, WORK = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    if os.geteuid() != 0:
        print("SKIP: needs root (run drops to nobody; --check then checks as nobody)")
        return 77
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        print("SKIP: no user nobody")
        return 77
    os.makedirs(WORK, exist_ok=True)
    os.chmod(WORK, 0o755)
    prog = unittest.main(argv=[sys.argv[0], "-v"], exit=False)
    return 0 if prog.result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
