#!/usr/bin/python3
"""End-to-end and fault tests of `parallax run` (issue 6), on real components only.

The test makes its own network namespace with a veth pair, starts the daemon on one end (as
user `nobody`), replays the scenario captures with tcpreplay on the other, and checks the alerts
that reach a file sink, syslog over UDP and TCP (tests/sinks/receivers.py), an HTTP (Splunk HEC)
receiver and a Kafka broker (librdkafka's mock cluster, parallax-mock-kafka). All traffic stays
in the namespace.

  e2e      every sink receives every alert; alerts are schema-valid; the daemon runs as nobody
           with no capabilities; /metrics and /healthz answer; SIGTERM exits 0
  faults   the HTTP receiver is stopped mid-run: alerts spool; the daemon is killed with -9
           and restarted; the receiver comes back: every alert arrives. SIGHUP with a broken
           roster keeps the old one and the log says why; a good roster reloads; a policy added
           by SIGHUP suppresses a held finding, a broken policy is refused with its line.

tcpreplay replays at 5,000 packets/s, which squeezes hours into seconds and round trips into
microseconds: the timing detections (latency_inconsistent, off_hours) are then artefacts of
the replay and are accepted but not required; every other expected alert is required, and no
other kind may appear.

usage: daemon_e2e_test.py PARALLAX MOCK_KAFKA WORK_DIR   (exit 77 = skipped: not root / no netns)
"""

import datetime
import re
import json
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "scripts"))
import daemon_lab  # noqa: E402  (scripts/daemon_lab.py: namespace, daemon, replay)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PARALLAX, MOCK_KAFKA, WORK = (os.path.abspath(a) for a in sys.argv[1:4])
RECEIVERS = os.path.join(ROOT, "tests/sinks/receivers.py")
TIMING_KINDS = {"latency_inconsistent", "off_hours"}
LAB = None
TOKEN = "e2e-hec-token"
# The ThreadSanitizer run sets this: librdkafka, not built with TSan, crashes under TSan's runtime
# as soon as it starts its threads (so does librdkafka's own mock cluster), so that run covers
# every other sink; the Release and ASan runs cover Kafka.
SKIP_KAFKA = os.environ.get("PARALLAX_E2E_SKIP_KAFKA") == "1"
# At top speed a loaded 2-core machine overflows the kernel's per-CPU backlog between the veth
# ends (netdev_max_backlog) before the capture ever sees the packets; this rate keeps the test
# about the daemon. scripts/bench-live measures the top rate.
REPLAY_PPS = 5000


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


run = daemon_lab.run


def pcaps_of(scen):
    return sorted(os.path.join(scen, f) for f in os.listdir(scen) if f.endswith(".pcap"))


def skip_unless_possible():
    global LAB
    if os.geteuid() != 0:
        print("SKIP: needs root (network namespace, capture, privilege drop)")
        sys.exit(77)
    for tool in ("ip", "tcpreplay"):
        if not shutil.which(tool):
            print(f"SKIP: {tool} not installed (scripts/setup installs it)")
            sys.exit(77)
    try:
        LAB = daemon_lab.Namespace(f"pxe2e{os.getpid()}")
    except subprocess.CalledProcessError as e:
        print("SKIP: cannot create a network namespace here:", e.stderr.strip())
        sys.exit(77)


def make_scenarios():
    out = os.path.join(WORK, "scenarios")
    sessions = os.path.join(ROOT, "build/sessions")
    run(os.path.join(ROOT, "scripts/make-sessions"), sessions, cwd=ROOT)
    run(os.path.join(ROOT, "scripts/make-scenarios"), "--sessions", sessions, "--out", out, cwd=ROOT)
    expected = set()
    for line in open(os.path.join(out, "expected.tsv")):
        f = line.rstrip("\n").split("\t")
        if len(f) == 3 and not line.startswith(("#", "scenario")):
            expected.add((f[1], f[2]))
    return out, expected


def shifted_identity_events(scen, path):
    """The gateway log with its sign-ins moved to just before now, order kept: the replayed
    packets carry today's capture time, and a binding holds from its sign-in on."""
    start = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=30)
    with open(path, "w") as out:
        for i, line in enumerate(open(os.path.join(scen, "identity-events.jsonl"))):
            e = json.loads(line)
            e["timestamp"] = (start + datetime.timedelta(seconds=i)).strftime("%Y-%m-%dT%H:%M:%SZ")
            out.write(json.dumps(e) + "\n")


