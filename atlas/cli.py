"""The command line: `python build.py` validates geodata/ and writes maps/; a thin layer around the pure build."""
import argparse
import sys
import time

from . import dataset
from .assets import MissingAssets


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="build.py", description="Check geodata/ and build the maps in maps/.")
    parser.add_argument("--check", action="store_true",
                        help="validate the data only and write nothing; with --format, report files that are not "
                             "in canonical form")
    parser.add_argument("--format", action="store_true",
                        help="rewrite every file in the data folder in its canonical layout (the only option that "
                             "writes to geodata/)")
    parser.add_argument("--watch", action="store_true",
                        help="rebuild whenever a file in the data folder changes, and serve the maps on "
                             "http://127.0.0.1:PORT/ with live reload")
    parser.add_argument("--port", type=int, default=8000, help="port for --watch (default: 8000)")
    parser.add_argument("--static", nargs="?", const="maps/static", metavar="DIR",
                        help="also render PNG/SVG pictures and a PDF handout of every map (default DIR: maps/static)")
    parser.add_argument("--data", default="geodata", help="folder of the data (default: geodata)")
    parser.add_argument("--out", default="maps", help="folder for the maps (default: maps)")
    return parser.parse_args(argv)


def report(problems, stream=sys.stderr):
    for problem in problems:
        print(problem, file=stream)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.format:
        from . import formatting
        return formatting.run(args.data, check=args.check)
    if args.watch:
        from . import watch
        return watch.run(args)
    try:
        return build_once(args)
    except KeyboardInterrupt:
        print("interrupted; maps/ holds only complete maps", file=sys.stderr)
        return 130


def build_once(args, quiet_warnings=False):
    """Validate, then build (unless --check). Returns the exit code."""
    started = time.perf_counter()
    data, problems = dataset.load(args.data)
    if not quiet_warnings:
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
        what = f"gallery of {count} maps" if name == "index.html" else f"{count} features"
        print(f"{args.out}/{name}: {what}, {size / 1024:.0f} KB")
    for name in removed:
        print(f"{args.out}/{name}: removed (its map is no longer in maps.json)")
    print(f"built {len(data.maps)} maps in {time.perf_counter() - started:.2f} s")
    if args.static:
        from . import static
        static.render_all(data, args.static, progress=print)
    return 0
