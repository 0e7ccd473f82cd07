"""`python build.py --watch`: rebuild on every save and reload the open map.

The data folder is polled by content hash (never by file times). Only the maps that use a changed file are
rebuilt; errors are printed and the watch goes on, leaving the last good maps in place. The maps are served on
http://127.0.0.1:PORT/ and each HTML response gets a small script that reloads the page after a new build; the
files written to maps/ are exactly those of a normal build.
"""
import hashlib
import http.server
import os
import sys
import threading
import time
from functools import partial

from . import dataset

POLL_SECONDS = 0.25
# The version the page was served with is written into it, so a save right after loading is not missed.
RELOAD_SCRIPT = """<script>/* added by build.py --watch, not part of the map */
(function () { var served = "%s"; setInterval(function () {
  fetch("/__atlas/version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
    if (v !== served) { location.reload(); } }).catch(function () {}); }, 400);
})();</script>"""


def snapshot(folder):
    """{file name: sha256 of its bytes} for the data files of a folder."""
    out = {}
    for name in sorted(os.listdir(folder)):
        if name.endswith((".geojson", ".json")):
            try:
                with open(os.path.join(folder, name), "rb") as handle:
                    out[name] = hashlib.sha256(handle.read()).hexdigest()
            except OSError:
                continue  # being replaced by the editor right now; the next poll sees it
    return out


def affected_maps(data, changed):
    """Ids of the maps a set of changed file names touches (all maps when maps.json or sources.json changed)."""
    if not changed or changed & {dataset.MAPS_FILE, dataset.SOURCES_FILE}:
        return None  # everything
    layers = {name[: -len(".geojson")] for name in changed}
    return {spec["id"] for spec in data.maps if layers & set(spec["layers"])}


class _Handler(http.server.SimpleHTTPRequestHandler):
    state = None

    def log_message(self, *args):
        pass

    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path.startswith("/__atlas/version"):
            body = str(self.state["version"]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        path = self.translate_path(self.path)
        if path.endswith(".html") and os.path.isfile(path):
            script = (RELOAD_SCRIPT % self.state["version"]).encode()
            with open(path, "rb") as handle:
                body = handle.read().replace(b"</body>", script + b"\n</body>", 1)
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()


def rebuild(args, data, problems, only, started):
    """One build of the maps in `only` (None: all) from the loaded data. Returns True when the maps were written."""
    from . import build
    if problems.errors:
        for problem in problems.errors:
            print(problem, file=sys.stderr)
        print(f"{len(problems.errors)} problem(s); the maps were left as they were. Watching...", file=sys.stderr)
        return False
    specs = [s for s in data.maps if only is None or s["id"] in only]
    pages = build.build_all(data, specs)
    written, removed = build.write_all(pages, args.out, remove_stale=only is None)
    names = ", ".join(name for name, *_ in written) or "no maps"
    print(f"rebuilt {names} in {time.perf_counter() - started:.2f} s" +
          (f"; removed {', '.join(removed)}" if removed else ""))
    return True


def run(args):
    """Watch until Ctrl-C."""
    os.makedirs(args.out, exist_ok=True)
    state = {"version": 0}
    handler = type("Handler", (_Handler,), {"state": state})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), partial(handler, directory=args.out))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {args.out}/ on http://127.0.0.1:{server.server_port}/ ; watching {args.data}/ (Ctrl-C stops)",
          flush=True)
    previous = {}
    try:
        while True:
            current = snapshot(args.data)
            if current != previous:
                changed = {n for n in set(current) | set(previous) if current.get(n) != previous.get(n)}
                started = time.perf_counter()
                data, problems = dataset.load(args.data)
                only = affected_maps(data, changed) if previous else None
                if rebuild(args, data, problems, only, started):
                    state["version"] += 1
                sys.stdout.flush()
                previous = current
            time.sleep(POLL_SECONDS)
    except KeyboardInterrupt:
        print("stopped watching")
        return 0
    finally:
        server.shutdown()
