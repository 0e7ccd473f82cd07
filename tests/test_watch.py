"""build.py --watch: a save rebuilds the map, the open page reloads, a bad save is reported and changes nothing."""
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time

from conftest import ROOT


def _reader(stream, lines):
    for line in stream:
        lines.put(line.rstrip("\n"))


def _wait_for(lines, pattern, timeout=20):
    deadline = time.time() + timeout
    seen = []
    while time.time() < deadline:
        try:
            line = lines.get(timeout=0.2)
        except queue.Empty:
            continue
        seen.append(line)
        if re.search(pattern, line):
            return line
    raise AssertionError(f"no line matching {pattern!r} in {seen}")


def test_watch_rebuilds_reloads_and_survives_errors(mini, tmp_path, open_page):
    out = tmp_path / "maps"
    proc = subprocess.Popen([sys.executable, "-u", os.path.join(ROOT, "build.py"), "--watch", "--data", str(mini),
                             "--out", str(out), "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, cwd=ROOT)
    lines = queue.Queue()
    threading.Thread(target=_reader, args=(proc.stdout, lines), daemon=True).start()
    try:
        url = re.search(r"http://127\.0\.0\.1:\d+/", _wait_for(lines, r"serving")).group(0)
        _wait_for(lines, r"rebuilt .*mini\.html")
        tab = open_page()
        page = tab.page
        page.goto(url + "mini.html#date=1945-08-19")
        page.wait_for_function("document.documentElement.classList.contains('atlas-ready')")
        assert page.locator(".atlas-event-name", has_text="The attack").count() == 1

        layer = mini / "layer.geojson"
        doc = json.loads(layer.read_text(encoding="utf-8"))
        for feature in doc["features"]:
            if feature["properties"]["id"] == "attack":
                feature["properties"]["name"] = "The attack, renamed"
        started = time.time()
        with page.expect_navigation(timeout=10000):
            layer.write_text(json.dumps(doc), encoding="utf-8")
        page.wait_for_function("document.documentElement.classList.contains('atlas-ready')")
        assert time.time() - started < 5  # save -> rebuilt -> reloaded
        _wait_for(lines, r"rebuilt .*mini\.html")
        assert page.inner_text(".atlas-event[data-id=attack] .atlas-event-name") == "The attack, renamed"
        assert page.evaluate("atlas.getDate()") == "1945-08-19"  # the reload keeps the date
        good = (out / "mini.html").read_bytes()

        doc["features"][0]["properties"]["end_date"] = "1945-13-01"
        layer.write_text(json.dumps(doc), encoding="utf-8")
        error = _wait_for(lines, r"end_date")
        assert error == (f"{mini}/layer.geojson: feature town: end_date: '1945-13-01' is not a calendar date; "
                         "expected YYYY, YYYY-MM or YYYY-MM-DD")
        _wait_for(lines, r"the maps were left as they were")
        assert proc.poll() is None
        assert (out / "mini.html").read_bytes() == good
        assert b"__atlas/version" not in good  # the reload script is only added when served
    finally:
        proc.terminate()
        proc.wait(timeout=10)
