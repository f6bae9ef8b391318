// Parallax forensics report: draws the embedded report data (docs/report.md) with plain SVG; the
// map uses the embedded d3-geo and topojson-client. Nothing is fetched: the page works from
// file:// with no network. Each drawn section carries data-rendered="true" and counts of what
// it drew (the browser test reads them from the DOM).
(function () {
  "use strict";
  var SVGNS = "http://www.w3.org/2000/svg";
  var report = JSON.parse(document.getElementById("report-data").textContent);
  var worldEl = document.getElementById("world-data");
  var mapMissing = document.body.getAttribute("data-map-missing") || "";
  var world = null;
  try {
    world = worldEl ? JSON.parse(worldEl.textContent) : null;
  } catch (e) {
    mapMissing = "Map not available: the embedded map data is unreadable (" + e + ").";
  }
  var KIND_COLOR = {
    claimed: "var(--claimed)", egress: "var(--egress)", vpn_exit: "var(--vpn)",
    hosted_egress: "var(--hosted)", remote_peer: "var(--peer)", relay: "var(--relay)",
    colocated_host: "var(--colo)"
  };
  var KIND_LABEL = {
    claimed: "claimed location", egress: "egress", vpn_exit: "VPN exit",
    hosted_egress: "hosted egress (datacenter)", remote_peer: "remote-control peer",
    relay: "remote-control relay", colocated_host: "colocated desktop"
  };
  var LANE_LABEL = { vpn: "VPN", remote_desktop: "remote desktop", ordinary: "ordinary" };
  var LANE_COLOR = { vpn: "#6a1b9a", remote_desktop: "#c62828", ordinary: "#607d8b" };

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVGNS, tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function titled(node, text) { node.appendChild(svg("title", {}, text)); return node; }
  function pad2(n) { return (n < 10 ? "0" : "") + n; }
  function utc(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + "-" + pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate()) +
      " " + pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes()) + ":" + pad2(d.getUTCSeconds());
  }
  function fmtBytes(b) {
    var u = ["B", "kB", "MB", "GB", "TB"], i = 0;
    while (b >= 1000 && i < u.length - 1) { b /= 1000; i++; }
    return (i ? b.toFixed(1) : String(b)) + " " + u[i];
  }
  function fmtKm(km) { return Math.round(km).toLocaleString("en-US") + " km"; }
  function hhmm(min) { return pad2(Math.floor(min / 60) % 24) + ":" + pad2(min % 60); }
  function panel(parent, cls, id, title) {
    var p = el("section", { "class": "panel " + cls, id: id });
    p.appendChild(el("h3", {}, title));
    parent.appendChild(p);
    return p;
  }
  function guarded(p, fn) {
    try {
      fn();
    } catch (e) {
      p.setAttribute("data-rendered", "false");
      p.appendChild(el("p", { "class": "error" }, "This section failed to render: " + e));
      console.error("parallax report: " + p.id + ": " + e);
    }
  }

  // ---- header and summary -------------------------------------------------------------------
  function renderHeader(main) {
    var cap = report.capture;
    var meta = document.getElementById("meta");
    meta.textContent = report.inputs.join(", ") + " \u2014 " + cap.packets.toLocaleString("en-US") +
      " packets, " + fmtBytes(cap.bytes) + ", " + utc(cap.first_ms) + " to " + utc(cap.last_ms) +
      " UTC, " + cap.attributed_flows + " flows attributed to contractors" +
      (report.generated_at ? "; generated " + report.generated_at : "");
    if (mapMissing) main.appendChild(el("p", { "class": "banner", id: "map-missing" }, mapMissing));
    var s = el("section", { "class": "panel", id: "summary" });
    s.appendChild(el("h3", {}, "Contractors, most suspicious first"));
    var t = el("table");
    var hr = el("tr");
    ["verdict", "contractor", "claims", "findings", "flows"].forEach(function (h) { hr.appendChild(el("th", {}, h)); });
    t.appendChild(hr);
    report.contractors.forEach(function (c) {
      var tr = el("tr", c.seen ? {} : { "class": "unseen" });
      var v = el("td"); v.appendChild(el("span", { "class": "sev sev-" + c.verdict }, c.verdict));
      tr.appendChild(v);
      var name = el("td");
      if (c.seen) name.appendChild(el("a", { href: "#c-" + c.id }, c.name + " (" + c.id + ")"));
      else name.textContent = c.name + " (" + c.id + "): not seen";
      tr.appendChild(name);
      tr.appendChild(el("td", {}, c.claimed + " \u00b7 " + c.time_zone));
      tr.appendChild(el("td", {}, c.alerts.map(function (a) { return a.kind; }).join(", ") || "\u2014"));
      tr.appendChild(el("td", { "class": "num" }, c.flows.length));
      t.appendChild(tr);
    });
    s.appendChild(t);
    main.appendChild(s);
  }

  // ---- alerts --------------------------------------------------------------------------------
  function renderAlerts(sec, c) {
    var box = el("div", { "class": "alerts", id: "alerts-" + c.id });
    c.alerts.forEach(function (a) {
      var d = el("div", { "class": "alert s" + a.severity, "data-kind": a.kind });
      var sevName = ["", "HIGH", "MEDIUM", "LOW"][a.severity] || "none";
      d.appendChild(el("span", { "class": "sev sev-" + sevName }, sevName));
      d.appendChild(document.createTextNode(" "));
      d.appendChild(el("span", { "class": "kind" }, a.kind));
      d.appendChild(el("span", { "class": "mono" }, "score " + a.score + " \u00b7 " + a.first_seen + " \u2192 " + a.last_seen));
      d.appendChild(el("p", {}, a.explanation));
      var mitre = (a.mitre || []).map(function (m) { return m.id + " " + m.name; }).join("; ");
      if (mitre) d.appendChild(el("p", { "class": "note" }, "MITRE ATT&CK: " + mitre));
      var det = el("details");
      det.appendChild(el("summary", {}, "evidence (" + a.flows_behind + " flows behind this finding)"));
      det.appendChild(el("pre", {}, JSON.stringify({ claimed: a.claimed, observed: a.observed, evidence: a.evidence }, null, 2)));
      d.appendChild(det);
      box.appendChild(d);
    });
    sec.appendChild(box);
    // Findings the SOC's policy suppressed (docs/policy.md): listed, not alerted.
    if (c.suppressed && c.suppressed.length) {
      var sup = el("div", { "class": "suppressed", id: "suppressed-" + c.id });
      sup.appendChild(el("h3", {}, "Suppressed findings (" + c.suppressed.length + ")"));
      c.suppressed.forEach(function (s) {
        var sevName = ["", "HIGH", "MEDIUM", "LOW"][s.severity] || "none";
        var d = el("div", { "class": "alert suppressed-finding", "data-kind": s.kind });
        d.appendChild(el("span", { "class": "sev" }, sevName));
        d.appendChild(document.createTextNode(" "));
        d.appendChild(el("span", { "class": "kind" }, s.kind));
        d.appendChild(el("span", { "class": "mono" }, "rule " + s.rule.id + " \u00b7 " + s.rule.who));
        d.appendChild(el("p", {}, s.explanation));
        d.appendChild(el("p", { "class": "note" }, "Suppressed: " + s.rule.reason));
        sup.appendChild(d);
      });
      sec.appendChild(sup);
    }
  }

  // ---- map -----------------------------------------------------------------------------------
  function renderMap(sec, c) {
    var p = panel(sec, "map", "map-" + c.id, "Map: claimed location and what was observed");
    var places = c.map.places;
    var claimed = places[0];
    var located = places.filter(function (x) { return x.latitude !== undefined && x.longitude !== undefined; });
    guarded(p, function () {
      if (!world || typeof d3 === "undefined" || typeof topojson === "undefined") {
        p.setAttribute("data-rendered", "false");
        p.appendChild(el("p", { "class": "note" }, "Map not drawn: " + (mapMissing || "map data not embedded") + " Distances are listed below."));
      } else {
        var W = 960, H = 500;
        var s = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H, role: "img" });
        var proj = d3.geoNaturalEarth1().fitExtent([[8, 8], [W - 8, H - 8]], { type: "Sphere" });
        var path = d3.geoPath(proj);
        s.appendChild(svg("path", { "class": "sphere", d: path({ type: "Sphere" }) }));
        s.appendChild(svg("path", { "class": "grid", fill: "none", d: path(d3.geoGraticule10()) }));
        var land = topojson.feature(world, world.objects.countries);
        var g = svg("g", { "class": "countries" });
        var nPaths = 0;
        land.features.forEach(function (f) {
          var d = path(f);
          if (!d) return;
          g.appendChild(titled(svg("path", { "class": "land", d: d }), (f.properties && f.properties.name) || ""));
          nPaths++;
        });
        s.appendChild(g);
        var nLines = 0, nPoints = 0;
        var hasClaimed = claimed.latitude !== undefined;
        if (hasClaimed) {
          located.forEach(function (x) {
            if (x.kind === "claimed") return;
            var a = [claimed.longitude, claimed.latitude], b = [x.longitude, x.latitude];
            var line = svg("path", { "class": "link", stroke: KIND_COLOR[x.kind], d: path({ type: "LineString", coordinates: [a, b] }) || "" });
            s.appendChild(titled(line, claimed.label + " \u2192 " + x.label + ": " + fmtKm(x.distance_from_claimed_km || 0)));
            nLines++;
            var mid = proj(d3.geoInterpolate(a, b)(0.5));
            if (mid && x.distance_from_claimed_km > 1) {
              s.appendChild(svg("text", { x: mid[0] + 4, y: mid[1] - 4, "font-weight": "600" }, fmtKm(x.distance_from_claimed_km)));
            }
          });
        }
        located.slice().reverse().forEach(function (x) {
          var xy = proj([x.longitude, x.latitude]);
          if (!xy) return;
          var r = x.kind === "claimed" ? 7 : 5;
          var dot = svg("circle", { cx: xy[0], cy: xy[1], r: r, fill: x.kind === "claimed" ? "#fff" : KIND_COLOR[x.kind],
            stroke: KIND_COLOR[x.kind], "stroke-width": x.kind === "claimed" ? 3 : 1.5, "data-kind": x.kind });
          s.appendChild(titled(dot, KIND_LABEL[x.kind] + ": " + x.label + (x.ip ? " (" + x.ip + ")" : "")));
          s.appendChild(svg("text", { x: xy[0] + 8, y: xy[1] + (x.kind === "claimed" ? 14 : -8) }, x.label + (x.kind === "claimed" ? " (claimed)" : "")));
          nPoints++;
        });
        p.appendChild(s);
        p.setAttribute("data-rendered", "true");
        p.setAttribute("data-countries", nPaths);
        p.setAttribute("data-lines", nLines);
        p.setAttribute("data-points", nPoints);
      }
      var legend = el("div", { "class": "legend" });
      Object.keys(KIND_LABEL).forEach(function (k) {
        if (!places.some(function (x) { return x.kind === k; })) return;
        var sp = el("span"); var i = el("i"); i.style.background = KIND_COLOR[k];
        sp.appendChild(i); sp.appendChild(document.createTextNode(KIND_LABEL[k])); legend.appendChild(sp);
      });
      p.appendChild(legend);
      var t = el("table", { "class": "places" });
      var hr = el("tr");
      ["what", "place", "address", "network", "from claimed place", "from sensor", "seen by"].forEach(function (h) { hr.appendChild(el("th", {}, h)); });
      t.appendChild(hr);
      places.forEach(function (x) {
        var tr = el("tr");
        tr.appendChild(el("td", {}, KIND_LABEL[x.kind] || x.kind));
        tr.appendChild(el("td", {}, x.label + (x.accuracy_radius_km ? " (\u00b1" + x.accuracy_radius_km + " km)" : "")));
        tr.appendChild(el("td", { "class": "mono" }, x.ip || ""));
        tr.appendChild(el("td", {}, [x.network_type, x.provider, x.asn ? "AS" + x.asn : "", x.organisation].filter(Boolean).join(" \u00b7 ")));
        tr.appendChild(el("td", { "class": "num" }, x.distance_from_claimed_km !== undefined ? fmtKm(x.distance_from_claimed_km) : ""));
        tr.appendChild(el("td", { "class": "num" }, x.distance_from_sensor_km !== undefined ? fmtKm(x.distance_from_sensor_km) : ""));
        tr.appendChild(el("td", {}, x.how));
        t.appendChild(tr);
      });
      p.appendChild(t);
    });
  }

  // ---- timeline ------------------------------------------------------------------------------
  function timeTicks(t0, t1, maxTicks) {
    var M = 60000, Hr = 60 * M, D = 24 * Hr;
    var steps = [M, 5 * M, 15 * M, 30 * M, Hr, 3 * Hr, 6 * Hr, 12 * Hr, D, 2 * D, 7 * D, 14 * D, 28 * D];
    var step = steps[steps.length - 1];
    for (var i = 0; i < steps.length; i++) { if ((t1 - t0) / steps[i] <= maxTicks) { step = steps[i]; break; } }
    var out = [];
    for (var t = Math.ceil(t0 / step) * step; t <= t1; t += step) out.push(t);
    return { ticks: out, step: step };
  }
  function renderTimeline(sec, c) {
    var p = panel(sec, "timeline", "timeline-" + c.id, "Timeline of sessions (UTC)");
    guarded(p, function () {
      var ss = c.timeline.sessions;
      if (!ss.length) { p.appendChild(el("p", { "class": "note" }, "No attributed session.")); p.setAttribute("data-rendered", "true"); p.setAttribute("data-bars", 0); return; }
      var rows = [], rowOf = {};
      ["remote_desktop", "vpn", "ordinary"].forEach(function (lane) {
        ss.forEach(function (s) {
          if (s.lane !== lane) return;
          var key = lane + "|" + s.label;
          if (rowOf[key] === undefined) { rowOf[key] = rows.length; rows.push({ lane: lane, label: s.label }); }
        });
      });
      var t0 = Math.min.apply(null, ss.map(function (s) { return s.start_ms; }));
      var t1 = Math.max.apply(null, ss.map(function (s) { return s.end_ms; }));
      var span = Math.max(t1 - t0, 60000);
      t0 -= span * 0.02; t1 += span * 0.02;
      var L = 330, W = 960, R = 16, rowH = 26, top = 10, H = top + rows.length * rowH + 34;
      var x = function (t) { return L + (t - t0) / (t1 - t0) * (W - L - R); };
      var s = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H });
      var tk = timeTicks(t0, t1, 8);
      tk.ticks.forEach(function (t) {
        s.appendChild(svg("line", { "class": "grid", x1: x(t), x2: x(t), y1: top, y2: H - 28, stroke: "#e3e7ed" }));
        var d = new Date(t);
        var label = tk.step >= 86400000 ? d.getUTCFullYear() + "-" + pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate())
          : pad2(d.getUTCMonth() + 1) + "-" + pad2(d.getUTCDate()) + " " + pad2(d.getUTCHours()) + ":" + pad2(d.getUTCMinutes());
        s.appendChild(svg("text", { x: x(t), y: H - 12, "text-anchor": "middle" }, label));
      });
      rows.forEach(function (r, i) {
        var y = top + i * rowH;
        if (i % 2 === 0) s.appendChild(svg("rect", { x: 0, y: y, width: W, height: rowH, fill: "#f7f9fb" }));
        var name = LANE_LABEL[r.lane] + ": " + r.label;
        s.appendChild(titled(svg("text", { x: 6, y: y + rowH / 2 + 4, fill: LANE_COLOR[r.lane] }, name.length > 54 ? name.slice(0, 53) + "\u2026" : name), name));
      });
      var bars = 0;
      ss.forEach(function (ses) {
        var i = rowOf[ses.lane + "|" + ses.label];
        var x0 = x(ses.start_ms), w = Math.max(3, x(ses.end_ms) - x0);
        var b = svg("rect", { "class": "bar", x: x0, y: top + i * rowH + 5, width: w, height: rowH - 10, rx: 2,
          fill: LANE_COLOR[ses.lane], "fill-opacity": 0.85, "data-lane": ses.lane });
        s.appendChild(titled(b, LANE_LABEL[ses.lane] + ": " + ses.label + "\n" + utc(ses.start_ms) + " \u2192 " + utc(ses.end_ms) +
          " UTC\n" + ses.flows + " flows, " + fmtBytes(ses.bytes)));
        bars++;
      });
      // Where a remote-control session overlaps other work, shade the overlap across every row.
      ss.filter(function (a) { return a.lane === "remote_desktop"; }).forEach(function (a) {
        s.appendChild(svg("rect", { x: x(a.start_ms), y: top, width: Math.max(1, x(a.end_ms) - x(a.start_ms)),
          height: rows.length * rowH, fill: "#c62828", "fill-opacity": 0.08, "pointer-events": "none" }));
      });
      s.appendChild(svg("line", { x1: L, x2: L, y1: top, y2: H - 28, stroke: "#8b95a3" }));
      p.appendChild(s);
      p.appendChild(el("p", { "class": "note" }, "Each bar joins flows of one kind less than 10 minutes apart; bars are at least 3 px wide. Red shading marks remote-control sessions across all rows."));
      p.setAttribute("data-rendered", "true");
      p.setAttribute("data-bars", bars);
      p.setAttribute("data-remote-bars", ss.filter(function (x) { return x.lane === "remote_desktop"; }).length);
      p.setAttribute("data-rows", rows.length);
    });
  }

  // ---- heatmap -------------------------------------------------------------------------------
  function renderHeatmap(sec, c) {
    var h = c.heatmap;
    var p = panel(sec, "heatmap", "heatmap-" + c.id, "Activity by hour, claimed local time (" + h.time_zone + ")");
    guarded(p, function () {
      if (!h.events) { p.appendChild(el("p", { "class": "note" }, "No activity (no flow started by the contractor's side).")); p.setAttribute("data-rendered", "true"); p.setAttribute("data-cells", 0); return; }
      var days = h.days, L = 110, top = 30, cw = 32, ch = 18, W = L + 24 * cw + 20, H = top + days.length * ch + 58;
      var s = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H });
      var max = 1;
      days.forEach(function (d) { d.hours.forEach(function (n) { if (n > max) max = n; }); });
      for (var hr = 0; hr < 24; hr++) s.appendChild(svg("text", { x: L + hr * cw + cw / 2, y: top - 8, "text-anchor": "middle" }, pad2(hr)));
      var cells = 0;
      days.forEach(function (d, i) {
        var y = top + i * ch;
        s.appendChild(svg("text", { x: 4, y: y + ch - 5 }, d.weekday + " " + d.date));
        d.hours.forEach(function (n, hr) {
          var t = n / max;
          var fill = n ? "rgb(" + Math.round(255 - 75 * t) + "," + Math.round(224 - 200 * t) + "," + Math.round(178 - 150 * t) + ")" : "#f1f3f6";
          s.appendChild(titled(svg("rect", { "class": "cell", x: L + hr * cw + 1, y: y + 1, width: cw - 2, height: ch - 2, fill: fill }),
            d.weekday + " " + d.date + " " + pad2(hr) + ":00: " + n + " flow starts"));
          cells++;
        });
      });
      var gridH = days.length * ch;
      function band(startMin, endMin, attrs) {
        var spans = startMin <= endMin ? [[startMin, endMin]] : [[startMin, 1440], [0, endMin]];
        spans.forEach(function (sp) {
          var a = { x: L + sp[0] / 60 * cw, y: top - 2, width: (sp[1] - sp[0]) / 60 * cw, height: gridH + 4, fill: "none" };
          for (var k in attrs) a[k] = attrs[k];
          s.appendChild(svg("rect", a));
        });
      }
      var wh = h.working_hours;
      band(wh.start_minute, wh.end_minute, { stroke: "#1565c0", "stroke-width": 2, "class": "claimed-hours" });
      var bb = h.best_band_claimed_clock;
      if (h.best_utc_offset !== h.claimed_utc_offset) {
        band(bb.start_minute, bb.end_minute, { stroke: "#ef6c00", "stroke-width": 2.5, "stroke-dasharray": "6 3", "class": "best-fit" });
      }
      var ly = top + gridH + 22;
      s.appendChild(svg("rect", { x: L, y: ly - 10, width: 14, height: 10, fill: "none", stroke: "#1565c0", "stroke-width": 2 }));
      s.appendChild(svg("text", { x: L + 20, y: ly }, "claimed hours " + hhmm(wh.start_minute) + "\u2013" + hhmm(wh.end_minute) + " (UTC" + h.claimed_utc_offset + "): " + Math.round(h.claimed_share * 100) + "% of activity"));
      s.appendChild(svg("rect", { x: L, y: ly + 8, width: 14, height: 10, fill: "none", stroke: "#ef6c00", "stroke-width": 2.5, "stroke-dasharray": "4 2" }));
      s.appendChild(svg("text", { x: L + 20, y: ly + 18, "class": "best-fit-label" }, "best fit UTC" + h.best_utc_offset + " (e.g. " + h.best_zone_examples + "): same hours there = " + hhmm(bb.start_minute) + "\u2013" + hhmm(bb.end_minute) + " here, " + Math.round(h.best_share * 100) + "%"));
      p.appendChild(s);
      p.appendChild(el("p", { "class": "note" }, h.events + " flow starts by the contractor's side; claimed offset from " + h.offset_source +
        (h.days_omitted ? "; " + h.days_omitted + " earlier active days not shown" : "") + ". Best fit: the whole-hour UTC offset whose working hours hold the most activity (the off_hours detection's measure)."));
      p.setAttribute("data-rendered", "true");
      p.setAttribute("data-cells", cells);
      p.setAttribute("data-best-offset", h.best_utc_offset);
    });
  }

  // ---- RTT against distance ------------------------------------------------------------------
  function renderRtt(sec, c) {
    var r = c.rtt;
    var p = panel(sec, "rtt", "rtt-" + c.id, "Handshake RTT against distance from the sensor");
    guarded(p, function () {
      if (!r.available) { p.appendChild(el("p", { "class": "note" }, r.note)); p.setAttribute("data-rendered", "true"); p.setAttribute("data-points", 0); return; }
      var xs = [r.claimed_distance_km || 0], ys = [r.claimed_floor_ms || 0];
      r.egress.forEach(function (e) { if (e.distance_km !== undefined) { xs.push(e.distance_km); ys.push(e.floor_ms); } });
      r.samples.forEach(function (s0) { ys.push(s0.rtt_ms); });
      var xMax = Math.max(500, Math.max.apply(null, xs) * 1.25), yMax = Math.max(5, Math.max.apply(null, ys) * 1.25);
      var L = 56, B = 40, T = 12, R = 16, W = 960, H = 380;
      var X = function (v) { return L + v / xMax * (W - L - R); }, Y = function (v) { return H - B - v / yMax * (H - B - T); };
      var s = svg("svg", { viewBox: "0 0 " + W + " " + H, width: W, height: H });
      function niceStep(max) { var raw = max / 6, p10 = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p10; return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p10; }
      var xs0 = niceStep(xMax), ys0 = niceStep(yMax);
      for (var v = 0; v <= xMax; v += xs0) { s.appendChild(svg("line", { x1: X(v), x2: X(v), y1: T, y2: H - B, stroke: "#eef1f5" })); s.appendChild(svg("text", { x: X(v), y: H - B + 14, "text-anchor": "middle" }, Math.round(v))); }
      for (var w = 0; w <= yMax; w += ys0) { s.appendChild(svg("line", { x1: L, x2: W - R, y1: Y(w), y2: Y(w), stroke: "#eef1f5" })); s.appendChild(svg("text", { x: L - 6, y: Y(w) + 4, "text-anchor": "end" }, +w.toFixed(1))); }
      s.appendChild(svg("text", { x: (L + W) / 2, y: H - 6, "text-anchor": "middle" }, "great-circle distance from the sensor (km)"));
      s.appendChild(svg("text", { x: 12, y: H / 2, transform: "rotate(-90 12 " + H / 2 + ")", "text-anchor": "middle" }, "RTT (ms)"));
      // Speed of light in fibre: 100 km per ms of round trip on a straight path (stretch 1).
      s.appendChild(titled(svg("line", { "class": "floor", x1: X(0), y1: Y(0), x2: X(Math.min(xMax, yMax * 100)), y2: Y(Math.min(xMax, yMax * 100) / 100), stroke: "#37474f", "stroke-width": 2 }), "speed-of-light floor in fibre: distance / 100 km per ms"));
      s.appendChild(svg("line", { x1: X(0), y1: Y(0), x2: X(Math.min(xMax, yMax * 100 / 1.5)), y2: Y(Math.min(xMax, yMax * 100 / 1.5) * 1.5 / 100), stroke: "#90a4ae", "stroke-dasharray": "5 4" }));
      s.appendChild(svg("text", { x: X(Math.min(xMax, yMax * 100) * 0.7), y: Y(Math.min(xMax, yMax * 100) * 0.7 / 100) + 14 }, "floor (straight fibre)"));
      var markers = 0;
      function marker(dist, floor, color, label, dy) {
        s.appendChild(svg("line", { x1: X(dist), x2: X(dist), y1: T, y2: H - B, stroke: color, "stroke-dasharray": "3 3" }));
        s.appendChild(titled(svg("circle", { "class": "floor-marker", cx: X(dist), cy: Y(floor), r: 5, fill: "#fff", stroke: color, "stroke-width": 2.5 }), label));
        var right = X(dist) > W * 0.55;  // label on the side with room
        s.appendChild(svg("text", { x: X(dist) + (right ? -6 : 6), y: T + 12 + dy, fill: color, "text-anchor": right ? "end" : "start" }, label));
        markers++;
      }
      if (r.claimed_distance_km !== undefined) marker(r.claimed_distance_km, r.claimed_floor_ms, "#1565c0", "claimed " + c.claimed + ": floor " + r.claimed_floor_ms.toFixed(1) + " ms", 0);
      r.egress.forEach(function (e, i) {
        if (e.distance_km === undefined) return;
        marker(e.distance_km, e.floor_ms, "#2e7d32", "egress " + e.ip + " (" + e.label + "): floor " + e.floor_ms.toFixed(1) + " ms" + (e.min_rtt_ms !== undefined ? ", min RTT " + e.min_rtt_ms.toFixed(1) + " ms" : ""), 14 * (i + 1));
      });
      var pts = 0;
      r.samples.forEach(function (s0, i) {
        if (s0.distance_km === undefined) return;
        var jitter = ((i * 7919) % 11 - 5) * 0.6;
        s.appendChild(titled(svg("circle", { "class": "sample", cx: X(s0.distance_km) + jitter, cy: Y(s0.rtt_ms), r: 3.5, fill: "#d84315", "fill-opacity": 0.75 }),
          s0.egress_ip + ": " + s0.rtt_ms + " ms at " + utc(s0.ts_ms) + " UTC"));
        pts++;
      });
      p.appendChild(s);
      var notes = [];
      if (r.note) notes.push(r.note);
      notes.push(r.samples.length + " handshake RTTs (SYN-ACK \u2192 ACK at the gateway). The floor is the least RTT a place at that distance allows; an RTT below a place's floor rules the place out. Dashed grey: a good path (stretch 1.5).");
      r.egress.forEach(function (e) { if (e.max_distance_km !== undefined) notes.push("The minimum RTT to " + e.ip + " allows at most " + fmtKm(e.max_distance_km) + " from the sensor."); });
      p.appendChild(el("p", { "class": "note" }, notes.join(" ")));
      p.setAttribute("data-rendered", "true");
      p.setAttribute("data-points", pts);
      p.setAttribute("data-floors", markers);
    });
  }

  // ---- flows table ---------------------------------------------------------------------------
  var MAX_ROWS = 2000;
  function renderFlows(sec, c) {
    var p = panel(sec, "flows", "flows-" + c.id, "Flows (" + c.flows.length + (c.flows_omitted ? ", " + c.flows_omitted + " more not kept" : "") + ")");
    guarded(p, function () {
      var anyBehind = c.flows.some(function (f) { return f.findings.length; });
      var controls = el("div", { "class": "controls" });
      var q = el("input", { type: "search", placeholder: "filter: address, product, community id, finding\u2026", "aria-label": "filter flows" });
      var only = el("input", { type: "checkbox", id: "only-" + c.id });
      only.checked = anyBehind;
      var lab = el("label", { "for": "only-" + c.id }, " only flows behind findings");
      controls.appendChild(q); controls.appendChild(document.createTextNode("  ")); controls.appendChild(only); controls.appendChild(lab);
      var count = el("span", { "class": "note" });
      controls.appendChild(document.createTextNode("  ")); controls.appendChild(count);
      p.appendChild(controls);
      var cols = [
        { h: "start (UTC)", v: function (f) { return f.start_ms; }, s: function (f) { return utc(f.start_ms); } },
        { h: "community_id", v: function (f) { return f.community_id; }, mono: true },
        { h: "endpoints", v: function (f) { return f.src_ip + (f.src_port !== undefined ? ":" + f.src_port : "") + " \u2192 " + f.dest_ip + (f.dest_port !== undefined ? ":" + f.dest_port : ""); }, mono: true },
        { h: "proto", v: function (f) { return f.proto; } },
        { h: "app / product", v: function (f) { return f.product ? f.product + " (" + f.app_proto + ")" : f.app_proto; } },
        { h: "session", v: function (f) { return LANE_LABEL[f.lane] + (f.role ? ", " + f.role + (f.role_known ? "" : "?") : ""); } },
        { h: "bytes", v: function (f) { return f.bytes; }, s: function (f) { return fmtBytes(f.bytes); }, num: true },
        { h: "duration s", v: function (f) { return f.duration_s; }, num: true },
        { h: "RTT ms", v: function (f) { return f.rtt_ms === undefined ? -1 : f.rtt_ms; }, s: function (f) { return f.rtt_ms === undefined ? "" : f.rtt_ms.toFixed(1); }, num: true },
        { h: "findings", v: function (f) { return f.findings.join(", "); } }
      ];
      var t = el("table", { "class": "flow-table" });
      var thead = el("thead"), hr = el("tr");
      var sortCol = 0, sortDir = 1;
      cols.forEach(function (col, i) {
        var th = el("th", col.num ? { "class": "num" } : {}, col.h);
        th.addEventListener("click", function () { sortDir = sortCol === i ? -sortDir : 1; sortCol = i; draw(); });
        hr.appendChild(th);
      });
      thead.appendChild(hr); t.appendChild(thead);
      var tbody = el("tbody"); t.appendChild(tbody);
      p.appendChild(t);
      function draw() {
        var needle = q.value.toLowerCase();
        var rows = c.flows.filter(function (f) {
          if (only.checked && !f.findings.length) return false;
          if (!needle) return true;
          return cols.some(function (col) { return String(col.v(f)).toLowerCase().indexOf(needle) >= 0; });
        });
        var col = cols[sortCol];
        rows.sort(function (a, b) { var x = col.v(a), y = col.v(b); return (x < y ? -1 : x > y ? 1 : 0) * sortDir; });
        Array.prototype.forEach.call(hr.children, function (th, i) { th.className = (cols[i].num ? "num " : "") + (i === sortCol ? (sortDir > 0 ? "sorted-asc" : "sorted-desc") : ""); });
        tbody.textContent = "";
        rows.slice(0, MAX_ROWS).forEach(function (f) {
          var tr = el("tr", f.findings.length ? { "class": "behind" } : {});
          cols.forEach(function (cl) {
            tr.appendChild(el("td", { "class": (cl.num ? "num" : "") + (cl.mono ? " mono" : "") }, cl.s ? cl.s(f) : cl.v(f)));
          });
          tbody.appendChild(tr);
        });
        count.textContent = rows.length + " of " + c.flows.length + " flows" + (rows.length > MAX_ROWS ? " (first " + MAX_ROWS + " shown)" : "");
        p.setAttribute("data-rows", Math.min(rows.length, MAX_ROWS));
      }
      q.addEventListener("input", draw);
      only.addEventListener("change", draw);
      draw();
      p.setAttribute("data-rendered", "true");
    });
  }

  // ---- page ----------------------------------------------------------------------------------
  var main = document.getElementById("report");
  renderHeader(main);
  var unseen = [];
  report.contractors.forEach(function (c) {
    if (!c.seen) { unseen.push(c); return; }
    var sec = el("section", { "class": "contractor", id: "c-" + c.id, "data-contractor": c.id, "data-verdict": c.verdict });
    var h = el("h2", {}, c.name + " (" + c.id + ") \u2014 claims " + c.claimed + ", " + c.time_zone);
    sec.appendChild(h);
    var v = el("p", { "class": "verdict" });
    v.appendChild(el("span", { "class": "sev sev-" + c.verdict }, c.verdict));
    v.appendChild(document.createTextNode(" " + c.verdict_line));
    sec.appendChild(v);
    if (c.devices.length) sec.appendChild(el("p", { "class": "note" }, "Devices: " + c.devices.join(", ")));
    main.appendChild(sec);
    renderAlerts(sec, c);
    renderMap(sec, c);
    renderTimeline(sec, c);
    renderHeatmap(sec, c);
    renderRtt(sec, c);
    renderFlows(sec, c);
  });
  if (unseen.length) {
    main.appendChild(el("p", { "class": "unseen", id: "unseen" }, "Not seen in this capture: " + unseen.map(function (c) { return c.name + " (" + c.id + ")"; }).join(", ") + "."));
  }
  document.body.setAttribute("data-rendered", "true");

  // file:///report.html#selftest drives the first flow table as an analyst would (filter, sort)
  // and records the outcome in body data-selftest, for the browser test (tests/report/).
  if (location.hash === "#selftest") {
    var verdict = "pass", detail = "";
    try {
      var sec = document.querySelector("section.flows");
      var q = sec.querySelector("input[type=search]"), only = sec.querySelector("input[type=checkbox]");
      var rows = function () { return Array.prototype.slice.call(sec.querySelectorAll("tbody tr")); };
      only.checked = false; only.dispatchEvent(new Event("change"));
      var all = rows().length;
      q.value = "anydesk"; q.dispatchEvent(new Event("input"));
      var hits = rows();
      var matching = hits.every(function (tr) { return tr.textContent.toLowerCase().indexOf("anydesk") >= 0; });
      q.value = ""; q.dispatchEvent(new Event("input"));
      var th = sec.querySelectorAll("th")[7];  // duration s
      var col = function () { return rows().map(function (tr) { return parseFloat(tr.children[7].textContent); }); };
      th.click();
      var asc = col(), ascOk = asc.every(function (v, i) { return i === 0 || asc[i - 1] <= v; });
      th.click();
      var desc = col(), descOk = desc.every(function (v, i) { return i === 0 || desc[i - 1] >= v; });
      detail = "rows=" + all + " filtered=" + hits.length + " sorted_asc=" + ascOk + " sorted_desc=" + descOk;
      if (!(all > 1 && hits.length > 0 && hits.length < all && matching && ascOk && descOk && desc[0] > desc[desc.length - 1])) verdict = "fail";
    } catch (e) {
      verdict = "fail";
      detail = String(e);
    }
    document.body.setAttribute("data-selftest", verdict);
    document.body.setAttribute("data-selftest-detail", detail);
  }
})();
