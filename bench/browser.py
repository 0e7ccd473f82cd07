"""Load time, slider step time and page memory of map files in Debian's Chromium, driven by Playwright.

Each page is opened from disk (file://) in a fresh browser context (1280x800). Times are performance.now() values,
i.e. milliseconds since the navigation started:
* ready: for an atlas map, the moment atlas.js adds the class `atlas-ready` to <html> (map drawn, slider usable),
  caught by a MutationObserver installed before any page script runs; for a folium page, DOMContentLoaded (all its
  inline scripts have run, so its map and slider exist).
* drawn: the first frame after ready (requestAnimationFrame, then a task), so the map has been painted.
* dcl / load / fcp: DOMContentLoaded, the load event's end and first-contentful-paint, for reference.
A step is one slider position: the map's API moves to a day (atlas.setDate, TimeDimension.setCurrentTime or
TimelineSliderControl.setTime), then `document.body.offsetHeight` forces style and layout; "sync" is that time
("script" is the first part alone, the call; the rest is style + layout).
"frame" is from the same start to the next painted frame (rAF + a task): it includes waiting for the next vsync
(~16.7 ms at 60 Hz), so it is a latency, not a cost. The page is given that frame between steps either way.
Memory is performance.memory.usedJSHeapSize (Chromium started with --enable-precise-memory-info) after a forced GC.
"""
import statistics

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--enable-precise-memory-info"]
VIEWPORT = {"width": 1280, "height": 800}
TIMEOUT_MS = 120 * 1000  # per wait; bench/run.py raises it for the scaled maps

INIT = """
(() => {
  const rec = window.__bench = {ready: null, dcl: null, drawn: null, kind: null};
  const mark = () => {
    if (rec.ready !== null) { return; }
    rec.ready = performance.now();
    requestAnimationFrame(() => setTimeout(() => { rec.drawn = performance.now(); }, 0));
  };
  document.addEventListener('DOMContentLoaded', () => {
    rec.dcl = performance.now();
    if (rec.kind !== 'atlas' && !(window.atlas && window.atlas.dates)) { rec.kind = 'folium'; mark(); }
  });
  const obs = new MutationObserver(() => {
    const root = document.documentElement;
    if (root && root.classList.contains('atlas-ready')) { rec.kind = 'atlas'; obs.disconnect(); mark(); }
  });
  obs.observe(document, {attributes: true, attributeFilter: ['class'], subtree: true});
})();
"""

READ_TIMES = """async () => {
  const nav = performance.getEntriesByType('navigation')[0] || {};
  // paint entries arrive a little after the frame is presented: wait for first-contentful-paint (up to 2 s)
  const fcp = performance.getEntriesByName('first-contentful-paint')[0] || await new Promise(resolve => {
    const timer = setTimeout(() => resolve(null), 2000);
    new PerformanceObserver(list => {
      const hit = list.getEntries().find(e => e.name === 'first-contentful-paint');
      if (hit) { clearTimeout(timer); resolve(hit); }
    }).observe({type: 'paint', buffered: true});
  });
  return {ready: __bench.ready, drawn: __bench.drawn, dcl: __bench.dcl, kind: __bench.kind,
          dclEnd: nav.domContentLoadedEventEnd || null, load: nav.loadEventEnd || null,
          fcp: fcp ? fcp.startTime : null};
}"""

# One object per kind of page: set(day) moves the slider, visible() counts the features drawn, layers() the layer
# control's overlays that are on / all of them.
API = """(kind) => {
  const key = (re) => Object.keys(window).find(k => re.test(k));
  const count = (map) => { let n = 0; map.eachLayer(l => { if (l.feature && l.feature.properties &&
                                                              l.feature.properties.name) { n += 1; } }); return n; };
  const overlays = () => {
    const boxes = document.querySelectorAll('.leaflet-control-layers-overlays input');
    return [Array.from(boxes).filter(b => b.checked).length, boxes.length];
  };
  if (kind === 'atlas') {
    window.__api = {set: d => atlas.setDate(d), visible: () => atlas.visible().length, layers: overlays,
                    dates: () => atlas.dates()};
  } else if (kind === 'timestamped') {
    const map = window[key(/^map_[0-9a-f]+$/)];
    window.__api = {set: d => map.timeDimension.setCurrentTime(Date.parse(d)), visible: () => count(map),
                    layers: overlays, dates: () => null};
  } else if (kind === 'timeline') {
    const map = window[key(/^map_[0-9a-f]+$/)];
    const slider = window[key(/^timeline_slider_[0-9a-f]+$/)];
    window.__api = {set: d => slider.setTime(Date.parse(d)), visible: () => count(map), layers: overlays,
                    dates: () => null};
  }
  return true;
}"""

