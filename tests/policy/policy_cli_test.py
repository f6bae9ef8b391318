#!/usr/bin/python3
"""The policy file end to end (docs/policy.md): `parallax read` on a scenario capture with a
policy that suppresses one of its expected alerts (absent from the output, counted in stats,
listed by --explain and in the report), a broken policy (non-zero exit naming file:line),
`parallax run --check` with a `policy:` setting, and `parallax policy check`.

usage: policy_cli_test.py PARALLAX_BINARY SCENARIO_DIR SCRATCH_DIR
The scenarios are composed into SCENARIO_DIR by scripts/make-scenarios first
(tests/scenarios/README.md: expected.tsv says which alerts each scenario raises).
"""
import collections
import json
import os
import shutil
import subprocess
import sys
import unittest

BIN = SCEN = SCRATCH = None


def run(*args):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=300)


def expected_alerts():
    """scenario -> sorted [(contractor, kind)] from expected.tsv."""
    out = collections.defaultdict(list)
    with open(os.path.join(SCEN, "expected.tsv"), encoding="utf-8") as f:
        for line in f:
            f = line.rstrip("\n").split("\t")
            if len(f) != 3 or line.startswith(("#", "scenario\t")):
                continue
            out[f[0]].append((f[1], f[2]))
    return {s: sorted(v) for s, v in out.items()}


def read_args(scenario, *extra):
    with open(os.path.join(SCEN, "sensor.txt"), encoding="utf-8") as f:
        sensor = f.read().strip()
    return ["read", os.path.join(SCEN, f"{scenario}.pcap"),
            "--roster", os.path.join(SCEN, "roster.yaml"),
            "--identity-events", os.path.join(SCEN, "identity-events.jsonl"),
            "--city-db", os.path.join(SCEN, "geo", "city.mmdb"),
            "--asn-db", os.path.join(SCEN, "geo", "asn.mmdb"),
            "--list", os.path.join(SCEN, "lists", "networks.txt"),
            "--sensor-location", sensor, *extra]


def events(stdout):
    return [json.loads(l) for l in stdout.splitlines() if l.strip()]


def alerts(evs):
    return sorted((e["parallax"]["contractor"]["id"], e["parallax"]["kind"])
                  for e in evs if e["event_type"] == "alert")