class Proc:
    """A process in the namespace whose first stdout line is awaited (receivers, mock kafka)."""

    def __init__(self, cmd, log):
        self.log = open(log, "w")
        self.p = subprocess.Popen(LAB.cmd(*cmd), stdout=subprocess.PIPE, stderr=self.log, text=True)
        self.first = self.p.stdout.readline().strip()
        if not self.first:
            fail(f"{cmd[0]} did not start; see {log}")

    def stop(self):
        if self.p.poll() is None:
            self.p.send_signal(signal.SIGTERM)
            self.p.wait(timeout=20)


def parse_ports(ready):  # "ready udp=1 tcp=2 http=3"
    return {k: int(v) for k, v in (w.split("=") for w in ready.split()[1:])}


def check_not_world_readable(*roots):
    """Files the daemon created (spools, alert store, sink output) give others nothing."""
    n = 0
    for root in roots:
        for dirpath, _, files in os.walk(root):
            for name in [None, *files]:
                p = dirpath if name is None else os.path.join(dirpath, name)
                st = os.stat(p)
                if st.st_uid != 65534:
                    continue  # made by the test, not the daemon
                if st.st_mode & 0o007:
                    fail(f"{p} is accessible to others: mode {oct(st.st_mode & 0o777)}")
                n += 1
    return n


def write_config(path, scen, state, sinks, roster=None, http_extra="", policy=None):
    lines = [
        "capture: {interfaces: [veth1]}",
        "workers: 2",
        "user: nobody",
        "group: nogroup",
        f"state_dir: {state}",
        f"roster: {roster or os.path.join(scen, 'roster.yaml')}",
        f"identity_events: {os.path.join(WORK, 'identity.jsonl')}",
    ] + ([f"policy: {policy}"] if policy else []) + [
        f"sensor_location: \"{open(os.path.join(scen, 'sensor.txt')).read().strip()}\"",
        "window_hours: 720",
        "evaluate_interval_s: 1",
        "stats_interval_s: 2",
        "flows: {tcp_timeout_s: 2, udp_timeout_s: 2, udp_new_timeout_s: 2, icmp_timeout_s: 2, other_timeout_s: 2}",
        f"geoip: {{city_db: [{scen}/geo/city.mmdb], asn_db: [{scen}/geo/asn.mmdb], lists: [{scen}/lists/networks.txt]}}",
        f"http: {{listen: \"127.0.0.1:0\"{http_extra}}}",
        "sinks:",
    ] + ["  - " + s for s in sinks]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")
    os.chmod(path, 0o644)


def alerts_in(path, key="line"):
    """(contractor, kind) -> ids, from a JSON-lines file of events."""
    found = {}
    if not os.path.exists(path):
        return found
    for line in open(path):
        line = line.strip()
        if not line:
            continue
        e = json.loads(line)
        if e.get("event_type") != "alert":
            continue
        p = e["parallax"]
        found.setdefault((p["contractor"]["id"], p["kind"]), set()).add(p["alert_id"])
    return found


def check_alert_set(name, found, expected):
    kinds = set(found)
    missing = {x for x in expected if x[1] not in TIMING_KINDS} - kinds
    extra = {x for x in kinds - expected if x[1] not in TIMING_KINDS}
    if missing or extra:
        fail(f"{name}: missing {sorted(missing)} extra {sorted(extra)}")
    print(f"  {name}: {len(kinds)} alert kinds per contractor, "
          f"{sum(len(v) for v in found.values())} alert ids")


def validate_schema(path):
    import jsonschema
    validator = jsonschema.Draft202012Validator(json.load(open(os.path.join(ROOT, "docs/alert.schema.json"))))
    n = 0
    for i, line in enumerate(open(path), 1):
        e = json.loads(line)
        if e.get("event_type") == "alert":
            errs = list(validator.iter_errors(e))
            if errs:
                fail(f"{path}:{i}: not schema-valid: {errs[0].message}")
            n += 1
    return n


def test_refuses_root(scen):
    """Started as root with no user to become, the daemon refuses unless allow_root is set."""
    d = os.path.join(WORK, "root")
    os.makedirs(d)
    cfg = os.path.join(d, "parallax.yaml")
    write_config(cfg, scen, os.path.join(d, "state"), ["{type: stdout}"])
    text = open(cfg).read().replace("user: nobody", "user: no-such-user-here")
    open(cfg, "w").write(text)
    r = subprocess.run(LAB.cmd(PARALLAX, "run", "--config", cfg), capture_output=True, text=True,
                       timeout=30)
    if r.returncode != 1 or "refusing to run on as root" not in r.stderr:
        fail(f"an unknown user must stop the daemon: exit {r.returncode}: {r.stderr[-500:]}")
    print("  root without a user to drop to: refused:", r.stderr.strip().splitlines()[-1][:120])


