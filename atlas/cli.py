"""The command line: `python build.py` validates geodata/ and writes maps/; a thin layer around the pure build."""
import argparse
import os
import sys
import time

from . import dataset
from .assets import MissingAssets


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="build.py", description="Check geodata/ and build the maps in maps/.")
    parser.add_argument("--check", action="store_true", help="validate the data only; write nothing")
    parser.add_argument("--data", default="geodata", help="folder of the data (default: geodata)")
    parser.add_argument("--out", default="maps", help="folder for the maps (default: maps)")
    return parser.parse_args(argv)


def report(problems, stream=sys.stderr):
    for problem in problems:
        print(problem, file=stream)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    data, problems = dataset.load(args.data)
    report(problems.warnings)
    if problems.errors:
        report(problems.errors)
        print(f"{len(problems.errors)} problem(s) in {args.data}/; nothing was written.", file=sys.stderr)
        return 1
    features = sum(len(v) for v in data.layers.values())
    if args.check:
        print(f"{args.data}/ is valid: {features} features in {len(data.layers)} layers, {len(data.maps)} maps "
              f"({time.perf_counter() - started:.2f} s)")
        return 0
    from . import build  # imports folium and geopandas: only when there is something to build
    try:
        pages = build.build_all(data)
    except MissingAssets as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    written, removed = build.write_all(pages, args.out)
    for name, count, size in written:
        print(f"{args.out}/{name}: {count} features, {size / 1024:.0f} KB")
    for name in removed:
        print(f"{args.out}/{name}: removed (its map is no longer in maps.json)")
    print(f"built {len(written)} maps in {time.perf_counter() - started:.2f} s")
    return 0