def write(name, text):
    path = os.path.join(SCRATCH, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


class PolicyOnScenario(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # The scenario with the most expected alerts: one is suppressed, the others must stay.
        exp = expected_alerts()
        cls.scenario = max(sorted(exp), key=lambda s: len(set(exp[s])))
        cls.expected = sorted(set(exp[cls.scenario]))
        if len(cls.expected) < 2:
            raise unittest.SkipTest("no scenario with two expected alerts")
        cls.target = cls.expected[0]
        contractor, kind = cls.target
        cls.policy = write("policy.yaml", f"""\
# suppresses {contractor}/{kind} of scenario {cls.scenario}
sanctioned_networks:
  - network: 192.0.2.0/24
    name: documentation range
suppressions:
  - id: TEST-1
    contractor: {contractor}
    kind: {kind}
    reason: accepted for the test
    who: policy_cli_test
""")

        # Without the policy: the alerts the suppression must hold back (one per window, and
        # the updates of each), and no "suppressed" count at all.
        r = run(*read_args(cls.scenario, "--events", "alert,stats"))
        if r.returncode != 0:
            raise AssertionError(r.stderr)
        cls.baseline = events(r.stdout)
        cls.target_events = [e for e in cls.baseline if e["event_type"] == "alert" and
                             (e["parallax"]["contractor"]["id"], e["parallax"]["kind"]) == cls.target]
        cls.target_ids = {e["parallax"]["alert_id"] for e in cls.target_events}

    def test_baseline_without_policy_raises_the_alert_and_has_no_suppressed_count(self):
        self.assertTrue(self.target_ids)
        self.assertEqual(sorted(set(alerts(self.baseline))), self.expected)
        self.assertNotIn("suppressed", self.baseline[-1]["stats"])

    def test_suppressed_alert_is_absent_counted_and_others_stay(self):
        r = run(*read_args(self.scenario, "--events", "alert,stats", "--policy", self.policy))
        self.assertEqual(r.returncode, 0, r.stderr)
        evs = events(r.stdout)
        got = set(alerts(evs))
        self.assertNotIn(self.target, got)
        self.assertEqual(got, set(self.expected) - {self.target})
        stats = evs[-1]
        self.assertEqual(stats["event_type"], "stats")
        # Counted as the alerts would have been emitted: once per finding and once per update.
        self.assertEqual(stats["stats"]["suppressed"], len(self.target_events))
        others = [e for e in self.baseline if e["event_type"] == "alert" and
                  e["parallax"]["alert_id"] not in self.target_ids]
        self.assertEqual(sorted(e["parallax"]["alert_id"] for e in evs if e["event_type"] == "alert"),
                         sorted(e["parallax"]["alert_id"] for e in others))
        self.assertEqual(stats["stats"]["alerts"], sum(e["event_type"] == "alert" for e in evs))

    def test_a_rule_by_network_and_a_sanctioned_network_act_on_the_addresses_alerts_name(self):
        # The astrill scenario's two alerts are both about its exit 104.194.216.21 (world.py's
        # operator list names 104.194.216.0/24 Astrill).
        base = run(*read_args("astrill", "--events", "alert"))
        self.assertEqual(base.returncode, 0, base.stderr)
        self.assertEqual(sorted(set(alerts(events(base.stdout)))),
                         [("c2", "anonymized_egress"), ("c2", "location_mismatch")])
        by_net = write("by_network.yaml", """suppressions:
  - id: NET-1
    networks: [104.194.216.0/24]
    reason: the test's accepted exit range
    who: policy_cli_test
""")
        r = run(*read_args("astrill", "--events", "alert,stats", "--policy", by_net))
        self.assertEqual(r.returncode, 0, r.stderr)
        evs = events(r.stdout)
        self.assertEqual(alerts(evs), [])
        self.assertGreaterEqual(evs[-1]["stats"]["suppressed"], 2)
        # A rule for another range holds nothing back.
        with open(by_net, encoding="utf-8") as f:
            other = write("other_network.yaml", f.read().replace("104.194.216.0/24",
                                                                 "198.51.100.0/24"))
        r = run(*read_args("astrill", "--events", "alert", "--policy", other))
        self.assertEqual(sorted(set(alerts(events(r.stdout)))),
                         [("c2", "anonymized_egress"), ("c2", "location_mismatch")])
        # Sanctioned (the company's own range): nothing to suppress, nothing raised.
        sanctioned = write("sanctioned.yaml", """\
sanctioned_networks:
  - network: 104.194.216.0/24
    name: corporate egress (for the test)
""")
        r = run(*read_args("astrill", "--events", "alert,stats", "--policy", sanctioned))
        self.assertEqual(r.returncode, 0, r.stderr)
        evs = events(r.stdout)
        self.assertEqual(alerts(evs), [])
        self.assertEqual(evs[-1]["stats"].get("suppressed", 0), 0)

    def test_explain_lists_the_suppressed_finding(self):
        r = run(*read_args(self.scenario, "--explain", "--policy", self.policy))
        self.assertEqual(r.returncode, 0, r.stderr)
        head, sep, tail = r.stdout.partition("\nsuppressed findings: ")
        self.assertTrue(sep, r.stdout)
        contractor, kind = self.target
        n = len(self.target_ids)
        self.assertTrue(tail.startswith(f"{n} (suppressed {len(self.target_events)} times;"), tail)
        lines = [l for l in tail.splitlines()[1:] if l.strip()]
        self.assertEqual(len(lines), n, tail)
        for line in lines:
            self.assertRegex(line, rf"^    {contractor} +\[(HIGH|MEDIUM|LOW)\] {kind} \(window "
                                   r"\d{4}-\d\d-\d\dT\d\d:\d\d\): rule TEST-1: "
                                   r"accepted for the test \(policy_cli_test\)$")
        # One line per window: the same finding on two days is two findings.
        self.assertEqual(len(set(lines)), n, tail)
        # The table above no longer names the suppressed kind for that contractor.
        row = [l for l in head.splitlines() if l.startswith(contractor + " ")]
        self.assertEqual(len(row), 1, head)
        self.assertNotIn(kind, row[0])

    def test_report_json_has_the_suppressed_section(self):
        out = os.path.join(SCRATCH, "report.json")
        args = read_args(self.scenario, "--policy", self.policy, "--json", out, "--no-progress")
        args[0] = "report"
        r = run(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        with open(out, encoding="utf-8") as f:
            rep = json.load(f)
        self.assertEqual(rep["policy"]["file"], self.policy)
        self.assertEqual(rep["policy"]["suppressed_total"], len(self.target_events))
        contractor, kind = self.target
        c = next(c for c in rep["contractors"] if c["id"] == contractor)
        self.assertEqual({s["id"] for s in c["suppressed"]}, self.target_ids)
        self.assertEqual({(s["kind"], s["rule"]["id"], s["rule"]["reason"], s["rule"]["who"])
                          for s in c["suppressed"]},
                         {(kind, "TEST-1", "accepted for the test", "policy_cli_test")})
        self.assertNotIn(kind, [a["kind"] for a in c["alerts"]])
        others = [c for c in rep["contractors"] if c["id"] != contractor]
        self.assertTrue(all(c["suppressed"] == [] for c in others))

    def test_report_page_shows_the_suppressed_findings(self):
        browser = next((shutil.which(b) for b in ("chromium", "chromium-browser") if shutil.which(b)),
                       None)
        root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
        assets = os.path.join(root, "data", "report")
        if not browser or not os.path.exists(os.path.join(assets, "d3-geo.min.js")):
            self.skipTest("Chromium or the map assets (scripts/fetch-report-assets) missing")
        page = os.path.join(SCRATCH, "report.html")
        args = read_args(self.scenario, "--policy", self.policy, "-o", page, "--assets", assets,
                         "--no-progress")
        args[0] = "report"
        r = run(*args)
        self.assertEqual(r.returncode, 0, r.stderr)
        dom = subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                              "--no-first-run", "--user-data-dir=" + os.path.join(SCRATCH, "prof"),
                              "--virtual-time-budget=10000", "--dump-dom",
                              "file://" + os.path.abspath(page)],
                             capture_output=True, text=True, timeout=300)
        self.assertEqual(dom.returncode, 0, dom.stderr[-2000:])
        contractor, kind = self.target
        n = len(self.target_ids)
        self.assertIn('data-rendered="true"', dom.stdout)
        self.assertIn(f'id="suppressed-{contractor}"', dom.stdout)
        self.assertIn(f"Suppressed findings ({n})", dom.stdout)
        self.assertEqual(dom.stdout.count('class="alert suppressed-finding"'), n)
        self.assertIn("Suppressed: accepted for the test", dom.stdout)

    def test_broken_policy_is_fatal_and_names_every_problem_with_its_line(self):
        bad = write("bad-policy.yaml", """\
suppressions:
  - kind: colocated_dekstop
    reason: typo in the kind
    who: x
  - contractor: c1
    expires: not a time
    reason: r
""")
        r = run(*read_args(self.scenario, "--events", "alert", "--policy", bad))
        self.assertEqual(r.returncode, 1)  # an input error (docs/cli.md)
        self.assertEqual(r.stdout, "")
        self.assertIn(f"{bad}: policy has 3 problem(s)", r.stderr)
        self.assertIn(f"{bad}:2: suppressions[0].kind: unknown alert kind 'colocated_dekstop'",
                      r.stderr)
        self.assertIn(f"{bad}:6: suppressions[1].expires: not an RFC 3339 time", r.stderr)
        self.assertIn(f"{bad}:5: suppressions[1].who: missing", r.stderr)

    def test_daemon_run_check_validates_the_policy(self):
        def config(policy):
            return write("parallax.yaml", f"""\
capture: {{interfaces: [lo]}}
user: nobody
roster: {os.path.join(SCEN, "roster.yaml")}
policy: {policy}
sinks:
  - type: stdout
""")
        r = run("run", "--config", config(self.policy), "--check")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("policy: 1 sanctioned network(s), 1 suppression(s))", r.stdout)
        bad = write("bad-daemon-policy.yaml", "suppressions:\n  - kind: off_hours\n    who: w\n")
        r = run("run", "--config", config(bad), "--check")
        self.assertEqual(r.returncode, 1)
        self.assertIn(f"{bad}:2: suppressions[0].reason: missing", r.stderr)

    def test_a_rule_for_a_contractor_not_in_the_roster_is_said(self):
        typo = write("typo.yaml", "suppressions:\n  - {contractor: c2, kind: off_hours, reason: r, "
                                  "who: w}\n  - {contractor: c99, kind: off_hours, reason: r, who: w}\n")
        want = (f"{typo}:3: suppressions[1].contractor: 'c99' is not in the roster: the rule "
                "never applies")
        r = run("policy", "check", typo, "--roster", os.path.join(SCEN, "roster.yaml"))
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stderr.splitlines(), [want, "parallax policy check: 1 problem"])
        r = run("policy", "check", typo)  # without a roster nothing can be said
        self.assertEqual(r.returncode, 0, r.stderr)
        r = run(*read_args(self.scenario, "--events", "stats", "--policy", typo))
        self.assertEqual(r.returncode, 0, r.stderr)  # read only warns
        self.assertIn(f"parallax: warning: {want}\n", r.stderr)

    def test_policy_needs_a_roster(self):
        r = run("read", os.path.join(SCEN, f"{self.scenario}.pcap"), "--policy", self.policy)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--policy needs --roster", r.stderr)


