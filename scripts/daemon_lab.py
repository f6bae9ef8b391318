"""A lab for running `parallax run` on real interfaces without touching the host's network: a
network namespace with a veth pair (veth0 is where tcpreplay writes, veth1 where the daemon
captures), and helpers to start the daemon in it, read its /metrics and replay captures.
Used by tests/daemon/daemon_e2e_test.py and scripts/bench-live. Needs root. Standard library only.
"""

import json
import os
import signal
import subprocess
import time


class LabError(Exception):
    pass


def run(*cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


class Namespace:
    def __init__(self, name):
        self.name = name
        run("ip", "netns", "add", name)  # raises CalledProcessError where namespaces are denied
        # No IPv6 chatter (neighbour discovery, MLD) on the captured link: the daemon then sees
        # exactly the packets tcpreplay sent, and a count can prove there was no loss.
        for key in ("all", "default"):
            run(*self.cmd("sysctl", "-q", "-w", f"net.ipv6.conf.{key}.disable_ipv6=1"))
        run("ip", "-n", name, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1")
        # glibc's getaddrinfo (AI_ADDRCONFIG, as librdkafka uses it) refuses IPv4 names in a
        # namespace whose only IPv4 address is loopback's: a /32 on the replay side (no route,
        # so nothing is ever sent from it onto the captured link).
        run("ip", "-n", name, "addr", "add", "192.0.2.1/32", "dev", "veth0")
        for link in ("lo", "veth0", "veth1"):
            run("ip", "-n", name, "link", "set", link, "up")

    def cmd(self, *argv):
        return ["ip", "netns", "exec", self.name, *argv]

    def delete(self):
        pids = subprocess.run(["ip", "netns", "pids", self.name], capture_output=True,
                              text=True).stdout.split()
        for p in pids:
            try:
                os.kill(int(p), signal.SIGKILL)
            except OSError:
                pass
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)

    def replay(self, pcaps, pps=None, loop=1, limit=None):
        """tcpreplay onto veth0, at top speed or `pps`, at most `limit` packets; returns
        (packets sent, seconds)."""
        rate = ["--pps", str(pps)] if pps else ["-t"]
        if limit:
            rate += ["--limit", str(limit)]
        out = run(*self.cmd("tcpreplay", *rate, "--loop", str(loop), "-i", "veth0", *pcaps)).stdout
        sent, secs = 0, 0.0
        for line in out.splitlines():
            w = line.split()
            if w and w[0] == "Actual:":
                sent = int(w[1])
                secs = float(w[w.index("seconds") - 1].lstrip("(")) if "seconds" in w else 0.0
        return sent, secs

    def free_port(self):
        return int(run(*self.cmd("/usr/bin/python3", "-c",
                                 "import socket;s=socket.socket();s.bind(('127.0.0.1',0));"
                                 "print(s.getsockname()[1])")).stdout)


class Daemon:
    """`parallax run --config CONFIG` in the namespace; its log is JSON lines in `log`."""

    def __init__(self, ns, parallax, config, log, token=None):
        self.ns = ns
        self.token = token  # sent as "Authorization: Bearer <token>" when set
        self.log_path = log
        self.log = open(log, "a")
        self.p = subprocess.Popen(ns.cmd(parallax, "run", "--config", config), stdout=self.log,
                                  stderr=self.log)
        self.port = None
        self.wait_healthy()

    def log_lines(self, text):
        return [json.loads(l) for l in open(self.log_path) if text in l and l.startswith("{")]

    def http(self, path, token=None, scheme="Bearer"):
        token = token if token is not None else self.token
        headers = {"Authorization": f"{scheme} {token}"} if token else {}
        script = ("import urllib.request,sys\n"
                  "try:\n"
                  f" q=urllib.request.Request('http://127.0.0.1:{self.port}{path}',headers={headers!r})\n"
                  " r=urllib.request.urlopen(q,timeout=5)\n"
                  " sys.stdout.write(r.read().decode())\n"
                  "except urllib.error.HTTPError as e:\n"
                  " sys.stdout.write(str(e.code)+' '+e.read().decode())\n")
        return subprocess.run(self.ns.cmd("/usr/bin/python3", "-c", script), capture_output=True,
                              text=True).stdout

    def metric(self, name, label=""):
        """Sum of the samples of `name` whose line contains `label`."""
        total = 0.0
        for line in self.http("/metrics").splitlines():
            if (line.startswith(name + " ") or line.startswith(name + "{")) and label in line:
                total += float(line.rsplit(" ", 1)[1])
        return total

    def wait_healthy(self):
        for _ in range(100):
            if self.p.poll() is not None:
                raise LabError(f"daemon exited with {self.p.returncode} at start; log:\n"
                               + open(self.log_path).read())
            for e in self.log_lines('"serving /metrics'):
                self.port = int(e["port"])
            # A sink already down at start (its receiver not up yet) makes it "degraded: ...".
            health = self.http("/healthz").strip() if self.port else ""
            if health == "ok" or health.startswith("degraded: "):
                return
            time.sleep(0.2)
        raise LabError("daemon not healthy within 20 s")

    def wait_for(self, what, pred, timeout=60):
        end = time.time() + timeout
        while time.time() < end:
            if pred():
                return
            if self.p.poll() is not None:
                raise LabError(f"daemon died while waiting for {what}")
            time.sleep(0.3)
        raise LabError(f"timed out waiting for {what}; log {self.log_path}")

    def settled_count(self, expected, baseline=0.0, quiet_s=1.5, timeout=120):
        """The daemon's packet count above `baseline` once it reaches `expected` or stops
        growing for `quiet_s` (what is missing then is lost)."""
        last, since = -1.0, time.time()
        end = time.time() + timeout
        while time.time() < end:
            n = self.metric("parallax_packets_total") - baseline
            if n >= expected or (n == last and time.time() - since > quiet_s):
                return n
            if n != last:
                last, since = n, time.time()
            time.sleep(0.2)
        return last

    def wait_counted(self, sent, tolerance=0.01):
        """Waits for the replayed packets to be counted; returns the count. Fails when fewer than
        (1 - tolerance) of `sent` arrived: on a loaded machine the kernel may drop a few packets
        between the veth ends (netdev backlog) before any capture sees them."""
        n = self.settled_count(sent, quiet_s=2)
        if n < (1 - tolerance) * sent:
            raise LabError(f"only {n:.0f} of {sent} replayed packets reached the daemon")
        return n

    def stop(self):
        self.p.send_signal(signal.SIGTERM)
        rc = self.p.wait(timeout=60)
        if rc != 0:
            raise LabError(f"daemon exited {rc} after SIGTERM; log {self.log_path}")

    def kill(self):
        self.p.send_signal(signal.SIGKILL)
        self.p.wait()