def test_e2e(scen, expected):
    print("e2e: file, syslog udp+tcp, http (HEC), kafka")
    d = os.path.join(WORK, "e2e")
    os.makedirs(d)
    os.chmod(d, 0o777)  # the daemon runs as nobody
    recv = Proc(["/usr/bin/python3", RECEIVERS, "--udp", "0", "--tcp", "0", "--http", "0",
                 "--http-token", TOKEN, "--out-dir", d], os.path.join(d, "receivers.log"))
    ports = parse_ports(recv.first)
    kafka = None
    if not SKIP_KAFKA:
        kafka = Proc([MOCK_KAFKA, "--topic", "parallax-alerts", "--out",
                      os.path.join(d, "kafka.jsonl"), "--keys", os.path.join(d, "kafka.keys")],
                     os.path.join(d, "kafka.log"))
        bootstrap = kafka.first.split("=", 1)[1]
    cfg = os.path.join(d, "parallax.yaml")
    write_config(cfg, scen, os.path.join(d, "state"), [
        f"{{name: eve, type: file, path: {d}/eve.json, events: [alert, fingerprint, stats]}}",
        f"{{name: syslog-udp, type: syslog, transport: udp, host: 127.0.0.1, port: {ports['udp']}}}",
        f"{{name: syslog-tcp, type: syslog, transport: tcp, host: 127.0.0.1, port: {ports['tcp']}}}",
        f"{{name: hec, type: http, url: 'http://127.0.0.1:{ports['http']}/services/collector/event', "
        f"format: hec, token: {TOKEN}, batch_linger_s: 0.2}}",
    ] + ([] if SKIP_KAFKA else [
        f"{{name: kafka, type: kafka, brokers: '{bootstrap}', topic: parallax-alerts}}"]))
    daemon = daemon_lab.Daemon(LAB, PARALLAX, cfg, os.path.join(d, "daemon.log"))
    creds = daemon.log_lines('"capture open"')[0]["credentials"]
    if (not creds.startswith("uid=65534 gid=65534 groups= ")
            or "CapEff=0000000000000000" not in creds or "CapBnd=0000000000000000" not in creds):
        fail(f"daemon did not drop privileges: {creds}")
    print("  credentials after start-up:", creds)
    sent, _ = LAB.replay(pcaps_of(scen), pps=REPLAY_PPS)
    counted = daemon.wait_counted(sent)
    daemon.wait_for("flows to end", lambda: daemon.metric("parallax_flows_live") == 0)
    daemon.wait_for("alerts", lambda: daemon.metric("parallax_alerts_total") > 0)
    metrics = daemon.http("/metrics")
    drops = daemon.metric("parallax_capture_dropped_total")
    print(f"  replayed {sent} packets; daemon counted {counted:.0f}, "
          f"capture drops {drops:.0f}")
    for family in ("parallax_fingerprints_total{kind=", "parallax_sink_spool_records{sink=\"hec\"}",
                   "parallax_process_resident_memory_bytes"):
        if family not in metrics:
            fail(f"/metrics lacks {family}")
    # Evidence retention: today's windows are held, nothing is late (the replay is live traffic).
    windows, late = daemon.metric("parallax_evidence_windows"), daemon.metric("parallax_late_flows_total")
    if not windows or late != 0:
        fail(f"evidence windows {windows}, late flows {late}: expected some windows, none late")
    print(f"  evidence windows held: {windows:.0f}, late flows: {late:.0f}")
    daemon.stop()
    time.sleep(0.5)
    recv.stop()
    if kafka:
        kafka.stop()
    want = alerts_in(f"{d}/eve.json")
    check_alert_set("file", want, expected)
    print(f"  {validate_schema(f'{d}/eve.json')} alert events schema-valid")
    ids = set().union(*want.values())
    for name in ("syslog-udp.jsonl", "syslog-tcp.jsonl", "http.jsonl") + (() if SKIP_KAFKA else ("kafka.jsonl",)):
        got = alerts_in(os.path.join(d, name))
        check_alert_set(name, got, expected)
        got_ids = set().union(*got.values())
        if got_ids != ids:
            fail(f"{name}: alert ids differ from the file sink's: {sorted(ids ^ got_ids)[:5]}")
    raw = open(f"{d}/syslog-tcp.raw").readline()
    if not re.match(r"<\d{1,3}>1 \d{4}-\d\d-\d\dT\S+Z \S+ parallax \d+ alert - \{", raw):
        fail(f"syslog-tcp.raw: not RFC 5424: {raw[:80]}")
    req = json.loads(open(f"{d}/http.requests").readline())
    if req["headers"].get("Authorization") != f"Splunk {TOKEN}":
        fail(f"HEC request without the token: {req}")
    n = check_not_world_readable(os.path.join(d, "state"), d)
    print(f"  {n} files and folders the daemon created (spools, alert store, eve.json): none "
          "world-accessible")
    if not SKIP_KAFKA and {l.strip() for l in open(f"{d}/kafka.keys")} != ids:
        fail("kafka message keys are not the alert ids")
    print("  every sink received every alert id; syslog is RFC 5424, HEC carries the token, "
          "kafka keys are alert ids")