STEPS = """async ({days, rounds, count}) => {
  const api = window.__api;
  const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
  const sync = [], script = [], toFrame = [], visible = [];
  api.set(days[days.length - 1]); document.body.offsetHeight; await frame();
  for (let r = 0; r < rounds; r += 1) {
    for (const day of days) {
      const t0 = performance.now();
      api.set(day);
      const ts = performance.now();
      document.body.offsetHeight;
      const t1 = performance.now();
      await frame();
      const t2 = performance.now();
      sync.push(t1 - t0);
      script.push(ts - t0);
      toFrame.push(t2 - t0);
      if (r === 0 && count) { visible.push(api.visible()); }
    }
  }
  return {sync, script, toFrame, visible, layers: api.layers()};
}"""

REPLACE_STATE = """() => {
  const back = location.hash, times = [];
  for (let i = 0; i < 60; i += 1) {
    const t0 = performance.now();
    history.replaceState(null, '', '#date=1945-08-' + String(10 + (i % 20)));
    times.push(performance.now() - t0);
  }
  history.replaceState(null, '', back || location.pathname);
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}"""


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)


def percentile(values, q):
    """The q-th percentile (0..100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return None
    pos = (len(ordered) - 1) * q / 100
    low = int(pos)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (pos - low)


class _Tab:
    def __init__(self, browser):
        self.context = browser.new_context(viewport=VIEWPORT, timezone_id="UTC")
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors, self.requests = [], []
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("request", lambda r: self.requests.append(r.url)
                     if not r.url.startswith(("data:", "about:")) else None)
        self.page.add_init_script(INIT)

    def open(self, path):
        self.page.goto("file://" + path, wait_until="load", timeout=TIMEOUT_MS)
        self.page.wait_for_function("window.__bench && __bench.drawn !== null", timeout=TIMEOUT_MS, polling=10)
        return self.page.evaluate(READ_TIMES)

    def heap(self):
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("HeapProfiler.collectGarbage")
        cdp.detach()
        return self.page.evaluate("performance.memory.usedJSHeapSize")

    def close(self):
        self.context.close()


def measure_load(browser, path, reps):
    """Open the page `reps` times, each in a fresh context; the timings of each load."""
    loads = []
    for _ in range(reps):
        tab = _Tab(browser)
        try:
            loads.append(tab.open(path))
        finally:
            tab.close()
    return loads


def measure_page(browser, path, kind, days, rounds, diagnose=True):
    """Open once, then: heap after load, step through `days` `rounds` times, heap after the steps; with diagnose,
    the history.replaceState passes too."""
    tab = _Tab(browser)
    try:
        times = tab.open(path)
        tab.page.evaluate(API, kind)
        if days is None:
            days = tab.page.evaluate("__api.dates()")
        heap_loaded = tab.heap()
        steps = tab.page.evaluate(STEPS, {"days": days, "rounds": rounds, "count": True})
        heap_stepped = tab.heap()
        replace_state = no_url = with_url = None
        if kind == "atlas" and diagnose:
            # what atlas.js's writeHash does on every step: one history.replaceState alone; then one more pass as
            # measured and, right after it, a pass with history.replaceState made a no-op (a diagnostic: the map
            # then no longer updates its address), so that the two differ only in that
            replace_state = tab.page.evaluate(REPLACE_STATE)
            with_url = tab.page.evaluate(STEPS, {"days": days, "rounds": 1, "count": False})["sync"]
            tab.page.evaluate("() => { window.__replaceState = history.replaceState; "
                              "history.replaceState = function () {}; }")
            no_url = tab.page.evaluate(STEPS, {"days": days, "rounds": 1, "count": False})["sync"]
            tab.page.evaluate("() => { history.replaceState = window.__replaceState; }")
        local = [u for u in tab.requests if u.startswith("file:")]
        remote = [u for u in tab.requests if not u.startswith("file:")]
        return {"times": times, "days": days, "heap_loaded": heap_loaded, "heap_stepped": heap_stepped,
                "sync": steps["sync"], "script": steps["script"], "frame": steps["toFrame"], "visible": steps["visible"],
                "layers": steps["layers"], "replace_state": replace_state,
                "no_url_median": statistics.median(no_url) if no_url else None,
                "with_url_median": statistics.median(with_url) if with_url else None,
                "errors": tab.errors[:5], "error_count": len(tab.errors),
                "file_requests": max(0, len(local) - 1), "network_requests": len(remote)}
    finally:
        tab.close()


def summarize_steps(result):
    sync, frame = result["sync"], result["frame"]
    visible = result["visible"]
    return {"steps": len(sync), "dates": len(result["days"]),
            "sync_median": statistics.median(sync), "sync_p95": percentile(sync, 95), "sync_max": max(sync),
            "script_median": statistics.median(result["script"]),
            "layout_median": statistics.median(a - b for a, b in zip(sync, result["script"])),
            "frame_median": statistics.median(frame), "frame_p95": percentile(frame, 95),
            "visible_mean": statistics.mean(visible) if visible else 0, "visible_max": max(visible) if visible else 0}


def summarize_loads(loads):
    def med(key):
        values = [x[key] for x in loads if x.get(key) is not None]
        return statistics.median(values) if values else None
    return {"reps": len(loads), "ready": med("ready"), "drawn": med("drawn"), "dcl": med("dcl"), "load": med("load"),
            "fcp": med("fcp"), "first_ready": loads[0]["ready"] if loads else None,
            "ready_max": max(x["ready"] for x in loads) if loads else None}


# ---- where the time goes: V8's sampling profiler during a load and during the steps, bucketed by script ----

def _bucket_profile(profile, regions, page_url):
    """{bucket: ms} and the top functions by self time; regions are (label, first line, last line) of the page."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    self_us = {}
    for i, node_id in enumerate(samples):
        if i + 1 < len(deltas):
            self_us[node_id] = self_us.get(node_id, 0) + max(0, deltas[i + 1])
    buckets, functions = {}, {}
    for node_id, us in self_us.items():
        frame = nodes[node_id]["callFrame"]
        name, url, line = frame["functionName"], frame["url"], frame["lineNumber"]
        if name in ("(garbage collector)", "(program)", "(idle)", "(root)"):
            bucket = {"(garbage collector)": "GC", "(program)": "browser (parse, style, layout, paint)",
                      "(idle)": "idle", "(root)": "browser (parse, style, layout, paint)"}[name]
        elif url in ("leaflet.js", "atlas.js"):  # run by atlas.run, named by their sourceURL
            bucket = url
        elif url == page_url:
            bucket = next((label for label, first, last in regions if first <= line <= last), "page (other)")
        elif not url:
            bucket = "DOM calls + harness"
        else:
            bucket = "harness"
        buckets[bucket] = buckets.get(bucket, 0) + us / 1000
        key = (name or "(anonymous)", bucket, line)
        functions[key] = functions.get(key, 0) + us / 1000
    top = sorted(functions.items(), key=lambda kv: -kv[1])[:10]
    return buckets, [{"function": k[0], "where": k[1], "line": k[2] + 1, "ms": v} for k, v in top]


def profile_page(browser, path, kind, days, regions, interval_us=200):
    tab = _Tab(browser)
    try:
        cdp = tab.context.new_cdp_session(tab.page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": interval_us})
        cdp.send("Profiler.start")
        tab.open(path)
        load = cdp.send("Profiler.stop")["profile"]
        tab.page.evaluate(API, kind)
        if days is None:
            days = tab.page.evaluate("__api.dates()")
        cdp.send("Profiler.start")
        tab.page.evaluate(STEPS, {"days": days, "rounds": 1, "count": False})
        steps = cdp.send("Profiler.stop")["profile"]
        url = "file://" + path
        return {"load": _bucket_profile(load, regions, url), "steps": _bucket_profile(steps, regions, url),
                "steps_count": len(days)}
    finally:
        tab.close()
