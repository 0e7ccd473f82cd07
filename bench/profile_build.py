"""Where the time of one build goes, stage by stage, in one fresh interpreter; prints JSON on stdout.

Run by bench/run.py as `python bench/profile_build.py DATA`. It calls the project's own functions in the order
atlas/cli.py and atlas/build.py do, timing each, and writes the pages into a temporary folder. The base map is taken
from .cache/ (warm); its derivation is timed separately by calling the uncached function once (nothing is written to
.cache/). brace_safe (the per-character JSON escaper in page.py) is wrapped in memory to time its share of rendering.
"""
import json
import os
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def main(folder):
    clock = time.perf_counter
    stages = {}
    t0 = clock()
    from atlas import dataset
    stages["import atlas.dataset"] = clock() - t0

    t = clock()
    data, problems = dataset.load(folder)
    stages["dataset.load (read + check geodata)"] = clock() - t
    if problems.errors:
        print(json.dumps({"error": [str(p) for p in problems.errors[:5]]}))
        return 1

    t = clock()
    import folium  # noqa: F401
    stages["import folium"] = clock() - t
    t = clock()
    from atlas import basemap, build, noscript, page, story
    stages["import atlas.build/page (rest)"] = clock() - t

    brace = {"seconds": 0.0, "chars": 0}
    original = getattr(page, "brace_safe", None)

    def timed_brace_safe(text):
        start = clock()
        try:
            return original(text)
        finally:
            brace["seconds"] += clock() - start
            brace["chars"] += len(text)
    if original is not None:
        page.brace_safe = timed_brace_safe

    per_map = {}
    pages = {}
    totals = {"story.map_content": 0.0, "basemap.land (cached)": 0.0, "noscript.render": 0.0,
              "page.render (folium + templates)": 0.0}
    for spec in data.maps:
        timings = {}
        t = clock()
        content = story.map_content(data, spec)
        timings["story.map_content"] = clock() - t
        t = clock()
        land = basemap.land(spec["bounds"], surround=True)
        timings["basemap.land (cached)"] = clock() - t
        t = clock()
        fallback = noscript.render(content)
        timings["noscript.render"] = clock() - t
        t = clock()
        html = page.render(content, land, fallback)
        timings["page.render (folium + templates)"] = clock() - t
        for key, value in timings.items():
            totals[key] += value
        count = sum(len(fc["features"]) for *_rest, fc in content.layers)
        pages[f"{spec['id']}.html"] = (html, count)
        per_map[spec["id"]] = timings
    stages.update(totals)
    with tempfile.TemporaryDirectory(prefix="atlas-bench-profile-") as out:
        t = clock()
        build.write_all(pages, out)
        stages["build.write_all"] = clock() - t
    stages["total in process"] = clock() - t0

    # The uncached base-map derivation (what a cold .cache/ costs), without writing to .cache/.
    derive = {}
    try:
        t = clock()
        import geopandas  # noqa: F401
        derive["import geopandas"] = clock() - t
        for spec in data.maps:  # in build order, so each map's time includes decoding a coast file it is first to use
            t = clock()
            basemap.land(spec["bounds"], surround=True, cache=False)
            derive[spec["id"]] = clock() - t
    except Exception as err:  # the derivation's internals may change; the rest of the profile still stands
        derive["error"] = repr(err)
    print(json.dumps({"stages": stages, "per_map": per_map, "brace_safe": brace, "basemap_derive": derive}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "geodata")))
