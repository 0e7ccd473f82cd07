#!/usr/bin/env python3
"""The atlas's benchmark: build times, map sizes, load and slider-step times in Chromium, a comparison with the
common folium way, and scaling to 10x and 100x the data. Prints tables and writes them to BENCHMARKS.md.

    .venv/bin/python bench/run.py            # the full run (several minutes)
    .venv/bin/python bench/run.py --quick    # fewer repetitions, scaling to 10x only (about two minutes)

It is a measurement, not a test: it never fails on a missed target, it reports it. Nothing in the repository is
changed except BENCHMARKS.md: maps are built into temporary folders, .cache/ (base maps and minified scripts) is
emptied for the cold builds and put back as it was afterwards, and folium-offline (for the comparison) is
pip-installed into a temporary --target folder, never into the project's venv.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib import metadata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]

import browser  # noqa: E402
import scale  # noqa: E402
import sizes  # noqa: E402

PY = sys.executable
CACHE = os.path.join(ROOT, ".cache")
FOLIUM_OFFLINE = "folium-offline==0.20.0.2"
KIB = 1024
TARGET_MAP_BYTES = 600 * KIB  # "under 600 KB", with KB as build.py prints it (1024 bytes)
TARGET_STEP_MS = 16.0
TARGET_READY_MS = 500.0
TARGET_COLD_RATIO = 1.5
TARGET_WELL_UNDER = 0.5  # "well under the floor": at most half of it


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- the machine

def _read(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return ""


def _version(name):
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def machine_info():
    cpu = next((line.split(":", 1)[1].strip() for line in _read("/proc/cpuinfo").splitlines()
                if line.startswith("model name")), platform.processor() or "?")
    mem_kib = next((int(line.split()[1]) for line in _read("/proc/meminfo").splitlines()
                    if line.startswith("MemTotal")), 0)
    os_name = next((line.split("=", 1)[1].strip('"') for line in _read("/etc/os-release").splitlines()
                    if line.startswith("PRETTY_NAME=")), platform.platform())
    try:
        nproc = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        nproc = str(os.cpu_count())
    try:
        chromium = subprocess.run([browser.CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        chromium = "not found"
    return {"nproc": nproc, "cpu": cpu, "memory": f"{mem_kib / 1024 / 1024:.1f} GiB", "os": os_name,
            "python": f"{platform.python_implementation()} {platform.python_version()}", "chromium": chromium,
            "folium": _version("folium"), "geopandas": _version("geopandas"), "playwright": _version("playwright"),
            "bytecode": "not written (PYTHONDONTWRITEBYTECODE=1: atlas/ is compiled on every run)"
            if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written (.pyc cached)",
            "loadavg_start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}


# ---------------------------------------------------------------- timing commands

def timed(args, expect_ok=True, cpu=None):
    """Wall time in seconds of one command run from the repository root, as a user runs it. Its CPU time (user +
    system, of the process and its children) is appended to `cpu` when given."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if cpu is not None:
        cpu.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    if expect_ok and proc.returncode != 0:
        raise SystemExit(f"benchmark: {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return elapsed


def summary(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values),
            "values": values}


def _cache_files():
    """The build's cache: the files directly in .cache/ (the base maps, land-<hash>.json, and the minified scripts,
    js-<hash>.js). Folders there (the build's staging folder for atomic writes) are left alone, so a build running
    at the same time is not disturbed."""
    if not os.path.isdir(CACHE):
        return []
    return sorted(n for n in os.listdir(CACHE) if os.path.isfile(os.path.join(CACHE, n)))


def clear_cache():
    for name in _cache_files():
        try:
            os.unlink(os.path.join(CACHE, name))
        except FileNotFoundError:
            pass


@contextmanager
def saved_cache(tmp):
    """Keep a copy of the base-map cache and put it back exactly as it was, whatever happens in between."""
    backup = os.path.join(tmp, "cache-backup")
    os.makedirs(backup)
    saved = _cache_files()
    for name in saved:
        shutil.copy2(os.path.join(CACHE, name), os.path.join(backup, name))
    try:
        yield
    finally:
        clear_cache()
        if saved:
            os.makedirs(CACHE, exist_ok=True)
        for name in saved:
            shutil.copy2(os.path.join(backup, name), os.path.join(CACHE, name))


def edit_one_description(folder, run):
    """Change the description of one feature of one layer (the first described feature of invasion-1945, or of the
    first layer that has one), editing only that string in the file's text."""
    names = sorted(n for n in os.listdir(folder) if n.endswith(".geojson"))
    names.sort(key=lambda n: n != "invasion-1945.geojson")
    for name in names:
        path = os.path.join(folder, name)
        text = _read(path)
        doc = json.loads(text)
        for feature in doc["features"]:
            description = feature["properties"].get("description")
            if isinstance(description, str) and len(description) < 560:
                for ascii_only, colon in ((False, ": "), (True, ": "), (False, ":"), (True, ":")):
                    old = '"description"' + colon + json.dumps(description, ensure_ascii=ascii_only)
                    if old in text:
                        new = '"description"' + colon + json.dumps(f"{description} (benchmark edit {run})",
                                                                   ensure_ascii=ascii_only)
                        with open(path, "w", encoding="utf-8") as handle:
                            handle.write(text.replace(old, new, 1))
                        return f"{name}: {feature['properties']['id']}"
                feature["properties"]["description"] = f"{description} (benchmark edit {run})"
                with open(path, "w", encoding="utf-8") as handle:
                    json.dump(doc, handle, ensure_ascii=False)
                return f"{name}: {feature['properties']['id']}"
    raise SystemExit("benchmark: no feature with a description to edit")


