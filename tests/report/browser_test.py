#!/usr/bin/python3
"""Browser test of the forensics report: headless Chromium opens the report of the whole scenario
suite (six captures read in time order, as one investigation) from file:// with no network.

usage: browser_test.py PARALLAX SCENARIO_DIR WORK_DIR SCREENSHOT_PNG [ASSETS_DIR]

Passes when the page logs nothing to the console (no console.error, no uncaught exception, no
blocked request: the page is silent by design, so any console line counts), the page finished
(body data-rendered="true"), every section of every contractor seen rendered, and, for the
laptop-farm contractor (c4), the map drew countries, points and great-circle lines, the timeline
drew a remote-desktop bar, the heatmap its cells, the RTT plot its samples and both floors, and
the flow table its rows; the first flow table filters and sorts (the page's #selftest). Writes a screenshot of the top of the page (summary and c4) for review.
Exits 77 (ctest SKIP) with a message when Chromium is not installed or the map assets were not
fetched: then nothing was tested. Stdlib only.
"""
import html.parser
import json
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from report_golden import ensure_scenarios  # noqa: E402

SUITE = ["honest", "astrill", "kraken", "laptop_farm", "shared_home", "off_hours"]  # time order
SECTIONS = ["map", "timeline", "heatmap", "rtt", "flows"]


class Dom(html.parser.HTMLParser):
    """Collects the attributes of elements with an id, the body's, and failure notes."""

    def __init__(self):
        super().__init__()
        self.by_id = {}
        self.body = {}
        self.errors = 0
        self.contractor_order = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "body":
            self.body = a
        if "id" in a:
            self.by_id[a["id"]] = a
        if a.get("class") == "error":
            self.errors += 1
        if tag == "section" and "data-contractor" in a:
            self.contractor_order.append(a["data-contractor"])


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def main():
    parallax, d, work, screenshot = sys.argv[1:5]
    browser = chromium()
    if not browser:
        print("SKIP: Chromium is not installed (Debian package 'chromium', scripts/deps.txt); "
              "the browser test did not run")
        return 77
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    assets = sys.argv[5] if len(sys.argv) > 5 else os.path.join(root, "data", "report")
    if not os.path.exists(os.path.join(assets, "d3-geo.min.js")):
        print(f"SKIP: map assets not found in {assets} (run scripts/fetch-report-assets); "
              "the browser test did not run")
        return 77
    ensure_scenarios(d)
    os.makedirs(work, exist_ok=True)
    with open(os.path.join(d, "sensor.txt"), encoding="utf-8") as f:
        sensor = f.read().strip()
    page = os.path.join(work, "suite.html")
    cmd = [parallax, "report", *[os.path.join(d, f"{s}.pcap") for s in SUITE],
           "--roster", os.path.join(d, "roster.yaml"),
           "--identity-events", os.path.join(d, "identity-events.jsonl"),
           "--city-db", os.path.join(d, "geo", "city.mmdb"),
           "--asn-db", os.path.join(d, "geo", "asn.mmdb"),
           "--list", os.path.join(d, "lists", "networks.txt"),
           "--sensor-location", sensor, "--assets", assets, "-o", page,
           "--json", os.path.join(work, "suite.json")]
    r = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if r.returncode != 0:
        print(f"FAIL: parallax report exited {r.returncode}:\n{r.stderr}")
        return 1
    url = "file://" + os.path.abspath(page)
    # --no-sandbox: the test may run as root in a container, where Chromium's sandbox cannot
    # start; the page is our own. A private profile keeps runs independent.
    profile = os.path.join(work, "chromium-profile")
    base = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--user-data-dir=" + profile, "--virtual-time-budget=10000", "--hide-scrollbars"]
    dom_run = subprocess.run(base + ["--enable-logging=stderr", "--v=0", "--dump-dom", url],
                             capture_output=True, text=True, timeout=300, check=False)
    if dom_run.returncode != 0 or not dom_run.stdout.strip():
        print(f"FAIL: chromium --dump-dom exited {dom_run.returncode}:\n{dom_run.stderr[-2000:]}")
        return 1
    # The flow table as an analyst uses it: filter, then sort both ways (report.js #selftest).
    self_run = subprocess.run(base + ["--dump-dom", url + "#selftest"], capture_output=True,
                              text=True, timeout=300, check=False)
    shot = subprocess.run(base + ["--window-size=1300,3600", "--screenshot=" + os.path.abspath(screenshot), url],
                          capture_output=True, text=True, timeout=300, check=False)

    fails = []

    def expect(cond, what):
        print(("ok   " if cond else "FAIL ") + what)
        if not cond:
            fails.append(what)

    console = [l for l in dom_run.stderr.splitlines() if ":CONSOLE" in l or "Uncaught" in l]
    expect(not console, "no console messages: " + ("; ".join(console[:5]) or "none"))
    dom = Dom()
    dom.feed(dom_run.stdout)
    expect(dom.body.get("data-rendered") == "true", "page script finished (body data-rendered)")
    expect(dom.errors == 0, f"no section reported a rendering failure ({dom.errors})")
    with open(os.path.join(work, "suite.json"), encoding="utf-8") as f:
        data = json.load(f)
    want = [c["id"] for c in data["contractors"] if c["seen"]]
    expect(dom.contractor_order == want and "c4" in want,
           f"sections in the report's order, most suspicious first: {dom.contractor_order}")
    for c in dom.contractor_order:
        for s in SECTIONS:
            a = dom.by_id.get(f"{s}-{c}", {})
            expect(a.get("data-rendered") == "true", f"{c}: {s} rendered")
    g = lambda s, k: int(dom.by_id.get(f"{s}-c4", {}).get(k, "0"))  # noqa: E731
    expect(g("map", "data-countries") >= 100, f"c4 map: countries drawn ({g('map', 'data-countries')})")
    expect(g("map", "data-points") >= 3, f"c4 map: claimed, egress and controller points ({g('map', 'data-points')})")
    expect(g("map", "data-lines") >= 2, f"c4 map: great-circle lines ({g('map', 'data-lines')})")
    expect(g("timeline", "data-bars") >= 3 and g("timeline", "data-remote-bars") >= 1,
           f"c4 timeline: bars ({g('timeline', 'data-bars')}) including remote-desktop ones "
           f"({g('timeline', 'data-remote-bars')})")
    expect(g("heatmap", "data-cells") >= 24, f"c4 heatmap: cells ({g('heatmap', 'data-cells')})")
    expect(g("rtt", "data-points") >= 1 and g("rtt", "data-floors") >= 2,
           f"c4 RTT plot: samples ({g('rtt', 'data-points')}) and claimed/egress floors ({g('rtt', 'data-floors')})")
    expect(g("flows", "data-rows") >= 1, f"c4 flow table: rows ({g('flows', 'data-rows')})")
    expect(dom.by_id.get("heatmap-c7", {}).get("data-best-offset") == "+09:00",
           "off-hours contractor (c7): heatmap marks the best-fitting offset UTC+09:00")
    st = Dom()
    st.feed(self_run.stdout)
    expect(st.body.get("data-selftest") == "pass",
           f"flow table filters and sorts: {st.body.get('data-selftest')} "
           f"({st.body.get('data-selftest-detail')})")
    ok_shot = shot.returncode == 0 and os.path.exists(screenshot) and os.path.getsize(screenshot) > 10000
    expect(ok_shot, f"screenshot written to {screenshot}")
    print(f"report: {page}\nscreenshot: {screenshot}\n{len(fails)} failure(s)")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