class PolicyCheck(unittest.TestCase):
    def test_good_file_lists_rules_and_marks_expired_ones(self):
        path = write("check.yaml", """\
sanctioned_networks:
  - {network: AS16509, name: our AWS, reason: build farm}
suppressions:
  - {id: OLD, kind: off_hours, expires: 2020-01-01T00:00:00Z, reason: r, who: w}
  - {contractor: c2, networks: 203.0.113.0/24, expires: 2999-01-01T00:00:00Z, reason: r2, who: w2}
""")
        r = run("policy", "check", path)
        self.assertEqual(r.returncode, 0, r.stderr)
        lines = r.stdout.splitlines()
        self.assertEqual(lines[0], "sanctioned AS16509: our AWS (build farm)")
        self.assertEqual(lines[1], "suppression OLD: contractor any, kind off_hours, any address; "
                                   "EXPIRED 2020-01-01T00:00:00.000000+0000 (no longer applies); "
                                   "r (w)")
        self.assertTrue(lines[2].startswith("suppression line 5: contractor c2, kind any, "
                                            "203.0.113.0/24; until 2999-01-01T"), lines[2])
        self.assertEqual(lines[3], f"{path}: 1 sanctioned networks, 2 suppressions (1 expired)")

    def test_bad_file_exits_1_with_every_problem(self):
        path = write("check-bad.yaml", "suppressions:\n  - kind: off_hours\n    reason: r\n"
                                       "sanctioned_networks:\n  - {network: 10.0.0.1/8, name: x}\n")
        r = run("policy", "check", path)
        self.assertEqual(r.returncode, 1)
        self.assertEqual(r.stdout, "")
        err = r.stderr.splitlines()
        self.assertEqual(err[0], f"{path}:2: suppressions[0].who: missing: the analyst or ticket "
                                 "that decided")
        self.assertTrue(err[1].startswith(f"{path}:5: sanctioned_networks[0].network: "
                                          "'10.0.0.1/8' has host bits set"), err[1])
        self.assertEqual(err[2], "parallax policy check: 2 problems")

    def test_the_sample_policy_is_valid(self):
        here = os.path.dirname(os.path.abspath(__file__))
        r = run("policy", "check", os.path.join(here, "..", "..", "config", "policy.yaml"))
        self.assertEqual(r.returncode, 0, r.stderr)
        # The sample's rule expires on 2027-01-31: either wording, never a failure for the date.
        line = next(l for l in r.stdout.splitlines() if l.startswith("suppression SEC-1234: "))
        self.assertRegex(line, r"^suppression SEC-1234: contractor c9, kind colocated_desktop, "
                               r"203\.0\.113\.0/24, AS64500; (until|EXPIRED) 2027-01-31T00:00:00")


if __name__ == "__main__":
    BIN, SCEN, SCRATCH = (os.path.abspath(a) for a in sys.argv[1:4])
    # Composed afresh, as the scenario suite does (the sessions are reused when up to date).
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    made = subprocess.run([os.path.join(root, "scripts", "make-scenarios"), "--out", SCEN],
                          cwd=root, capture_output=True, text=True)
    if made.returncode != 0:
        sys.exit(f"scripts/make-scenarios failed:\n{made.stderr}")
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH)
    unittest.main(argv=sys.argv[:1], verbosity=2)