def measure_builds(tmp, runs):
    """Interleaved rounds of: import floor, cold-cache build, warm-cache build, --check, one-file rebuild."""
    build_py = os.path.join(ROOT, "build.py")
    geodata = os.path.join(ROOT, "geodata")
    edit_data = os.path.join(tmp, "data-edit")
    edit_out = os.path.join(tmp, "out-edit")
    shutil.copytree(geodata, edit_data)
    timed([PY, "-c", "import folium, geopandas"])  # warm the OS file cache once, untimed
    timed([PY, build_py, "--data", edit_data, "--out", edit_out])  # the maps the rebuilds replace
    keys = ("floor", "cold", "warm", "check", "rebuild")
    results = {k: [] for k in keys}
    cpu = {k: [] for k in keys}
    edited = None
    with saved_cache(tmp):
        for run in range(runs):
            log(f"builds: round {run + 1}/{runs}")
            results["floor"].append(timed([PY, "-c", "import folium, geopandas"], cpu=cpu["floor"]))
            clear_cache()
            results["cold"].append(timed([PY, build_py, "--out", os.path.join(tmp, f"out-cold-{run}")],
                                         cpu=cpu["cold"]))
            results["warm"].append(timed([PY, build_py, "--out", os.path.join(tmp, f"out-warm-{run}")],
                                         cpu=cpu["warm"]))
            results["check"].append(timed([PY, build_py, "--check"], cpu=cpu["check"]))
            edited = edit_one_description(edit_data, run)
            results["rebuild"].append(timed([PY, build_py, "--data", edit_data, "--out", edit_out],
                                            cpu=cpu["rebuild"]))
    out = {k: dict(summary(v), cpu=statistics.median(cpu[k])) for k, v in results.items()}
    out["edited"] = edited
    out["maps_dir"] = os.path.join(tmp, f"out-warm-{runs - 1}")
    return out