def test_faults(scen, expected):
    print("faults: receiver down, kill -9, restart, SIGHUP")
    d = os.path.join(WORK, "faults")
    os.makedirs(d)
    os.chmod(d, 0o777)
    roster = os.path.join(d, "roster.yaml")
    shutil.copy(os.path.join(scen, "roster.yaml"), roster)
    os.chmod(roster, 0o644)
    port = LAB.free_port()
    url = f"http://127.0.0.1:{port}/services/collector/event"
    http_cmd = ["/usr/bin/python3", RECEIVERS, "--http", str(port), "--out-dir", d]
    cfg = os.path.join(d, "parallax.yaml")
    write_config(cfg, scen, os.path.join(d, "state"), [
        f"{{name: eve, type: file, path: {d}/eve.json}}",
        f"{{name: hec, type: http, url: '{url}', format: hec, batch_linger_s: 0.2, "
        "retry_initial_s: 0.2, retry_max_s: 1}",
    ], roster=roster, http_extra=f", bearer_token_file: {d}/metrics.token")
    with open(f"{d}/metrics.token", "w") as f:
        f.write("s3cret-metrics-token\n")
    os.chmod(f"{d}/metrics.token", 0o644)
    recv = Proc(http_cmd, os.path.join(d, "receiver1.log"))
    daemon = daemon_lab.Daemon(LAB, PARALLAX, cfg, os.path.join(d, "daemon.log"),
                               token="s3cret-metrics-token")
    for bad in ("", "wrong"):
        if not daemon.http("/metrics", token=bad).startswith("401"):
            fail(f"/metrics answered without the bearer token (token {bad!r})")
    if not daemon.http("/metrics", scheme="bEARER").startswith("# HELP"):
        fail("the Bearer scheme must be case-insensitive (RFC 7235)")
    print("  /metrics with a bearer token configured: 401 without it or with a wrong one; "
          "the scheme in any case")
    recv.stop()  # the receiver goes away mid-run
    sent, _ = LAB.replay(pcaps_of(scen), pps=REPLAY_PPS)
    daemon.wait_counted(sent)
    daemon.wait_for("flows to end", lambda: daemon.metric("parallax_flows_live") == 0)
    daemon.wait_for("alerts spooled for the absent receiver",
                    lambda: daemon.metric("parallax_sink_spool_records", 'sink="hec"') > 0 and
                    daemon.metric("parallax_sink_spool_records", 'sink="eve"') == 0)
    time.sleep(2.5)  # a few evaluation rounds: nothing left to raise
    spooled = daemon.metric("parallax_sink_spool_records", 'sink="hec"')
    retries = daemon.metric("parallax_sink_retries_total", 'sink="hec"')
    if daemon.metric("parallax_sink_up", 'sink="hec"') != 0 or retries == 0:
        fail("the http sink does not report the receiver down")
    health = daemon.http("/healthz")
    if not health.startswith("degraded: sink hec is down"):
        fail(f"/healthz does not say the hec sink is down: {health!r}")
    print("  /healthz while the receiver is down:", health.strip()[:100])
    daemon.kill()
    raised = set().union(*alerts_in(f"{d}/eve.json").values())
    print(f"  receiver down: {spooled:.0f} alerts spooled, {retries:.0f} retries; kill -9 with "
          f"{len(raised)} alert ids raised")

    daemon = daemon_lab.Daemon(LAB, PARALLAX, cfg, os.path.join(d, "daemon.log"),
                               token="s3cret-metrics-token")
    recv = Proc(http_cmd, os.path.join(d, "receiver2.log"))
    daemon.wait_for("the spool to drain",
                    lambda: daemon.metric("parallax_sink_spool_records", 'sink="hec"') == 0, 60)
    got = set().union(*alerts_in(f"{d}/http.jsonl").values())
    if not raised <= got:
        fail(f"alerts lost across kill -9: {sorted(raised - got)}")
    print(f"  after restart: all {len(raised)} alert ids delivered to the receiver "
          f"({sum(1 for _ in open(f'{d}/http.jsonl'))} deliveries incl. updates and repeats)")

    # SIGHUP with a broken roster: refused, old roster kept, the log says why.
    contractors = daemon.metric("parallax_roster_contractors")
    good = open(roster).read()
    with open(roster, "w") as f:
        f.write("contractors:\n  - id: c1\n    claimed_location: {latitude: 999}\n")
    daemon.p.send_signal(signal.SIGHUP)
    daemon.wait_for("the refused reload", lambda: daemon.metric("parallax_reload_failures_total") == 1)
    refused = daemon.log_lines("reload refused")
    if not refused or roster not in refused[-1]["error"]:
        fail("the log does not say why the reload was refused")
    print("  SIGHUP with a broken roster:", refused[-1]["error"].splitlines()[0])
    if daemon.metric("parallax_roster_contractors") != contractors or daemon.http("/healthz").strip() != "ok":
        fail("a refused reload changed the running roster or health")
    with open(roster, "w") as f:
        f.write(good)
    daemon.p.send_signal(signal.SIGHUP)
    daemon.wait_for("the reload", lambda: daemon.metric("parallax_reloads_total") == 1)
    print(f"  SIGHUP with the roster restored: reloaded, {contractors:.0f} contractors")

    # SIGHUP adding a policy (docs/policy.md) that suppresses one expected alert: the windows are
    # still held and evaluated every second, so the finding is counted as suppressed; then a broken
    # policy is refused with its line and the old one stays.
    contractor, kind = sorted(x for x in expected if x[1] not in TIMING_KINDS)[0]
    policy = os.path.join(d, "policy.yaml")
    with open(policy, "w") as f:
        f.write(f"suppressions:\n  - {{id: E2E-1, contractor: {contractor}, kind: {kind}, "
                "reason: e2e, who: daemon_e2e_test}\n")
    os.chmod(policy, 0o644)
    write_config(cfg, scen, os.path.join(d, "state"), [
        f"{{name: eve, type: file, path: {d}/eve.json}}",
        f"{{name: hec, type: http, url: '{url}', format: hec, batch_linger_s: 0.2, "
        "retry_initial_s: 0.2, retry_max_s: 1}",
    ], roster=roster, http_extra=f", bearer_token_file: {d}/metrics.token", policy=policy)
    daemon.p.send_signal(signal.SIGHUP)
    daemon.wait_for("the policy reload", lambda: daemon.metric("parallax_reloads_total") == 2)
    if daemon.metric("parallax_policy_rules", 'type="suppression"') != 1:
        fail("the reloaded policy's rule is not in parallax_policy_rules")
    daemon.wait_for("the suppressed finding",
                    lambda: daemon.metric("parallax_suppressed_findings_total") >= 1)
    if not daemon.log_lines("findings held back by the policy"):
        fail("the log does not say that findings were held back")
    print(f"  SIGHUP adding a policy: 1 rule, {contractor}/{kind} counted as suppressed")
    with open(policy, "w") as f:
        f.write("suppressions:\n  - kind: off_hour\n    reason: r\n    who: w\n")
    daemon.p.send_signal(signal.SIGHUP)
    daemon.wait_for("the refused policy reload",
                    lambda: daemon.metric("parallax_reload_failures_total") == 2)
    refused = daemon.log_lines("reload refused")
    if not refused or f"{policy}:2: suppressions[0].kind" not in refused[-1]["error"]:
        fail("the log does not name the broken policy's line")
    if daemon.metric("parallax_policy_rules", 'type="suppression"') != 1:
        fail("a refused policy reload changed the running policy")
    print("  SIGHUP with a broken policy:", refused[-1]["error"].splitlines()[-1].strip())
    daemon.stop()
    recv.stop()
    check_alert_set("http after faults", alerts_in(f"{d}/http.jsonl"), expected)


def main():
    skip_unless_possible()
    try:
        if os.path.exists(WORK):
            shutil.rmtree(WORK)
        os.makedirs(WORK)
        os.chmod(WORK, 0o755)
        scen, expected = make_scenarios()
        shifted_identity_events(scen, os.path.join(WORK, "identity.jsonl"))
        os.chmod(os.path.join(WORK, "identity.jsonl"), 0o644)
        which = sys.argv[4] if len(sys.argv) > 4 else "all"
        if which in ("all", "e2e"):
            test_refuses_root(scen)
            test_e2e(scen, expected)
        if which in ("all", "faults"):
            test_faults(scen, expected)
    except daemon_lab.LabError as e:
        fail(str(e))
    finally:
        LAB.delete()
    print("PASS")


if __name__ == "__main__":
    main()
