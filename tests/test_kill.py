"""A build killed at any moment leaves maps/ with complete maps only: each the old build or the new one."""
import json
import os
import signal
import subprocess
import sys
import time

from conftest import ROOT, run_build


def test_killing_the_build_never_leaves_a_partial_map(mini, tmp_path):
    out = tmp_path / "maps"
    assert run_build("--data", str(mini), "--out", str(out)).returncode == 0
    old = (out / "mini.html").read_bytes()
    layer = mini / "layer.geojson"
    doc = json.loads(layer.read_text(encoding="utf-8"))
    doc["features"][0]["properties"]["name"] = "Hsinking (edited)"
    layer.write_text(json.dumps(doc), encoding="utf-8")
    new = None
    outcomes = set()
    for delay in [0.05 * i for i in range(0, 30)]:
        proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "build.py"), "--data", str(mini), "--out",
                                 str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert sorted(os.listdir(out)) == ["index.html", "mini.html"], os.listdir(out)
        current = (out / "mini.html").read_bytes()
        if current != old:
            new = new or current
            assert current == new
            outcomes.add("new")
        else:
            outcomes.add("old")
        assert current.rstrip().endswith(b"</html>")
        (out / "mini.html").write_bytes(old)  # start each attempt from the old map again
    assert run_build("--data", str(mini), "--out", str(out)).returncode == 0
    assert (out / "mini.html").read_bytes() == (new or (out / "mini.html").read_bytes())
    assert "old" in outcomes  # killed before the rename at least once (a build takes far longer than 50 ms)