def build_profile(data):
    proc = subprocess.run([PY, os.path.join(HERE, "profile_build.py"), data], cwd=ROOT, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr[-2000:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- the comparison pages

def make_common_way(tmp):
    target = os.path.join(tmp, "folium-offline")
    out = os.path.join(tmp, "common")
    os.makedirs(out)
    log(f"comparison: pip install --target {target} {FOLIUM_OFFLINE}")
    proc = subprocess.run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                           "--target", target, FOLIUM_OFFLINE], capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": f"pip could not install {FOLIUM_OFFLINE}: {proc.stderr.strip()[-500:]}"}
    missing = subprocess.run([PY, "-c", "import branca, jinja2, numpy, requests, xyzservices"], capture_output=True)
    if missing.returncode != 0:  # folium-offline's own dependencies, also into the temporary folder only
        subprocess.run([PY, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--target", target,
                        "requests", "xyzservices"], capture_output=True, text=True)
    env = dict(os.environ, PYTHONPATH=target)
    start = time.perf_counter()
    proc = subprocess.run([PY, os.path.join(HERE, "common_way.py"), out, "august-storm"], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        return {"error": f"common_way.py failed: {proc.stderr[-1500:]}"}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall_seconds"] = wall
    result["package"] = FOLIUM_OFFLINE
    return result


# ---------------------------------------------------------------- browser

def browser_pass(maps_dir, map_ids, common, loads, rounds, profile):
    """Loads, steps and memory of every map in maps_dir and of the comparison pages."""
    from playwright.sync_api import sync_playwright
    out = {"maps": {}, "common": {}, "profiles": {}}
    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        out["chromium"] = chromium.version
        try:
            for name in sorted(f"{i}.html" for i in map_ids if os.path.exists(os.path.join(maps_dir, f"{i}.html"))):
                path = os.path.join(maps_dir, name)
                log(f"chromium: {name}")
                try:
                    load = browser.measure_load(chromium, path, loads)
                    page = browser.measure_page(chromium, path, "atlas", None, rounds)
                except Exception as err:  # a page that never gets ready: report it, measure the others
                    out["maps"][name[:-5]] = {"error": str(err).splitlines()[0][:300]}
                    continue
                out["maps"][name[:-5]] = {"load": browser.summarize_loads(load), "loads": load,
                                          "steps": browser.summarize_steps(page), "page": _slim(page)}
            days = out["maps"].get("august-storm", {}).get("page", {}).get("days")
            for kind, info in (common or {}).get("pages", {}).items():
                log(f"chromium: comparison page ({kind})")
                try:
                    load = browser.measure_load(chromium, info["path"], loads)
                    page = browser.measure_page(chromium, info["path"], kind, days, rounds)
                except Exception as err:
                    log(f"chromium: {kind}: {str(err)[:200]}")
                    continue
                out["common"][kind] = {"load": browser.summarize_loads(load), "steps": browser.summarize_steps(page),
                                       "page": _slim(page)}
            for name in profile:
                path = os.path.join(maps_dir, name + ".html")
                if os.path.exists(path):
                    log(f"chromium: profiling {name}")
                    regions = sizes.script_regions(_read(path))
                    try:
                        out["profiles"][name] = browser.profile_page(chromium, path, "atlas", None, regions)
                    except Exception as err:
                        log(f"chromium: profiling {name}: {str(err)[:200]}")
        finally:
            chromium.close()
    return out


def _slim(page):
    return {k: page[k] for k in ("times", "days", "heap_loaded", "heap_stepped", "visible", "layers", "errors",
                                 "error_count", "file_requests", "network_requests", "replace_state",
                                 "no_url_median", "with_url_median")}


def browser_one(path, loads, rounds):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        chromium = browser.launch(pw)
        try:
            load = browser.measure_load(chromium, path, loads)
            page = browser.measure_page(chromium, path, "atlas", None, rounds, diagnose=False)
        finally:
            chromium.close()
    return {"load": browser.summarize_loads(load), "steps": browser.summarize_steps(page), "page": _slim(page)}


# ---------------------------------------------------------------- scaling

def measure_scaling(tmp, factors, map_ids, runs_for, loads_for):
    build_py = os.path.join(ROOT, "build.py")
    out = {}
    for factor in factors:
        data = os.path.join(tmp, f"geodata-x{factor}")
        maps = os.path.join(tmp, f"maps-x{factor}")
        features = scale.multiply(os.path.join(ROOT, "geodata"), data, factor)
        runs = runs_for(factor)
        log(f"scaling x{factor}: {features} features; --check, then {runs} build(s)")
        try:
            check = timed([PY, build_py, "--data", data, "--check"])
            builds = []
            for run in range(runs):
                shutil.rmtree(maps, ignore_errors=True)
                builds.append(timed([PY, build_py, "--data", data, "--out", maps]))
                log(f"scaling x{factor}: build {run + 1}/{runs}: {builds[-1]:.1f} s")
        except SystemExit as err:  # e.g. a new cross-feature check rejects the copies: report it, go on
            out[factor] = {"features": features, "error": str(err)[:800]}
            log(f"scaling x{factor}: {str(err)[:300]}")
            continue
        sizes_of = {i: os.path.getsize(os.path.join(maps, f"{i}.html")) for i in map_ids
                    if os.path.exists(os.path.join(maps, f"{i}.html"))}
        log(f"scaling x{factor}: chromium on august-storm ({sizes_of.get('august-storm', 0) / 1e6:.1f} MB)")
        browser.TIMEOUT_MS = 15 * 60 * 1000
        try:
            page = browser_one(os.path.join(maps, "august-storm.html"), loads_for(factor), 1)
        except Exception as err:
            out[factor] = {"features": features, "error": f"august-storm in Chromium: {str(err)[:300]}"}
            continue
        out[factor] = {"features": features, "check": check, "build": summary(builds), "sizes": sizes_of,
                       "august-storm": page}
        shutil.rmtree(maps, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    return out


# ---------------------------------------------------------------- report

def kb(n):
    return f"{n / KIB:.1f} KB" if n < 10 * KIB else f"{n / KIB:,.0f} KB"


def ms(x):
    return "-" if x is None else (f"{x:,.0f} ms" if x >= 100 else f"{x:.1f} ms")


def sec(x):
    return f"{x:.2f} s"


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join("---" for _ in header) + " |"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def verdict(ok, miss):
    return "met" if ok else f"**missed** ({miss})"


def report(r, args):
    m, b = r["machine"], r["builds"]
    floor = b["floor"]["median"]
    maps = {n: v for n, v in r["browser"]["maps"].items() if "error" not in v}
    r["browser"]["ok_maps"] = maps
    size = r["sizes"]
    largest = max(size, key=lambda n: size[n]["total"]["raw"])
    out = []
    w = out.append
    w("# Benchmarks\n")
    w("How fast the atlas builds, how big its maps are, and how fast they open and step in a browser. "
      "Regenerate this file with one command from the repository root:\n")
    w("```sh\n.venv/bin/python bench/run.py          # full run, several minutes; --quick for a shorter one\n```\n")
    w(f"Numbers below: `{' '.join(['bench/run.py'] + r['argv'])}` on {m['date']}"
      f" ({b['floor']['runs']} runs per build command, median; {r['settings']['loads']} loads and "
      f"{r['settings']['rounds']} passes over every date per map in Chromium).\n")
    w("## Machine\n")
    w(table(["", ""], [["CPUs (`nproc`)", m["nproc"]], ["CPU", m["cpu"]], ["memory", m["memory"]], ["OS", m["os"]],
                       ["Python", m["python"]], ["Chromium", m["chromium"]],
                       ["folium / geopandas / playwright", f"{m['folium']} / {m['geopandas']} / {m['playwright']}"],
                       ["Python bytecode", m["bytecode"]],
                       ["load average at start / end", f"{m['loadavg_start']} / {m['loadavg_end']}"]]))
    w("")

    # targets
    cold = b["cold"]["median"]
    rows = []
    cpu_floor = b["floor"]["cpu"] or 1e-9

    def cpu_note(key):
        return f"; CPU time {sec(b[key]['cpu'])} = {b[key]['cpu'] / cpu_floor:.2f}x the floor's"
    rows.append(["cold build within 1.5x the import floor", f"{sec(cold)} = {cold / floor:.2f}x floor "
                 f"({sec(floor)}){cpu_note('cold')}", verdict(cold <= TARGET_COLD_RATIO * floor,
                                            f"{cold - TARGET_COLD_RATIO * floor:+.2f} s over {sec(TARGET_COLD_RATIO * floor)}")])
    warm = b["warm"]["median"]
    rows.append(["(same, warm base-map cache)", f"{sec(warm)} = {warm / floor:.2f}x floor{cpu_note('warm')}",
                 verdict(warm <= TARGET_COLD_RATIO * floor, f"{warm - TARGET_COLD_RATIO * floor:+.2f} s over")])
    for key, label in (("check", "`--check` well under the floor (<= 0.5x)"),
                       ("rebuild", "one-file rebuild well under the floor (<= 0.5x)")):
        v = b[key]["median"]
        rows.append([label, f"{sec(v)} = {v / floor:.2f}x floor{cpu_note(key)}",
                     verdict(v <= TARGET_WELL_UNDER * floor, f"{v - TARGET_WELL_UNDER * floor:+.2f} s over "
                                                             f"{sec(TARGET_WELL_UNDER * floor)}")])
    over = {n: s["total"]["raw"] for n, s in size.items() if s["total"]["raw"] >= TARGET_MAP_BYTES}
    rows.append(["every map file under 600 KB", ", ".join(f"{n} {kb(s['total']['raw'])}" for n, s in
                                                           sorted(size.items())),
                 verdict(not over, ", ".join(f"{n} by {kb(v - TARGET_MAP_BYTES)}" for n, v in over.items()))])
    if largest in maps:
        p95 = maps[largest]["steps"]["sync_p95"]
        rows.append([f"slider step p95 under 16 ms on the largest map ({largest})", ms(p95),
                     verdict(p95 < TARGET_STEP_MS, f"{p95 / TARGET_STEP_MS:.1f}x the budget")])
    slow = {n: v["load"]["ready"] for n, v in maps.items() if v["load"]["ready"] > TARGET_READY_MS}
    rows.append(["every map usable within 500 ms of opening from disk",
                 ", ".join(f"{n} {ms(v['load']['ready'])}" for n, v in sorted(maps.items())),
                 verdict(not slow, ", ".join(f"{n} +{v - TARGET_READY_MS:.0f} ms" for n, v in slow.items()))])
    w("## Targets\n")
    w("Measured on the maps built from the working tree at the time of the run (into a temporary folder), not on "
      "the committed maps/.\n")
    w(table(["target", "measured", "status"], rows))
    w("")

    # builds
    w("## Build times\n")
    w("Wall time of each command as a user runs it (a new Python process each time), median of the runs, "
      "interleaved round by round. Cold cache: the derived base maps and minified scripts (the files in `.cache/`) "
      "deleted before the "
      "build; they are put back afterwards. The one-file rebuild edits one feature's description "
      f"(`{b['edited']}`) in a copy of geodata/ and rebuilds with `--data COPY --out OUT` into a folder "
      "holding the previous build (a plain `build.py` run rebuilds every map). CPU time (user + system "
      "of the command and its children) is shown too: other work on the machine inflates wall time, not CPU time.\n")
    labels = {"floor": '`python -c "import folium, geopandas"` (the floor)',
              "cold": "`python build.py --out TMP`, cold base-map cache", "warm": "`python build.py --out TMP`, warm cache",
              "check": "`python build.py --check`", "rebuild": "rebuild after editing one file"}
    w(table(["command", "median", "min", "max", "runs", "x floor", "CPU time (median)"],
            [[labels[k], sec(b[k]["median"]), sec(b[k]["min"]), sec(b[k]["max"]), b[k]["runs"],
              f"{b[k]['median'] / floor:.2f}", sec(b[k]["cpu"])] for k in labels]))
    w("")
    prof = r.get("build_profile", {})
    if "stages" in prof:
        w("Where a warm build's time goes (one in-process run of the same functions, `bench/profile_build.py`):\n")
        rows = [[k, sec(v)] for k, v in prof["stages"].items()]
        w(table(["stage", "time"], rows))
        w("")
        per = prof["per_map"]
        w(table(["map", "story.map_content", "page.render", "noscript.render", "base map (cached)"],
                [[n, sec(t["story.map_content"]), sec(t["page.render (folium + templates)"]),
                  sec(t["noscript.render"]), sec(t["basemap.land (cached)"])] for n, t in per.items()]))
        w("")
        bs = prof["brace_safe"]
        der = prof.get("basemap_derive", {})
        w(f"page.render includes {sec(bs['seconds'])} in `brace_safe` ({bs['chars'] / 1e6:.1f} M characters "
          "escaped one by one in Python). Deriving the base maps without the cache: "
          + ", ".join(f"{k} {sec(v)}" for k, v in der.items() if isinstance(v, float)) + ".\n")

    # sizes
    w("## Map sizes\n")
    w("Bytes of each file from the warm build, split by parsing the HTML: libraries = the first `<style>` in "
      "`<head>` (noscript.css, for readers without JavaScript), the first `<script>` (unpack.js, the bootstrap) "
      "and the `atlas.run(...)` script (Leaflet 1.9.4's CSS with its images inlined and its JS, atlas.css and "
      "atlas.js, LZMA-compressed); base map = the "
      "first `geo_json_..._add(...)` call (the Natural Earth land polygon, packed); data = the rest. gzip -6, each "
      "part compressed alone.\n")
    rows = []
    for n in sorted(size):
        s = size[n]
        rows.append([n, f"{s['total']['raw']:,}", kb(s["total"]["raw"]), kb(s["total"]["gz"]),
                     f"{kb(s['libraries']['raw'])} / {kb(s['libraries']['gz'])}",
                     f"{kb(s['basemap']['raw'])} / {kb(s['basemap']['gz'])}",
                     f"{kb(s['data']['raw'])} / {kb(s['data']['gz'])}"])
    w(table(["map", "bytes", "raw", "gzip", "libraries raw / gz", "base map raw / gz", "data raw / gz"], rows))
    w("")
    rows = []
    for n in sorted(size):
        s = size[n]
        rows.append([n, kb(s["libraries.leaflet"]["raw"]), kb(s["libraries.atlas"]["raw"]),
                     kb(s["data.features"]["raw"]), kb(s.get("data.features_json", {"raw": 0})["raw"]),
                     kb(s["data.config"]["raw"]), kb(s.get("data.config_json", {"raw": 0})["raw"]),
                     kb(s["data.noscript"]["raw"]), kb(s["data.other"]["raw"])])
    w("Finer split (raw): Leaflet vs our runtime; data = feature layers (GeoJSON geometry, the territories with "
      "shared vertices; each feature's properties are only an index into the config; LZMA-compressed JSON in base 85), "
      "the config given to `atlas.configure` (LZMA-compressed JSON in base 85: stops, the sentence for each stop, phases, "
      "ticks, events, sources, palette and every feature's properties), the `<noscript>` text, and the rest "
      "(markup, map set-up code). \"as JSON\" is a part's size before packing, not in the file.\n")
    w(table(["map", "Leaflet", "atlas.js+css", "feature layers", "(layers as JSON)", "config", "(config as JSON)",
             "noscript", "other"], rows))
    w("")

    # browser
    w("## In Chromium\n")
    w(f"Chromium {r['browser']['chromium']} headless (Playwright, `--enable-precise-memory-info`), 1280x800, each "
      "file opened from disk (file://). **ready** = ms from navigation start until atlas.js adds `atlas-ready` to "
      "<html> (map drawn, slider usable; MutationObserver installed before any page script), median of the loads; "
      "**drawn** = the first frame after that. A **step** = `atlas.setDate(d)` for every date of `atlas.dates()` "
      "in order, then `document.body.offsetHeight` (forced style + layout), all layers on; **script** is the "
      "setDate call alone, the rest of the step is style + layout; **frame** = until the next painted frame "
      "(includes waiting for vsync, ~16.7 ms). The extra passes are a diagnostic: one more pass as above, then "
      "one with `history.replaceState` made a no-op (atlas.js calls it on every step to keep `#date=` in the "
      "address). Heap = `performance.memory.usedJSHeapSize` after a forced GC.\n")
    rows = []
    for n, v in sorted(maps.items()):
        ld, st, pg = v["load"], v["steps"], v["page"]
        rows.append([n, ms(ld["ready"]), ms(ld["drawn"]), ms(ld["first_ready"]), ms(ld["fcp"]),
                     f"{pg['heap_loaded'] / 1e6:.1f} MB", st["dates"], ms(st["sync_median"]), ms(st["sync_p95"]),
                     ms(st["sync_max"]), f"{ms(st['script_median'])} / {ms(st['layout_median'])}",
                     f"{ms(pg.get('with_url_median'))} / {ms(pg.get('no_url_median'))}",
                     f"{ms(st['frame_median'])} / {ms(st['frame_p95'])}", f"{st['visible_mean']:.0f}",
                     f"{pg['layers'][0]}/{pg['layers'][1]}"])
    w(table(["map", "ready", "drawn", "first load ready", "FCP", "heap", "dates", "step median", "step p95",
             "step max", "script / layout (median)", "extra pass: step median with / without URL update", "frame median / p95", "features drawn (mean)", "layers on"],
            rows))
    w("")
    failed = {n: v["error"] for n, v in r["browser"]["maps"].items() if "error" in v}
    if failed:
        w("Not measured (never got ready): " + "; ".join(f"{n}: {e}" for n, e in failed.items()) + "\n")
    errors = {n: v["page"]["error_count"] for n, v in maps.items() if v["page"]["error_count"]}
    requests = {n: v["page"]["network_requests"] for n, v in maps.items() if v["page"]["network_requests"]}
    w(f"Page errors: {errors or 'none'}; network requests: {requests or 'none'}.\n")
    for n, p in r["browser"].get("profiles", {}).items():
        w(f"Where the time goes in {n} (V8 sampling profiler, a separate run: the profiler slows everything, so "
          "read the shares, not the absolute numbers). `(program)` is the browser's own work on the main thread: "
          "parsing, style, layout, paint; \"DOM calls + harness\" is native DOM methods (setAttribute, ...) and the "
          "benchmark's own step loop, whose self time is mostly the forced layout it triggers.\n")
        rows = []
        for phase in ("load", "steps"):
            buckets, _top = p[phase]
            total = sum(v for k, v in buckets.items() if k != "idle") or 1
            rows.append([phase] + [f"{buckets.get(k, 0) / total * 100:.0f}%" for k in
                                   ("leaflet.js", "atlas.js", "unpack.js (bootstrap)",
                                    "page script (folium map, layers, atlas.init)",
                                    "browser (parse, style, layout, paint)", "DOM calls + harness", "GC")])
        w(table(["", "leaflet.js", "atlas.js", "unpack.js", "page script", "browser (parse/style/layout/paint)",
                 "DOM calls + harness", "GC"], rows))
        w("")
        for phase in ("load", "steps"):
            _b, top = p[phase]
            top = [t for t in top if t["function"] not in ("(idle)", "(program)", "(garbage collector)")][:6]
            w(f"Top functions by self time, {phase}: " + "; ".join(
                f"`{t['function']}` ({t['where']}) {t['ms']:.0f} ms" for t in top) + ".\n")

    # comparison
    common = r.get("common", {})
    cb = r["browser"].get("common", {})
    w("## Compared with the common way\n")
    if "error" in common:
        w(f"Not measured: {common['error']}\n")
    else:
        w(f"The same August Storm features ({common['features']}, from `atlas.story.map_content`) and the same base "
          f"map, made with folium plugins and made offline by {common['package']} (installed with `pip install "
          "--target` into a temporary folder; it inlines every CDN asset folium references). `TimestampedGeoJson`: "
          "each feature has `times` as its docstring asks (an advance's vertex dates, else its first day), default "
          "options (no `duration`). `Timeline` + `TimelineSlider`: each feature has `start`/`end` = its first and last "
          "day, the same rule as ours. Stepped through the same 26 days (`setCurrentTime` / `setTime`). "
          "Libraries for these pages = every `<style>`/`<script>` in `<head>`.\n")
        ours = maps.get("august-storm")
        rows = []
        entries = [("ours (build.py)", size.get("august-storm"), ours, b["warm"]["median"])] if ours else []
        for kind, label in (("timestamped", "folium TimestampedGeoJson"), ("timeline", "folium Timeline")):
            if kind in cb:
                entries.append((label, r["common_sizes"][kind], cb[kind],
                                common["import_seconds"] + common["pages"][kind]["build_seconds"]))
        for label, s, v, build_s in entries:
            st, pg = v["steps"], v["page"]
            vis = pg["visible"]
            rows.append([label, kb(s["total"]["raw"]), kb(s["total"]["gz"]), kb(s["libraries"]["raw"]),
                         kb(s["data"]["raw"] + s["basemap"]["raw"]), ms(v["load"]["ready"]),
                         ms(st["sync_median"]), ms(st["sync_p95"]), f"{pg['heap_loaded'] / 1e6:.1f} MB",
                         f"{vis[pg['days'].index('1945-08-15')] if '1945-08-15' in pg['days'] else '-'}"
                         f" / {max(vis) if vis else 0}", pg["error_count"], sec(build_s)])
        w(table(["page", "raw", "gzip", "libraries", "base map + data", "ready", "step median", "step p95", "heap",
                 "features drawn 15 Aug / max", "page errors", "build"], rows))
        w("")
        w("ready for the folium pages = DOMContentLoaded (their scripts have all run; there is no ready signal). "
          "Build for the folium pages = importing folium-offline and atlas + making that one page (ours: all four "
          "maps, whole command). " + r.get("common_libs_note", "") + "\n")

    # scaling
    sc = r.get("scaling", {})
    if sc:
        w("## Scaling\n")
        w("geodata/ copied with every layer's features repeated N times (new ids `-c1`, `-c2`..., coordinates shifted "
          "a little; copies of territories become areas, since territories may not overlap on the same day; "
          "`bench/scale.py`), then `build.py --data COPY --check`, `build.py --data COPY --out OUT` and "
          "august-storm in Chromium (one pass over its dates).\n")
        base_sz = size.get("august-storm", {}).get("total", {}).get("raw", 0)
        a1 = maps.get("august-storm")
        rows = [["1x", r.get("features_1x", "-"), sec(b["check"]["median"]), f"{sec(b['warm']['median'])} (median of "
                 f"{b['warm']['runs']})", kb(base_sz), ms(a1["load"]["ready"]) if a1 else "-",
                 ms(a1["steps"]["sync_median"]) if a1 else "-", ms(a1["steps"]["sync_p95"]) if a1 else "-",
                 f"{a1['page']['heap_loaded'] / 1e6:.0f} MB" if a1 else "-"]]
        for factor, v in sorted(sc.items()):
            if "error" in v:
                rows.append([f"{factor}x", v["features"], "failed: " + v["error"].replace("\n", " ")[:300].replace("|", "/"),
                             "", "", "", "", "", ""])
                continue
            a = v["august-storm"]
            rows.append([f"{factor}x", v["features"], sec(v["check"]),
                         f"{sec(v['build']['median'])} (median of {v['build']['runs']})" if v["build"]["runs"] > 1
                         else f"{sec(v['build']['median'])} (1 run)",
                         kb(v["sizes"].get("august-storm", 0)), ms(a["load"]["ready"]), ms(a["steps"]["sync_median"]),
                         ms(a["steps"]["sync_p95"]), f"{a['page']['heap_loaded'] / 1e6:.0f} MB"])
        w(table(["data", "features", "--check", "build (all maps)", "august-storm file", "ready", "step median",
                 "step p95", "heap"], rows))
        w("")
        for factor, v in sorted(sc.items()):
            if "error" in v:
                continue
            w(f"{factor}x map files: " + ", ".join(f"{n} {kb(s)}" for n, s in sorted(v["sizes"].items())) + ".\n")

    w("## Interpretation\n")
    w(interpretation(r, largest))
    w("")
    w("## Method notes\n")
    w("- Everything is measured on the machine above with whatever else runs on it; the load average is shown. "
      "Times are wall-clock medians; single runs are marked.\n"
      "- Browser numbers come from Debian's Chromium driven by Playwright over CDP, headless, without GPU; a "
      "desktop browser with a GPU paints faster, but script and layout costs are the same kind.\n"
      "- Files: `bench/run.py` (this report), `bench/sizes.py` (HTML split), `bench/browser.py` (Chromium), "
      "`bench/profile_build.py` (build stages), `bench/common_way.py` (folium pages), `bench/scale.py` (data copies). "
      "`--json FILE` also writes every raw number; `--report-from FILE` rewrites this report from them without "
      "measuring again.")
    return "\n".join(out) + "\n"


def interpretation(r, largest):
    b, size, maps = r["builds"], r["sizes"], r["browser"]["ok_maps"]
    floor = b["floor"]["median"]
    prof = r.get("build_profile", {})
    st = prof.get("stages", {})
    lines = []
    if st:
        per = prof.get("per_map", {})
        slowest = max(per, key=lambda n: per[n]["story.map_content"]) if per else None
        render = st.get("page.render (folium + templates)", 0)
        lines.append(
            f"- **Build time.** The floor (a Python process importing folium and geopandas) is {sec(floor)}; a warm "
            f"build takes {sec(b['warm']['median'])} ({b['warm']['median'] / floor:.1f}x) and a cold one "
            f"{sec(b['cold']['median'])} ({b['cold']['median'] / floor:.1f}x). In process, imports take "
            f"{sec(st.get('import atlas.dataset', 0) + st.get('import folium', 0))} (shapely/numpy for the checks, "
            f"folium for the pages; a warm build never imports geopandas). After the imports, `page.render` "
            f"(folium and our templates, four pages) takes {sec(render)} ({sec(prof['brace_safe']['seconds'])} of it "
            f"in the per-character `brace_safe`; most of the rest is LZMA compressing each page's text, which packed.py "
            f"explains), reading and checking geodata/ "
            f"{sec(st.get('dataset.load (read + check geodata)', 0))}, and `story.map_content` "
            f"{sec(st.get('story.map_content', 0))}, of which {slowest} alone "
            f"{sec(per[slowest]['story.map_content'])} (rounding every coordinate for the page is the largest part, about two fifths). "
            f"A cold base-map "
            f"cache adds {sec(b['cold']['median'] - b['warm']['median'])} (importing geopandas and deriving four "
            f"land polygons). `--check` ({sec(b['check']['median'])}) is mostly Python start-up plus importing "
            f"shapely/numpy. A one-file rebuild ({sec(b['rebuild']['median'])}) costs a full build: a plain run "
            f"rebuilds every map whatever changed.")
    a = size.get("august-storm")
    if a:
        t = a["total"]["raw"]
        over = [(n, s["total"]["raw"] - TARGET_MAP_BYTES) for n, s in sorted(size.items())
                if s["total"]["raw"] >= TARGET_MAP_BYTES]
        lines.append(
            f"- **Bytes.** Every map carries the same {kb(a['libraries']['raw'])} of libraries "
            f"({kb(a['libraries.leaflet']['raw'])} Leaflet, {kb(a['libraries.atlas']['raw'])} ours): "
            f"{a['libraries']['raw'] / t * 100:.0f}% of august-storm. The base map is "
            f"{a['basemap']['raw'] / t * 100:.0f}% ({kb(a['basemap']['raw'])}). Data is the rest, "
            f"{a['data']['raw'] / t * 100:.0f}%: the feature layers {kb(a['data.features']['raw'])} (geometry), "
            f"the config {kb(a['data.config']['raw'])} (every feature's properties, a sentence for every stop, the "
            f"events, the sources: {kb(a.get('data.config_json', {'raw': 0})['raw'])} of JSON, LZMA-compressed and in "
            f"base 85), the noscript text {kb(a['data.noscript']['raw'])} (the descriptions again, for readers "
            f"without JavaScript). gzip takes august-storm from {kb(t)} to {kb(a['total']['gz'])}. "
            + (("Over the 600 KB budget: " + ", ".join(f"{n} by {kb(v)}" for n, v in over) +
                "; the excess is data, not libraries.") if over else "Every map is within the 600 KB budget."))
    big = maps.get(largest)
    prof_b = r["browser"].get("profiles", {})
    if big:
        worst = max(maps, key=lambda n: maps[n]["steps"]["sync_p95"])
        rs = big["page"].get("replace_state")
        p = prof_b.get(worst) or prof_b.get(largest)
        top_step = ""
        if p:
            top = [x for x in p["steps"][1] if x["where"] in ("leaflet.js", "atlas.js")][:3]
            top_step = (f" In {worst}'s step profile the top functions are "
                        + ", ".join(f"`{x['function']}` ({x['where']})" for x in top)
                        + ": atlas.js places its labels without reading layout (its `Label`, a Leaflet `Tooltip` "
                          "that measures one label's height per class instead of every label's size), so a step "
                          "is mostly adding and removing SVG paths and labels, then `declutter`, which in the next "
                          "frame reads every label's box once to keep labels apart; `writeHash` is the "
                          "`history.replaceState` atlas.js does on every step")
            nu, wu = maps[worst]["page"].get("no_url_median"), maps[worst]["page"].get("with_url_median")
            if nu is not None and wu is not None:
                top_step += (f"; with `history.replaceState` made a no-op the median step of {worst} is {ms(nu)} "
                             f"instead of {ms(wu)} in the pass just before")
            if rs is not None:
                top_step += (f", although one call alone costs {ms(rs)} (measured with Playwright attached over CDP, "
                             f"which is told of every same-document navigation; a browser without DevTools "
                             f"attached may pay less)")
            top_step += "."
        worst_text = (f"It is also the worst p95 of the four maps ({maps[worst]['steps']['visible_mean']:.0f} features "
                      f"drawn on average, with labels and growing advances)." if worst == largest else
                      f"The worst p95 is {worst}'s {ms(maps[worst]['steps']['sync_p95'])} "
                      f"({maps[worst]['steps']['visible_mean']:.0f} features drawn on average, with labels and "
                      f"growing advances).")
        lines.append(
            f"- **Slider steps.** On {largest} (the largest file, {big['steps']['dates']} stops) a step costs "
            f"{ms(big['steps']['sync_median'])} median and {ms(big['steps']['sync_p95'])} p95, of which the setDate "
            f"call is {ms(big['steps']['script_median'])} and style + layout {ms(big['steps']['layout_median'])} "
            f"(medians). {worst_text}{top_step}")
        ready = {n: v["load"]["ready"] for n, v in maps.items()}
        pl = (prof_b.get("august-storm") or {}).get("load")
        share = ""
        if pl:
            buckets, top = pl
            total = sum(v for k, v in buckets.items() if k != "idle") or 1
            first = next((x for x in top if x["where"] == "leaflet.js"), None)
            share = (f" In august-storm's load profile Leaflet takes {buckets.get('leaflet.js', 0) / total * 100:.0f}% "
                     f"(projecting every feature and writing its SVG path, placing labels"
                     + (f"; its top function is `{first['function']}`" if first else "") + "), the browser's "
                     f"parsing, style and layout {buckets.get('browser (parse, style, layout, paint)', 0) / total * 100:.0f}%, "
                     f"atlas.js {buckets.get('atlas.js', 0) / total * 100:.0f}%.")
        lines.append(
            f"- **Opening.** Usable after {', '.join(f'{n} {ms(v)}' for n, v in sorted(ready.items()))} "
            f"(median).{share}")
    common, cb = r.get("common", {}), r["browser"].get("common", {})
    if cb and "august-storm" in maps:
        ours = maps["august-storm"]
        ours_size = size["august-storm"]["total"]["raw"]
        parts = []
        if "timestamped" in cb:
            v = cb["timestamped"]
            vis = max(v["page"]["visible"]) if v["page"]["visible"] else 0
            cs = r["common_sizes"]["timestamped"]["total"]["raw"]
            parts.append(f"TimestampedGeoJson makes a {kb(cs)} page ({cs / ours_size:.1f}x ours: jQuery twice, jQuery "
                         f"UI, Bootstrap 3 and 5, Font Awesome with its fonts, moment) and draws {vis} features on "
                         f"every one of the 26 days: without a `duration` its time window starts at 0, 1 January "
                         f"1970, and every 1945 feature falls before it, so its cheap steps "
                         f"({ms(v['steps']['sync_median'])}) are steps of an empty map")
        if "timeline" in cb:
            v = cb["timeline"]
            same = v["page"]["visible"] == ours["page"]["visible"]
            cs = r["common_sizes"]["timeline"]["total"]["raw"]
            parts.append(f"Timeline + TimelineSlider draws "
                         f"{'exactly the features ours draws on every day' if same else 'a different set of features from ours'}"
                         f", in a {kb(cs)} page ({cs / ours_size:.1f}x ours); it steps in "
                         f"{ms(v['steps']['sync_median'])} median / {ms(v['steps']['sync_p95'])} p95 against our "
                         f"{ms(ours['steps']['sync_median'])} / {ms(ours['steps']['sync_p95'])} (it only adds and "
                         f"removes layers: no labels, no growing advances, no restyling of places, no event list or "
                         f"URL), and is ready after {ms(v['load']['ready'])} against our {ms(ours['load']['ready'])}")
        lines.append("- **The common way.** " + "; ".join(parts) + ".")
    sc = r.get("scaling", {})
    if sc:
        parts = []
        for factor, v in sorted(sc.items()):
            if "error" in v:
                parts.append(f"At {factor}x the copied data did not build")
                continue
            a = v["august-storm"]
            parts.append(f"At {factor}x the build takes {sec(v['build']['median'])} "
                         f"({v['build']['median'] / b['warm']['median']:.0f}x the 1x build), august-storm is "
                         f"{kb(v['sizes'].get('august-storm', 0))}, ready after {ms(a['load']['ready'])}, with steps "
                         f"of {ms(a['steps']['sync_median'])} median / {ms(a['steps']['sync_p95'])} p95")
        lines.append("- **Scaling.** " + ". ".join(parts) + ". Steps grow with the features drawn: every step revisits "
                     "every feature, and the label layout reads the box of every label on the map.")
    return "\n".join(lines)


# ---------------------------------------------------------------- main

def main(argv=None):
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 runs, 3 loads, 1 pass, scaling to 10x only")
    parser.add_argument("--runs", type=int, help="runs of each build command (default 5; --quick 3)")
    parser.add_argument("--loads", type=int, help="loads of each map in Chromium (default 5; --quick 3)")
    parser.add_argument("--rounds", type=int, help="passes over every date per map (default 3; --quick 1)")
    parser.add_argument("--scales", default=None, help="comma-separated data multipliers (default 10,100; "
                                                       "--quick 10; 0 for none)")
    parser.add_argument("--no-compare", action="store_true", help="skip the folium-offline comparison")
    parser.add_argument("--md", default=os.path.join(ROOT, "BENCHMARKS.md"), help="where to write the report "
                                                                                  "(default BENCHMARKS.md)")
    parser.add_argument("--no-md", action="store_true", help="print the report only")
    parser.add_argument("--json", help="also write every raw number to this JSON file")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (built maps, comparison pages)")
    parser.add_argument("--report-from", metavar="JSON", help="measure nothing: rewrite the report from the numbers "
                                                              "a run saved with --json")
    args = parser.parse_args(argv)
    if args.report_from:
        with open(args.report_from, encoding="utf-8") as handle:
            r = json.load(handle)
        r["scaling"] = {int(k): v for k, v in r.get("scaling", {}).items()}
        text = report(r, args)
        print(text)
        if not args.no_md:
            with open(args.md, "w", encoding="utf-8") as handle:
                handle.write(text)
        return 0
    runs = args.runs or (3 if args.quick else 5)
    loads = args.loads or (3 if args.quick else 5)
    rounds = args.rounds or (1 if args.quick else 3)
    scales = [int(x) for x in (args.scales or ("10" if args.quick else "10,100")).split(",") if int(x) > 1]

    r = {"argv": sys.argv[1:] if argv is None else list(argv), "machine": machine_info(),
         "settings": {"runs": runs, "loads": loads, "rounds": rounds, "scales": scales}}
    tmp = tempfile.mkdtemp(prefix="atlas-bench-")
    started = time.perf_counter()
    try:
        log(f"temporary folder {tmp}")
        r["builds"] = measure_builds(tmp, runs)
        log("build profile")
        r["build_profile"] = build_profile(os.path.join(ROOT, "geodata"))
        maps_dir = r["builds"]["maps_dir"]
        from atlas import dataset
        data, _problems = dataset.load(os.path.join(ROOT, "geodata"))
        r["features_1x"] = sum(len(v) for v in data.layers.values())
        map_ids = [m["id"] for m in data.maps]  # the map pages (the build may write other pages, e.g. an index)
        r["sizes"] = {i: sizes.measure(os.path.join(maps_dir, f"{i}.html")) for i in sorted(map_ids)
                      if os.path.exists(os.path.join(maps_dir, f"{i}.html"))}
        common = {"error": "skipped (--no-compare)"} if args.no_compare else make_common_way(tmp)
        r["common"] = common
        if "pages" in common:
            r["common_sizes"] = {k: sizes.measure(v["path"], "all") for k, v in common["pages"].items()}
            r["common_libs_note"] = libraries_note(common["pages"])
        largest = max(r["sizes"], key=lambda n: r["sizes"][n]["total"]["raw"])
        r["browser"] = browser_pass(maps_dir, map_ids, common, loads, rounds,
                                    profile=sorted({"august-storm", largest}))
        if scales:
            r["scaling"] = measure_scaling(tmp, scales, map_ids, runs_for=lambda f: 1 if (args.quick or f >= 100) else 3,
                                           loads_for=lambda f: 1 if (args.quick or f >= 100) else 3)
    finally:
        if args.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    r["machine"]["loadavg_end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    r["seconds"] = time.perf_counter() - started
    text = report(r, args)
    print(text)
    if not args.no_md:
        with open(args.md, "w", encoding="utf-8") as handle:
            handle.write(text)
        log(f"wrote {args.md}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(r, handle, indent=1, default=str)
    log(f"done in {r['seconds']:.0f} s")
    return 0


def libraries_note(pages):
    """The biggest inlined assets of the comparison page, named by the library and version in their opening lines."""
    import re
    path = pages.get("timestamped", next(iter(pages.values())))["path"]
    text = _read(path)
    parser = sizes._Elements(text)
    parser.feed(text)
    items = []
    for e in parser.elements:
        if not e[5]:
            continue
        body = text[e[3]:e[4]].strip()
        named = re.search(r"([A-Za-z][\w.]*(?:[ -]+[A-Za-z][\w.]*)*)\s+-?\s*v?(\d+\.\d+(?:\.\d+)?)", body[:300])
        first = next((ln.strip(" /*!\t") for ln in body.splitlines()[:4] if ln.strip(" /*!\t@")), "")
        name = " ".join(named.group(0).split()) if named else first[:40]
        items.append((e[2] - e[1], f"{name} ({'CSS' if e[0] == 'style' else 'JS'})"))
    items.sort(reverse=True)
    return "Biggest inlined assets of the TimestampedGeoJson page: " + "; ".join(
        f"{name} {kb(n)}" for n, name in items[:8]) + "."


if __name__ == "__main__":
    sys.exit(main())
